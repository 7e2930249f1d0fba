package redis

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// gcraScript is the Generic Cell Rate Algorithm: one key per limited subject
// holding its theoretical arrival time (TAT) in microseconds. Each request
// pushes TAT forward by one emission interval (window/limit); a request is
// refused while TAT would run more than one window ahead of now. This allows
// a burst of limit requests, then limit per window, with O(1) memory and no
// fixed-window edge bursts. Running it as one script makes the read-modify-
// write atomic across every node. It takes up to ARGV[4] cells at once (Allow
// takes one; Reserve a node's local lease, internal/budget), granting as many
// as the TAT leaves room for within one window, so a grant of n never lets
// the subject exceed what n single requests would have been admitted.
//
// KEYS[1] subject key. ARGV[1] emission interval µs, ARGV[2] window µs,
// ARGV[3] now µs or "" to use Redis's clock, ARGV[4] cells wanted. Returns
// {granted, retry µs}; retry is set only when nothing was granted.
var gcraScript = goredis.NewScript(`
local now = tonumber(ARGV[3])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
end
local interval = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local want = tonumber(ARGV[4])
local tat = tonumber(redis.call('GET', KEYS[1]))
if not tat or tat < now then
  tat = now
end
local retry = tat + interval - window - now
if retry > 0 then
  return {0, math.ceil(retry)}
end
local n = math.max(1, math.min(want, math.floor((now + window - tat) / interval)))
local next_tat = tat + n * interval
local ttl = math.max(1, math.ceil((next_tat - now) / 1000))
redis.call('SET', KEYS[1], string.format('%.0f', next_tat), 'PX', ttl)
return {n, 0}
`)

// errBadLimit rejects a limit or window that cannot describe a rate.
var errBadLimit = errors.New("limit and window must be positive")

// Allow takes one request for key from a cluster-wide budget of limit
// requests per window (a burst of limit, then a steady limit per window).
// When refused, retryAfter is how long until one more request would pass.
// On error the decision is the caller's: fail open for availability or
// closed for protection.
func (c *Client) Allow(ctx context.Context, key string, limit int, window time.Duration) (allowed bool, retryAfter time.Duration, err error) {
	if limit <= 0 || window <= 0 {
		return false, 0, fmt.Errorf("rate limit %s (%d per %s): %w", key, limit, window, errBadLimit)
	}
	granted, retry, err := c.gcra(ctx, key, 1, limit, window)
	if err != nil {
		return false, 0, fmt.Errorf("rate limit %s: %w", key, err)
	}
	if granted == 0 {
		rateLimitDecisions.WithLabelValues("denied").Inc()
		return false, retry, nil
	}
	rateLimitDecisions.WithLabelValues("allowed").Inc()
	return true, 0, nil
}

// gcra runs gcraScript for up to n cells of key's budget.
func (c *Client) gcra(ctx context.Context, key string, n, limit int, window time.Duration) (granted int, retry time.Duration, err error) {
	args := append(c.gcraArgs(limit, window), n)
	res, err := gcraScript.Run(ctx, c.rdb, []string{c.key("rl:", key)}, args...).Int64Slice()
	if err == nil && len(res) != 2 {
		err = fmt.Errorf("unexpected script reply %v", res)
	}
	if err != nil {
		redisErrors.WithLabelValues(opRateLimit).Inc()
		return 0, 0, err
	}
	return int(res[0]), time.Duration(res[1]) * time.Microsecond, nil
}

// gcraArgs encodes the script's arguments in microseconds.
func (c *Client) gcraArgs(limit int, window time.Duration) []any {
	windowUS := window.Microseconds()
	interval := strconv.FormatFloat(float64(windowUS)/float64(limit), 'f', 3, 64)
	now := ""
	if c.now != nil {
		now = strconv.FormatInt(c.now().UnixMicro(), 10)
	}
	return []any{interval, strconv.FormatInt(windowUS, 10), now}
}
