package ws

import (
	"strconv"

	"github.com/proofstell/proofstell/actors/player"
)

// Client frame types accepted on /ws. Each maps to one player command body,
// except TypePing, which the gateway answers itself.
const (
	TypeStartGame              = "game:start"
	TypeCreateMatch            = "game:create"
	TypeJoinMatch              = "game:join"
	TypeBeginMatch             = "game:begin"
	TypeWhack                  = "game:whack"
	TypeResumeGame             = "game:resume"
	TypeSubscribeLeaderboard   = "leaderboard:subscribe"
	TypeUnsubscribeLeaderboard = "leaderboard:unsubscribe"
	TypeSubscribeGame          = "game:subscribe"
	TypePing                   = "ping"
)

// TypePong is the server frame answering a client "ping".
const TypePong = "pong"

// Protocol limits checked by DecodeCommand.
const (
	MaxHoles      = 64
	MinMaxPlayers = 2
	MaxMaxPlayers = 8
)

// Leaderboard ids a client may subscribe to.
var leaderboardIDs = map[string]bool{"global": true, "daily": true, "weekly": true, "monthly": true}

// Ping is the body of a decoded "ping" command. The gateway answers it with a
// pong frame and never delivers it to the player actor.
type Ping struct{}

// Pong is the payload of a pong frame: the server's clock in Unix
// milliseconds, so clients can estimate their clock offset.
type Pong struct {
	ServerTime int64 `json:"serverTime"`
}

// DecodeError is a client frame the gateway refuses. It becomes an error
// frame; the connection stays open.
type DecodeError struct {
	// ID is the frame's request id when it could be read, else 0.
	ID int64
	// Code is one of events.CodeBadRequest or events.CodeUnknownType.
	Code string
	// Message is safe to show to the client.
	Message string
}

// Error implements error.
func (e *DecodeError) Error() string {
	return e.Code + ": " + e.Message
}

// encodeFrame renders {"t":Type,"id":ID,"d":Data} without re-encoding Data,
// which the sender guarantees is valid JSON. Missing data becomes {} so
// clients can always read "d".
func encodeFrame(f player.Frame) []byte {
	data := f.Data
	if len(data) == 0 {
		data = []byte("{}")
	}
	buf := make([]byte, 0, len(f.Type)+len(data)+32)
	buf = append(buf, `{"t":`...)
	buf = appendJSONString(buf, f.Type)
	if f.ID != 0 {
		buf = append(buf, `,"id":`...)
		buf = strconv.AppendInt(buf, f.ID, 10)
	}
	buf = append(buf, `,"d":`...)
	buf = append(buf, data...)
	return append(buf, '}')
}

// appendJSONString quotes s as a JSON string. Frame types are short ASCII
// constants, so only the characters JSON requires are escaped.
func appendJSONString(buf []byte, s string) []byte {
	const hex = "0123456789abcdef"
	buf = append(buf, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			buf = append(buf, '\\', c)
		case c < 0x20:
			buf = append(buf, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		default:
			buf = append(buf, c)
		}
	}
	return append(buf, '"')
}

// commandType names a decoded command body by its client frame type, for
// metrics labels.
func commandType(body any) string {
	switch body.(type) {
	case player.StartGame:
		return TypeStartGame
	case player.CreateMatch:
		return TypeCreateMatch
	case player.JoinMatch:
		return TypeJoinMatch
	case player.BeginMatch:
		return TypeBeginMatch
	case player.Whack:
		return TypeWhack
	case player.ResumeGame:
		return TypeResumeGame
	case player.SubscribeLeaderboard:
		return TypeSubscribeLeaderboard
	case player.UnsubscribeLeaderboard:
		return TypeUnsubscribeLeaderboard
	case player.SubscribeGame:
		return TypeSubscribeGame
	case Ping:
		return TypePing
	default:
		return typeInvalid
	}
}
