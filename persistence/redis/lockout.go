package redis

import (
	"context"
	"errors"
	"fmt"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/proofstell/proofstell/persistence"
)

var _ persistence.Lockout = (*Lockout)(nil)

// opLockout labels lockout failures in proofstell_redis_errors_total.
const opLockout = "lockout"

// failScript counts one failure and locks on reaching the limit, atomically
// across nodes. The failure counter expires AttemptWindow after the first
// failure it counts (a fixed window); the lock expires LockoutDuration after
// it was set. Both TTLs are PEXPIRE/PX milliseconds computed from
// time.Duration, so seconds stay seconds.
//
// KEYS[1] failures, KEYS[2] lock. ARGV[1] limit, ARGV[2] window ms,
// ARGV[3] lock ms. Returns the lock's ms when this failure locked, else 0.
var failScript = goredis.NewScript(`
local n = redis.call('INCR', KEYS[1])
if n == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
if n >= tonumber(ARGV[1]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  redis.call('DEL', KEYS[1])
  return tonumber(ARGV[3])
end
return 0
`)

// errBadPolicy rejects a policy that cannot lock anything sensibly.
var errBadPolicy = errors.New("lockout limit, window and duration must be positive")

// Lockout is the Redis implementation of persistence.Lockout: every node
// shares the counters, so spreading guesses over nodes gains nothing.
type Lockout struct {
	c        *Client
	limit    int
	window   time.Duration
	duration time.Duration
}

// NewLockout returns a Lockout that locks a subject for duration after
// limit failures within window (config.Auth MaxFailedAttempts,
// AttemptWindow, LockoutDuration). Windows shorter than a millisecond are
// rejected: Redis TTLs cannot express them.
func NewLockout(c *Client, limit int, window, duration time.Duration) (*Lockout, error) {
	if limit <= 0 || window < time.Millisecond || duration < time.Millisecond {
		return nil, fmt.Errorf("new lockout (%d in %s, lock %s): %w", limit, window, duration, errBadPolicy)
	}
	return &Lockout{c: c, limit: limit, window: window, duration: duration}, nil
}

// keys returns the failure counter and lock keys of subject; the hash tag
// keeps both in one Redis Cluster slot so the script may touch both.
func (l *Lockout) keys(subject string) []string {
	return []string{l.c.key("lock:{", subject, "}:fail"), l.c.key("lock:{", subject, "}:locked")}
}

// Locked implements persistence.Lockout.
func (l *Lockout) Locked(ctx context.Context, subject string) (time.Duration, error) {
	ttl, err := l.c.rdb.PTTL(ctx, l.keys(subject)[1]).Result()
	if err != nil {
		redisErrors.WithLabelValues(opLockout).Inc()
		return 0, fmt.Errorf("lockout state: %w", err)
	}
	switch {
	case ttl == -1: // a lock without expiry cannot come from Fail; treat as a full lock
		return l.duration, nil
	case ttl <= 0:
		return 0, nil
	}
	return ttl, nil
}

// Fail implements persistence.Lockout.
func (l *Lockout) Fail(ctx context.Context, subject string) (time.Duration, error) {
	ms, err := failScript.Run(ctx, l.c.rdb, l.keys(subject),
		l.limit, l.window.Milliseconds(), l.duration.Milliseconds()).Int64()
	if err != nil {
		redisErrors.WithLabelValues(opLockout).Inc()
		return 0, fmt.Errorf("lockout failure: %w", err)
	}
	return time.Duration(ms) * time.Millisecond, nil
}

// Reset implements persistence.Lockout.
func (l *Lockout) Reset(ctx context.Context, subject string) error {
	if err := l.c.rdb.Del(ctx, l.keys(subject)...).Err(); err != nil {
		redisErrors.WithLabelValues(opLockout).Inc()
		return fmt.Errorf("lockout reset: %w", err)
	}
	return nil
}
