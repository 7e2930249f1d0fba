package session

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/persistence"
)

// createGame creates a solo game of mode; it returns the game's id and ack.
func createGame(t *testing.T, h *harness, p *probe, mode string) (string, events.SessionAck) {
	t.Helper()
	id := uuid.NewString()
	h.send(id, &protos.CreateSession{From: p.ref, RequestId: 1, Mode: mode, MaxPlayers: 1})
	ack := decode[events.SessionAck](t, p.next(events.TypeAck))
	return id, ack
}

// finish runs a created game to its end, scoring one hit, and returns how
// long it ran: a second per tick, each answered by a new mole (spawns are a
// second apart) until game:over.
func finish(t *testing.T, h *harness, p *probe, id string) time.Duration {
	t.Helper()
	require.Equal(t, events.StateWaiting, decode[events.StateChange](t, p.next(events.TypeStateChange)).State)
	h.tick(id, time.Second) // the countdown
	require.Equal(t, events.StateStarted, decode[events.StateChange](t, p.next(events.TypeStateChange)).State)
	mole := decode[events.Mole](t, p.next(events.TypeMole))
	h.clock.Advance(200 * time.Millisecond)
	p.whack(id, 2, mole.Hole, mole.MoleID)
	p.next(events.TypeHit)
	h.tick(id, 800*time.Millisecond)
	ran := time.Second
	for ; ran < time.Minute; ran += time.Second {
		if p.next(events.TypeMole+"|"+events.TypeOver).Type == events.TypeOver {
			return ran
		}
		h.tick(id, time.Second)
	}
	t.Fatal("the game never ended")
	return 0
}

func boardOf(t *testing.T, h *harness, mode string) map[string]int64 {
	t.Helper()
	got := map[string]int64{}
	key := persistence.BoardKey{Mode: mode, Board: "global", Period: "all"}
	require.NoError(t, h.store.EachStanding(context.Background(), key, func(s persistence.Standing) error {
		got[s.PlayerID] = s.Score
		return nil
	}))
	return got
}

// TestSession_ModeEditReachesOnlyLaterGames: an admin edit of a mode while
// a game of it runs leaves that game on the rules it was created with (its
// duration, and ranked: its result reaches the mode's board); the next game
// gets the new rules (shorter, and practice: no board at all).
func TestSession_ModeEditReachesOnlyLaterGames(t *testing.T) {
	h := newHarness(t)
	_, err := h.store.CreateMode(context.Background(), persistence.SystemActor("test"), persistence.Mode{Name: "sprint", Level: "normal", Rows: 3, Cols: 3,
		Duration: 5 * time.Second, SpawnInterval: time.Second, Visible: 800 * time.Millisecond, MaxMolesUp: 1,
		HitPoints: 1, Countdown: time.Second, MaxPlayers: 1, Active: true, Ranked: true})
	require.NoError(t, err)
	ann := h.createPlayer("device-sprint-ann")
	bob := h.createPlayer("device-sprint-bob")
	pa, pb := h.newProbe(ann.ID, ann.Username), h.newProbe(bob.ID, bob.Username)

	first, ack := createGame(t, h, pa, "sprint")
	require.EqualValues(t, 5000, ack.DurationMs)
	short, practice := 2*time.Second, false
	_, err = h.store.UpdateMode(context.Background(), persistence.SystemActor("test"), "sprint", persistence.ModeUpdate{Duration: &short, Ranked: &practice})
	require.NoError(t, err)
	require.Equal(t, 5*time.Second, finish(t, h, pa, first), "the running game kept its duration")
	require.Equal(t, map[string]int64{ann.ID: 1}, boardOf(t, h, "sprint"), "and stayed ranked")
	require.Empty(t, boardOf(t, h, "classic"), "on its own mode's board only")
	require.Eventually(t, func() bool { return len(h.rec.appliedTo("sprint/global/all")) == 1 }, 5*time.Second, 5*time.Millisecond)

	second, ack := createGame(t, h, pb, "sprint")
	require.EqualValues(t, 2000, ack.DurationMs, "the next game has the new rules")
	require.Equal(t, 2*time.Second, finish(t, h, pb, second))
	stored, err := h.store.Session(context.Background(), second)
	require.NoError(t, err)
	require.Equal(t, persistence.StateFinished, stored.State)
	require.Equal(t, map[string]int64{ann.ID: 1}, boardOf(t, h, "sprint"), "a practice game reaches no board")
	require.Len(t, h.rec.appliedTo("sprint/global/all"), 1, "nor any live grain")
}

// TestSession_ResumesOnTheRulesItWasCreatedWith: a game that resumes after
// an outage, during which an admin changed its mode (here its board), goes
// on with the rules it was created with.
func TestSession_ResumesOnTheRulesItWasCreatedWith(t *testing.T) {
	h := newHarness(t)
	pl := h.createPlayer("device-outage-edit")
	p := h.newProbe(pl.ID, pl.Username)
	clock := h.clock.Now()
	id := h.storeRunning(p, clock)
	four, short := 4, 10*time.Second
	edited, err := h.store.UpdateMode(context.Background(), persistence.SystemActor("test"), "classic", persistence.ModeUpdate{Rows: &four, Cols: &four, Duration: &short})
	require.NoError(t, err)
	require.EqualValues(t, 2, edited.Version)

	h.clock.Set(clock.Add(5 * time.Second))
	h.send(id, &protos.JoinSession{From: p.ref, RequestId: 7})
	require.EqualValues(t, 7, p.next(events.TypeAck).RequestId)
	require.Equal(t, events.StateChange{GameID: id, State: events.StateStarted, Players: 1, RemainingMs: 28_500},
		decode[events.StateChange](t, p.next(events.TypeStateChange)), "30 s on a 3×3 board, as created")

	again, ack := createGame(t, h, p, "classic")
	require.NotEqual(t, id, again)
	require.Equal(t, events.Board{Rows: 4, Cols: 4}, ack.Board, "a new game has the new rules")
	require.EqualValues(t, 10_000, ack.DurationMs)
}
