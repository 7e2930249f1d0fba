// Package contracttest holds one behavioural test suite per contract that
// both short-lived state engines implement (persistence/redis, shared by
// nodes, and persistence/memory, for a single node): the event bus, the
// rate limiter, the sign-in lockout, the wallet challenge store and the
// revocation cache (CONVENTIONS.md 4). Each engine's tests call every suite
// with a constructor of its own, so the two cannot drift apart.
//
// What only one engine has (Redis's Lua scripts and TTL layout, its
// reconnects and data-loss detection; the memory engine's bounds and hand-
// moved expiries) stays in that engine's own tests.
//
// Suites read time from a clock they own and pass to the constructor; it
// starts at the real time, because Redis expires keys on its own clock.
package contracttest
