package redis

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// Metric labels of the revocation operations.
const (
	opNotBefore = "not_before"
	opRevoked   = "revoked"
)

// Key layout of per-user revocation, after the prefix:
//
//	nbf:<playerID>  "not before" watermark, Unix milliseconds; access tokens
//	                issued at or before it are rejected. It expires once every
//	                token it could reject has expired anyway.

// SetNotBefore raises playerID's watermark to at, keeping it for ttl (the
// access-token lifetime: older tokens are expired by then). It never lowers
// an existing watermark, so two concurrent logouts cannot reopen a window.
func (c *Client) SetNotBefore(ctx context.Context, playerID string, at time.Time, ttl time.Duration) error {
	if ttl <= 0 {
		return fmt.Errorf("set not-before of %s: ttl must be positive", playerID)
	}
	key := c.key("nbf:", playerID)
	ms := at.UnixMilli()
	// GT keeps the larger expiry; the value is raised by a tiny script so
	// the read-compare-write is atomic across nodes.
	if err := notBeforeScript.Run(ctx, c.rdb, []string{key}, ms, ttl.Milliseconds()).Err(); err != nil {
		redisErrors.WithLabelValues(opNotBefore).Inc()
		return fmt.Errorf("set not-before of %s: %w", playerID, err)
	}
	return nil
}

// notBeforeScript stores max(current, ARGV[1]) with a PX of at least ARGV[2].
var notBeforeScript = goredis.NewScript(`
local cur = tonumber(redis.call('GET', KEYS[1]))
local v = tonumber(ARGV[1])
if cur and cur > v then v = cur end
local ttl = redis.call('PTTL', KEYS[1])
local px = tonumber(ARGV[2])
if ttl > px then px = ttl end
redis.call('SET', KEYS[1], string.format('%.0f', v), 'PX', px)
return v
`)

// Revoked answers, in one round trip, whether the access token jti is
// denylisted and what playerID's watermark is (zero time when none).
func (c *Client) Revoked(ctx context.Context, jti, playerID string) (denied bool, notBefore time.Time, err error) {
	vals, err := c.rdb.MGet(ctx, c.key("deny:", jti), c.key("nbf:", playerID)).Result()
	if err != nil {
		redisErrors.WithLabelValues(opRevoked).Inc()
		return false, time.Time{}, fmt.Errorf("check revocation of %s: %w", playerID, err)
	}
	if len(vals) != 2 {
		return false, time.Time{}, errors.New("check revocation: unexpected MGET reply")
	}
	denied = vals[0] != nil
	if s, ok := vals[1].(string); ok {
		ms, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return false, time.Time{}, fmt.Errorf("check revocation of %s: bad watermark %q: %w", playerID, s, err)
		}
		notBefore = time.UnixMilli(ms).UTC()
	}
	return denied, notBefore, nil
}
