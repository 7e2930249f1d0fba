package session

import (
	"context"
	"encoding/hex"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/actors/session/game"
	"github.com/proofstell/proofstell/persistence"
)

// newChallengeHarness is a harness whose sessions read challenges.
func newChallengeHarness(t *testing.T) *harness {
	t.Helper()
	var h *harness
	h = newHarness(t, func(d *Deps) { d.Challenges = lazyChallenges{func() Challenges { return h.store }} })
	return h
}

// lazyChallenges resolves the store once the harness exists.
type lazyChallenges struct{ get func() Challenges }

func (l lazyChallenges) Challenge(ctx context.Context, id string) (persistence.Challenge, error) {
	return l.get().Challenge(ctx, id)
}

func (l lazyChallenges) PlayerAttempts(ctx context.Context, challengeID, playerID string) ([]persistence.ChallengeAttempt, error) {
	return l.get().PlayerAttempts(ctx, challengeID, playerID)
}

// addChallenge stores a classic challenge on a 4×3 board with a 5 s game
// after a 1 s countdown,
// active from an hour before the harness clock for a day.
func (h *harness) addChallenge(id string, maxAttempts int, start time.Time) persistence.Challenge {
	h.t.Helper()
	rows, duration, countdown := 4, 5*time.Second, time.Second
	c, err := h.store.CreateChallenge(context.Background(), persistence.SystemActor("test"), persistence.Challenge{
		ID: id, Title: "Challenge " + id, Mode: "classic",
		Overrides: persistence.ModeUpdate{Rows: &rows, Duration: &duration, Countdown: &countdown},
		StartsAt:  start, EndsAt: start.Add(24 * time.Hour), MaxAttempts: maxAttempts, RewardTop: 1,
	})
	require.NoError(h.t, err)
	return c
}

// attempt sends a game:start for the challenge; it returns the session id.
func attempt(h *harness, p *probe, challengeID string) string {
	id := uuid.NewString()
	h.send(id, &protos.CreateSession{From: p.ref, RequestId: 1, MaxPlayers: 1, ChallengeId: challengeID})
	return id
}

// TestSession_ChallengeAttempt: a challenge game plays the challenge's
// rules, says how many attempts are left, reaches the challenge's board
// only (not the mode's daily, weekly, monthly or global boards), records
// the attempt's score and does not rate.
func TestSession_ChallengeAttempt(t *testing.T) {
	h := newChallengeHarness(t)
	now := h.clock.Now()
	h.addChallenge("weekend", 2, now.Add(-time.Hour))
	pl := h.createPlayer("device-challenge-" + uuid.NewString()[:6])
	p := h.newProbe(pl.ID, pl.Username)

	id := attempt(h, p, "weekend")
	ack := decode[events.SessionAck](t, p.next(events.TypeAck))
	left := 1
	require.Equal(t, events.SessionAck{SessionID: id, Mode: "classic", Board: events.Board{Rows: 4, Cols: 3}, DurationMs: 5000,
		Players: []string{pl.ID}, ChallengeID: "weekend", AttemptsLeft: &left, SeedCommitment: game.Commitment(id, h.seed)}, ack)
	require.Equal(t, 5*time.Second, finish(t, h, p, id))

	require.Eventually(t, func() bool { return len(h.rec.appliedTo("classic/challenge/weekend")) == 1 }, 5*time.Second, 5*time.Millisecond)
	require.Empty(t, boardOf(t, h, "classic"), "no global board")
	for key := range h.rec.applied {
		require.Equal(t, "classic/challenge/weekend", key)
	}
	var onChallenge persistence.Standing
	require.NoError(t, h.store.EachStanding(context.Background(),
		persistence.BoardKey{Mode: "classic", Board: "challenge", Period: "weekend"}, func(s persistence.Standing) error {
			onChallenge = s
			return nil
		}))
	require.EqualValues(t, 1, onChallenge.Score)
	// The attempt's replay is stored, and its hash reaches the challenge
	// board's frozen leaves (chain/merkle v2) like a ranked game's.
	packed, err := h.store.SessionReplay(context.Background(), id)
	require.NoError(t, err)
	replay, err := game.UnpackReplay(packed)
	require.NoError(t, err)
	require.Equal(t, replay.Hash(), hex.EncodeToString(onChallenge.ReplayHash))
	attempts, err := h.store.PlayerAttempts(context.Background(), "weekend", pl.ID)
	require.NoError(t, err)
	require.Len(t, attempts, 1)
	require.True(t, attempts[0].Finished)
	require.EqualValues(t, 1, attempts[0].Score)
	stored, err := h.store.Session(context.Background(), id)
	require.NoError(t, err)
	require.Equal(t, "weekend", stored.ChallengeID)
}

// TestSession_ChallengeRefusals: each way an attempt is refused reaches the
// client as its own code, and no session row is left behind.
func TestSession_ChallengeRefusals(t *testing.T) {
	h := newChallengeHarness(t)
	now := h.clock.Now()
	h.addChallenge("once", 1, now.Add(-time.Hour))
	h.addChallenge("later", 1, now.Add(time.Hour))
	pl := h.createPlayer("device-refusals-" + uuid.NewString()[:6])
	p := h.newProbe(pl.ID, pl.Username)
	first := attempt(h, p, "once")
	require.Equal(t, "once", decode[events.SessionAck](t, p.next(events.TypeAck)).ChallengeID)
	h.tick(first, time.Second)

	tests := []struct {
		name, challenge, code string
	}{
		{"used up", "once", events.CodeNoAttemptsLeft},
		{"not started", "later", events.CodeChallengeNotActive},
		{"unknown", "nope", events.CodeChallengeNotFound},
	}
	for _, tc := range tests {
		q := h.newProbe(pl.ID, pl.Username)
		id := attempt(h, q, tc.challenge)
		require.Equal(t, tc.code, decode[events.Error](t, q.next(events.TypeError)).Code, tc.name)
		_, err := h.store.Session(context.Background(), id)
		require.ErrorIs(t, err, persistence.ErrNotFound, tc.name)
	}
}

// TestSession_ChallengeResumesOnItsRules: a challenge game re-activated
// after its node stopped plays the challenge's rules, whatever the mode
// became since (not the mode's current rules, nor its kept version).
func TestSession_ChallengeResumesOnItsRules(t *testing.T) {
	flush := &Flush{}
	var h *harness
	h = newHarness(t, func(d *Deps) {
		d.Flush = flush
		d.Challenges = lazyChallenges{func() Challenges { return h.store }}
	})
	h.addChallenge("moved", 3, h.clock.Now().Add(-time.Hour))
	pl := h.createPlayer("device-moved-" + uuid.NewString()[:6])
	p := h.newProbe(pl.ID, pl.Username)
	id := attempt(h, p, "moved")
	require.Equal(t, events.Board{Rows: 4, Cols: 3}, decode[events.SessionAck](t, p.next(events.TypeAck)).Board)
	h.tick(id, time.Second)

	pid, err := h.dir.PID(context.Background(), "session", id)
	require.NoError(t, err)
	require.NoError(t, h.system.Root.StopFuture(pid).Wait())
	wait, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, flush.Wait(wait))
	five := 5
	_, err = h.store.UpdateMode(context.Background(), persistence.SystemActor("test"), "classic", persistence.ModeUpdate{Rows: &five, Cols: &five})
	require.NoError(t, err)

	h.send(id, &protos.JoinSession{From: p.ref, RequestId: 9, Resume: true})
	ack := decode[events.SessionAck](t, p.next(events.TypeAck))
	require.Equal(t, events.Board{Rows: 4, Cols: 3}, ack.Board, "the challenge's board, not the mode's")
	require.EqualValues(t, 5000, ack.DurationMs)
	require.Equal(t, "moved", ack.ChallengeID)
}
