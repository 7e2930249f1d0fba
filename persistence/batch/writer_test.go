package batch_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/batch"
	"github.com/proofstell/proofstell/persistence/postgres"
	"github.com/proofstell/proofstell/persistence/postgres/pgtest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

var errOutage = errors.New("injected outage")

// faultyStore injects failures and delays in front of the real store and
// records every call's size. It never answers on its own behalf.
type faultyStore struct {
	next persistence.ResultStore
	// failFirst fails the first n calls; failIf fails calls it matches.
	failFirst atomic.Int64
	failIf    func([]persistence.GameResult) bool
	// gate, when set, holds every call until it is closed.
	gate chan struct{}

	mu    sync.Mutex
	sizes []int
}

func (f *faultyStore) CommitResults(ctx context.Context, rs []persistence.GameResult) ([]persistence.CommitOutcome, error) {
	f.mu.Lock()
	f.sizes = append(f.sizes, len(rs))
	f.mu.Unlock()
	if f.gate != nil {
		select {
		case <-f.gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if f.failFirst.Add(-1) >= 0 || (f.failIf != nil && f.failIf(rs)) {
		return nil, errOutage
	}
	return f.next.CommitResults(ctx, rs)
}

func (f *faultyStore) calls() []int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]int(nil), f.sizes...)
}

// fixture is a migrated database with one player and helpers to make games.
type fixture struct {
	t      *testing.T
	store  *postgres.Store
	player persistence.Player
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	s, err := postgres.Open(context.Background(), config.Database{URL: pgtest.NewDatabase(t), MaxConns: 4}, nil)
	require.NoError(t, err)
	t.Cleanup(s.Close)
	p, _, err := s.GuestByDevice(context.Background(), "device-"+uuid.NewString())
	require.NoError(t, err)
	return &fixture{t: t, store: s, player: p}
}

// games creates n running sessions and returns their finished results.
func (f *fixture) games(n int) []persistence.GameResult {
	f.t.Helper()
	out := make([]persistence.GameResult, n)
	now := time.Now().UTC()
	for i := range out {
		id := uuid.NewString()
		require.NoError(f.t, f.store.CreateSession(context.Background(), persistence.Session{
			ID: id, Mode: "classic", Kind: persistence.KindSolo, MaxPlayers: 1, CreatorID: f.player.ID,
			PlayerIDs: []string{f.player.ID}, State: persistence.StateRunning, Seed: uint64(i),
		}))
		out[i] = persistence.GameResult{SessionID: id, Epoch: 1, State: persistence.StateFinished, EndedAt: now,
			Players: []persistence.PlayerResult{{PlayerID: f.player.ID, Username: f.player.Username, Score: int64(i), ReachedAt: now}}}
	}
	return out
}

// answers collects callback results and proves each callback runs once.
type answers struct {
	mu       sync.Mutex
	outcomes map[string]persistence.CommitOutcome
	errs     map[string]error
	calls    map[string]int
}

func newAnswers() *answers {
	return &answers{outcomes: map[string]persistence.CommitOutcome{}, errs: map[string]error{}, calls: map[string]int{}}
}

func (a *answers) done(id string) func(persistence.CommitOutcome, error) {
	return func(o persistence.CommitOutcome, err error) {
		a.mu.Lock()
		defer a.mu.Unlock()
		a.calls[id]++
		a.outcomes[id], a.errs[id] = o, err
	}
}

func (a *answers) count() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.calls)
}

func (a *answers) waitFor(t *testing.T, n int) {
	t.Helper()
	require.Eventually(t, func() bool { return a.count() >= n }, 20*time.Second, time.Millisecond)
}

func (a *answers) requireOnce(t *testing.T) {
	t.Helper()
	a.mu.Lock()
	defer a.mu.Unlock()
	for id, n := range a.calls {
		require.Equal(t, 1, n, "callback of %s ran %d times", id, n)
	}
}

func submitAll(t *testing.T, w *batch.Writer, a *answers, results []persistence.GameResult) {
	t.Helper()
	for _, r := range results {
		require.NoError(t, w.Submit(r, a.done(r.SessionID)))
	}
}

// start runs w until the test ends, returning a stop func that waits for Run.
func start(t *testing.T, w *batch.Writer) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- w.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			require.NoError(t, <-errc)
		})
	}
	t.Cleanup(stop)
	return stop
}
