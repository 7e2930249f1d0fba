package badges_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/badges"
	"github.com/proofstell/proofstell/actors/badges/criteria"
	"github.com/proofstell/proofstell/actors/leaderboard/standings"
	"github.com/proofstell/proofstell/persistence"
)

// freeze stores the closed period of board with players ranked in order,
// the way the scheduler does (SavePeriodRoot writes the period.frozen row).
func (e *env) freeze(t *testing.T, board, period string, players []persistence.Player) {
	t.Helper()
	e.freezeMode(t, "classic", board, period, players)
}

// freezeMode is freeze for mode's board.
func (e *env) freezeMode(t *testing.T, mode, board, period string, players []persistence.Player) {
	t.Helper()
	lease, err := e.store.AcquireLease(t.Context(), persistence.SchedulerLease, "node-a", time.Hour)
	require.NoError(t, err)
	st := make([]persistence.PeriodStanding, len(players))
	for i, p := range players {
		st[i] = persistence.PeriodStanding{Rank: i + 1, PlayerID: p.ID, Score: int64(1000 - i), AchievedAt: e.clock.Now()}
	}
	root := persistence.PeriodRoot{Mode: mode, Board: board, Period: period, Root: "0xabc", LeafCount: len(st)}
	saved, err := e.store.SavePeriodRoot(t.Context(), root, st, lease.Holder, lease.Epoch)
	require.NoError(t, err)
	require.True(t, saved)
}

// guests creates n players without wallets.
func (e *env) guests(t *testing.T, n int) []persistence.Player {
	t.Helper()
	out := make([]persistence.Player, n)
	for i := range out {
		out[i] = e.guest(t, false)
	}
	return out
}

// enqueue writes one outbox row of topic with payload, through a committed
// game that carries no other row.
func (e *env) enqueue(t *testing.T, topic string, payload []byte) {
	t.Helper()
	p := e.guest(t, false)
	end := e.clock.Now()
	ss := persistence.Session{ID: uuid.NewString(), Mode: "classic", Kind: persistence.KindSolo, MaxPlayers: 1,
		CreatorID: p.ID, PlayerIDs: []string{p.ID}, State: persistence.StateRunning, Seed: 1, CreatedAt: end.Add(-time.Minute)}
	require.NoError(t, e.store.CreateSession(t.Context(), ss))
	_, err := e.store.CommitResults(t.Context(), []persistence.GameResult{{SessionID: ss.ID, Epoch: 1,
		State: persistence.StateFinished, StartedAt: end.Add(-30 * time.Second), EndedAt: end,
		Players: []persistence.PlayerResult{{PlayerID: p.ID, Username: p.Username, ReachedAt: end}},
		Outbox:  []persistence.OutboxMessage{{Topic: topic, Key: ss.ID, Payload: payload}}}})
	require.NoError(t, err)
}

// TestWorker_Drain_AwardsRankBadgesOfAFrozenPeriod: ranks 1..10 of a frozen
// daily period earn daily-top-10, ranks 11 and 12 do not; a crash before
// completion redelivers the row, which then awards and announces nothing
// twice.
func TestWorker_Drain_AwardsRankBadgesOfAFrozenPeriod(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	linked := e.guest(t, true)
	players := append([]persistence.Player{linked}, e.guests(t, 11)...)
	e.freeze(t, "daily", "2026-11-23", players)

	_, err := e.worker(crashingStore{e.store}, nil).Drain(t.Context())
	require.ErrorContains(t, err, "node died")
	want := make([]string, 0, 10)
	for _, p := range players[:10] {
		want = append(want, "player:"+p.ID+" badge:awarded Daily Top Ten/epic")
	}
	require.ElementsMatch(t, want, e.pub.names(), "one announcement per top-10 player")

	w := e.worker(nil, nil)
	e.clock.Advance(lease + time.Second)
	n, err := w.Drain(t.Context())
	require.NoError(t, err)
	require.Equal(t, 1, n, "the redelivered row is re-evaluated and completed")
	require.ElementsMatch(t, want, e.pub.names(), "nothing announced twice")
	for i, p := range players {
		if i < 10 {
			require.Equal(t, []string{"daily-top-10"}, e.heldSlugs(t, p.ID), "rank %d", i+1)
		} else {
			require.Empty(t, e.heldSlugs(t, p.ID), "rank %d", i+1)
		}
	}
	require.Equal(t, 1, e.mintCount(t, linked.ID), "daily-top-10 is mintable and rank 1 has a wallet")

	e.clock.Advance(2 * lease)
	n, err = w.Drain(t.Context())
	require.NoError(t, err)
	require.Zero(t, n, "a completed row is not claimed again")
}

// TestWorker_Drain_SkipsBoardsWithoutRankBadge: no active badge ranks the
// weekly board, so its period is completed without reading standings.
func TestWorker_Drain_SkipsBoardsWithoutRankBadge(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	players := e.guests(t, 3)
	e.freeze(t, "weekly", "2026-W47", players)
	skipped := testutil.ToFloat64(badges.Processed.WithLabelValues(badges.TopicPeriodFrozen, "skipped"))

	n, err := e.worker(nil, nil).Drain(t.Context())
	require.NoError(t, err)
	require.Equal(t, 1, n, "the row is done with")
	require.Equal(t, skipped+1, testutil.ToFloat64(badges.Processed.WithLabelValues(badges.TopicPeriodFrozen, "skipped")))
	require.Empty(t, e.pub.names())
	for _, p := range players {
		require.Empty(t, e.heldSlugs(t, p.ID))
	}
}

func TestWorker_Drain_CompletesMalformedPeriodRows(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	payloads := []string{`not json`, `{"period":"2026-11-23","leafCount":3}`, `{"board":"daily","leafCount":3}`}
	for _, p := range payloads {
		e.enqueue(t, badges.TopicPeriodFrozen, []byte(p))
	}
	malformed := testutil.ToFloat64(badges.Processed.WithLabelValues(badges.TopicPeriodFrozen, "malformed"))

	n, err := e.worker(nil, nil).Drain(t.Context())
	require.NoError(t, err)
	require.Equal(t, len(payloads), n, "every row is completed")
	require.Equal(t, malformed+float64(len(payloads)),
		testutil.ToFloat64(badges.Processed.WithLabelValues(badges.TopicPeriodFrozen, "malformed")))
	require.Empty(t, e.pub.names())
}

func TestWorstRank(t *testing.T) {
	t.Parallel()
	require.Equal(t, standings.DefaultMode, criteria.DefaultRankMode, "a board_rank without mode names the default boards")
	badge := func(c string) persistence.Badge { return persistence.Badge{Criteria: json.RawMessage(c)} }
	rank := func(board string, n int64) persistence.Badge {
		return badge(fmt.Sprintf(`{"kind":"board_rank","n":%d,"board":%q}`, n, board))
	}
	catalogue := []persistence.Badge{
		rank("daily", 10), rank("daily", 3), rank("weekly", 100), rank("monthly", 1_000_000_000_000),
		badge(`{"kind":"board_rank","n":50,"board":"daily","extra":1}`), // no longer decodes
		badge(`{"kind":"games_played","n":500}`),
		badge(`{"kind":"board_rank","n":25,"board":"daily","mode":"frenzy"}`),
		badge(`{"kind":"board_rank","n":5,"board":"weekly","mode":"classic"}`),
	}
	tests := []struct {
		mode, board string
		want        int
	}{
		{mode: "classic", board: "daily", want: 10},
		{mode: "classic", board: "weekly", want: 100},
		{mode: "classic", board: "monthly", want: 1<<31 - 1},
		{mode: "classic", board: "global", want: 0},
		{mode: "frenzy", board: "daily", want: 25},
		{mode: "frenzy", board: "weekly", want: 0},
	}
	for _, tc := range tests {
		t.Run(tc.mode+"/"+tc.board, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, badges.WorstRank(catalogue, tc.mode, tc.board))
		})
	}
}

// TestWorker_Drain_RankBadgesPerMode: a frenzy daily winner earns the
// frenzy board's rank badge and not classic's, a classic one the reverse;
// a challenge's frozen board earns no board_rank badge (its rewards come
// with challenge.ended), even one naming the challenge board.
func TestWorker_Drain_RankBadgesPerMode(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, b := range []struct{ slug, criteria string }{
		{"frenzy-daily-podium", `{"kind":"board_rank","n":3,"board":"daily","mode":"frenzy"}`},
		{"challenge-rank", `{"kind":"board_rank","n":3,"board":"challenge","mode":"frenzy"}`},
	} {
		_, err := e.store.CreateBadge(t.Context(), persistence.SystemActor("test"), persistence.Badge{Slug: b.slug, Name: b.slug, Description: "d",
			Icon: "i.svg", Rarity: persistence.RarityRare, Points: 5, Category: "test", Active: true,
			Criteria: json.RawMessage(b.criteria)})
		require.NoError(t, err)
	}
	frenzy, classic, challengers := e.guests(t, 4), e.guests(t, 2), e.guests(t, 2)
	e.freezeMode(t, "frenzy", "daily", "2026-11-23", frenzy)
	e.freeze(t, "daily", "2026-11-23", classic)
	e.freezeMode(t, "frenzy", "challenge", "weekend-frenzy", challengers)
	skipped := testutil.ToFloat64(badges.Processed.WithLabelValues(badges.TopicPeriodFrozen, "skipped"))

	n, err := e.worker(nil, nil).Drain(t.Context())
	require.NoError(t, err)
	require.Equal(t, 3, n)
	for i, p := range frenzy {
		if i < 3 {
			require.Equal(t, []string{"frenzy-daily-podium"}, e.heldSlugs(t, p.ID), "frenzy rank %d", i+1)
		} else {
			require.Empty(t, e.heldSlugs(t, p.ID), "frenzy rank %d", i+1)
		}
	}
	for i, p := range classic {
		require.Equal(t, []string{"daily-top-10"}, e.heldSlugs(t, p.ID), "classic rank %d", i+1)
	}
	for _, p := range challengers {
		require.Empty(t, e.heldSlugs(t, p.ID), "a challenge board earns no board_rank badge")
	}
	require.Equal(t, skipped+1, testutil.ToFloat64(badges.Processed.WithLabelValues(badges.TopicPeriodFrozen, "skipped")))
}
