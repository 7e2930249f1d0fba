// Package wsclient is a small client of ProofStell's realtime gateways and
// of the guest sign-in endpoint, for load generators, benchmarks and
// end-to-end tests. Dial speaks the native WebSocket protocol (/ws);
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
