// Package auth issues and verifies ProofStell credentials: short-lived HS256
// access JWTs and opaque, rotating refresh tokens stored hashed.
//
// Access tokens are self-contained so every REST request and WebSocket
// upgrade verifies them without a store round trip. Refresh tokens live in
// families: each use rotates the token, and presenting a rotated token again
// revokes the whole family, which limits a stolen refresh token to one use.
package auth

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/persistence"
)

// refreshBytes is the entropy of an opaque refresh token.
const refreshBytes = 32

// Pair is what a successful sign-in or refresh hands to the client.
type Pair struct {
	AccessToken  string
	RefreshToken string
	// ExpiresIn is the access token's lifetime.
	ExpiresIn time.Duration
}

// Tokens issues, rotates and verifies tokens. It is safe for concurrent use.
type Tokens struct {
	cfg     config.Auth
	refresh persistence.TokenStore
	players persistence.PlayerStore
	now     func() time.Time
	logger  *slog.Logger

	random *lockedReader
	// familyRevoked spreads a family revocation found by Refresh (reuse) to
	// the revocation cache and every node; set by NewRevocation.
	familyRevoked func(ctx context.Context, playerID, familyID string)
	// verified caches Verify's answers (verify_cache.go); nil until
	// CacheVerified.
	verified *verifiedTokens
}

// lockedReader serialises reads because an injected test reader (e.g. a
// seeded math/rand source) need not be safe for concurrent use.
type lockedReader struct {
	mu sync.Mutex
	r  io.Reader
}

// Read reads from the wrapped reader under the lock.
func (l *lockedReader) Read(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.r.Read(p)
}

// NewTokens returns Tokens using cfg's secrets and lifetimes. now and random
// are injected so tests control expiry and token values; production passes
// time.Now and crypto/rand.Reader.
func NewTokens(cfg config.Auth, refresh persistence.TokenStore, players persistence.PlayerStore,
	now func() time.Time, random io.Reader,
) *Tokens {
	return &Tokens{
		cfg:     cfg,
		refresh: refresh,
		players: players,
		now:     now,
		random:  &lockedReader{r: random},
		logger:  slog.Default(),
	}
}

// Issue signs in p: a fresh access token and a refresh token in a new family.
// The account is re-read from the store, so the role in the token is the
// database's (never a caller's copy) and a banned account gets ErrBanned.
func (t *Tokens) Issue(ctx context.Context, p persistence.Player) (Pair, error) {
	p, err := t.current(ctx, p.ID)
	if err != nil {
		return Pair{}, fmt.Errorf("issue tokens: %w", err)
	}
	family, err := t.newUUID()
	if err != nil {
		return Pair{}, fmt.Errorf("issue tokens for %s: %w", p.ID, err)
	}
	opaque, record, err := t.newRefresh(p.ID, family)
	if err != nil {
		return Pair{}, fmt.Errorf("issue tokens for %s: %w", p.ID, err)
	}
	if err := t.refresh.CreateRefresh(ctx, record); err != nil {
		return Pair{}, fmt.Errorf("store refresh token for %s: %w", p.ID, err)
	}
	return t.pair(p, family, opaque)
}

// current loads the account behind a sign-in and refuses a banned one.
func (t *Tokens) current(ctx context.Context, playerID string) (persistence.Player, error) {
	p, err := t.players.Player(ctx, playerID)
	if err != nil {
		return persistence.Player{}, fmt.Errorf("load player %s: %w", playerID, err)
	}
	if p.Banned() {
		return persistence.Player{}, fmt.Errorf("player %s: %w", playerID, ErrBanned)
	}
	return p, nil
}

// Refresh rotates refreshToken and returns a new pair for its player.
// Errors wrap ErrInvalidToken (unknown token), ErrBanned (the account is
// banned, whatever state its token is in), ErrExpiredToken (expired or
// revoked family) or persistence.ErrTokenReused (a rotated token presented
// again: the family and its access tokens are now revoked).
func (t *Tokens) Refresh(ctx context.Context, refreshToken string) (Pair, persistence.Player, error) {
	if refreshToken == "" {
		return Pair{}, persistence.Player{}, fmt.Errorf("refresh: empty token: %w", ErrInvalidToken)
	}
	opaque, next, err := t.newRefresh("", "")
	if err != nil {
		return Pair{}, persistence.Player{}, fmt.Errorf("refresh: %w", err)
	}
	old, err := t.refresh.RotateRefresh(ctx, hashToken(refreshToken), next, t.now())
	if err != nil {
		return Pair{}, persistence.Player{}, t.refused(ctx, old, err)
	}
	p, err := t.current(ctx, old.PlayerID)
	if err != nil {
		return Pair{}, persistence.Player{}, fmt.Errorf("refresh: %w", err)
	}
	pair, err := t.pair(p, old.FamilyID, opaque)
	return pair, p, err
}

// refused handles a refused rotation of old: a reuse cuts the family's
// access tokens off everywhere, and a banned account is told it is banned
// (403) rather than that its token expired (its tokens were all revoked by
// the ban).
func (t *Tokens) refused(ctx context.Context, old persistence.RefreshToken, err error) error {
	if errors.Is(err, persistence.ErrTokenReused) && t.familyRevoked != nil {
		t.familyRevoked(ctx, old.PlayerID, old.FamilyID)
	}
	err = t.rotateError(ctx, err)
	if old.PlayerID != "" {
		if _, cerr := t.current(ctx, old.PlayerID); errors.Is(cerr, ErrBanned) {
			return fmt.Errorf("refresh: %w", cerr)
		}
	}
	return err
}

// rotateError classifies a RotateRefresh failure; reuse is a security event
// because it means two parties held the same refresh token.
func (t *Tokens) rotateError(ctx context.Context, err error) error {
	switch {
	case errors.Is(err, persistence.ErrTokenReused):
		t.logger.WarnContext(ctx, "refresh token reuse detected; token family revoked",
			slog.String("event", EventRefreshReuse), slog.String("error", err.Error()))
		return fmt.Errorf("refresh: %w", err)
	case errors.Is(err, persistence.ErrNotFound):
		return fmt.Errorf("refresh: %w: %w", ErrInvalidToken, err)
	case errors.Is(err, persistence.ErrExpired):
		return fmt.Errorf("refresh: %w: %w", ErrExpiredToken, err)
	default:
		return fmt.Errorf("refresh: rotate: %w", err)
	}
}

// pair signs an access token for p's sign-in family and bundles it with
// opaque.
func (t *Tokens) pair(p persistence.Player, family, opaque string) (Pair, error) {
	access, err := t.signAccess(p, family)
	if err != nil {
		return Pair{}, err
	}
	return Pair{AccessToken: access, RefreshToken: opaque, ExpiresIn: t.cfg.AccessTTL}, nil
}

// signAccess builds and signs the access JWT for p. sid names the refresh
// family so logout can revoke exactly this sign-in; iat_ms is the issue time
// at millisecond precision, compared with the revocation watermark (iat is
// whole seconds, too coarse for "everything issued before now").
func (t *Tokens) signAccess(p persistence.Player, family string) (string, error) {
	jti, err := t.newUUID()
	if err != nil {
		return "", fmt.Errorf("sign access token: %w", err)
	}
	now := t.now()
	claims := accessClaims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    t.cfg.Issuer,
			Subject:   p.ID,
			Audience:  jwt.ClaimStrings{t.cfg.Audience},
			ExpiresAt: jwt.NewNumericDate(now.Add(t.cfg.AccessTTL)),
			IssuedAt:  jwt.NewNumericDate(now),
			ID:        jti,
		},
		Role:     string(p.Role),
		Name:     p.Username,
		Session:  family,
		IssuedMs: now.UnixMilli(),
	}
	signed, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(t.cfg.JWTSecret))
	if err != nil {
		return "", fmt.Errorf("sign access token: %w", err)
	}
	return signed, nil
}

// newRefresh returns a new opaque token and its record (hash only).
func (t *Tokens) newRefresh(playerID, family string) (string, persistence.RefreshToken, error) {
	raw := make([]byte, refreshBytes)
	if _, err := io.ReadFull(t.random, raw); err != nil {
		return "", persistence.RefreshToken{}, fmt.Errorf("generate refresh token: %w", err)
	}
	id, err := t.newUUID()
	if err != nil {
		return "", persistence.RefreshToken{}, err
	}
	opaque := base64.RawURLEncoding.EncodeToString(raw)
	return opaque, persistence.RefreshToken{
		ID:        id,
		FamilyID:  family,
		PlayerID:  playerID,
		Hash:      hashToken(opaque),
		ExpiresAt: t.now().Add(t.cfg.RefreshTTL),
	}, nil
}

// newUUID returns a random (v4) UUID drawn from the injected reader.
func (t *Tokens) newUUID() (string, error) {
	id, err := uuid.NewRandomFromReader(t.random)
	if err != nil {
		return "", fmt.Errorf("generate uuid: %w", err)
	}
	return id.String(), nil
}

// hashToken is the only form of a refresh token the store ever sees.
func hashToken(opaque string) []byte {
	sum := sha256.Sum256([]byte(opaque))
	return sum[:]
}
