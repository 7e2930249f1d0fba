package redis

import (
	"context"
	"fmt"
	"time"
)

// Reserve takes up to n requests at once for key from the same cluster-wide
// budget Allow spends (limit per window, GCRA). It grants what the budget
// has room for now, possibly fewer than n; with nothing granted, retryAfter
// is how long until one more request would pass. Errors are the caller's to
// fail open or closed, as with Allow.
func (c *Client) Reserve(ctx context.Context, key string, n, limit int, window time.Duration) (granted int, retryAfter time.Duration, err error) {
	if limit <= 0 || window <= 0 || n <= 0 {
		return 0, 0, fmt.Errorf("reserve %d of rate limit %s (%d per %s): %w", n, key, limit, window, errBadLimit)
	}
	granted, retry, err := c.gcra(ctx, key, n, limit, window)
	if err != nil {
		return 0, 0, fmt.Errorf("reserve rate limit %s: %w", key, err)
	}
	if granted == 0 {
		rateLimitDecisions.WithLabelValues("denied").Inc()
		return 0, retry, nil
	}
	rateLimitDecisions.WithLabelValues("reserved").Inc()
	return granted, 0, nil
}
