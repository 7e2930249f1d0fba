// Package breaker keeps callers away from a dependency that just failed:
// after a failure, calls skip it until a probe interval has passed, then one
// caller (and only one) probes it again. It exists because a dead Redis
// costs go-redis's dial retries (over a second) per call, which no request
// should pay each time. Safe for concurrent use.
package breaker

import (
	"context"
	"errors"
	"sync/atomic"
	"time"
)

// Breaker is a two-state circuit breaker with a single probe per interval.
// The zero value is not usable; build one with New.
type Breaker struct {
	interval time.Duration
	now      func() time.Time
	// openUntil is when the next probe may go, in Unix nanoseconds; zero
	// while the dependency answers.
	openUntil atomic.Int64
}

// New returns a closed breaker that, once opened, lets one probe through
// per interval. now is the clock (nil: time.Now).
func New(interval time.Duration, now func() time.Time) *Breaker {
	if now == nil {
		now = time.Now
	}
	return &Breaker{interval: interval, now: now}
}

// Allow reports whether this call should reach the dependency: always while
// the breaker is closed; while it is open, once per interval (the caller
// that wins the probe).
func (b *Breaker) Allow() bool {
	until := b.openUntil.Load()
	if until == 0 {
		return true
	}
	now := b.now().UnixNano()
	return now >= until && b.openUntil.CompareAndSwap(until, now+int64(b.interval))
}

// Record closes the breaker after a successful call (err nil) and opens it
// for one interval after a failed one. A call its caller cancelled (a client
// that hung up) says nothing about the dependency and changes nothing. It
// reports whether the call changed the state, so callers log a transition
// once rather than every failure.
func (b *Breaker) Record(err error) (changed bool) {
	if errors.Is(err, context.Canceled) {
		return false
	}
	if err == nil {
		return b.openUntil.Swap(0) != 0
	}
	return b.openUntil.Swap(b.now().Add(b.interval).UnixNano()) == 0
}

// Open reports whether the breaker currently keeps callers away.
func (b *Breaker) Open() bool { return b.openUntil.Load() != 0 }
