package scheduler

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/proofstell/proofstell/actors/runtime/fanout"
	"github.com/proofstell/proofstell/persistence"
)

// Defaults applied to zero Deps fields.
const (
	// DefaultTickInterval is how often the scheduler looks at the clock: a
	// period close is announced at most this late.
	DefaultTickInterval = time.Second
	// DefaultIOTimeout bounds one ClosePeriod call.
	DefaultIOTimeout = 10 * time.Second
	// DefaultFreezeTimeout bounds freezing one period: reading, ranking and
	// hashing its standings and storing them (a million players take
	// seconds).
	DefaultFreezeTimeout = 2 * time.Minute
)

// ModeLister lists every mode, retired ones included
// (persistence.ModeCatalogue.AllModes): the scheduler closes the periods of
// each ranked one.
type ModeLister interface {
	AllModes(ctx context.Context) ([]persistence.Mode, error)
}

// Deps is what the scheduler needs from the node.
type Deps struct {
	// Closer records closes in Postgres, fenced by the scheduler lease.
	Closer persistence.PeriodCloser
	// Modes lists the modes whose boards close: every ranked mode, listed
	// again at each tick. Nil closes classic's boards only (standings.DefaultMode).
	Modes ModeLister
	// Publisher announces closed periods to leaderboard subscribers.
	Publisher fanout.Publisher
	// Standings streams a closed period's records for freezing.
	Standings persistence.StandingStore
	// Periods stores frozen standings and their Merkle root, fenced by the
	// scheduler lease. With Standings or Periods nil, periods are closed
	// but not frozen.
	Periods persistence.PeriodStore
	// FreezeTimeout bounds each freeze (default DefaultFreezeTimeout).
	FreezeTimeout time.Duration
	// Now is the clock ticks read (default time.Now); tests inject one.
	Now func() time.Time
	// Base is the node's base context (required); close calls derive from
	// it so shutdown cancels them.
	Base context.Context
	// IOTimeout bounds each close call (default DefaultIOTimeout).
	IOTimeout time.Duration
	// TickInterval is the own timer's period (default DefaultTickInterval);
	// negative turns the timer off so tests send every Tick themselves.
	TickInterval time.Duration
	// Lobbies closes lobbies left waiting past LobbyTimeout (plus
	// LobbySweepGrace) since their creation; nil or a zero LobbyTimeout
	// turns the sweep off.
	Lobbies LobbyCloser
	// LobbyTimeout is GAME_WAITING_TIMEOUT.
	LobbyTimeout time.Duration
	// LobbySweepEvery is the sweep's period (default DefaultLobbySweepEvery).
	LobbySweepEvery time.Duration
	// Challenges runs the challenge jobs (challenges.go): the daily
	// challenge's generation (from the active ranked modes of Modes),
	// starts and ends, fenced by the lease; nil turns them off. Ends
	// freeze the challenge's board, so they also need Standings and
	// Periods.
	Challenges persistence.ChallengeJobs
	// ChallengeSecret keys the daily challenge's rules (CHALLENGE_SECRET).
	ChallengeSecret []byte
	// Metrics receives the close counters; nil: unregistered metrics.
	Metrics *Metrics
	Logger  *slog.Logger
}

// withDefaults fills zero fields so the actor never checks for nil.
func (d Deps) withDefaults() Deps {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.IOTimeout <= 0 {
		d.IOTimeout = DefaultIOTimeout
	}
	if d.FreezeTimeout <= 0 {
		d.FreezeTimeout = DefaultFreezeTimeout
	}
	if d.TickInterval == 0 {
		d.TickInterval = DefaultTickInterval
	}
	if d.LobbySweepEvery <= 0 {
		d.LobbySweepEvery = DefaultLobbySweepEvery
	}
	if d.Metrics == nil {
		d.Metrics, _ = NewMetrics(nil)
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	return d
}

// Close outcomes, the values of the "outcome" metric label.
const (
	outcomeClosed        = "closed"
	outcomeAlreadyClosed = "already_closed"
	outcomeStale         = "stale_epoch"
	outcomeError         = "error"
)

// Metrics are the scheduler's Prometheus collectors.
type Metrics struct {
	// Closes counts settled ClosePeriod calls by board and outcome (closed,
	// already_closed, stale_epoch, error); the board label is the board's
	// series ("daily" for classic, "<mode>/daily" for another mode).
	Closes *prometheus.CounterVec
	// Freezes counts settled period freezes by board series and outcome
	// (frozen, already_frozen, empty, stale_epoch, error).
	Freezes *prometheus.CounterVec
	// LobbySweeps counts settled lobby sweeps by outcome (ok, error).
	LobbySweeps *prometheus.CounterVec
	// ModeListings counts settled listings of the ranked modes by outcome
	// (ok, error).
	ModeListings *prometheus.CounterVec
	// LobbiesExpired counts the lobbies the sweeps closed.
	LobbiesExpired prometheus.Counter
	// Challenges counts settled challenge job steps by job (daily, start,
	// end) and outcome (challenges.go).
	Challenges *prometheus.CounterVec
	// ChallengeRuns counts settled runs of each challenge job.
	ChallengeRuns *prometheus.CounterVec
}

// NewMetrics creates the collectors and registers them with reg (nil: not
// registered, for tests).
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		Closes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "proofstell_scheduler_period_closes_total",
			Help: "Leaderboard period closes attempted by the scheduler singleton, by board and outcome.",
		}, []string{"board", "outcome"}),
		Freezes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "proofstell_scheduler_period_freezes_total",
			Help: "Closed leaderboard periods frozen into a Merkle root by the scheduler, by board and outcome.",
		}, []string{"board", "outcome"}),
		LobbySweeps: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "proofstell_scheduler_lobby_sweeps_total",
			Help: "Sweeps of lobbies left waiting past GAME_WAITING_TIMEOUT, by outcome (ok, error).",
		}, []string{"outcome"}),
		ModeListings: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "proofstell_scheduler_mode_listings_total",
			Help: "Listings of the ranked modes whose periods the scheduler closes, by outcome (ok, error).",
		}, []string{"outcome"}),
		LobbiesExpired: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "proofstell_scheduler_lobbies_expired_total",
			Help: "Lobbies left waiting past GAME_WAITING_TIMEOUT (orphans of crashed nodes) that the sweep closed.",
		}),
		Challenges:    newChallengeMetric(),
		ChallengeRuns: newChallengeRunsMetric(),
	}
	if reg == nil {
		return m, nil
	}
	for _, c := range []prometheus.Collector{m.Closes, m.Freezes, m.LobbySweeps, m.ModeListings, m.LobbiesExpired,
		m.Challenges, m.ChallengeRuns} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("register scheduler metrics: %w", err)
		}
	}
	return m, nil
}
