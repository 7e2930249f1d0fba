package redis

import (
	"context"
	"fmt"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/proofstell/proofstell/persistence"
)

// Distrust implements persistence.RevocationCache: it deletes the rebuilt
// marker, so every node reads PostgreSQL until one rebuilds.
func (c *Client) Distrust(ctx context.Context) error {
	if err := c.rdb.Del(ctx, c.key(markerKey, "")).Err(); err != nil {
		redisErrors.WithLabelValues(opRestore).Inc()
		return fmt.Errorf("distrust revocation cache: %w", err)
	}
	return nil
}

// Restore implements persistence.RevocationCache: every entry of s and then
// the rebuilt marker, in one MULTI/EXEC, so no node ever sees the marker
// without the state it vouches for. Watermarks are raised, never lowered;
// entries whose tokens have all expired are skipped.
func (c *Client) Restore(ctx context.Context, s persistence.RevocationState, ttl time.Duration) error {
	if ttl <= 0 {
		return fmt.Errorf("restore revocations: ttl must be positive")
	}
	now := c.wallClock()
	_, err := c.rdb.TxPipelined(ctx, func(p goredis.Pipeliner) error {
		for _, t := range s.Tokens {
			if t.ExpiresAt.After(now) {
				p.Do(ctx, "SET", c.key("deny:", t.TokenID), 1, "PXAT", t.ExpiresAt.Add(time.Millisecond-1).UnixMilli())
			}
		}
		for _, w := range s.Watermarks {
			if left := w.At.Add(ttl).Sub(now); left > 0 {
				notBeforeScript.Eval(ctx, p, []string{c.key("nbf:", w.PlayerID)}, w.At.UnixMilli(), (left + time.Minute).Milliseconds())
			}
		}
		for _, f := range s.Families {
			if until := f.RevokedAt.Add(ttl + time.Minute); until.After(now) {
				p.Do(ctx, "SET", c.key("fam:", f.FamilyID), 1, "PXAT", until.UnixMilli())
			}
		}
		p.Set(ctx, c.key(markerKey, ""), now.UnixMilli(), 0)
		return nil
	})
	if err != nil {
		redisErrors.WithLabelValues(opRestore).Inc()
		return fmt.Errorf("restore revocations: %w", err)
	}
	return nil
}
