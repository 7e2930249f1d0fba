package memory

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// errBadPolicy rejects a policy that cannot lock anything sensibly.
var errBadPolicy = errors.New("lockout limit, window and duration must be positive")

// Lockout is the in-process persistence.Lockout of a single node.
type Lockout struct {
	now      func() time.Time
	limit    int
	window   time.Duration
	duration time.Duration
	// failures counts a subject's failures in a window fixed from its
	// first failure; locks holds the locked subjects.
	failures *keyspace[int]
	locks    *keyspace[struct{}]
}

// NewLockout returns a Lockout that locks a subject for duration after
// limit failures within window, on e's clock and bounds. Windows shorter
// than a millisecond are rejected, as persistence/redis rejects them.
func NewLockout(e *Engine, limit int, window, duration time.Duration) (*Lockout, error) {
	if limit <= 0 || window < time.Millisecond || duration < time.Millisecond {
		return nil, fmt.Errorf("new lockout (%d in %s, lock %s): %w", limit, window, duration, errBadPolicy)
	}
	return &Lockout{now: e.now, limit: limit, window: window, duration: duration,
		failures: newKeyspace[int]("lockout_failures", e.maxKeys()),
		locks:    newKeyspace[struct{}]("lockout_locks", e.maxKeys())}, nil
}

// Locked implements persistence.Lockout.
func (l *Lockout) Locked(_ context.Context, subject string) (time.Duration, error) {
	now := l.now()
	l.locks.mu.Lock()
	defer l.locks.mu.Unlock()
	lock, ok := l.locks.get(subject, now)
	if !ok {
		return 0, nil
	}
	return lock.until.Sub(now), nil
}

// Fail implements persistence.Lockout: count, and lock on reaching the
// limit, under both keyspaces' locks (failures first, as everywhere).
func (l *Lockout) Fail(_ context.Context, subject string) (time.Duration, error) {
	now := l.now()
	l.failures.mu.Lock()
	defer l.failures.mu.Unlock()
	cur, ok := l.failures.get(subject, now)
	if !ok {
		cur = entry[int]{until: now.Add(l.window)}
	}
	if cur.val+1 < l.limit {
		if err := l.failures.put(subject, cur.val+1, cur.until, now); err != nil {
			return 0, fmt.Errorf("lockout failure: %w", err)
		}
		return 0, nil
	}
	l.locks.mu.Lock()
	defer l.locks.mu.Unlock()
	if err := l.locks.put(subject, struct{}{}, now.Add(l.duration), now); err != nil {
		return 0, fmt.Errorf("lockout failure: %w", err)
	}
	l.failures.drop(subject)
	return l.duration, nil
}

// Reset implements persistence.Lockout.
func (l *Lockout) Reset(_ context.Context, subject string) error {
	l.failures.mu.Lock()
	defer l.failures.mu.Unlock()
	l.locks.mu.Lock()
	defer l.locks.mu.Unlock()
	l.failures.drop(subject)
	l.locks.drop(subject)
	return nil
}
