package postgres_test

import (
	"regexp"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
)

var guestNamePattern = regexp.MustCompile(`^mole_[a-z0-9]{6}$`)

func TestStore_GuestByDevice(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	p, created, err := s.GuestByDevice(ctxT(t), "device-a")
	require.NoError(t, err)
	require.True(t, created)
	require.Regexp(t, guestNamePattern, p.Username)
	require.Equal(t, persistence.RolePlayer, p.Role)
	require.True(t, p.CreatedAt.Equal(clk.Now()))

	again, created, err := s.GuestByDevice(ctxT(t), "device-a")
	require.NoError(t, err)
	require.False(t, created)
	require.Equal(t, p, again)

	other, _, err := s.GuestByDevice(ctxT(t), "device-b")
	require.NoError(t, err)
	require.NotEqual(t, p.ID, other.ID)
	require.NotEqual(t, p.Username, other.Username)
}

func TestStore_GuestByDevice_Concurrent(t *testing.T) {
	t.Parallel()
	s, _, _ := newStore(t)
	const callers = 8
	ids := make([]string, callers)
	created := make([]bool, callers)
	errs := make([]error, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() {
			var p persistence.Player
			p, created[i], errs[i] = s.GuestByDevice(ctxT(t), "shared-device")
			ids[i] = p.ID
		})
	}
	wg.Wait()
	newCount := 0
	for i := range callers {
		require.NoError(t, errs[i])
		require.Equal(t, ids[0], ids[i], "every caller gets the same player")
		if created[i] {
			newCount++
		}
	}
	require.Equal(t, 1, newCount, "exactly one caller created the account")
}

func TestStore_GuestByDevice_Invalid(t *testing.T) {
	t.Parallel()
	s, _, _ := newStore(t)
	_, _, err := s.GuestByDevice(ctxT(t), "")
	require.Error(t, err)
}

func TestStore_Player(t *testing.T) {
	t.Parallel()
	s, _, _ := newStore(t)
	p := newGuest(t, s)
	tests := []struct {
		name    string
		id      string
		wantErr error
	}{
		{name: "existing", id: p.ID},
		{name: "unknown", id: uuid.NewString(), wantErr: persistence.ErrNotFound},
		{name: "malformed", id: "not-a-uuid", wantErr: persistence.ErrNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.Player(ctxT(t), tc.id)
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, p, got)
		})
	}
}

func TestStore_Stats(t *testing.T) {
	t.Parallel()
	s, _, _ := newStore(t)
	p := newGuest(t, s)
	st, err := s.Stats(ctxT(t), p.ID)
	require.NoError(t, err)
	require.Equal(t, persistence.PlayerStats{}, st, "no games yet")
	_, err = s.Stats(ctxT(t), uuid.NewString())
	require.ErrorIs(t, err, persistence.ErrNotFound)
}
