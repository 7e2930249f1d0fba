// Package wsclient is a small client of ProofStell's native WebSocket
// protocol (/ws) and of the guest sign-in endpoint, for load generators,
// benchmarks and end-to-end tests. It lives under gateway/ws because gorilla
// may be imported only there.
//
// A Client is used by one reader goroutine (Next) and any number of writers
// (Request); writes are serialized inside. Any error from Dial, Next or
// Request other than a bad payload leaves the connection unusable: close it.
package wsclient
