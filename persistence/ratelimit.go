package persistence

import (
	"context"
	"time"
)

// RateLimiter spends budgets of limit requests per window, one per subject
// key, with the Generic Cell Rate Algorithm: a burst of limit, then a
// steady limit per window, with no fixed-window edge bursts. Redis shares
// the budgets between nodes (persistence/redis); a single node may keep them
// in process (persistence/memory).
//
// The contract:
//   - Allow and Reserve spend the same budget: a request reserved counts
//     against Allow and the other way round.
//   - Each call is atomic: concurrent callers (on any node sharing the
//     store) never spend a cell twice.
//   - A refusal says how long until one more request would pass (retry);
//     retry is zero whenever something was granted.
//   - A limit, window or n that is not positive is an error, never a
//     decision. Any other error (the store is unreachable) leaves the
//     decision to the caller: fail open for availability or closed for
//     protection.
type RateLimiter interface {
	// Allow takes one request for key.
	Allow(ctx context.Context, key string, limit int, window time.Duration) (allowed bool, retryAfter time.Duration, err error)
	// Reserve takes up to n requests for key at once: what the budget has
	// room for now, possibly fewer than n (internal/budget leases them to
	// a node).
	Reserve(ctx context.Context, key string, n, limit int, window time.Duration) (granted int, retryAfter time.Duration, err error)
}
