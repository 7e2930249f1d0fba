package postgres_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
)

// One call writes many sessions' snapshots; every row that is not written
// gets the same verdict SaveSnapshot would give it, and changes nothing.
func TestStore_SaveSnapshots(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	p, q := newGuest(t, s), newGuest(t, s)
	live := newSession(t, s, p.ID, clk.Now())
	fenced := newSession(t, s, p.ID, clk.Now())
	_, err := s.ClaimSession(ctxT(t), fenced.ID) // a newer activation owns it: epoch 2
	require.NoError(t, err)
	final := newSession(t, s, p.ID, clk.Now())
	_, err = s.CommitResults(ctxT(t), []persistence.GameResult{soloResult(final, p, 5, clk.Now())})
	require.NoError(t, err)

	snap := func(id string, epoch int64, data string) persistence.Snapshot {
		return persistence.Snapshot{SessionID: id, Epoch: epoch, State: persistence.StateRunning,
			StartedAt: clk.Now(), Data: []byte(data), At: clk.Now()}
	}
	withPlayers := snap(live.ID, live.Epoch, "live")
	withPlayers.PlayerIDs = []string{p.ID, q.ID}
	outcomes, err := s.SaveSnapshots(ctxT(t), []persistence.Snapshot{
		withPlayers,
		snap(fenced.ID, 1, "stale"),
		snap(final.ID, final.Epoch, "late"),
		snap(uuid.NewString(), 1, "missing"),
		snap("not-a-uuid", 1, "malformed"),
	})
	require.NoError(t, err)
	require.Len(t, outcomes, 5)
	require.NoError(t, outcomes[0])
	require.ErrorIs(t, outcomes[1], persistence.ErrStaleEpoch)
	require.ErrorIs(t, outcomes[2], persistence.ErrConflict)
	require.ErrorIs(t, outcomes[3], persistence.ErrNotFound)
	require.ErrorIs(t, outcomes[4], persistence.ErrNotFound)

	got, err := s.Session(ctxT(t), live.ID)
	require.NoError(t, err)
	require.Equal(t, []byte("live"), got.Snapshot)
	require.Equal(t, []string{p.ID, q.ID}, got.PlayerIDs)
	require.True(t, got.StartedAt.Equal(clk.Now()))
	got, err = s.Session(ctxT(t), fenced.ID)
	require.NoError(t, err)
	require.NotEqual(t, []byte("stale"), got.Snapshot, "a stale row changes nothing")
	got, err = s.Session(ctxT(t), final.ID)
	require.NoError(t, err)
	require.NotEqual(t, []byte("late"), got.Snapshot, "a final session is never overwritten")

	keep := snap(live.ID, live.Epoch, "again")
	outcomes, err = s.SaveSnapshots(ctxT(t), []persistence.Snapshot{keep})
	require.NoError(t, err)
	require.NoError(t, outcomes[0])
	got, err = s.Session(ctxT(t), live.ID)
	require.NoError(t, err)
	require.Equal(t, []string{p.ID, q.ID}, got.PlayerIDs, "nil player ids keep the stored ones")

	_, err = s.SaveSnapshots(ctxT(t), []persistence.Snapshot{keep, keep})
	require.Error(t, err, "one session twice in a call is refused")
}
