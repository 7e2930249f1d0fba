package session

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/events"
)

// A graceful hand-off writes the game exactly where it froze, and the
// frozen activation neither plays on nor writes again: the next activation
// continues from the frozen state with nothing rolled back.
func TestLocal_HandOffFreezesGamesWhereTheyAre(t *testing.T) {
	local := &Local{}
	h := newHarness(t, func(d *Deps) { d.Local = local })
	pl := h.createPlayer("device-handoff-" + uuid.NewString()[:4])
	p := h.newProbe(pl.ID, pl.Username)
	id := startSolo(t, h, p)
	require.Equal(t, 1, local.Len())

	mole := decode[events.Mole](t, p.next(events.TypeMole))
	h.clock.Advance(200 * time.Millisecond)
	p.whack(id, 2, mole.Hole, mole.MoleID)
	require.EqualValues(t, 1, decode[events.Hit](t, p.next(events.TypeHit)).Score)
	h.clock.Advance(300 * time.Millisecond)
	frozenAt := h.clock.Now()

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, local.HandOff(ctx, h.system.Root))
	require.Equal(t, frozenAt, storedSnapshotAt(t, h, id), "the hand-off snapshot is the game at the freeze")
	require.Equal(t, frozenAt, snapshotClock(t, h, id), "the game was brought up to the freeze before it was saved")
	require.EqualValues(t, 1, snapshotScore(t, h, id, pl.ID), "the hit before the freeze is kept")

	// Frozen: time passes, a whack arrives; nothing is played or written.
	h.tick(id, 5*time.Second)
	p.whack(id, 3, mole.Hole, mole.MoleID+1)
	require.NoError(t, local.HandOff(ctx, h.system.Root), "a second hand-off finds nothing to do")
	require.Equal(t, frozenAt, storedSnapshotAt(t, h, id))

	pid, err := h.dir.PID(ctx, "session", id)
	require.NoError(t, err)
	require.NoError(t, h.system.Root.StopFuture(pid).Wait())
	require.Equal(t, frozenAt, storedSnapshotAt(t, h, id), "stopping a frozen activation writes nothing more")
	require.Zero(t, local.Len())
}

func TestLocal_NilAndEmptyHandOff(t *testing.T) {
	var none *Local
	require.NoError(t, none.HandOff(context.Background(), nil))
	require.Zero(t, none.Len())
	require.NoError(t, (&Local{}).HandOff(context.Background(), nil))
}

// snapshotClock is the game clock recorded in the session's snapshot.
func snapshotClock(t *testing.T, h *harness, id string) time.Time {
	t.Helper()
	s, err := h.store.Session(context.Background(), id) // a read: claiming would fence the activation
	require.NoError(t, err)
	var snap struct {
		Clock time.Time `json:"clock"`
	}
	require.NoError(t, json.Unmarshal(s.Snapshot, &snap))
	return snap.Clock
}
