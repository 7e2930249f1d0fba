package singleton

import (
	"errors"
	"log/slog"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/proofstell/proofstell/persistence"
)

// Defaults applied to zero Options fields. A dead leader's work resumes on
// another node within DefaultTTL plus one DefaultRenewEvery.
const (
	// DefaultTTL is how long a lease lives without renewal.
	DefaultTTL = 3 * time.Second
	// DefaultRenewEvery is the attempt cadence: a third of the TTL, so two
	// renewals may fail before a healthy leader loses the lease.
	DefaultRenewEvery = time.Second
)

// JobFunc builds the job actor for one leadership. The lease carries the
// fencing epoch the job must put on every write it makes.
type JobFunc func(lease persistence.Lease) *actor.Props

// Attempt is the outcome of one acquire or renew, reported to
// Options.Observe. Leading is whether this runner holds the lease afterwards.
type Attempt struct {
	Lease   persistence.Lease
	Leading bool
	Err     error
}

// Options configure a Runner. Name, Holder and Job are required.
type Options struct {
	// Name is the lease name, one per kind of singleton work ("scheduler").
	Name string
	// Holder identifies this process uniquely in the cluster (e.g. the member
	// address plus a random suffix); two live processes must never share it.
	Holder string
	// Job builds the actor that does the work while this runner leads.
	Job JobFunc
	// TTL is the lease lifetime (default DefaultTTL).
	TTL time.Duration
	// RenewEvery is the cadence of acquire and renew attempts (default
	// TTL/3). It must be below TTL.
	RenewEvery time.Duration
	// CallTimeout bounds each store call (default RenewEvery). A renewal is
	// also cut short at the moment the leader must step down (see Runner).
	CallTimeout time.Duration
	// Now is the clock that times the lease's local validity (default
	// time.Now); tests share the store's clock.
	Now func() time.Time
	// Ticks, when set, replaces the runner's own ticker: each value received
	// triggers one attempt. Tests use it to drive time.
	Ticks <-chan time.Time
	// Observe, when set, is called on the runner's goroutine after every
	// attempt. It must not block for long.
	Observe func(Attempt)
	// Metrics receives the leader gauge and takeover counter; nil:
	// unregistered metrics.
	Metrics *Metrics
	// Logger reports leadership changes (default: discard).
	Logger *slog.Logger
}

// withDefaults fills zero fields and rejects a configuration that cannot
// elect a leader safely.
func (o Options) withDefaults() (Options, error) {
	if o.Name == "" || o.Holder == "" || o.Job == nil {
		return o, errors.New("singleton: name, holder and job are required")
	}
	if o.TTL <= 0 {
		o.TTL = DefaultTTL
	}
	if o.RenewEvery <= 0 {
		o.RenewEvery = o.TTL / 3
	}
	if o.RenewEvery >= o.TTL {
		return o, errors.New("singleton " + o.Name + ": renew interval must be shorter than the lease ttl")
	}
	if o.CallTimeout <= 0 {
		o.CallTimeout = o.RenewEvery
	}
	if o.Metrics == nil {
		o.Metrics, _ = NewMetrics(nil)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o, nil
}
