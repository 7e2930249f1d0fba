// Package memory is the in-process engine for one node: it keeps, inside
// the process, the short-lived state that persistence/redis shares between
// nodes — the event bus (persistence.Bus), rate-limit budgets
// (persistence.RateLimiter), sign-in lockouts (persistence.Lockout), wallet
// challenges (persistence.NonceStore) and the revocation cache
// (persistence.RevocationCache) — behind the same contracts, proven by the
// same suites (persistence/contracttest).
//
// It is for a node that runs alone (CLUSTER_PROVIDER=single, REDIS_URL
// empty). Two nodes on memory engines would each keep their own budgets,
// nonces and revocation cache and never hear each other's events, so
// config refuses any other cluster provider without Redis.
//
// Nothing durable lives here. Revocations and bans stay in PostgreSQL
// (persistence.RevocationLedger); this engine only holds the fast copy, and
// like a fresh Redis it starts not intact until the node rebuilds it from
// the ledger (auth.Revocation.Rebuild). Restarting the process loses
// budgets, lockouts, challenges and undelivered events, exactly as a Redis
// restart would.
//
// Semantics:
//   - Time: every expiry and rate-limit window reads the injected clock
//     (Options.Now), so tests move time by hand.
//   - Bounds: each keyspace (rate limits, lockouts, challenges, denied
//     tokens, watermarks, families) holds at most Options.MaxKeys live
//     entries. Writes sweep out expired entries (once a minute, or once a
//     second while the keyspace is full). Overflow policy: reject. A write
//     that would add an entry to a full keyspace that no sweep can make
//     room in fails with ErrFull and nothing is evicted, so an
//     attacker filling a keyspace can never erase a budget, a lock or a
//     revocation. Callers treat ErrFull like an unreachable Redis: the rate
//     limiter fails open, revocation falls back to PostgreSQL.
//   - Pub/sub: a Publish is delivered in process, to the subscribers of the
//     same node only, each through its own queue of Options.SubscribeQueue
//     messages, in publish order. Overflow policy: drop (counted in
//     proofstell_memory_bus_dropped_total); the Bus is at most once either way.
//   - Server change: Redis tells revocation when it was replaced under the
//     node (persistence/redis OnServerChange) because a new server may have
//     lost the cache. This engine never loses data while the process lives,
//     so it has no such signal: the data-loss detection is a no-op here, and
//     only Distrust (a failed copy) clears the intact mark.
package memory
