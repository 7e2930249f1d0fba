package memory

import (
	"errors"
	"time"

	"github.com/proofstell/proofstell/persistence"
)

// Compile-time conformance to the contracts the node's components take.
var (
	_ persistence.Bus             = (*Engine)(nil)
	_ persistence.RateLimiter     = (*Engine)(nil)
	_ persistence.NonceStore      = (*Engine)(nil)
	_ persistence.RevocationCache = (*Engine)(nil)
	_ persistence.Lockout         = (*Lockout)(nil)
)

// Defaults of the zero Options fields.
const (
	// DefaultMaxKeys bounds each keyspace: about a hundred bytes an entry,
	// so at most some hundred MiB per keyspace under attack.
	DefaultMaxKeys = 1 << 20
	// DefaultSubscribeQueue bounds each subscriber's queue, like Redis's
	// default REDIS_SUBSCRIBE_QUEUE.
	DefaultSubscribeQueue = 1024
)

// ErrFull reports a write refused because its keyspace holds MaxKeys live
// entries (overflow policy: reject).
var ErrFull = errors.New("memory engine keyspace full")

// errClosed reports a publish or subscription on a closed engine.
var errClosed = errors.New("memory engine closed")

// Options configures an Engine.
type Options struct {
	// Now is the clock of every expiry and rate-limit window; nil is
	// time.Now.
	Now func() time.Time
	// MaxKeys bounds each keyspace (DefaultMaxKeys when zero).
	MaxKeys int
	// SubscribeQueue bounds each subscriber's queue (DefaultSubscribeQueue
	// when zero); config passes REDIS_SUBSCRIBE_QUEUE.
	SubscribeQueue int
}

// Engine is one node's in-process store of short-lived state. Safe for
// concurrent use; Close ends its subscriptions.
type Engine struct {
	now   func() time.Time
	queue int

	bus bus

	budgets    *keyspace[float64] // GCRA theoretical arrival time, µs
	challenges *keyspace[persistence.WalletChallenge]
	revocation revocationCache
}

// New returns an empty engine.
func New(opts Options) *Engine {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxKeys <= 0 {
		opts.MaxKeys = DefaultMaxKeys
	}
	if opts.SubscribeQueue <= 0 {
		opts.SubscribeQueue = DefaultSubscribeQueue
	}
	e := &Engine{now: opts.Now, queue: opts.SubscribeQueue}
	e.bus.subs = make(map[*subscriber]struct{})
	e.bus.stop = make(chan struct{})
	e.budgets = newKeyspace[float64]("ratelimit", opts.MaxKeys)
	e.challenges = newKeyspace[persistence.WalletChallenge]("wallet_nonce", opts.MaxKeys)
	e.revocation = revocationCache{
		denied:    newKeyspace[struct{}]("deny", opts.MaxKeys),
		watermark: newKeyspace[time.Time]("not_before", opts.MaxKeys),
		families:  newKeyspace[struct{}]("family", opts.MaxKeys),
	}
	return e
}

// Close ends every subscription and waits for their goroutines; later
// publishes and subscriptions fail. Calling it again does nothing.
func (e *Engine) Close() error {
	e.bus.close()
	return nil
}

// maxKeys is the bound of every keyspace, which Lockout shares.
func (e *Engine) maxKeys() int { return e.budgets.limit }
