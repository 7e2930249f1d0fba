package award_test

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/badges/award"
	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
	"github.com/proofstell/proofstell/persistence/postgres/pgtest"
)

func TestNewlyMet(t *testing.T) {
	t.Parallel()
	a, b, c := persistence.Badge{ID: "a"}, persistence.Badge{ID: "b"}, persistence.Badge{ID: "c"}
	got := award.NewlyMet([]award.Standing{{Badge: a, Met: true}, {Badge: b, Met: true}, {Badge: c}},
		map[string]bool{"b": true})
	require.Equal(t, []persistence.Badge{a}, got)
}

// openStore is a real store on a fresh database.
func openStore(t *testing.T) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(t.Context(), config.Database{URL: pgtest.NewDatabase(t), MaxConns: 4},
		func() time.Time { return time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC) })
	require.NoError(t, err)
	t.Cleanup(s.Close)
	return s
}

// play commits a finished, perfect solo classic game of player.
func play(t *testing.T, s *postgres.Store, player persistence.Player, score int64, end time.Time) {
	t.Helper()
	ss := persistence.Session{ID: uuid.NewString(), Mode: "classic", Kind: persistence.KindSolo, MaxPlayers: 1,
		CreatorID: player.ID, PlayerIDs: []string{player.ID}, State: persistence.StateRunning, Seed: 1,
		CreatedAt: end.Add(-time.Minute)}
	require.NoError(t, s.CreateSession(t.Context(), ss))
	_, err := s.CommitResults(t.Context(), []persistence.GameResult{{SessionID: ss.ID, Epoch: 1,
		State: persistence.StateFinished, StartedAt: end.Add(-30 * time.Second), EndedAt: end,
		Players: []persistence.PlayerResult{{PlayerID: player.ID, Username: player.Username, Score: score,
			Hits: int(score), ReachedAt: end}}}})
	require.NoError(t, err)
}

func slugs(awards []award.Award) []string {
	out := make([]string, 0, len(awards))
	for _, a := range awards {
		out = append(out, a.PlayerID[:8]+":"+a.Badge.Slug)
	}
	sort.Strings(out)
	return out
}

func TestEvaluatePlayers_AwardsOnceAgainstRealStore(t *testing.T) {
	t.Parallel()
	s := openStore(t)
	ctx := context.Background()
	p, _, err := s.GuestByDevice(ctx, "device-"+uuid.NewString())
	require.NoError(t, err)
	idle, _, err := s.GuestByDevice(ctx, "device-"+uuid.NewString())
	require.NoError(t, err)
	play(t, s, p, 31, time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC))

	awards, err := award.EvaluatePlayers(ctx, s, []string{p.ID, idle.ID},
		map[string]map[string]int64{p.ID: {"classic/daily": 10}, idle.ID: {"classic/daily": 11}})
	require.NoError(t, err)
	pre := p.ID[:8] + ":"
	require.Equal(t, []string{pre + "classic-30", pre + "daily-top-10", pre + "first-game", pre + "perfect-game"},
		slugs(awards))

	again, err := award.EvaluatePlayers(ctx, s, []string{p.ID, idle.ID}, nil)
	require.NoError(t, err)
	require.Empty(t, again, "a replayed evaluation awards nothing twice")
	held, err := s.PlayerBadges(ctx, p.ID)
	require.NoError(t, err)
	require.Len(t, held, 4)
	require.Equal(t, persistence.SourceAuto, held[0].Source)
}
