package ws

// The WebSocket close codes and reasons of the gateway, declared here and
// nowhere else. Clients switch on the code; the reason is for their logs.
//
//	| code | meaning                                                  | client should                |
//	|------|----------------------------------------------------------|------------------------------|
//	| 1000 | normal closure                                           | not reconnect                |
//	| 1001 | server shutting down                                     | reconnect (another node)     |
//	| 1003 | unsupported data                                         | fix the client               |
//	| 1008 | policy violation: account banned                         | not reconnect                |
//	| 1009 | message too big (> ReadLimit)                            | fix the client               |
//	| 4001 | access token expired ("token_expired")                   | refresh the token, reconnect |
//	| 4003 | access token revoked (logout, logout-all, refresh reuse) | sign in again, reconnect     |
//	| 4008 | rate limited (flood: FloodLimit refusals in FloodWindow) | back off, then reconnect     |
//	| 4009 | slow client (send queue overflowed)                      | reconnect, resume the game   |
//
// 1003 is not sent by the gateway itself; it is reserved for callers of
// Conn.Close and Handler.CloseUser. 1002 (protocol error) and 1009 on an
// oversized frame are written by gorilla/websocket itself, with these
// values. The codes below 4000 are RFC 6455's, equal to gorilla's names of
// them (close_test.go), which the wsclient test client uses.

// Close codes.
const (
	CloseNormal          = 1000
	CloseGoingAway       = 1001
	CloseUnsupportedData = 1003
	ClosePolicyViolation = 1008
	CloseTooBig          = 1009
	CloseAuthExpired     = 4001
	// CloseRevoked: the token was revoked (logout, logout everywhere); the
	// client must sign in again, a refresh will not help.
	CloseRevoked     = 4003
	CloseRateLimited = 4008
	CloseSlowClient  = 4009
)

// Close reasons, paired with the codes above.
const (
	// ReasonShuttingDown pairs with CloseGoingAway when the node stops.
	ReasonShuttingDown = "server shutting down"
	// ReasonBanned pairs with ClosePolicyViolation after an admin ban.
	ReasonBanned = "banned"
	// ReasonTokenExpired pairs with CloseAuthExpired when the access token
	// of an open socket runs out.
	ReasonTokenExpired = "token_expired"
	// ReasonRevoked pairs with CloseRevoked.
	ReasonRevoked = "revoked"
	// ReasonRateLimited pairs with CloseRateLimited.
	ReasonRateLimited = "rate_limited"
	// ReasonSlowClient pairs with CloseSlowClient.
	ReasonSlowClient = "slow_client"
)
