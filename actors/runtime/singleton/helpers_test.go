package singleton_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/proofstell/proofstell/actors/runtime/singleton"
	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/internal/testclock"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
	"github.com/proofstell/proofstell/persistence/postgres/pgtest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.IgnoreTopFunction("github.com/jackc/pgx/v5/pgxpool.(*Pool).backgroundHealthCheck"),
		goleak.IgnoreAnyFunction("github.com/asynkron/protoactor-go/actor.(*ActorSystem).Shutdown"),
		goleak.IgnoreTopFunction("github.com/lithammer/shortuuid/v4.init"))
}

const (
	lease = "scheduler"
	ttl   = 3 * time.Second
	wait  = 10 * time.Second
)

// newStore opens a store on a fresh database with a hand-driven clock.
func newStore(t *testing.T) (*postgres.Store, *testclock.Clock) {
	t.Helper()
	clk := testclock.New(time.Date(2026, 11, 24, 23, 59, 58, 0, time.UTC))
	s, err := postgres.Open(context.Background(), config.Database{URL: pgtest.NewDatabase(t), MaxConns: 4}, clk.Now)
	require.NoError(t, err)
	t.Cleanup(s.Close)
	return s, clk
}

// jobEvent is a job actor starting or stopping under an epoch.
type jobEvent struct {
	lease   persistence.Lease
	started bool
}

// member is one node: an actor system and a runner driven by hand.
type member struct {
	t       *testing.T
	runner  *singleton.Runner
	metrics *singleton.Metrics
	ticks   chan time.Time
	tries   chan singleton.Attempt
	jobs    chan jobEvent
	system  *actor.ActorSystem
	done    chan struct{}
	lastJob atomic.Pointer[actor.PID]
}

// newMember builds a runner for holder; store may wrap the real one.
func newMember(t *testing.T, store persistence.LeaseStore, clk *testclock.Clock, holder string,
	options ...func(*singleton.Options),
) *member {
	t.Helper()
	m := &member{t: t, ticks: make(chan time.Time), tries: make(chan singleton.Attempt, 64),
		jobs: make(chan jobEvent, 64), done: make(chan struct{})}
	m.system = actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.NewTextHandler(io.Discard, nil))
	}))
	var err error
	m.metrics, err = singleton.NewMetrics(nil)
	require.NoError(t, err)
	opts := singleton.Options{
		Name: lease, Holder: holder, Job: m.job, TTL: ttl, Ticks: m.ticks, Metrics: m.metrics, Now: clk.Now,
		Observe: func(a singleton.Attempt) { m.tries <- a },
	}
	for _, option := range options {
		option(&opts)
	}
	m.runner, err = singleton.NewRunner(store, m.system.Root, opts)
	require.NoError(t, err)
	t.Cleanup(func() {
		require.NoError(t, m.runner.Stop(context.Background()))
		m.system.Shutdown()
	})
	return m
}

// job is the probe job: it reports its start and stop with its lease.
func (m *member) job(l persistence.Lease) *actor.Props {
	return actor.PropsFromFunc(func(ctx actor.Context) {
		switch ctx.Message().(type) {
		case *actor.Started:
			m.lastJob.Store(ctx.Self())
			m.jobs <- jobEvent{lease: l, started: true}
		case *actor.Stopped:
			m.jobs <- jobEvent{lease: l}
		}
	})
}

// start runs the runner and returns its first attempt.
func (m *member) start() singleton.Attempt {
	m.t.Helper()
	go func() {
		defer close(m.done)
		_ = m.runner.Run(context.Background())
	}()
	return m.attempt()
}

// tick triggers one attempt and returns its outcome.
func (m *member) tick() singleton.Attempt {
	m.t.Helper()
	select {
	case m.ticks <- time.Time{}:
	case <-time.After(wait):
		m.t.Fatal("runner did not take the tick")
	}
	return m.attempt()
}

func (m *member) attempt() singleton.Attempt {
	m.t.Helper()
	select {
	case a := <-m.tries:
		return a
	case <-time.After(wait):
		m.t.Fatal("no attempt reported")
		return singleton.Attempt{}
	}
}

// nextJob waits for the job's next start or stop.
func (m *member) nextJob() jobEvent {
	m.t.Helper()
	select {
	case ev := <-m.jobs:
		return ev
	case <-time.After(wait):
		m.t.Fatal("no job event")
		return jobEvent{}
	}
}

// noJobEvent asserts no job started or stopped. Valid once every earlier
// start was consumed: a stop is waited for before its attempt is reported,
// and a start only follows a leading attempt.
func (m *member) noJobEvent() {
	m.t.Helper()
	select {
	case ev := <-m.jobs:
		m.t.Fatalf("unexpected job event %+v", ev)
	default:
	}
}

func (m *member) leader() float64 {
	return testutil.ToFloat64(m.metrics.Leader.WithLabelValues(lease))
}

func (m *member) takeovers() float64 {
	return testutil.ToFloat64(m.metrics.Takeovers.WithLabelValues(lease))
}

func (m *member) late() float64 { return testutil.ToFloat64(m.metrics.Late.WithLabelValues(lease)) }
func (m *member) lost() float64 { return testutil.ToFloat64(m.metrics.Lost.WithLabelValues(lease)) }

// flakyStore fails renewals on demand, as a database hiccup would.
type flakyStore struct {
	persistence.LeaseStore
	failRenew atomic.Bool
}

var errHiccup = errors.New("connection reset")

func (f *flakyStore) RenewLease(ctx context.Context, name, holder string, epoch int64, ttl time.Duration) (persistence.Lease, error) {
	if f.failRenew.Load() {
		return persistence.Lease{}, errHiccup
	}
	return f.LeaseStore.RenewLease(ctx, name, holder, epoch, ttl)
}
