package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Revocation errors; callers map them with errors.Is.
var (
	// ErrRevoked: the access token was revoked (logout, logout everywhere,
	// ban) before its expiry.
	ErrRevoked = errors.New("token revoked")
	// ErrRevocationUnavailable: the revocation state could not be read.
	// Callers fail closed on it: an unknown verdict is not a valid token.
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
)

// RevocationStore is the cluster-wide revocation state (Redis, implemented
// by *persistence/redis.Client).
type RevocationStore interface {
	// Deny denylists an access token id until it expires.
	Deny(ctx context.Context, jti string, until time.Time) error
	// SetNotBefore raises the player's watermark to at for ttl.
	SetNotBefore(ctx context.Context, playerID string, at time.Time, ttl time.Duration) error
	// Revoked reports whether jti is denylisted and the player's watermark.
	Revoked(ctx context.Context, jti, playerID string) (bool, time.Time, error)
}

// Publisher fans a revocation out to every node (persistence.Bus).
type Publisher interface {
	Publish(ctx context.Context, topic string, payload []byte) error
}

// RevocationEvent tells every node to close a player's sockets: the one
// opened with TokenID, or all of them when TokenID is empty.
type RevocationEvent struct {
	PlayerID string `json:"playerId"`
	TokenID  string `json:"tokenId,omitempty"`
	Reason   string `json:"reason"`
}

// DecodeRevocationEvent parses a bus payload, refusing anything without a
// player or with an unknown reason.
func DecodeRevocationEvent(payload []byte) (RevocationEvent, error) {
	var ev RevocationEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		return RevocationEvent{}, fmt.Errorf("decode revocation event: %w", err)
	}
	switch {
	case ev.PlayerID == "":
		return RevocationEvent{}, errors.New("decode revocation event: no player id")
	case ev.Reason != ReasonLogout && ev.Reason != ReasonLogoutAll && ev.Reason != ReasonBanned:
		return RevocationEvent{}, fmt.Errorf("decode revocation event: unknown reason %q", ev.Reason)
	}
	return ev, nil
}

// Revocation applies and enforces revocation of access and refresh tokens.
// Safe for concurrent use.
type Revocation struct {
	tokens *Tokens
	store  RevocationStore
	bus    Publisher
	logger *slog.Logger
}

// NewRevocation returns the revocation service over tokens' refresh store,
// clock and lifetimes.
func NewRevocation(tokens *Tokens, store RevocationStore, bus Publisher, logger *slog.Logger) *Revocation {
	if logger == nil {
		logger = slog.Default()
	}
	return &Revocation{tokens: tokens, store: store, bus: bus, logger: logger}
}

// Check rejects revoked claims. It fails closed: when Redis cannot answer,
// the error wraps ErrRevocationUnavailable and the request is refused,
// because accepting would let a banned or logged-out token through.
func (r *Revocation) Check(ctx context.Context, c Claims) error {
	denied, notBefore, err := r.store.Revoked(ctx, c.TokenID, c.PlayerID)
	if err != nil {
		return fmt.Errorf("check revocation: %w: %w", ErrRevocationUnavailable, err)
	}
	if denied || (!notBefore.IsZero() && !c.IssuedAt.After(notBefore)) {
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

// Logout revokes one sign-in: the access token at once (denylisted until it
// expires), its refresh family, and the sockets opened with it.
func (r *Revocation) Logout(ctx context.Context, c Claims) error {
	if err := r.store.Deny(ctx, c.TokenID, c.ExpiresAt); err != nil {
		return fmt.Errorf("logout %s: %w", c.PlayerID, err)
	}
	if c.SessionID != "" {
		if err := r.tokens.refresh.RevokeFamily(ctx, c.PlayerID, c.SessionID, r.tokens.now()); err != nil {
			return fmt.Errorf("logout %s: %w", c.PlayerID, err)
		}
	}
	return r.publish(ctx, RevocationEvent{PlayerID: c.PlayerID, TokenID: c.TokenID, Reason: ReasonLogout})
}

// LogoutAll revokes every token of playerID issued until now and closes all
// of its sockets; reason is ReasonLogoutAll or ReasonBanned.
func (r *Revocation) LogoutAll(ctx context.Context, playerID, reason string) error {
	now := r.tokens.now()
	// The watermark only has to outlive the access tokens it rejects;
	// refresh tokens are revoked in the database for good.
	if err := r.store.SetNotBefore(ctx, playerID, now, r.tokens.cfg.AccessTTL+time.Minute); err != nil {
		return fmt.Errorf("revoke all of %s: %w", playerID, err)
	}
	if err := r.tokens.refresh.RevokePlayer(ctx, playerID, now); err != nil {
		return fmt.Errorf("revoke all of %s: %w", playerID, err)
	}
	return r.publish(ctx, RevocationEvent{PlayerID: playerID, Reason: reason})
}

// publish announces ev to every node's WebSocket gateway and logs it as a
// security event.
func (r *Revocation) publish(ctx context.Context, ev RevocationEvent) error {
	r.logger.InfoContext(ctx, "tokens revoked", slog.String("event", "security.revoke"),
		slog.String("player_id", ev.PlayerID), slog.String("reason", ev.Reason))
	payload, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("encode revocation event: %w", err)
	}
	if err := r.bus.Publish(ctx, RevocationTopicPrefix+ev.PlayerID, payload); err != nil {
		return fmt.Errorf("publish revocation of %s: %w", ev.PlayerID, err)
	}
	return nil
}
