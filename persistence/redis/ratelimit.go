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
// write atomic across every node.
//
// KEYS[1] subject key. ARGV[1] emission interval µs, ARGV[2] window µs,
// ARGV[3] now µs or "" to use Redis's clock. Returns {allowed 0|1, retry µs}.
var gcraScript = goredis.NewScript(`
local now = tonumber(ARGV[3])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
end
local interval = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]))
if not tat or tat < now then
  tat = now
end
local next_tat = tat + interval
local retry = next_tat - window - now
if retry > 0 then
  return {0, math.ceil(retry)}
end
local ttl = math.max(1, math.ceil((next_tat - now) / 1000))
redis.call('SET', KEYS[1], string.format('%.0f', next_tat), 'PX', ttl)
return {1, 0}
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
	res, err := gcraScript.Run(ctx, c.rdb, []string{c.key("rl:", key)}, c.gcraArgs(limit, window)...).Int64Slice()
	if err != nil {
		redisErrors.WithLabelValues(opRateLimit).Inc()
		return false, 0, fmt.Errorf("rate limit %s: %w", key, err)
	}
	if len(res) != 2 {
		redisErrors.WithLabelValues(opRateLimit).Inc()
		return false, 0, fmt.Errorf("rate limit %s: unexpected script reply %v", key, res)
	}
	if res[0] == 1 {
		rateLimitDecisions.WithLabelValues("allowed").Inc()
		return true, 0, nil
	}
	rateLimitDecisions.WithLabelValues("denied").Inc()
	return false, time.Duration(res[1]) * time.Microsecond, nil
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
