package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/proofstell/proofstell/persistence"
)

// Check rejects revoked claims. Normally one Redis round trip answers; when
// Redis is unreachable, lost its data (no rebuilt marker) or missed a write
// of this node, PostgreSQL answers instead, so no revoked token is accepted
// after a loss. It fails closed (ErrRevocationUnavailable) only when
// neither can answer.
func (r *Revocation) Check(ctx context.Context, c Claims) error {
	v, err := r.recentVerdict(ctx, persistence.RevocationQuery{TokenID: c.TokenID, PlayerID: c.PlayerID, FamilyID: c.SessionID})
	if err != nil {
		return fmt.Errorf("check revocation: %w: %w", ErrRevocationUnavailable, err)
	}
	if v.Revokes(c.IssuedAt) {
		return fmt.Errorf("player %s: %w", c.PlayerID, ErrRevoked)
	}
	return nil
}

// CheckToken verifies an access token and checks its revocation; the
// WebSocket handshake uses it.
func (r *Revocation) CheckToken(ctx context.Context, token string) (Claims, error) {
	c, err := r.tokens.Verify(token)
	if err != nil {
		return Claims{}, err
	}
	if err := r.Check(ctx, c); err != nil {
		return Claims{}, err
	}
	return c, nil
}

// recentVerdict answers from the node's memory of recent verdicts when it
// may (revocation_memory.go), else asks verdict and remembers a trusted
// answer from Redis.
func (r *Revocation) recentVerdict(ctx context.Context, q persistence.RevocationQuery) (persistence.RevocationVerdict, error) {
	if v, ok := r.remembered(q); ok {
		return v, nil
	}
	recent := r.trustedMemory()
	var gen uint64
	if recent != nil {
		gen = recent.generation()
	}
	v, trusted, err := r.verdict(ctx, q)
	if err == nil && trusted && recent != nil {
		recent.put(q, v, gen, r.tokens.now())
	}
	return v, err
}

// verdict asks the cache and, when its answer cannot be trusted, the
// ledger; a cache that lost its data is rebuilt by this call. trusted
// reports an answer from an intact Redis this node has no doubt about.
func (r *Revocation) verdict(ctx context.Context, q persistence.RevocationQuery) (persistence.RevocationVerdict, bool, error) {
	var cached persistence.RevocationVerdict
	err := errCacheSkipped
	if r.redis.Allow() {
		cached, err = r.cache.Revoked(ctx, q)
		r.redis.Record(err)
	}
	if errors.Is(err, context.Canceled) {
		// The caller gave up: that says nothing about Redis, and no
		// rebuild should follow.
		return persistence.RevocationVerdict{}, false, fmt.Errorf("redis: %w", err)
	}
	switch {
	case err != nil:
		// Revocations recorded while Redis is away never reach it: rebuild
		// once it answers again.
		r.dirty.Add(1)
		r.forgetVerdicts()
		revocationFallbacks.WithLabelValues(fallbackUnreachable).Inc()
	case !cached.Intact:
		revocationFallbacks.WithLabelValues(fallbackLost).Inc()
	case r.dirty.Load() != 0:
		revocationFallbacks.WithLabelValues(fallbackStale).Inc()
	default:
		return cached, true, nil
	}
	v, lerr := r.ledger.Revocation(ctx, q)
	if lerr != nil {
		if err != nil {
			return persistence.RevocationVerdict{}, false, fmt.Errorf("redis: %w; postgres: %w", err, lerr)
		}
		return persistence.RevocationVerdict{}, false, fmt.Errorf("postgres: %w", lerr)
	}
	if err == nil {
		r.tryRebuild(ctx)
	}
	return merge(v, cached), false, nil
}

// errCacheSkipped stands for Redis's answer while the breaker keeps checks
// away from it.
var errCacheSkipped = errors.New("redis unreachable: skipped until the next probe")

// cacheProbeInterval is how long checks leave an unreachable Redis alone
// before one of them tries it again: a dead Redis costs the client's dial
// retries (over a second), which no request should pay each time.
const cacheProbeInterval = time.Second

// merge is the union of two verdicts: revoked if either says so.
func merge(a, b persistence.RevocationVerdict) persistence.RevocationVerdict {
	a.Denied = a.Denied || b.Denied
	a.FamilyRevoked = a.FamilyRevoked || b.FamilyRevoked
	a.Banned = a.Banned || b.Banned
	if b.NotBefore.After(a.NotBefore) {
		a.NotBefore = b.NotBefore
	}
	return a
}

// tryRebuild rebuilds the cache unless another check of this node is doing
// it already; a failure is logged and the next untrusted check tries again.
// After a failed rebuild (a read-only replica, Redis out of memory) checks
// try again once per cacheProbeInterval, not on every request: each try
// scans the live revocations in PostgreSQL.
func (r *Revocation) tryRebuild(ctx context.Context) {
	if !r.rebuilding.TryLock() {
		return
	}
	defer r.rebuilding.Unlock()
	if !r.rebuildGate.Allow() {
		return
	}
	err := r.Rebuild(ctx)
	r.rebuildGate.Record(err)
	if err != nil {
		r.logger.WarnContext(ctx, "revocation cache rebuild failed; checks read postgres", slog.String("error", err.Error()))
	}
}

// Rebuild copies every live revocation from PostgreSQL into Redis and then
// marks Redis intact (one transaction), so checks trust Redis again. cmd
// runs it at start; checks run it when they find Redis lost or stale.
func (r *Revocation) Rebuild(ctx context.Context) error {
	seen := r.dirty.Load()
	now := r.tokens.now()
	state, err := r.ledger.LiveRevocations(ctx, now.Add(-r.window()), now)
	if err == nil {
		err = r.cache.Restore(ctx, state, r.window())
	}
	if err != nil {
		revocationRebuilds.WithLabelValues("failed").Inc()
		return fmt.Errorf("rebuild revocation cache: %w", err)
	}
	// A cache failure after the ledger was read may be missing from what
	// was restored: then dirty moved on and stays set for another rebuild.
	r.dirty.CompareAndSwap(seen, 0)
	r.redis.Record(nil)
	revocationRebuilds.WithLabelValues("ok").Inc()
	r.logger.InfoContext(ctx, "revocation cache rebuilt from postgres",
		slog.Int("tokens", len(state.Tokens)), slog.Int("watermarks", len(state.Watermarks)),
		slog.Int("families", len(state.Families)))
	return nil
}

// Repair rebuilds the cache if a failure since the last rebuild may have
// left it incomplete; cmd calls it on a timer so a node without traffic
// still repairs what it failed to write.
func (r *Revocation) Repair(ctx context.Context) error {
	if r.dirty.Load() == 0 || !r.rebuilding.TryLock() {
		return nil
	}
	defer r.rebuilding.Unlock()
	return r.Rebuild(ctx)
}

// Invalidate marks Redis as possibly incomplete: checks read PostgreSQL
// and the next one rebuilds. cmd calls it when Redis was replaced under the
// node (persistence/redis OnServerChange), because a replica promoted while
// behind keeps its rebuilt marker yet misses the newest revocations. It
// does not block.
func (r *Revocation) Invalidate() {
	r.dirty.Add(1)
	r.forgetVerdicts()
	revocationReplacements.Inc()
}
