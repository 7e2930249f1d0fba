package redis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/proofstell/proofstell/persistence"
)

var _ persistence.NonceStore = (*Client)(nil)

// Key layout of wallet challenges, after the prefix:
//
//	wnonce:<chain>:<address>  JSON {nonce, issued, expires}; expires with the
//	                          challenge and is deleted by the GETDEL that
//	                          takes it, so it verifies at most once.

// storedChallenge is the JSON value of a challenge key. Times are Unix
// milliseconds so the rebuilt message matches the signed one exactly.
type storedChallenge struct {
	Nonce   string `json:"n"`
	Issued  int64  `json:"i"`
	Expires int64  `json:"e"`
}

// PutChallenge implements persistence.NonceStore. The key lives for the
// challenge's own lifetime (ExpiresAt − IssuedAt), a relative TTL, so nodes
// whose clocks differ slightly still agree on when it is gone.
func (c *Client) PutChallenge(ctx context.Context, chain persistence.Chain, address string, ch persistence.WalletChallenge) error {
	ttl := ch.ExpiresAt.Sub(ch.IssuedAt)
	if ttl <= 0 || ch.Nonce == "" {
		return fmt.Errorf("put wallet challenge %s/%s: need a nonce and a positive lifetime", chain, address)
	}
	val, err := json.Marshal(storedChallenge{Nonce: ch.Nonce, Issued: ch.IssuedAt.UnixMilli(), Expires: ch.ExpiresAt.UnixMilli()})
	if err != nil {
		return fmt.Errorf("put wallet challenge %s/%s: %w", chain, address, err)
	}
	if err := c.rdb.Set(ctx, c.challengeKey(chain, address), val, ttl).Err(); err != nil {
		redisErrors.WithLabelValues(opNonce).Inc()
		return fmt.Errorf("put wallet challenge %s/%s: %w", chain, address, err)
	}
	return nil
}

// TakeChallenge implements persistence.NonceStore with one GETDEL: of two
// concurrent takes (on any nodes) exactly one gets the challenge.
func (c *Client) TakeChallenge(ctx context.Context, chain persistence.Chain, address string) (persistence.WalletChallenge, error) {
	raw, err := c.rdb.GetDel(ctx, c.challengeKey(chain, address)).Bytes()
	if errors.Is(err, goredis.Nil) {
		return persistence.WalletChallenge{}, fmt.Errorf("take wallet challenge %s/%s: %w", chain, address, persistence.ErrNotFound)
	}
	if err != nil {
		redisErrors.WithLabelValues(opNonce).Inc()
		return persistence.WalletChallenge{}, fmt.Errorf("take wallet challenge %s/%s: %w", chain, address, err)
	}
	var sc storedChallenge
	if err := json.Unmarshal(raw, &sc); err != nil {
		return persistence.WalletChallenge{}, fmt.Errorf("take wallet challenge %s/%s: decode: %w", chain, address, err)
	}
	return persistence.WalletChallenge{Nonce: sc.Nonce, IssuedAt: time.UnixMilli(sc.Issued).UTC(),
		ExpiresAt: time.UnixMilli(sc.Expires).UTC()}, nil
}

// opNonce labels failed wallet challenge operations in proofstell_redis_errors_total.
const opNonce = "wallet_nonce"

func (c *Client) challengeKey(chain persistence.Chain, address string) string {
	return c.key("wnonce:", string(chain), ":", address)
}
