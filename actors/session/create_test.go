package session

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/persistence"
)

// countingStore counts the session-row statements an activation makes.
type countingStore struct {
	Store
	creates, claims atomic.Int64
}

func (c *countingStore) CreateSession(ctx context.Context, s persistence.Session) error {
	c.creates.Add(1)
	return c.Store.CreateSession(ctx, s)
}

func (c *countingStore) ClaimSession(ctx context.Context, id string) (persistence.Session, error) {
	c.claims.Add(1)
	return c.Store.ClaimSession(ctx, id)
}

func counting(into **countingStore) func(*Deps) {
	return func(d *Deps) {
		c := &countingStore{Store: d.Store}
		*into, d.Store = c, c
	}
}

// A new game's row costs one statement: the creation's INSERT is its claim
// (before, the activation first tried to claim a row that did not exist).
// Its mode comes from the store's cache (persistence/postgres).
func TestSession_NewGameIsOneStatement(t *testing.T) {
	var store *countingStore
	h := newHarness(t, counting(&store))
	pl := h.createPlayer("device-one-statement")
	p := h.newProbe(pl.ID, pl.Username)
	startSolo(t, h, p)
	require.EqualValues(t, 1, store.creates.Load())
	require.EqualValues(t, 0, store.claims.Load(), "no claim for a session that does not exist yet")
}

// A creation whose id is already stored (a repeated create reaching a new
// activation) claims the stored row like any activation: the epoch moves
// on, fencing any older owner, and the creator is answered as a resume.
func TestSession_CreateOfAStoredIDClaimsIt(t *testing.T) {
	var store *countingStore
	h := newHarness(t, counting(&store))
	pl := h.createPlayer("device-create-taken")
	p := h.newProbe(pl.ID, pl.Username)
	id := uuid.NewString()
	require.NoError(t, h.store.CreateSession(context.Background(), persistence.Session{
		ID: id, Mode: "classic", Kind: persistence.KindSolo, MaxPlayers: 1, CreatorID: pl.ID,
		PlayerIDs: []string{pl.ID}, Seed: 7, CreatedAt: h.clock.Now(),
	}))
	h.send(id, &protos.CreateSession{From: p.ref, RequestId: 1, Mode: "classic", MaxPlayers: 1})
	ack := decode[events.SessionAck](t, p.next(events.TypeAck))
	require.Equal(t, id, ack.SessionID)
	require.EqualValues(t, 1, store.creates.Load())
	require.EqualValues(t, 1, store.claims.Load())
	s, err := h.store.Session(context.Background(), id)
	require.NoError(t, err)
	require.EqualValues(t, 2, s.Epoch, "the stored row was claimed, not recreated")
}

// recordedSnapshots is the node's snapshot writer with every verdict it
// returned to a session.
type recordedSnapshots struct {
	SnapshotWriter
	verdicts chan error
}

func (r recordedSnapshots) Submit(snap persistence.Snapshot, done func(error)) error {
	return r.SnapshotWriter.Submit(snap, func(err error) {
		r.verdicts <- err
		done(err)
	})
}

// firstRefusal returns the first verdict that is not a success. A snapshot
// the session wrote before the claim (at its start) may still be answering
// nil after it; a write after the claim must never succeed, so the test
// times out if no refusal comes.
func firstRefusal(t *testing.T, verdicts <-chan error) error {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case err := <-verdicts:
			if err != nil {
				return err
			}
		case <-timeout:
			t.Fatal("no snapshot was refused after the claim")
			return nil
		}
	}
}

// A periodic snapshot written in a batch still hears its own row's verdict:
// once a newer activation claimed the session, the batched write answers
// ErrStaleEpoch and the activation fences itself.
func TestSession_BatchedSnapshotStillFences(t *testing.T) {
	verdicts := make(chan error, 16)
	h := newHarness(t, func(d *Deps) { d.Snapshots = recordedSnapshots{SnapshotWriter: d.Snapshots, verdicts: verdicts} })
	pl := h.createPlayer("device-batched-fence")
	p := h.newProbe(pl.ID, pl.Username)
	id := startSolo(t, h, p)
	fenced := testutil.ToFloat64(fencedTotal)
	_, err := h.store.ClaimSession(context.Background(), id) // another node's activation: epoch 2
	require.NoError(t, err)
	h.tick(id, 1100*time.Millisecond) // a snapshot is due
	require.ErrorIs(t, firstRefusal(t, verdicts), persistence.ErrStaleEpoch)
	require.Eventually(t, func() bool { return testutil.ToFloat64(fencedTotal) == fenced+1 },
		5*time.Second, time.Millisecond, "the activation fences itself on its row's verdict")
}
