package memory

import (
	"context"
	"fmt"
	"time"

	"github.com/proofstell/proofstell/persistence"
)

// PutChallenge implements persistence.NonceStore. The entry lives for the
// challenge's own lifetime (ExpiresAt − IssuedAt) from now, as the Redis
// key's relative TTL does. Times are kept to the millisecond, as Redis
// keeps them, so a challenge reads back the same from either engine.
func (e *Engine) PutChallenge(_ context.Context, chain persistence.Chain, address string, ch persistence.WalletChallenge) error {
	ttl := ch.ExpiresAt.Sub(ch.IssuedAt)
	if ttl <= 0 || ch.Nonce == "" {
		return fmt.Errorf("put wallet challenge %s/%s: need a nonce and a positive lifetime", chain, address)
	}
	stored := persistence.WalletChallenge{Nonce: ch.Nonce, IssuedAt: toMilli(ch.IssuedAt), ExpiresAt: toMilli(ch.ExpiresAt)}
	now := e.now()
	k := e.challenges
	k.mu.Lock()
	defer k.mu.Unlock()
	if err := k.put(challengeKey(chain, address), stored, now.Add(ttl), now); err != nil {
		return fmt.Errorf("put wallet challenge %s/%s: %w", chain, address, err)
	}
	return nil
}

// TakeChallenge implements persistence.NonceStore: the read and the delete
// happen under one lock, so of two concurrent takes exactly one gets it.
func (e *Engine) TakeChallenge(_ context.Context, chain persistence.Chain, address string) (persistence.WalletChallenge, error) {
	key := challengeKey(chain, address)
	k := e.challenges
	k.mu.Lock()
	defer k.mu.Unlock()
	cur, ok := k.get(key, e.now())
	if !ok {
		return persistence.WalletChallenge{}, fmt.Errorf("take wallet challenge %s/%s: %w", chain, address, persistence.ErrNotFound)
	}
	k.drop(key)
	return cur.val, nil
}

func challengeKey(chain persistence.Chain, address string) string {
	return string(chain) + ":" + address
}

// toMilli is t at Redis's millisecond precision, in UTC.
func toMilli(t time.Time) time.Time { return time.UnixMilli(t.UnixMilli()).UTC() }
