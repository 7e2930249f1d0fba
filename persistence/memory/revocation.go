package memory

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/proofstell/proofstell/persistence"
)

// revocationCache is the fast copy of the revocation ledger. intact plays
// the Redis rebuilt marker: false until Restore, false again after
// Distrust. The process never loses entries while it lives, so nothing
// else clears it (see the package doc on server changes).
type revocationCache struct {
	denied    *keyspace[struct{}]
	watermark *keyspace[time.Time]
	families  *keyspace[struct{}]
	intact    atomic.Bool
}

// Deny implements persistence.RevocationCache; an until already past is a
// no-op, as the entry would be gone at once.
func (e *Engine) Deny(_ context.Context, jti string, until time.Time) error {
	now := e.now()
	if !until.After(now) {
		return nil
	}
	if err := e.revocation.deny(jti, until, now); err != nil {
		return fmt.Errorf("deny token %s: %w", jti, err)
	}
	return nil
}

// SetNotBefore implements persistence.RevocationCache: the watermark and
// its expiry are only ever raised, so two concurrent logouts cannot reopen
// a window.
func (e *Engine) SetNotBefore(_ context.Context, playerID string, at time.Time, ttl time.Duration) error {
	if ttl <= 0 {
		return fmt.Errorf("set not-before of %s: ttl must be positive", playerID)
	}
	now := e.now()
	if err := e.revocation.raise(playerID, at, now.Add(ttl), now); err != nil {
		return fmt.Errorf("set not-before of %s: %w", playerID, err)
	}
	return nil
}

// RevokeFamily implements persistence.RevocationCache.
func (e *Engine) RevokeFamily(_ context.Context, familyID string, ttl time.Duration) error {
	if familyID == "" {
		return nil
	}
	if ttl <= 0 {
		return fmt.Errorf("revoke family %s: ttl must be positive", familyID)
	}
	now := e.now()
	if err := e.revocation.revokeFamily(familyID, now.Add(ttl), now); err != nil {
		return fmt.Errorf("revoke family %s: %w", familyID, err)
	}
	return nil
}

// Revoked implements persistence.RevocationCache.
func (e *Engine) Revoked(_ context.Context, q persistence.RevocationQuery) (persistence.RevocationVerdict, error) {
	now := e.now()
	r := &e.revocation
	// The mark is read before the entries: a mark seen set was set after
	// the restore it vouches for had written them all, so they are read
	// here. Read after, it could vouch for entries a concurrent restore had
	// not yet written when they were read (Redis reads all in one MGET).
	v := persistence.RevocationVerdict{Intact: r.intact.Load()}
	v.Denied = has(r.denied, q.TokenID, now)
	v.FamilyRevoked = q.FamilyID != "" && has(r.families, q.FamilyID, now)
	r.watermark.mu.Lock()
	if w, ok := r.watermark.get(q.PlayerID, now); ok {
		v.NotBefore = w.val
	}
	r.watermark.mu.Unlock()
	return v, nil
}

// Distrust implements persistence.RevocationCache.
func (e *Engine) Distrust(context.Context) error {
	e.revocation.intact.Store(false)
	return nil
}

// Restore implements persistence.RevocationCache: every live entry of s,
// then the intact mark, so no reader sees the mark before the state it
// vouches for. Entries whose tokens have all expired are skipped; a full
// keyspace fails the restore and leaves the mark off.
func (e *Engine) Restore(_ context.Context, s persistence.RevocationState, ttl time.Duration) error {
	if ttl <= 0 {
		return fmt.Errorf("restore revocations: ttl must be positive")
	}
	now := e.now()
	r := &e.revocation
	for _, t := range s.Tokens {
		if err := r.deny(t.TokenID, t.ExpiresAt, now); err != nil {
			return fmt.Errorf("restore revocations: %w", err)
		}
	}
	for _, w := range s.Watermarks {
		if err := r.raise(w.PlayerID, w.At, w.At.Add(ttl+time.Minute), now); err != nil {
			return fmt.Errorf("restore revocations: %w", err)
		}
	}
	for _, f := range s.Families {
		if err := r.revokeFamily(f.FamilyID, f.RevokedAt.Add(ttl+time.Minute), now); err != nil {
			return fmt.Errorf("restore revocations: %w", err)
		}
	}
	r.intact.Store(true)
	return nil
}

// deny stores jti until until, if that is still ahead.
func (r *revocationCache) deny(jti string, until, now time.Time) error {
	if !until.After(now) {
		return nil
	}
	r.denied.mu.Lock()
	defer r.denied.mu.Unlock()
	return r.denied.put(jti, struct{}{}, until, now)
}

// raise sets playerID's watermark to the later of its current one and at
// (at Redis's millisecond precision), kept until the later expiry, if that
// is still ahead.
func (r *revocationCache) raise(playerID string, at, until, now time.Time) error {
	if !until.After(now) {
		return nil
	}
	k := r.watermark
	k.mu.Lock()
	defer k.mu.Unlock()
	at = toMilli(at)
	if cur, ok := k.get(playerID, now); ok {
		if cur.val.After(at) {
			at = cur.val
		}
		if cur.until.After(until) {
			until = cur.until
		}
	}
	return k.put(playerID, at, until, now)
}

// revokeFamily stores familyID until until, if that is still ahead.
func (r *revocationCache) revokeFamily(familyID string, until, now time.Time) error {
	if !until.After(now) {
		return nil
	}
	r.families.mu.Lock()
	defer r.families.mu.Unlock()
	return r.families.put(familyID, struct{}{}, until, now)
}

// has reports whether k holds a live key.
func has[V any](k *keyspace[V], key string, now time.Time) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	_, ok := k.get(key, now)
	return ok
}
