package scheduler_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/actors/scheduler"
	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/internal/testclock"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
	"github.com/proofstell/proofstell/persistence/postgres/pgtest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.IgnoreTopFunction("github.com/jackc/pgx/v5/pgxpool.(*Pool).backgroundHealthCheck"),
		goleak.IgnoreAnyFunction("github.com/asynkron/protoactor-go/actor.(*ActorSystem).Shutdown"),
		goleak.IgnoreTopFunction("github.com/lithammer/shortuuid/v4.init"),
		// A fenced scheduler's other job runs report to a stopped actor: dead
		// letters, whose throttle outlives the test by its period.
		goleak.IgnoreTopFunction("github.com/asynkron/protoactor-go/actor.NewDeadLetter.NewThrottle.func4.1"))
}

const (
	ttl  = 3 * time.Second
	wait = 10 * time.Second
)

// announcement is one published period-closed event.
type announcement struct {
	Topic string
	scheduler.PeriodClosed
}

// recorder is the fan-out stand-in.
type recorder struct {
	mu  sync.Mutex
	got []announcement
}

func (r *recorder) Publish(topic string, ev *protos.ClientEvent) {
	var p scheduler.PeriodClosed
	if ev.GetType() != scheduler.TypePeriodClosed || json.Unmarshal(ev.GetData(), &p) != nil {
		p = scheduler.PeriodClosed{Board: "malformed event " + ev.GetType()}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, announcement{Topic: topic, PeriodClosed: p})
}

// take returns and forgets what was published so far.
func (r *recorder) take() []announcement {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.got
	r.got = nil
	return out
}

// world is one database and one actor system; the store's clock decides
// lease expiry.
type world struct {
	t      *testing.T
	store  *postgres.Store
	clock  *testclock.Clock
	system *actor.ActorSystem
	ctx    context.Context
	url    string
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	clk := testclock.New(time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC))
	url := pgtest.NewDatabase(t)
	store, err := postgres.Open(ctx, config.Database{URL: url, MaxConns: 4}, clk.Now)
	require.NoError(t, err)
	system := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.NewTextHandler(io.Discard, nil))
	}))
	t.Cleanup(func() {
		system.Shutdown()
		cancel()
		store.Close()
	})
	return &world{t: t, store: store, clock: clk, system: system, ctx: ctx, url: url}
}

// lead makes holder the scheduler leader, expiring the current lease first.
func (w *world) lead(holder string) persistence.Lease {
	w.t.Helper()
	w.clock.Advance(ttl)
	l, err := w.store.AcquireLease(w.ctx, persistence.SchedulerLease, holder, ttl)
	require.NoError(w.t, err)
	return l
}

// job is one scheduler activation with its own clock, publisher and metrics.
type job struct {
	w       *world
	pid     *actor.PID
	clock   *testclock.Clock
	pub     *recorder
	metrics *scheduler.Metrics
}

func (w *world) spawn(lease persistence.Lease, start time.Time) *job {
	return w.spawnWith(lease, start, func(*scheduler.Deps) {})
}

// spawnWith is spawn with deps adjusted by edit.
func (w *world) spawnWith(lease persistence.Lease, start time.Time, edit func(*scheduler.Deps)) *job {
	w.t.Helper()
	m, err := scheduler.NewMetrics(nil)
	require.NoError(w.t, err)
	j := &job{w: w, clock: testclock.New(start), pub: &recorder{}, metrics: m}
	deps := scheduler.Deps{
		Closer: w.store, Publisher: j.pub, Now: j.clock.Now, Base: w.ctx, TickInterval: -1, Metrics: m,
	}
	edit(&deps)
	j.pid = w.system.Root.Spawn(scheduler.Props(deps, lease))
	return j
}

// tickAt moves the job's clock to ts, ticks, and waits until n more closes
// have settled (any outcome).
func (j *job) tickAt(ts time.Time, n int) {
	j.w.t.Helper()
	before := j.settled()
	j.clock.Set(ts)
	j.w.system.Root.Send(j.pid, &scheduler.Tick{})
	require.Eventually(j.w.t, func() bool { return j.settled() >= before+float64(n) }, wait, time.Millisecond)
	require.Equal(j.w.t, before+float64(n), j.settled(), "exactly %d closes settle", n)
}

var outcomes = []string{"closed", "already_closed", "stale_epoch", "error"}

func (j *job) settled() float64 {
	var sum float64
	for _, mode := range []string{"", "frenzy/", "classic-easy/", "classic-hard/"} {
		for _, b := range []string{"daily", "weekly", "monthly"} {
			for _, o := range outcomes {
				sum += j.count(mode+b, o)
			}
		}
	}
	return sum
}

func (j *job) count(board, outcome string) float64 {
	return testutil.ToFloat64(j.metrics.Closes.WithLabelValues(board, outcome))
}

func (j *job) alive() bool {
	_, ok := j.w.system.ProcessRegistry.GetLocal(j.pid.Id)
	return ok
}

func closedAnn(board, period string) announcement {
	return announcement{Topic: "leaderboard:" + board, PeriodClosed: scheduler.PeriodClosed{Board: board, Mode: "classic", Period: period}}
}

// modeClosedAnn is closedAnn for a mode other than classic: its series
// topic "leaderboard:<mode>/<board>".
func modeClosedAnn(mode, board, period string) announcement {
	return announcement{Topic: "leaderboard:" + mode + "/" + board,
		PeriodClosed: scheduler.PeriodClosed{Board: board, Mode: mode, Period: period}}
}

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}
