package postgres_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
)

func TestStore_TakeUnalerted(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	ctx := context.Background()
	p, other := newGuest(t, s), newGuest(t, s)
	var ids []string
	for _, k := range []string{"1", "2", "3", "4"} {
		clk.Advance(time.Second)
		st, err := s.AddNotifications(ctx, []persistence.Notification{note(p.ID, k), note(other.ID, k)})
		require.NoError(t, err)
		ids = append(ids, st[0].ID)
	}
	require.NoError(t, s.MarkAlerted(ctx, []string{ids[1], "not-an-id"}), "a socket got 2")
	require.NoError(t, s.MarkNotificationRead(ctx, p.ID, ids[2]), "3 was read over REST")

	first, err := s.TakeUnalerted(ctx, p.ID, 1)
	require.NoError(t, err)
	require.Equal(t, []string{ids[0]}, noteIDs(first), "oldest first, bounded")
	rest, err := s.TakeUnalerted(ctx, p.ID, 10)
	require.NoError(t, err)
	require.Equal(t, []string{ids[3]}, noteIDs(rest), "neither alerted, read nor taken before")
	none, err := s.TakeUnalerted(ctx, p.ID, 10)
	require.NoError(t, err)
	require.Empty(t, none, "taken once")
	theirs, err := s.TakeUnalerted(ctx, other.ID, 10)
	require.NoError(t, err)
	require.Len(t, theirs, 4, "another player's are theirs")
}

func TestStore_TakeUnalerted_ConcurrentTakersSplit(t *testing.T) {
	t.Parallel()
	s, _, _ := newStore(t)
	ctx := context.Background()
	p := newGuest(t, s)
	var batch []persistence.Notification
	for _, k := range []string{"1", "2", "3", "4", "5", "6", "7", "8"} {
		batch = append(batch, note(p.ID, k))
	}
	_, err := s.AddNotifications(ctx, batch)
	require.NoError(t, err)
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			got, err := s.TakeUnalerted(ctx, p.ID, 8)
			require.NoError(t, err)
			mu.Lock()
			defer mu.Unlock()
			for _, n := range got {
				seen[n.ID]++
			}
		})
	}
	wg.Wait()
	require.Len(t, seen, 8, "every notification sent")
	for id, n := range seen {
		require.Equal(t, 1, n, "notification %s sent by one taker only", id)
	}
}

func noteIDs(ns []persistence.Notification) []string {
	out := []string{}
	for _, n := range ns {
		out = append(out, n.ID)
	}
	return out
}

func TestStore_SetPlayerLanguage_ReachesEmailRecipients(t *testing.T) {
	t.Parallel()
	s, _, url := newStore(t)
	ctx := context.Background()
	p := newGuest(t, s)
	db, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close(ctx) })
	_, err = db.Exec(ctx, `INSERT INTO account_credentials (player_id, email, password_hash, email_verified_at)
		VALUES ($1, 'lang@example.com', repeat('x', 60), now())`, p.ID)
	require.NoError(t, err)
	require.NoError(t, s.SetNotificationPreferences(ctx, p.ID, []persistence.NotificationPreference{
		{Kind: persistence.KindBadgeAwarded, InApp: true, Email: true}}))
	language := func() string {
		to, err := s.EmailRecipients(ctx, []string{p.ID}, persistence.KindBadgeAwarded)
		require.NoError(t, err)
		require.Len(t, to, 1)
		return to[0].Language
	}
	require.Empty(t, language(), "never set: the default")
	require.NoError(t, s.SetPlayerLanguage(ctx, p.ID, "es"))
	require.Equal(t, "es", language())
	require.NoError(t, s.SetPlayerLanguage(ctx, p.ID, ""), "nothing to record")
	require.Equal(t, "es", language())
}
