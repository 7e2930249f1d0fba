package memory

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"
)

// errBadLimit rejects a limit, window or count that cannot describe a rate.
var errBadLimit = errors.New("limit, window and count must be positive")

// Allow implements persistence.RateLimiter: one request of key's budget.
func (e *Engine) Allow(_ context.Context, key string, limit int, window time.Duration) (bool, time.Duration, error) {
	if limit <= 0 || window <= 0 {
		return false, 0, fmt.Errorf("rate limit %s (%d per %s): %w", key, limit, window, errBadLimit)
	}
	granted, retry, err := e.spend(key, 1, limit, window)
	if err != nil {
		return false, 0, fmt.Errorf("rate limit %s: %w", key, err)
	}
	return granted > 0, retry, nil
}

// Reserve implements persistence.RateLimiter: up to n requests at once.
func (e *Engine) Reserve(_ context.Context, key string, n, limit int, window time.Duration) (int, time.Duration, error) {
	if limit <= 0 || window <= 0 || n <= 0 {
		return 0, 0, fmt.Errorf("reserve %d of rate limit %s (%d per %s): %w", n, key, limit, window, errBadLimit)
	}
	granted, retry, err := e.spend(key, n, limit, window)
	if err != nil {
		return 0, 0, fmt.Errorf("reserve rate limit %s: %w", key, err)
	}
	return granted, retry, nil
}

// spend runs the GCRA step of persistence/redis's script on key's
// theoretical arrival time, under the keyspace lock so it is atomic.
func (e *Engine) spend(key string, want, limit int, window time.Duration) (int, time.Duration, error) {
	now := e.now()
	k := e.budgets
	k.mu.Lock()
	defer k.mu.Unlock()
	tat := math.NaN()
	if cur, ok := k.get(key, now); ok {
		tat = cur.val
	}
	step := gcra(tat, float64(now.UnixMicro()), window, limit, want)
	if step.granted == 0 {
		return 0, step.retry, nil
	}
	until := now.Add(step.ttl)
	if err := k.put(key, step.tat, until, now); err != nil {
		return 0, 0, err
	}
	return step.granted, 0, nil
}

// gcraStep is the outcome of one GCRA decision.
type gcraStep struct {
	granted int
	retry   time.Duration // when nothing was granted
	tat     float64       // the new theoretical arrival time, µs
	ttl     time.Duration // how long the new TAT matters
}

// gcra is the Generic Cell Rate Algorithm in microseconds, step for step
// the Redis script (persistence/redis gcraScript), so both engines decide
// alike: the emission interval is rounded to 3 decimals and the TAT to a
// whole microsecond as the script's string formats do. tat is NaN when the
// key holds nothing.
func gcra(tat, now float64, window time.Duration, limit, want int) gcraStep {
	windowUS := float64(window.Microseconds())
	interval := math.Round(windowUS/float64(limit)*1000) / 1000
	if math.IsNaN(tat) || tat < now {
		tat = now
	}
	if retry := tat + interval - windowUS - now; retry > 0 {
		return gcraStep{retry: time.Duration(math.Ceil(retry)) * time.Microsecond}
	}
	n := max(1, min(want, int(math.Floor((now+windowUS-tat)/interval))))
	next := math.RoundToEven(tat + float64(n)*interval)
	ttl := max(1, math.Ceil((next-now)/1000))
	return gcraStep{granted: n, tat: next, ttl: time.Duration(ttl) * time.Millisecond}
}
