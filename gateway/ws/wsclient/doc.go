// Package wsclient is a small client of ProofStell's native WebSocket
// protocol (/ws), of the guest sign-in endpoint and of the player's own
// leaderboard standing, for load generators, benchmarks, end-to-end tests
// and `proofstell play` (internal/playbot). It lives under gateway/ws
// because gorilla may be imported only there.
//
// A Client is used by one reader goroutine (Next) and any number of writers
// (Request); writes are serialized inside. Any error from Dial, Next or
// Request other than a bad payload leaves the connection unusable: close it.
package wsclient
