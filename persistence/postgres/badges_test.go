package postgres_test

import (
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
)

// newBadge is a valid catalogue entry with a unique slug.
func newBadge(slug string) persistence.Badge {
	return persistence.Badge{Slug: slug, Name: "Badge " + slug, Description: "d", Icon: "i.svg",
		Rarity: persistence.RarityRare, Points: 5, Category: "test", Active: true, Mintable: true,
		Criteria: json.RawMessage(`{"kind":"games_played","n":3}`)}
}

func TestStore_Badges_SeededDefaults(t *testing.T) {
	t.Parallel()
	s, _, _ := newStore(t)
	all, err := s.Badges(ctxT(t), true)
	require.NoError(t, err)
	slugs := map[string]string{}
	for _, b := range all {
		slugs[b.Slug] = string(b.Criteria)
	}
	for slug, kind := range map[string]string{"first-game": "first_game", "classic-30": "single_game_score",
		"games-100": "games_played", "streak-7": "daily_streak", "daily-top-10": "board_rank",
		"match-won": "matches_won", "perfect-game": "perfect_game"} {
		require.Contains(t, slugs, slug)
		require.Contains(t, slugs[slug], `"kind": "`+kind+`"`)
	}
}

func TestStore_Badge_CRUD(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	ctx := ctxT(t)
	b, err := s.CreateBadge(ctx, persistence.SystemActor("test"), newBadge("crud"))
	require.NoError(t, err)
	require.NotEmpty(t, b.ID)
	require.Equal(t, clk.Now().Truncate(time.Microsecond), b.CreatedAt)
	got, err := s.Badge(ctx, b.ID)
	require.NoError(t, err)
	require.Equal(t, b, got)
	require.JSONEq(t, `{"kind":"games_played","n":3}`, string(got.Criteria))

	_, err = s.CreateBadge(ctx, persistence.SystemActor("test"), newBadge("crud"))
	require.ErrorIs(t, err, persistence.ErrConflict, "slug is unique")

	clk.Advance(time.Minute)
	name, inactive, epic := "Renamed", false, persistence.RarityEpic
	up, err := s.UpdateBadge(ctx, persistence.SystemActor("test"), b.ID, persistence.BadgeUpdate{Name: &name, Active: &inactive, Rarity: &epic,
		Criteria: json.RawMessage(`{"kind":"first_game"}`)})
	require.NoError(t, err)
	require.Equal(t, "Renamed", up.Name)
	require.False(t, up.Active)
	require.Equal(t, persistence.RarityEpic, up.Rarity)
	require.Equal(t, b.Description, up.Description, "unset fields stay")
	require.Equal(t, clk.Now().Truncate(time.Microsecond), up.UpdatedAt)
	require.JSONEq(t, `{"kind":"first_game"}`, string(up.Criteria))

	active, err := s.Badges(ctx, true)
	require.NoError(t, err)
	for _, x := range active {
		require.NotEqual(t, b.ID, x.ID, "inactive badges are hidden")
	}
	everything, err := s.Badges(ctx, false)
	require.NoError(t, err)
	require.Len(t, everything, len(active)+1)

	require.NoError(t, s.DeleteBadge(ctx, persistence.SystemActor("test"), b.ID))
	_, err = s.Badge(ctx, b.ID)
	require.ErrorIs(t, err, persistence.ErrNotFound)
	require.ErrorIs(t, s.DeleteBadge(ctx, persistence.SystemActor("test"), b.ID), persistence.ErrNotFound)
	_, err = s.UpdateBadge(ctx, persistence.SystemActor("test"), b.ID, persistence.BadgeUpdate{Name: &name})
	require.ErrorIs(t, err, persistence.ErrNotFound)
	_, err = s.Badge(ctx, "not-a-uuid")
	require.ErrorIs(t, err, persistence.ErrNotFound)
}

func TestStore_AwardBadge(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	ctx := ctxT(t)
	p := newGuest(t, s)
	b, err := s.CreateBadge(ctx, persistence.SystemActor("test"), newBadge("award"))
	require.NoError(t, err)

	awarded, err := s.AwardBadge(ctx, p.ID, b.ID, persistence.SourceAuto)
	require.NoError(t, err)
	require.True(t, awarded)
	first := clk.Now().Truncate(time.Microsecond)
	clk.Advance(time.Hour)
	awarded, err = s.AwardBadge(ctx, p.ID, b.ID, persistence.SourceAdmin)
	require.NoError(t, err)
	require.False(t, awarded, "one award per player and badge")

	held, err := s.PlayerBadges(ctx, p.ID)
	require.NoError(t, err)
	require.Len(t, held, 1)
	require.Equal(t, b.ID, held[0].Badge.ID)
	require.Equal(t, first, held[0].AwardedAt, "the original award stays")
	require.Equal(t, persistence.SourceAuto, held[0].Source)

	_, err = s.AwardBadge(ctx, uuid.NewString(), b.ID, persistence.SourceAdmin)
	require.ErrorIs(t, err, persistence.ErrNotFound, "unknown player")
	_, err = s.AwardBadge(ctx, p.ID, uuid.NewString(), persistence.SourceAdmin)
	require.ErrorIs(t, err, persistence.ErrNotFound, "unknown badge")

	require.NoError(t, s.RevokeBadge(ctx, persistence.SystemActor("test"), p.ID, b.ID))
	require.ErrorIs(t, s.RevokeBadge(ctx, persistence.SystemActor("test"), p.ID, b.ID), persistence.ErrNotFound)
	held, err = s.PlayerBadges(ctx, p.ID)
	require.NoError(t, err)
	require.Empty(t, held)
}

func TestStore_AwardBadge_Concurrent(t *testing.T) {
	t.Parallel()
	s, _, _ := newStore(t)
	p := newGuest(t, s)
	b, err := s.CreateBadge(ctxT(t), persistence.SystemActor("test"), newBadge("race"))
	require.NoError(t, err)
	const n = 8
	results := make([]bool, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := s.AwardBadge(ctxT(t), p.ID, b.ID, persistence.SourceAuto)
			require.NoError(t, err)
			results[i] = ok
		}()
	}
	wg.Wait()
	wins := 0
	for _, ok := range results {
		if ok {
			wins++
		}
	}
	require.Equal(t, 1, wins)
}

func TestStore_DeleteBadge_RemovesAwards(t *testing.T) {
	t.Parallel()
	s, _, _ := newStore(t)
	ctx := ctxT(t)
	p := newGuest(t, s)
	b, err := s.CreateBadge(ctx, persistence.SystemActor("test"), newBadge("gone"))
	require.NoError(t, err)
	_, err = s.AwardBadge(ctx, p.ID, b.ID, persistence.SourceAdmin)
	require.NoError(t, err)
	require.NoError(t, s.DeleteBadge(ctx, persistence.SystemActor("test"), b.ID))
	held, err := s.PlayerBadges(ctx, p.ID)
	require.NoError(t, err)
	require.Empty(t, held)
}
