package auth

import (
	"crypto/sha256"
	"sync"
	"time"
)

// verifiedTokens remembers the claims of access tokens Verify accepted, so
// a client presenting the same token again costs a map look-up instead of
// an HMAC and a JSON parse. Only accepted tokens are kept, each until its
// exp by the injected clock (a hit re-checks it; the issuer, audience,
// algorithm and secrets are fixed for the process, so nothing else Verify
// checks can change). Revocation is not Verify's job: callers still run
// Revocation.Check on every request.
//
// Memory is bounded by two generations of at most limit/2 tokens each:
// when the young one fills, it becomes the old one and the old one is
// dropped; a hit in the old one moves the token back to the young one. So
// at most limit tokens are held, and the tokens in use survive a turnover
// (a cheap approximation of LRU).
//
// Entries are keyed by the token's SHA-256, not the token: a key holds 32
// bytes instead of keeping the whole Authorization header a token was cut
// from alive (one per open socket), and a collision is as unlikely as a
// forged HMAC.
type verifiedTokens struct {
	mu    sync.Mutex
	half  int
	young map[tokenKey]Claims
	old   map[tokenKey]Claims
}

// tokenKey is a cached token's SHA-256.
type tokenKey [sha256.Size]byte

// CacheVerified makes Verify remember up to limit accepted tokens (0: no
// cache). cmd calls it once, before serving (config.HTTP.TokenCacheSize).
func (t *Tokens) CacheVerified(limit int) {
	if limit <= 0 {
		t.verified = nil
		return
	}
	half := max(1, limit/2)
	t.verified = &verifiedTokens{half: half, young: make(map[tokenKey]Claims, half)}
}

// get returns token's claims if it was accepted and has not expired at now.
func (v *verifiedTokens) get(token string, now time.Time) (Claims, bool) {
	if v == nil {
		return Claims{}, false
	}
	key := sha256.Sum256([]byte(token))
	v.mu.Lock()
	defer v.mu.Unlock()
	c, ok := v.young[key]
	if !ok {
		if c, ok = v.old[key]; ok {
			delete(v.old, key)
			v.insert(key, c)
		}
	}
	if !ok || !now.Before(c.ExpiresAt) {
		// An expired token goes through verify again, which names the error.
		return Claims{}, false
	}
	return c, true
}

// put remembers an accepted token.
func (v *verifiedTokens) put(token string, c Claims) {
	if v == nil {
		return
	}
	key := sha256.Sum256([]byte(token))
	v.mu.Lock()
	defer v.mu.Unlock()
	v.insert(key, c)
}

// insert adds to the young generation, turning it over when full; the
// caller holds mu.
func (v *verifiedTokens) insert(key tokenKey, c Claims) {
	if len(v.young) >= v.half {
		v.old, v.young = v.young, make(map[tokenKey]Claims, v.half)
	}
	v.young[key] = c
}

// size is how many tokens are held; for tests.
func (v *verifiedTokens) size() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return len(v.young) + len(v.old)
}
