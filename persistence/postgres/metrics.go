package postgres

import (
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"github.com/proofstell/proofstell/persistence"
)

var (
	queryDuration = promauto.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "proofstell_db_query_duration_seconds",
		Help:    "Duration of database operations by store operation.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
	}, []string{"operation"})
	commitBatchSize = promauto.NewHistogram(prometheus.HistogramOpts{
		Name:    "proofstell_db_commit_batch_size",
		Help:    "Finished games per CommitResults transaction.",
		Buckets: prometheus.ExponentialBuckets(1, 2, 11),
	})
	snapshotBatchSize = promauto.NewHistogram(prometheus.HistogramOpts{
		Name:    "proofstell_db_snapshot_batch_size",
		Help:    "Session snapshots written per SaveSnapshots statement.",
		Buckets: prometheus.ExponentialBuckets(1, 2, 11),
	})
	modeCacheHits = promauto.NewCounter(prometheus.CounterOpts{
		Name: "proofstell_db_mode_cache_hits_total",
		Help: "Game mode reads served from the node's cache without a query.",
	})
	modeInvalidations = promauto.NewCounter(prometheus.CounterOpts{
		Name: "proofstell_db_mode_cache_invalidations_total",
		Help: "Times the node dropped its cached game modes (a change to game_modes, or its listener reconnecting).",
	})
	commitOutcomes = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "proofstell_db_commit_outcomes_total",
		Help: "Finished games by commit outcome.",
	}, []string{"outcome"})
)

// observe records an operation's duration; use as defer observe(op, time.Now()).
func observe(op string, start time.Time) {
	queryDuration.WithLabelValues(op).Observe(time.Since(start).Seconds())
}

func countOutcomes(outcomes []persistence.CommitOutcome) {
	for _, o := range outcomes {
		commitOutcomes.WithLabelValues(o.String()).Inc()
	}
}

// pools is the set of open pools the pool collector reports on. One collector
// serves every Store so opening several (tests do) never registers twice.
var pools = newPoolSet()

type poolSet struct {
	mu    sync.Mutex
	pools map[*pgxpool.Pool]struct{}
	desc  struct{ acquired, idle, total *prometheus.Desc }
}

func newPoolSet() *poolSet {
	p := &poolSet{pools: map[*pgxpool.Pool]struct{}{}}
	p.desc.acquired = prometheus.NewDesc("proofstell_db_pool_acquired_conns", "Connections in use.", nil, nil)
	p.desc.idle = prometheus.NewDesc("proofstell_db_pool_idle_conns", "Idle connections.", nil, nil)
	p.desc.total = prometheus.NewDesc("proofstell_db_pool_total_conns", "Open connections.", nil, nil)
	prometheus.MustRegister(p)
	return p
}

func (p *poolSet) add(pool *pgxpool.Pool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pools[pool] = struct{}{}
}

func (p *poolSet) remove(pool *pgxpool.Pool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.pools, pool)
}

// Describe implements prometheus.Collector.
func (p *poolSet) Describe(ch chan<- *prometheus.Desc) {
	ch <- p.desc.acquired
	ch <- p.desc.idle
	ch <- p.desc.total
}

// Collect implements prometheus.Collector.
func (p *poolSet) Collect(ch chan<- prometheus.Metric) {
	p.mu.Lock()
	var acquired, idle, total int32
	for pool := range p.pools {
		st := pool.Stat()
		acquired += st.AcquiredConns()
		idle += st.IdleConns()
		total += st.TotalConns()
	}
	p.mu.Unlock()
	ch <- prometheus.MustNewConstMetric(p.desc.acquired, prometheus.GaugeValue, float64(acquired))
	ch <- prometheus.MustNewConstMetric(p.desc.idle, prometheus.GaugeValue, float64(idle))
	ch <- prometheus.MustNewConstMetric(p.desc.total, prometheus.GaugeValue, float64(total))
}
