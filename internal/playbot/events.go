package playbot

import "github.com/proofstell/proofstell/actors/events"

// Mole kinds of game:mole.
const (
	KindNormal = "normal"
	KindGolden = "golden"
	KindBomb   = "bomb"
)

// Game states of game:state-change.
const (
	StateWaiting = events.StateWaiting
	StateStarted = events.StateStarted
	StatePaused  = events.StatePaused
	StateEnded   = events.StateEnded
)

// The server's payloads the bot reads are the server's own types
// (actors/events), so the two cannot drift apart.
type (
	// Started is the ack of game:start.
	Started = events.SessionAck
	// StateChange is game:state-change.
	StateChange = events.StateChange
	// Mole is game:mole.
	Mole = events.Mole
	// Hit is game:hit.
	Hit = events.Hit
	// Miss is game:miss.
	Miss = events.Miss
	// Result is one player's line of game:over.
	Result = events.Result
	// Over is game:over.
	Over = events.Over
	// ErrorFrame is the payload of an error frame.
	ErrorFrame = events.Error
)
