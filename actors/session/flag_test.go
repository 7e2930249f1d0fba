package session

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/persistence"
)

// TestSession_MatchFlagsOnlyTheCheater: bob whacks faster than any human
// in a match; his result is held with an open flag and its evidence, while
// alice's reaches the live boards, the store's and the game.finished row.
func TestSession_MatchFlagsOnlyTheCheater(t *testing.T) {
	h := newHarness(t)
	alice, bob := h.createPlayer("device-flag-alice"), h.createPlayer("device-flag-bob01")
	pa, pb := h.newProbe(alice.ID, alice.Username), h.newProbe(bob.ID, bob.Username)
	id := uuid.NewString()
	h.send(id, &protos.CreateSession{From: pa.ref, RequestId: 1, Mode: "classic", MaxPlayers: 2})
	pa.next(events.TypeAck)
	h.send(id, &protos.JoinSession{From: pb.ref, RequestId: 2})
	pb.next(events.TypeAck)
	// The countdown starts once the match's start is stored; a tick before
	// that finds nothing to advance.
	for _, p := range []*probe{pa, pb} {
		countdownOf(t, p)
	}
	h.tick(id, 3*time.Second)
	mole := decode[events.Mole](t, pa.next(events.TypeMole))

	h.clock.Advance(50 * time.Millisecond) // minus the 40 ms RTT: 10 ms, no human is that fast
	pb.whack(id, 10, mole.Hole, mole.MoleID)
	require.Equal(t, "too_fast", decode[events.Miss](t, pb.next(events.TypeMiss)).Reason)
	h.clock.Advance(250 * time.Millisecond)
	pa.whack(id, 11, mole.Hole, mole.MoleID)
	pa.next(events.TypeHit)
	h.tick(id, 31*time.Second)
	over := decode[events.Over](t, pa.next(events.TypeOver))
	require.True(t, over.Flagged, "game:over says the game holds a flagged result")

	require.Eventually(t, func() bool { return len(h.rec.appliedTo("classic/global/all")) == 1 }, 5*time.Second, 5*time.Millisecond)
	require.Equal(t, alice.ID, h.rec.appliedTo("classic/global/all")[0].PlayerID, "only the honest player reaches the live board")
	stored, err := h.store.Session(context.Background(), id)
	require.NoError(t, err)
	require.True(t, stored.Flagged)
	for _, r := range stored.Results {
		require.Equal(t, r.PlayerID == bob.ID, r.Flagged, r.PlayerID)
	}
	page, err := h.store.ListFlags(context.Background(), persistence.FlagQuery{Status: persistence.FlagOpen, Limit: 5})
	require.NoError(t, err)
	require.Len(t, page.Flags, 1)
	require.Equal(t, bob.ID, page.Flags[0].PlayerID)
	require.Equal(t, map[string]int{"too_fast": 1}, page.Flags[0].Evidence.Reasons)
	require.Len(t, page.Flags[0].Evidence.Reactions, 10)

	var payload struct {
		Flagged        bool
		Players        []struct{ PlayerID string }
		FlaggedPlayers []string
	}
	require.NoError(t, json.Unmarshal(finishedRow(t, h, id), &payload))
	require.False(t, payload.Flagged)
	require.Len(t, payload.Players, 1)
	require.Equal(t, alice.ID, payload.Players[0].PlayerID)
	require.Equal(t, []string{bob.ID}, payload.FlaggedPlayers)
}

// finishedRow reads the game.finished payload the session's commit wrote.
func finishedRow(t *testing.T, h *harness, id string) []byte {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), h.dbURL)
	require.NoError(t, err)
	defer func() { _ = conn.Close(context.Background()) }()
	var payload []byte
	require.NoError(t, conn.QueryRow(context.Background(), `SELECT payload FROM outbox WHERE topic = 'game.finished' AND key = $1`, id).Scan(&payload))
	return payload
}

// playSteadyBot plays a started classic game as a bot that whacks the
// first whacked moles 180 ms after they show, never missing, and lets the
// rest go by; it returns the game:over.
func playSteadyBot(t *testing.T, h *harness, p *probe, id string, whacked int64) events.Over {
	t.Helper()
	for i := int64(0); i < 30; i++ {
		mole := decode[events.Mole](t, p.next(events.TypeMole))
		if i >= whacked {
			h.tick(id, time.Second)
			continue
		}
		h.clock.Advance(180 * time.Millisecond)
		p.whack(id, 100+i, mole.Hole, mole.MoleID)
		p.next(events.TypeHit)
		h.tick(id, time.Second-180*time.Millisecond)
	}
	return decode[events.Over](t, p.next(events.TypeOver))
}

// TestSession_BotIsHeldOnItsRecentGames: a bot that wins too few moles in
// a game for that game alone to say anything (15, the rule needs 20) is
// judged on its recent games together: its first game counts, its second
// is held with the pooled findings (rule recent), and each game's counts
// are stored for the next.
func TestSession_BotIsHeldOnItsRecentGames(t *testing.T) {
	h := newHarness(t)
	pl := h.createPlayer("device-sparse-bot")
	p := h.newProbe(pl.ID, pl.Username)
	first := playSteadyBot(t, h, p, startSolo(t, h, p), 15)
	require.False(t, first.Flagged, "15 won moles alone prove nothing")
	recent, err := h.store.RecentPlay(context.Background(), []string{pl.ID}, 9)
	require.NoError(t, err)
	require.Equal(t, []persistence.RecentPlay{{Spread: persistence.Spread{Samples: 15, InBand: 15}, Hits: 15}}, recent[pl.ID])

	second := playSteadyBot(t, h, p, startSolo(t, h, p), 15)
	require.True(t, second.Flagged, "30 won moles over two games do")
	page, err := h.store.ListFlags(context.Background(), persistence.FlagQuery{Status: persistence.FlagOpen, Limit: 5})
	require.NoError(t, err)
	require.Len(t, page.Flags, 1)
	c := page.Flags[0].Evidence.Consistency
	require.Equal(t, "recent", c.Rule)
	require.Equal(t, 15, c.Samples)
	require.Equal(t, &persistence.RecentConsistency{Games: 2, Samples: 30, BandShare: 1, Tail: c.Recent.Tail, Accuracy: 1, FlawlessStreak: 2},
		c.Recent)
	require.InDelta(t, 1.0/(1<<30), c.Recent.Tail, 1e-15)
}

// TestSession_ConsistentBotIsHeldForReview: a bot that whacks every mole
// 180 ms after it shows, never missing, breaks no per-whack rule, yet its
// result is held with an open suspicious_consistency flag and the
// detector's findings, and reaches no board.
func TestSession_ConsistentBotIsHeldForReview(t *testing.T) {
	h := newHarness(t)
	pl := h.createPlayer("device-steady-bot")
	p := h.newProbe(pl.ID, pl.Username)
	id := startSolo(t, h, p)
	over := playSteadyBot(t, h, p, id, 30)
	require.True(t, over.Flagged)
	require.Equal(t, []events.Result{{PlayerID: pl.ID, Score: 30, Hits: 30}}, over.Results)

	stored, err := h.store.Session(context.Background(), id)
	require.NoError(t, err)
	require.True(t, stored.Flagged)
	require.Len(t, stored.Results, 1)
	require.True(t, stored.Results[0].Flagged)
	require.Zero(t, stored.Results[0].Flags, "no whack broke a rule")
	page, err := h.store.ListFlags(context.Background(), persistence.FlagQuery{Status: persistence.FlagOpen, Limit: 5})
	require.NoError(t, err)
	require.Len(t, page.Flags, 1)
	ev := page.Flags[0].Evidence
	require.Equal(t, pl.ID, page.Flags[0].PlayerID)
	require.Equal(t, map[string]int{"suspicious_consistency": 1}, ev.Reasons)
	// 180 ms after the spawn minus the 40 ms RTT allowance.
	require.Equal(t, &persistence.ConsistencyEvidence{Samples: 30, MedianMs: 140, BandMs: 75, BandShare: 1,
		Tail: ev.Consistency.Tail, Accuracy: 1, Rule: "game", Recent: &persistence.RecentConsistency{
			Games: 1, Samples: 30, BandShare: 1, Tail: ev.Consistency.Tail, Accuracy: 1, FlawlessStreak: 1}}, ev.Consistency)
	require.InDelta(t, 1.0/(1<<30), ev.Consistency.Tail, 1e-15, "a human would do so with chance 2^-30")
	require.EqualValues(t, 30, ev.Hits)
	found := false
	require.NoError(t, h.store.EachStanding(context.Background(), persistence.BoardKey{Mode: "classic", Board: "global", Period: "all"}, func(persistence.Standing) error {
		found = true
		return nil
	}))
	require.False(t, found, "a held result reaches no leaderboard")
	var payload struct{ FlaggedPlayers []string }
	require.NoError(t, json.Unmarshal(finishedRow(t, h, id), &payload))
	require.Equal(t, []string{pl.ID}, payload.FlaggedPlayers)
}

// unreadableRecentPlay is a store whose recent-play read fails, as one
// does when Postgres is briefly unreachable at the end of a game.
type unreadableRecentPlay struct{ Store }

func (unreadableRecentPlay) RecentPlay(context.Context, []string, int) (map[string][]persistence.RecentPlay, error) {
	return nil, errors.New("recent play: connection refused")
}

// TestSession_RecentPlayUnreadJudgesTheGameAlone: a failed read of the
// recent games does not hold the result back: the game is judged alone
// (and a bot's still held) and committed.
func TestSession_RecentPlayUnreadJudgesTheGameAlone(t *testing.T) {
	h := newHarness(t, func(d *Deps) { d.Store = unreadableRecentPlay{d.Store} })
	pl := h.createPlayer("device-unread-bot")
	p := h.newProbe(pl.ID, pl.Username)
	id := startSolo(t, h, p)
	over := playSteadyBot(t, h, p, id, 30)
	require.True(t, over.Flagged, "the one-game rule still holds it")
	stored, err := h.store.Session(context.Background(), id)
	require.NoError(t, err)
	require.Equal(t, persistence.StateFinished, stored.State, "committed")
	page, err := h.store.ListFlags(context.Background(), persistence.FlagQuery{Status: persistence.FlagOpen, Limit: 5})
	require.NoError(t, err)
	require.Len(t, page.Flags, 1)
	require.Equal(t, "game", page.Flags[0].Evidence.Consistency.Rule)
	require.Equal(t, 1, page.Flags[0].Evidence.Consistency.Recent.Games, "no history was read")
}
