package playbot

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/proofstell/proofstell/gateway/ws/wsclient"
)

// Frame types the player reacts to.
const (
	frameAck   = "ack"
	frameError = "error"
	frameState = "game:state-change"
	frameMole  = "game:mole"
	frameHit   = "game:hit"
	frameMiss  = "game:miss"
	frameOver  = "game:over"
)

// ErrRefused means the server refused to start the game; ErrNoResult means
// the game ended without a result for the player (aborted, voided).
var (
	ErrRefused  = errors.New("game refused")
	ErrNoResult = errors.New("game ended without a result")
)

// Step is what the player does after one server frame.
type Step struct {
	// Line is printed when not empty.
	Line string
	// Whack, when set, is sent after Whack.After.
	Whack *Whack
	// Over ends the game with the player's result.
	Over *Result
	// Err ends the game with a failure (wrapping ErrRefused or ErrNoResult,
	// or a decoding error).
	Err error
}

// Whack is one game:whack to send.
type Whack struct {
	After     time.Duration `json:"-"`
	SessionID string        `json:"sessionId"`
	Hole      int           `json:"hole"`
	MoleID    int64         `json:"moleId"`
}

// Player follows one solo game from the frames the server sends. It is
// used by one goroutine.
type Player struct {
	me        string
	startID   int64
	reflex    Reflex
	sessionID string
}

// NewPlayer follows the game started by the game:start frame with id
// startID, for player me (the signed-in player's id).
func NewPlayer(me string, startID int64, r Reflex) *Player {
	return &Player{me: me, startID: startID, reflex: r}
}

// Handle decides what to do about f. Frames the player does not care about
// (pong, leaderboard:update) give an empty Step.
func (p *Player) Handle(f wsclient.Frame) Step {
	switch f.T {
	case frameAck:
		return handle(f, p.onAck)
	case frameError:
		return handle(f, p.onError(f.ID))
	case frameState:
		return handle(f, p.onState)
	case frameMole:
		return handle(f, p.onMole)
	case frameHit:
		return handle(f, func(h Hit) Step { return Step{Line: formatHit(h, p.me)} })
	case frameMiss:
		return handle(f, func(m Miss) Step { return Step{Line: formatMiss(m)} })
	case frameOver:
		return handle(f, p.onOver)
	default:
		return Step{}
	}
}

// handle decodes f's payload as T and passes it on.
func handle[T any](f wsclient.Frame, on func(T) Step) Step {
	var v T
	if err := json.Unmarshal(f.D, &v); err != nil {
		return Step{Err: fmt.Errorf("decode %s: %w", f.T, err)}
	}
	return on(v)
}

func (p *Player) onAck(s Started) Step {
	if s.SessionID == "" {
		return Step{} // an ack without a game answers something else
	}
	p.sessionID = s.SessionID
	return Step{Line: formatStarted(s)}
}

// onError fails the game when the start was refused; a refused whack is
// only reported.
func (p *Player) onError(id int64) func(ErrorFrame) Step {
	return func(e ErrorFrame) Step {
		if id == p.startID {
			return Step{Err: fmt.Errorf("%w: %s (%s)", ErrRefused, e.Message, e.Code)}
		}
		return Step{Line: fmt.Sprintf("refused: %s (%s)", e.Message, e.Code)}
	}
}

func (p *Player) onState(c StateChange) Step {
	if c.State == StateEnded && c.Reason != "" {
		return Step{Line: formatState(c), Err: fmt.Errorf("%w: the game was %s", ErrNoResult, c.Reason)}
	}
	return Step{Line: formatState(c)}
}

func (p *Player) onMole(m Mole) Step {
	delay, ok := p.reflex.Delay(m)
	step := Step{Line: formatMole(m, delay, ok)}
	if ok {
		step.Whack = &Whack{After: delay, SessionID: p.sessionID, Hole: m.Hole, MoleID: m.MoleID}
	}
	return step
}

func (p *Player) onOver(o Over) Step {
	for _, r := range o.Results {
		if r.PlayerID == p.me {
			return Step{Line: formatOver(r, o.Flagged), Over: &r}
		}
	}
	return Step{Err: fmt.Errorf("%w: game:over lists no result for this player", ErrNoResult)}
}
