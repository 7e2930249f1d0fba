// Package testclock is a hand-driven clock for tests: time moves only when
// the test moves it, so components that take a `Now func() time.Time` behave
// deterministically. Safe for concurrent use.
package testclock

import (
	"sync/atomic"
	"time"
)

// Clock is a test clock. Times are UTC.
type Clock struct{ nanos atomic.Int64 }

// New returns a clock showing t.
func New(t time.Time) *Clock {
	c := &Clock{}
	c.Set(t)
	return c
}

// Now returns the clock's time; pass c.Now where a clock function is wanted.
func (c *Clock) Now() time.Time { return time.Unix(0, c.nanos.Load()).UTC() }

// Advance moves the clock forward by d and returns the new time.
func (c *Clock) Advance(d time.Duration) time.Time {
	return time.Unix(0, c.nanos.Add(int64(d))).UTC()
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) { c.nanos.Store(t.UnixNano()) }
