package redis

import (
	"context"
	"fmt"
	"time"
)

// Deny puts the access token jti on the denylist until until (normally the
// token's expiry: afterwards the token is rejected for being expired, so the
// entry removes itself). An until already past is a no-op.
func (c *Client) Deny(ctx context.Context, jti string, until time.Time) error {
	if !until.After(c.wallClock()) {
		return nil
	}
	// One SET with PXAT so an entry can never outlive its expiry; round up
	// so it never expires before the token does.
	at := until.Add(time.Millisecond - 1).UnixMilli()
	if err := c.rdb.Do(ctx, "SET", c.key("deny:", jti), 1, "PXAT", at).Err(); err != nil {
		redisErrors.WithLabelValues(opDeny).Inc()
		return fmt.Errorf("deny token %s: %w", jti, err)
	}
	return nil
}

// Denied reports whether the access token jti is on the denylist.
func (c *Client) Denied(ctx context.Context, jti string) (bool, error) {
	n, err := c.rdb.Exists(ctx, c.key("deny:", jti)).Result()
	if err != nil {
		redisErrors.WithLabelValues(opDenied).Inc()
		return false, fmt.Errorf("check denied token %s: %w", jti, err)
	}
	return n == 1, nil
}

// wallClock is the injected clock, or the system clock.
func (c *Client) wallClock() time.Time {
	if c.now != nil {
		return c.now()
	}
	return time.Now()
}
