package cluster

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/gateway/ws/wsclient"
)

// reaction is how long after a game:mole a test client whacks, at least:
// slower than the server's minimum human reaction (80 ms) even after the
// largest lag allowance (150 ms) is taken off, well inside the 800 ms a
// mole stays up with spread added.
const reaction = 250 * time.Millisecond

// spread is what a test client adds to its reaction on mole id: 0, 100 or
// 200 ms. A person's reactions spread; a fixed one with no miss over 20
// moles or more is what the consistency detector holds for review as a
// bot's (actors/session/detector). Derived from the mole, so of two
// players the faster one stays faster on every mole.
func spread(moleID int64) time.Duration { return time.Duration(moleID%3) * 100 * time.Millisecond }

type result struct {
	PlayerID string `json:"playerId"`
	Score    int64  `json:"score"`
	Hits     int    `json:"hits"`
	Misses   int    `json:"misses"`
}

type overPayload struct {
	GameID  string   `json:"gameId"`
	Results []result `json:"results"`
	Flagged bool     `json:"flagged"`
}

type stateChange struct {
	GameID string `json:"gameId"`
	State  string `json:"state"`
	Reason string `json:"reason"`
}

// stateSeen is a game:state-change and when the client read it.
type stateSeen struct {
	State, Reason string
	At            time.Time
}

// game is one client's view of a session it plays, kept across reconnects.
// Only the goroutine running play touches it, except sent (timers).
type game struct {
	sessionID string
	reaction  time.Duration

	mu       sync.Mutex
	sent     map[int64]time.Time // whack id → when it was sent
	answered map[int64]bool      // whack ids the server answered (hit, miss or error)

	rtts   []time.Duration // whack sent → its game:hit, for our hits
	hitAt  []time.Time     // when each of our hits was read
	waits  []hitWait
	moles  map[int64]bool // every mole announced
	wins   map[int64]int  // game:hit frames seen per mole (any winner)
	hits   int            // our whacks judged hits
	misses map[string]int // our misses by reason
	errs   map[string]int // error codes answering our frames during play
	trail  []string       // misses, state changes, reconnects with times, for failure messages
	states []stateSeen
	closes []int // close codes of sockets lost mid-game (0: no close frame)
	over   *overPayload
}

func newGame(sessionID string) *game {
	return &game{sessionID: sessionID, reaction: reaction, sent: map[int64]time.Time{}, answered: map[int64]bool{},
		moles: map[int64]bool{}, wins: map[int64]int{}, misses: map[string]int{}, errs: map[string]int{}}
}

// startSolo starts a solo game of mode on s.
func startSolo(t testing.TB, s *socket, mode string) *game {
	t.Helper()
	g, err := trySolo(s, mode)
	require.NoError(t, err)
	return g
}

func trySolo(s *socket, mode string) (*game, error) {
	var ack struct {
		SessionID string `json:"sessionId"`
	}
	if err := s.call("game:start", map[string]string{"mode": mode}, &ack); err != nil {
		return nil, err
	}
	return newGame(ack.SessionID), nil
}

// play reads s until game:over (nil), the socket closes (an error wrapping
// errSocketClosed) or within passes, whacking every mole after g.reaction
// plus spread.
func (g *game) play(s *socket, within time.Duration) error {
	timeout := time.After(within)
	for {
		select {
		case f := <-s.frames:
			if g.onFrame(s, f) {
				return nil
			}
		case <-s.done:
			return g.drain(s)
		case <-timeout:
			return fmt.Errorf("game %s: no game:over within %s", g.sessionID, within)
		}
	}
}

// drain handles the frames a closed socket still holds.
func (g *game) drain(s *socket) error {
	for {
		select {
		case f := <-s.frames:
			if g.onFrame(s, f) {
				return nil
			}
		default:
			g.closes = append(g.closes, s.closeCode())
			g.note("socket to %s closed (%d)", s.member.name, s.closeCode())
			return fmt.Errorf("game %s on %s: %w (code %d)", g.sessionID, s.member.name, errSocketClosed, s.closeCode())
		}
	}
}

// onFrame applies one frame and reports whether the game is over.
func (g *game) onFrame(s *socket, f wsclient.Frame) bool {
	var p struct {
		GameID string `json:"gameId"`
		MoleID int64  `json:"moleId"`
		Hole   int    `json:"hole"`
		Code   string `json:"code"`
		Reason string `json:"reason"`
	}
	if json.Unmarshal(f.D, &p) != nil || (p.GameID != "" && p.GameID != g.sessionID) {
		return false
	}
	if f.ID != 0 {
		g.mu.Lock()
		g.answered[f.ID] = true
		g.mu.Unlock()
	}
	switch f.T {
	case "game:mole":
		if g.moles[p.MoleID] {
			g.note("mole %d announced again", p.MoleID)
		}
		g.moles[p.MoleID] = true
		time.AfterFunc(g.reaction+spread(p.MoleID), func() { g.whack(s, p.Hole, p.MoleID) })
	case "game:hit":
		g.onHit(f.ID, p.MoleID)
	case "game:miss":
		if f.ID != 0 {
			g.misses[p.Reason]++
			g.note("miss %s mole %d", p.Reason, p.MoleID)
		}
	case "error":
		g.errs[p.Code]++
	case "game:state-change":
		var sc stateChange
		_ = json.Unmarshal(f.D, &sc)
		g.states = append(g.states, stateSeen{State: sc.State, Reason: sc.Reason, At: time.Now()})
		g.note("state %s %s", sc.State, sc.Reason)
	case "game:over":
		var over overPayload
		if json.Unmarshal(f.D, &over) == nil {
			g.over = &over
			return true
		}
	}
	return false
}

func (g *game) onHit(id, moleID int64) {
	g.wins[moleID]++
	if id == 0 {
		return
	}
	g.mu.Lock()
	sent, ok := g.sent[id]
	g.mu.Unlock()
	if ok {
		g.hits++
		g.rtts = append(g.rtts, time.Since(sent))
		g.hitAt = append(g.hitAt, time.Now())
		g.wake()
	}
}

// unanswered counts whacks sent that no frame ever answered: lost with a
// socket that closed in between. Any of them may have been judged a hit
// the player never saw.
func (g *game) unanswered() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	n := 0
	for id := range g.sent {
		if !g.answered[id] {
			n++
		}
	}
	return n
}

// hitWait is a channel to close once the client has n hits.
type hitWait struct {
	n  int
	ch chan struct{}
}

// afterHits returns a channel closed once the client has n hits: the game
// is running and its state has been judged on the host. Call it before
// play starts.
func (g *game) afterHits(n int) <-chan struct{} {
	ch := make(chan struct{})
	g.waits = append(g.waits, hitWait{n: n, ch: ch})
	return ch
}

func (g *game) wake() {
	kept := g.waits[:0]
	for _, w := range g.waits {
		if g.hits >= w.n {
			close(w.ch)
		} else {
			kept = append(kept, w)
		}
	}
	g.waits = kept
}

// hitsSince counts our hits read at or after since.
func (g *game) hitsSince(since time.Time) int {
	n := 0
	for _, at := range g.hitAt {
		if !at.Before(since) {
			n++
		}
	}
	return n
}

// whack runs on a timer goroutine; a failed send (socket gone) is the
// player's problem, not the test's.
func (g *game) whack(s *socket, hole int, moleID int64) {
	id := frameIDs.Add(1)
	g.mu.Lock()
	g.sent[id] = time.Now()
	g.mu.Unlock()
	_ = s.sendWithID("game:whack", id, map[string]any{"sessionId": g.sessionID, "hole": hole, "moleId": moleID})
}

// note adds a timestamped line to the trail.
func (g *game) note(format string, args ...any) {
	g.trail = append(g.trail, time.Now().Format("15:04:05.000 ")+fmt.Sprintf(format, args...))
}

// score is the player's result in game:over.
func (g *game) score(t testing.TB, playerID string) result {
	t.Helper()
	require.NotNil(t, g.over, "game %s is not over", g.sessionID)
	for _, r := range g.over.Results {
		if r.PlayerID == playerID {
			return r
		}
	}
	require.Failf(t, "player missing from game:over", "game %s: %s not in %+v", g.sessionID, playerID, g.over.Results)
	return result{}
}

// stateNames lists the states seen, for assertions and messages.
func (g *game) stateNames() []string {
	names := make([]string, len(g.states))
	for i, s := range g.states {
		names[i] = s.State
	}
	return names
}

// firstState is when the first state after since was seen, if any.
func (g *game) firstState(state string, since time.Time) (time.Time, bool) {
	for _, s := range g.states {
		if s.State == state && !s.At.Before(since) {
			return s.At, true
		}
	}
	return time.Time{}, false
}

// percentile is the p-th percentile (0..1) of ds, nearest rank.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, int(p*float64(len(s))))]
}

// isClosed reports whether err says the socket closed.
func isClosed(err error) bool { return errors.Is(err, errSocketClosed) }
