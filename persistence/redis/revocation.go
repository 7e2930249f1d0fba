package redis

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/proofstell/proofstell/persistence"
)

// Metric labels of the revocation operations.
const (
	opNotBefore    = "not_before"
	opRevoked      = "revoked"
	opRevokeFamily = "revoke_family"
	opRestore      = "restore"
)

var _ persistence.RevocationCache = (*Client)(nil)

// Key layout of per-user revocation, after the prefix:
//
//	nbf:<playerID>  "not before" watermark, Unix milliseconds; access tokens
//	                issued at or before it are rejected. It expires once every
//	                token it could reject has expired anyway.
//	fam:<familyID>  the refresh family's access tokens are revoked; expires
//	                with the last of them.
//	rev:rebuilt     the rebuilt marker: present only while Redis holds the
//	                complete revocation state (written last by Restore, never
//	                expires). Its absence is how a restart, flush or failover
//	                to an empty replica is noticed.

// markerKey is the rebuilt marker's key (after the prefix).
const markerKey = "rev:rebuilt"

// RevokeFamily implements persistence.RevocationCache.
func (c *Client) RevokeFamily(ctx context.Context, familyID string, ttl time.Duration) error {
	if familyID == "" {
		return nil
	}
	if ttl <= 0 {
		return fmt.Errorf("revoke family %s: ttl must be positive", familyID)
	}
	if err := c.rdb.Set(ctx, c.key("fam:", familyID), 1, ttl).Err(); err != nil {
		redisErrors.WithLabelValues(opRevokeFamily).Inc()
		return fmt.Errorf("revoke family %s: %w", familyID, err)
	}
	return nil
}

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

// Revoked implements persistence.RevocationCache: one MGET of the token's
// denylist entry, the player's watermark, the family's entry and the
// rebuilt marker. A missing marker means Redis lost its data since the last
// Restore, so the verdict is not Intact.
func (c *Client) Revoked(ctx context.Context, q persistence.RevocationQuery) (persistence.RevocationVerdict, error) {
	vals, err := c.rdb.MGet(ctx, c.key("deny:", q.TokenID), c.key("nbf:", q.PlayerID),
		c.key("fam:", q.FamilyID), c.key(markerKey, "")).Result()
	if err != nil {
		redisErrors.WithLabelValues(opRevoked).Inc()
		return persistence.RevocationVerdict{}, fmt.Errorf("check revocation of %s: %w", q.PlayerID, err)
	}
	if len(vals) != 4 {
		return persistence.RevocationVerdict{}, errors.New("check revocation: unexpected MGET reply")
	}
	v := persistence.RevocationVerdict{
		Denied:        vals[0] != nil,
		FamilyRevoked: q.FamilyID != "" && vals[2] != nil,
		Intact:        vals[3] != nil,
	}
	if s, ok := vals[1].(string); ok {
		ms, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return persistence.RevocationVerdict{}, fmt.Errorf("check revocation of %s: bad watermark %q: %w", q.PlayerID, s, err)
		}
		v.NotBefore = time.UnixMilli(ms).UTC()
	}
	return v, nil
}
