package redis

import (
	"context"
	"fmt"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// reserveScript is gcraScript taking up to n cells at once: the budget a
// node then spends locally (internal/budget). It grants as many of the n as
// the subject's TAT leaves room for within one window, so a grant never lets
// the subject exceed what n single Allow calls would have admitted.
//
// KEYS[1] subject key. ARGV[1] emission interval µs, ARGV[2] window µs,
// ARGV[3] now µs or "" to use Redis's clock, ARGV[4] cells wanted. Returns
// {granted, retry µs}; retry is set only when nothing was granted.
var reserveScript = goredis.NewScript(`
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
local room = math.floor((now + window - tat) / interval)
if room < 1 then
  return {0, math.ceil(tat + interval - window - now)}
end
local n = math.min(want, room)
local next_tat = tat + n * interval
local ttl = math.max(1, math.ceil((next_tat - now) / 1000))
redis.call('SET', KEYS[1], string.format('%.0f', next_tat), 'PX', ttl)
return {n, 0}
`)

// Reserve takes up to n requests at once for key from the same cluster-wide
// budget Allow spends (limit per window, GCRA). It grants what the budget
// has room for now, possibly fewer than n; with nothing granted, retryAfter
// is how long until one more request would pass. Errors are the caller's to
// fail open or closed, as with Allow.
func (c *Client) Reserve(ctx context.Context, key string, n, limit int, window time.Duration) (granted int, retryAfter time.Duration, err error) {
	if limit <= 0 || window <= 0 || n <= 0 {
		return 0, 0, fmt.Errorf("reserve %d of rate limit %s (%d per %s): %w", n, key, limit, window, errBadLimit)
	}
	args := append(c.gcraArgs(limit, window), n)
	res, err := reserveScript.Run(ctx, c.rdb, []string{c.key("rl:", key)}, args...).Int64Slice()
	if err != nil {
		redisErrors.WithLabelValues(opRateLimit).Inc()
		return 0, 0, fmt.Errorf("reserve rate limit %s: %w", key, err)
	}
	if len(res) != 2 {
		redisErrors.WithLabelValues(opRateLimit).Inc()
		return 0, 0, fmt.Errorf("reserve rate limit %s: unexpected script reply %v", key, res)
	}
	if res[0] == 0 {
		rateLimitDecisions.WithLabelValues("denied").Inc()
		return 0, time.Duration(res[1]) * time.Microsecond, nil
	}
	rateLimitDecisions.WithLabelValues("reserved").Inc()
	return int(res[0]), 0, nil
}
