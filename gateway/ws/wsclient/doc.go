// Package wsclient is a small client of ProofStell's realtime gateways, of
// the guest sign-in endpoint and of the player's own leaderboard standing,
// for load generators, benchmarks, end-to-end tests and `proofstell play`
// (internal/playbot). Dial speaks the native WebSocket protocol (/ws);
// DialSocketIO speaks Socket.IO v4 on the websocket transport (/socket.io/,
// namespace /realtime) behind the same Client API, translating packets to
// and from native frames (socketio.go), so one program drives either
// gateway. It lives under gateway/ws because gorilla may be imported only
// there.
//
// A Client is used by one reader goroutine (Next) and any number of writers
// (Request); writes are serialized inside. Any error from Dial, Next or
// Request other than a bad payload leaves the connection unusable: close it.
package wsclient
