package batch

import (
	"log/slog"
	"time"
)

// Options tunes a Writer. Zero fields take the defaults noted on each.
type Options struct {
	// MaxBatch caps the results committed in one call (default 500).
	MaxBatch int
	// FlushInterval is the longest the first queued result waits for its
	// batch to fill (default 5ms).
	FlushInterval time.Duration
	// QueueSize bounds the queue; Submit rejects beyond it (default 20000).
	QueueSize int
	// Now tells when a result was queued (default time.Now).
	Now func() time.Time
	// RetryBase is the first retry delay after a failed commit; each further
	// attempt doubles it up to RetryMax (defaults 50ms and 5s).
	RetryBase time.Duration
	RetryMax  time.Duration
	// MaxAttempts gives up on a single result after this many failed commits
	// and reports the error to its callback. 0 (the default) retries until
	// the writer stops, so a database outage loses nothing.
	MaxAttempts int
	// DrainTimeout bounds the final flush after Run's context ends or Stop
	// is called (default 10s).
	DrainTimeout time.Duration
	// Logger reports failed commits (default slog.Default()).
	Logger *slog.Logger
}

// Defaults applied by NewWriter.
const (
	DefaultMaxBatch      = 500
	DefaultFlushInterval = 5 * time.Millisecond
	DefaultQueueSize     = 20000
	DefaultRetryBase     = 50 * time.Millisecond
	DefaultRetryMax      = 5 * time.Second
	DefaultDrainTimeout  = 10 * time.Second
)

func (o Options) withDefaults() Options {
	if o.MaxBatch <= 0 {
		o.MaxBatch = DefaultMaxBatch
	}
	if o.FlushInterval <= 0 {
		o.FlushInterval = DefaultFlushInterval
	}
	if o.QueueSize <= 0 {
		o.QueueSize = DefaultQueueSize
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.RetryBase <= 0 {
		o.RetryBase = DefaultRetryBase
	}
	if o.RetryMax < o.RetryBase {
		o.RetryMax = max(DefaultRetryMax, o.RetryBase)
	}
	if o.DrainTimeout <= 0 {
		o.DrainTimeout = DefaultDrainTimeout
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o
}

// backoff is the delay before retry number attempt (1-based).
func (o Options) backoff(attempt int) time.Duration {
	d := o.RetryBase
	for i := 1; i < attempt && d < o.RetryMax; i++ {
		d *= 2
	}
	return min(d, o.RetryMax)
}
