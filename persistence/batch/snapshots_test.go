package batch_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/batch"
)

// countedSnapshots is the real store with each SaveSnapshots call's size.
type countedSnapshots struct {
	batch.SnapshotStore
	mu    sync.Mutex
	sizes []int
}

func (c *countedSnapshots) SaveSnapshots(ctx context.Context, snaps []persistence.Snapshot) ([]error, error) {
	c.mu.Lock()
	c.sizes = append(c.sizes, len(snaps))
	c.mu.Unlock()
	return c.SnapshotStore.SaveSnapshots(ctx, snaps)
}

func (c *countedSnapshots) calls() []int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]int(nil), c.sizes...)
}

// snapshotOutcomes collects each snapshot's verdict by submission order.
type snapshotOutcomes struct {
	mu    sync.Mutex
	errs  map[int]error
	twice bool
	all   chan struct{}
	want  int
}

func (o *snapshotOutcomes) done(i int) func(error) {
	return func(err error) {
		o.mu.Lock()
		defer o.mu.Unlock()
		_, twice := o.errs[i]
		o.twice = o.twice || twice
		o.errs[i] = err
		if len(o.errs) == o.want {
			close(o.all)
		}
	}
}

// Snapshots of many sessions submitted within one tick are written by one
// statement, and each still hears its own verdict: a session a newer
// activation claimed answers ErrStaleEpoch, exactly as a single write would.
// A second snapshot of the same session waits for the next statement.
func TestSnapshotWriter_OneStatementPerTickWithPerRowVerdicts(t *testing.T) {
	f := newFixture(t)
	games := f.games(4)
	_, err := f.store.ClaimSession(context.Background(), games[2].SessionID) // epoch 2 owns it now
	require.NoError(t, err)
	store := &countedSnapshots{SnapshotStore: f.store}
	w := batch.NewSnapshotWriter(store, batch.SnapshotOptions{Interval: time.Millisecond, MaxBatch: 10, QueueSize: 10})
	snaps := make([]persistence.Snapshot, 0, 5)
	for _, g := range games {
		snaps = append(snaps, persistence.Snapshot{SessionID: g.SessionID, Epoch: 1, State: persistence.StateRunning, Data: []byte("a")})
	}
	snaps = append(snaps, persistence.Snapshot{SessionID: games[0].SessionID, Epoch: 1, State: persistence.StateRunning, Data: []byte("b")})
	out := &snapshotOutcomes{errs: map[int]error{}, all: make(chan struct{}), want: len(snaps)}
	for i, s := range snaps {
		require.NoError(t, w.Submit(s, out.done(i)))
	}
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan struct{})
	go func() { defer close(ran); _ = w.Run(ctx) }()
	<-out.all
	cancel()
	<-ran

	require.False(t, out.twice, "every snapshot is answered once")
	require.Equal(t, []int{4, 1}, store.calls(), "one statement for the tick; the repeat waits for the next")
	for i, err := range out.errs {
		if i == 2 {
			require.ErrorIs(t, err, persistence.ErrStaleEpoch)
			continue
		}
		require.NoError(t, err, "snapshot %d", i)
	}
	got, err := f.store.Session(context.Background(), games[0].SessionID)
	require.NoError(t, err)
	require.Equal(t, []byte("b"), got.Snapshot, "a session's snapshots land in submission order")
}

// A full queue rejects (the session skips that snapshot); a stopped writer
// refuses, and what was queued before it stopped is still written.
func TestSnapshotWriter_QueueFullAndDrain(t *testing.T) {
	f := newFixture(t)
	games := f.games(2)
	w := batch.NewSnapshotWriter(f.store, batch.SnapshotOptions{Interval: time.Hour, MaxBatch: 10, QueueSize: 1})
	saved := make(chan error, 1)
	require.NoError(t, w.Submit(persistence.Snapshot{SessionID: games[0].SessionID, Epoch: 1,
		State: persistence.StateRunning, Data: []byte("x")}, func(err error) { saved <- err }))
	err := w.Submit(persistence.Snapshot{SessionID: games[1].SessionID, Epoch: 1, State: persistence.StateRunning}, func(error) {})
	require.ErrorIs(t, err, persistence.ErrQueueFull)

	ctx, cancel := context.WithCancel(context.Background())
	cancel() // stopped before its first tick: the drain writes the queue
	require.NoError(t, w.Run(ctx))
	require.NoError(t, <-saved)
	err = w.Submit(persistence.Snapshot{SessionID: games[1].SessionID, Epoch: 1}, func(error) {})
	require.ErrorIs(t, err, batch.ErrSnapshotsStopped)
}
