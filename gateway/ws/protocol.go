package ws

import (
	"strconv"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/player"
	"github.com/proofstell/proofstell/internal/jsonstr"
)

// Client frame types, as the protocol table of actors/player names them.
// The table is the declaration: a new client message needs no constant here.
const (
	TypeStartGame              = player.TypeStartGame
	TypeCreateMatch            = player.TypeCreateMatch
	TypeJoinMatch              = player.TypeJoinMatch
	TypeBeginMatch             = player.TypeBeginMatch
	TypeWhack                  = player.TypeWhack
	TypeResumeGame             = player.TypeResumeGame
	TypeSubscribeLeaderboard   = player.TypeSubscribeLeaderboard
	TypeUnsubscribeLeaderboard = player.TypeUnsubscribeLeaderboard
	TypeSubscribeGame          = player.TypeSubscribeGame
	TypePing                   = player.TypePing
)

// TypePong is the server frame answering a client "ping".
const TypePong = events.TypePong

// Ping is the body of a decoded "ping" command. The gateway answers it with a
// pong frame and never delivers it to the player actor.
type Ping = player.Ping

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
	buf = jsonstr.Append(buf, f.Type)
	if f.ID != 0 {
		buf = append(buf, `,"id":`...)
		buf = strconv.AppendInt(buf, f.ID, 10)
	}
	buf = append(buf, `,"d":`...)
	buf = append(buf, data...)
	return append(buf, '}')
}
