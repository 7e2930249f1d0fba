package postgres_test

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
)

// TestStore_SettingsRoundTrip: the row exists from the start at version 0;
// each update stores the edit's document, increments the version and names
// its author; a stale expected version is a conflict and changes nothing;
// an edit's error aborts the write.
func TestStore_SettingsRoundTrip(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	admin := newGuest(t, s)
	by := persistence.StaffActor(admin.ID, persistence.RoleAdmin, "203.0.113.9", "req-settings")
	ctx := context.Background()

	row, err := s.LoadSettings(ctx)
	require.NoError(t, err)
	require.Equal(t, int64(0), row.Version)
	require.JSONEq(t, `{}`, string(row.Overrides))

	doc := `{"maintenance":{"enabled":true}}`
	row, err = s.UpdateSettings(ctx, by, 0, func(cur persistence.StoredSettings) ([]byte, error) {
		require.Equal(t, int64(0), cur.Version)
		return []byte(doc), nil
	})
	require.NoError(t, err)
	require.Equal(t, int64(1), row.Version)
	require.Equal(t, admin.ID, row.UpdatedBy)
	require.True(t, row.UpdatedAt.Equal(clk.Now()))

	loaded, err := s.LoadSettings(ctx)
	require.NoError(t, err)
	require.JSONEq(t, doc, string(loaded.Overrides))
	v, err := s.SettingsVersion(ctx)
	require.NoError(t, err)
	require.Equal(t, int64(1), v)

	_, err = s.UpdateSettings(ctx, by, 0, func(persistence.StoredSettings) ([]byte, error) { return []byte(`{}`), nil })
	require.ErrorIs(t, err, persistence.ErrConflict)
	refused := errors.New("refused")
	_, err = s.UpdateSettings(ctx, by, -1, func(persistence.StoredSettings) ([]byte, error) { return nil, refused })
	require.ErrorIs(t, err, refused)
	loaded, err = s.LoadSettings(ctx)
	require.NoError(t, err)
	require.Equal(t, int64(1), loaded.Version)
	require.JSONEq(t, doc, string(loaded.Overrides))

	_, err = s.UpdateSettings(ctx, by, -1, func(persistence.StoredSettings) ([]byte, error) { return []byte(`{}`), nil })
	require.NoError(t, err)
	page, err := s.ListAudit(ctx, persistence.AuditQuery{Limit: 10})
	require.NoError(t, err)
	var actions []string
	for _, e := range page.Entries {
		actions = append(actions, e.Action)
		require.Equal(t, admin.ID, e.Actor.PlayerID)
		require.Equal(t, "req-settings", e.Actor.RequestID)
	}
	require.Equal(t, []string{"maintenance.end", "settings.update", "maintenance.start", "settings.update"}, actions,
		"each write is audited, newest first, with the maintenance switch; the refused ones are not")
	require.JSONEq(t, doc, string(page.Entries[1].Before))
	require.JSONEq(t, `{}`, string(page.Entries[1].After))
	_, err = s.UpdateSettings(ctx, persistence.AuditActor{}, -1, func(persistence.StoredSettings) ([]byte, error) { return []byte(`{}`), nil })
	require.ErrorIs(t, err, persistence.ErrNoActor, "an unaudited write is refused")
}

// TestStore_SettingsUpdatesSerialize: concurrent unconditional updates
// each see the previous one's row, so none is lost.
func TestStore_SettingsUpdatesSerialize(t *testing.T) {
	t.Parallel()
	s, _, _ := newStore(t)
	const writers = 8
	var wg sync.WaitGroup
	for range writers {
		wg.Go(func() {
			_, err := s.UpdateSettings(context.Background(), persistence.SystemActor("test"), -1, func(cur persistence.StoredSettings) ([]byte, error) {
				return []byte(`{"rateLimits":{"user":` + strconv.FormatInt(cur.Version+1, 10) + `}}`), nil
			})
			require.NoError(t, err)
		})
	}
	wg.Wait()
	row, err := s.LoadSettings(context.Background())
	require.NoError(t, err)
	require.Equal(t, int64(writers), row.Version)
	require.JSONEq(t, `{"rateLimits":{"user":`+strconv.Itoa(writers)+`}}`, string(row.Overrides))
}
