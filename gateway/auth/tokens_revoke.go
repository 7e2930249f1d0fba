package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/proofstell/proofstell/internal/breaker"
	"github.com/proofstell/proofstell/persistence"
)

// Revocation errors; callers map them with errors.Is.
var (
	// ErrRevoked: the access token was revoked (logout, logout everywhere,
	// refresh-token reuse, ban) before its expiry.
	ErrRevoked = errors.New("token revoked")
	// ErrRevocationUnavailable: the revocation state could not be read from
	// Redis nor from PostgreSQL. Callers fail closed on it: an unknown
	// verdict is not a valid token.
	ErrRevocationUnavailable = errors.New("revocation state unavailable")
)

// RevocationTopicPrefix namespaces revocation events on the bus; the full
// topic is the prefix plus the player id.
const RevocationTopicPrefix = "revoke:"

// Revocation reasons carried by RevocationEvent.
const (
	ReasonLogout    = "logout"
	ReasonLogoutAll = "logout_all"
	ReasonBanned    = "banned"
	// ReasonFamilyRevoked: a refresh token was reused, so its whole sign-in
	// (SessionID) is cut off.
	ReasonFamilyRevoked = "family_revoked"
)

// RevocationEvent tells every node to close a player's sockets: those of
// the sign-in SessionID or opened with TokenID when either is set, or all
// of them.
type RevocationEvent struct {
	PlayerID string `json:"playerId"`
	TokenID  string `json:"tokenId,omitempty"`
	// SessionID is the refresh family of the revoked sign-in.
	SessionID string `json:"sessionId,omitempty"`
	Reason    string `json:"reason"`
}

// DecodeRevocationEvent parses a bus payload, refusing anything without a
// player, with an unknown reason, or a family revocation without a family.
func DecodeRevocationEvent(payload []byte) (RevocationEvent, error) {
	var ev RevocationEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		return RevocationEvent{}, fmt.Errorf("decode revocation event: %w", err)
	}
	switch {
	case ev.PlayerID == "":
		return RevocationEvent{}, errors.New("decode revocation event: no player id")
	case ev.Reason == ReasonFamilyRevoked && ev.SessionID == "":
		return RevocationEvent{}, errors.New("decode revocation event: family revocation without a session id")
	case ev.Reason != ReasonLogout && ev.Reason != ReasonLogoutAll && ev.Reason != ReasonBanned && ev.Reason != ReasonFamilyRevoked:
		return RevocationEvent{}, fmt.Errorf("decode revocation event: unknown reason %q", ev.Reason)
	}
	return ev, nil
}

// Revocation applies and enforces revocation of access and refresh tokens.
// PostgreSQL (the ledger) records every revocation first; Redis (the cache)
// is the per-request fast path and is rebuilt from the ledger after a loss.
// Safe for concurrent use.
type Revocation struct {
	tokens *Tokens
	ledger persistence.RevocationLedger
	cache  persistence.RevocationCache
	bus    persistence.Publisher
	logger *slog.Logger

	// dirty counts cache failures (a read or write Redis refused) since the
	// last successful rebuild; while it is not zero the cache may miss a
	// revocation, so checks read the ledger and the next one rebuilds.
	dirty atomic.Int64
	// rebuilding makes the rebuild single-flight: the check that finds the
	// cache lost rebuilds it, concurrent ones read the ledger meanwhile.
	rebuilding sync.Mutex
	// redis keeps checks away from an unreachable Redis until the next
	// probe; rebuildGate keeps them from retrying a failing rebuild on
	// every request.
	redis       *breaker.Breaker
	rebuildGate *breaker.Breaker
	// recent answers hot tokens' checks from memory once Listen runs
	// (revocation_memory.go); nil before.
	recent atomic.Pointer[recentVerdicts]
}

// NewRevocation returns the revocation service over tokens' refresh store,
// clock and lifetimes. It hooks itself into tokens so a refresh-token reuse
// cuts off the family's access tokens and sockets at once.
func NewRevocation(tokens *Tokens, ledger persistence.RevocationLedger, cache persistence.RevocationCache,
	bus persistence.Publisher, logger *slog.Logger,
) *Revocation {
	if logger == nil {
		logger = slog.Default()
	}
	r := &Revocation{tokens: tokens, ledger: ledger, cache: cache, bus: bus, logger: logger,
		redis: breaker.New(cacheProbeInterval, tokens.now), rebuildGate: breaker.New(cacheProbeInterval, tokens.now)}
	tokens.familyRevoked = r.familyRevoked
	return r
}

// Logout revokes one sign-in: the access token and every other access token
// of its refresh family at once, the family's refresh tokens, and the
// sockets opened with them.
func (r *Revocation) Logout(ctx context.Context, c Claims) error {
	if err := r.ledger.RecordDenied(ctx, persistence.DeniedToken{
		TokenID: c.TokenID, PlayerID: c.PlayerID, ExpiresAt: c.ExpiresAt,
	}); err != nil {
		return fmt.Errorf("logout %s: %w", c.PlayerID, err)
	}
	if c.SessionID != "" {
		if err := r.ledger.RecordFamilyRevoked(ctx, persistence.RevokedFamily{
			FamilyID: c.SessionID, PlayerID: c.PlayerID, RevokedAt: r.tokens.now(),
		}); err != nil {
			return fmt.Errorf("logout %s: %w", c.PlayerID, err)
		}
	}
	r.copyToCache(ctx, func() error { return r.cache.Deny(ctx, c.TokenID, c.ExpiresAt) })
	if c.SessionID != "" {
		r.copyToCache(ctx, func() error { return r.cache.RevokeFamily(ctx, c.SessionID, r.window()) })
	}
	r.publish(ctx, RevocationEvent{PlayerID: c.PlayerID, TokenID: c.TokenID, SessionID: c.SessionID, Reason: ReasonLogout})
	return nil
}

// LogoutAll revokes every token of playerID issued until now and closes all
// of its sockets; reason is ReasonLogoutAll or ReasonBanned.
func (r *Revocation) LogoutAll(ctx context.Context, playerID, reason string) error {
	now := r.tokens.now()
	if err := r.ledger.RecordNotBefore(ctx, persistence.Watermark{PlayerID: playerID, At: now}); err != nil {
		return fmt.Errorf("revoke all of %s: %w", playerID, err)
	}
	if err := r.tokens.refresh.RevokePlayer(ctx, playerID, now); err != nil {
		return fmt.Errorf("revoke all of %s: %w", playerID, err)
	}
	// The watermark only has to outlive the access tokens it rejects;
	// refresh tokens are revoked in the database for good.
	r.copyToCache(ctx, func() error { return r.cache.SetNotBefore(ctx, playerID, now, r.window()) })
	r.publish(ctx, RevocationEvent{PlayerID: playerID, Reason: reason})
	return nil
}

// familyRevoked spreads a family revocation the ledger already holds (the
// refresh-token reuse was recorded in the rotation's transaction).
func (r *Revocation) familyRevoked(ctx context.Context, playerID, familyID string) {
	r.copyToCache(ctx, func() error { return r.cache.RevokeFamily(ctx, familyID, r.window()) })
	r.publish(ctx, RevocationEvent{PlayerID: playerID, SessionID: familyID, Reason: ReasonFamilyRevoked})
}

// window is how long a watermark or family revocation matters: the access
// token lifetime, plus a minute of clock skew between nodes.
func (r *Revocation) window() time.Duration { return r.tokens.cfg.AccessTTL + time.Minute }

// copyToCache copies a recorded revocation into Redis with write, even while
// the breaker keeps checks away (revocations are rare, and a copy skipped
// here would leave every other node trusting a Redis that lacks it). A
// failure is not the caller's: the revocation is durable. This node then
// reads PostgreSQL until a rebuild repairs the copy, and it removes the
// rebuilt marker so every other node does too; if Redis cannot even take
// that, the others trust it until this node rebuilds (docs/SECURITY.md).
func (r *Revocation) copyToCache(ctx context.Context, write func() error) {
	err := write()
	r.redis.Record(err)
	if err == nil {
		return
	}
	r.dirty.Add(1)
	r.forgetVerdicts()
	revocationCacheWriteFailures.Inc()
	if derr := r.cache.Distrust(ctx); derr != nil {
		r.logger.WarnContext(ctx, "revocation recorded in postgres but not in redis; other nodes trust redis until this node rebuilds it",
			slog.String("error", err.Error()), slog.String("distrust_error", derr.Error()))
		return
	}
	r.logger.WarnContext(ctx, "revocation recorded in postgres but not copied to redis; every node reads postgres until rebuilt",
		slog.String("error", err.Error()))
}

// publish announces ev to every node's WebSocket gateway and logs it as a
// security event. A lost event leaves sockets open until each node's
// revocation sweep; the revocation itself is already recorded.
func (r *Revocation) publish(ctx context.Context, ev RevocationEvent) {
	r.forgetVerdicts() // before anyone else hears it: this node never answers from before it
	r.logger.InfoContext(ctx, "tokens revoked", slog.String("event", "security.revoke"),
		slog.String("player_id", ev.PlayerID), slog.String("reason", ev.Reason))
	payload, err := json.Marshal(ev)
	if err == nil && r.redis.Open() {
		err = errCacheSkipped // the bus is the same Redis
	}
	if err == nil && r.bus != nil {
		err = r.bus.Publish(ctx, RevocationTopicPrefix+ev.PlayerID, payload)
	}
	if err != nil {
		r.logger.WarnContext(ctx, "revocation event not published; sockets close at the next sweep",
			slog.String("player_id", ev.PlayerID), slog.String("error", err.Error()))
	}
}
