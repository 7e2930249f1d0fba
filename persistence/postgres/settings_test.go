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
	ctx := context.Background()

	row, err := s.LoadSettings(ctx)
	require.NoError(t, err)
	require.Equal(t, int64(0), row.Version)
	require.JSONEq(t, `{}`, string(row.Overrides))

	doc := `{"maintenance":{"enabled":true}}`
	row, err = s.UpdateSettings(ctx, 0, admin.ID, func(cur persistence.StoredSettings) ([]byte, error) {
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

	_, err = s.UpdateSettings(ctx, 0, admin.ID, func(persistence.StoredSettings) ([]byte, error) { return []byte(`{}`), nil })
	require.ErrorIs(t, err, persistence.ErrConflict)
	refused := errors.New("refused")
	_, err = s.UpdateSettings(ctx, -1, admin.ID, func(persistence.StoredSettings) ([]byte, error) { return nil, refused })
	require.ErrorIs(t, err, refused)
	loaded, err = s.LoadSettings(ctx)
	require.NoError(t, err)
	require.Equal(t, int64(1), loaded.Version)
	require.JSONEq(t, doc, string(loaded.Overrides))
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
			_, err := s.UpdateSettings(context.Background(), -1, "", func(cur persistence.StoredSettings) ([]byte, error) {
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
