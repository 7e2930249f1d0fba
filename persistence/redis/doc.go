// Package redis implements ProofStell's shared, short-lived state on Redis:
// the cross-node event bus (persistence.Bus), a cluster-wide rate limiter for
// the REST gateway, and the access-token denylist.
//
// A node alone may run without Redis: persistence/memory implements the
// same contracts in process, and persistence/contracttest runs one suite
// per contract against both.
//
// Nothing here is a source of truth. Losing Redis degrades service (no live
// cross-node events, rate limits fail open or closed as the caller decides,
// revoked access tokens live until they expire) but never loses a result.
//
// Every key and channel carries the configured prefix (config.Redis.Prefix,
// "ps:" by default) so deployments and parallel tests sharing one Redis never
// see each other's data. Layout, after the prefix:
//
//	<topic>        pub/sub channel of a Bus topic
//	rl:<key>       rate-limiter state (GCRA theoretical arrival time, µs)
//	deny:<jti>     denylisted access token, expiring with the token
//
// go-redis is imported only in this package tree (enforced by depguard).
package redis
