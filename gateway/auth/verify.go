package auth

import (
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/proofstell/proofstell/persistence"
)

// Sentinel errors of Verify and Refresh; callers map them with errors.Is.
var (
	// ErrInvalidToken: the token is malformed, forged, for another audience
	// or issuer, or otherwise unacceptable.
	ErrInvalidToken = errors.New("invalid token")
	// ErrExpiredToken: the token was valid but its lifetime is over.
	ErrExpiredToken = errors.New("expired token")
	// ErrBanned: the account is banned; it may not sign in or refresh.
	ErrBanned = errors.New("account banned")
)

// EventRefreshReuse is the "event" attribute of the security log line
// written when a rotated refresh token is presented again.
const EventRefreshReuse = "security.refresh_reuse"

// Claims are the verified facts an access token carries.
type Claims struct {
	PlayerID  string
	Username  string
	Role      string
	TokenID   string
	ExpiresAt time.Time
	// IssuedAt is compared with the player's revocation watermark.
	IssuedAt time.Time
	// SessionID is the refresh family of the sign-in that minted the token.
	SessionID string
}

// accessClaims is the JWT payload: registered claims plus role and name.
type accessClaims struct {
	jwt.RegisteredClaims
	Role     string `json:"role"`
	Name     string `json:"name"`
	Session  string `json:"sid,omitempty"`
	IssuedMs int64  `json:"iat_ms,omitempty"`
}

// issuedAt is the most precise issue time the token carries.
func (ac accessClaims) issuedAt() time.Time {
	if ac.IssuedMs > 0 {
		return time.UnixMilli(ac.IssuedMs).UTC()
	}
	if ac.IssuedAt != nil {
		return ac.IssuedAt.UTC()
	}
	return time.Time{}
}

// Verify checks an access token: HS256 only (the algorithm is pinned so a
// token cannot pick "none" or an asymmetric algorithm keyed with our
// secret), signed with the current or previous secret, our issuer and
// audience, an exp in the future by the injected clock, and a subject.
func (t *Tokens) Verify(token string) (Claims, error) {
	if c, ok := t.verified.get(token, t.now()); ok {
		return c, nil
	}
	c, err := t.verify(token)
	if err == nil {
		t.verified.put(token, c)
	}
	return c, err
}

// verify is Verify without the cache: parse and check the signature.
func (t *Tokens) verify(token string) (Claims, error) {
	var ac accessClaims
	parsed, err := t.parser().ParseWithClaims(token, &ac, t.keys)
	if err != nil {
		if errors.Is(err, jwt.ErrTokenExpired) {
			return Claims{}, fmt.Errorf("verify access token: %w", ErrExpiredToken)
		}
		return Claims{}, fmt.Errorf("verify access token: %w: %w", ErrInvalidToken, err)
	}
	if !parsed.Valid || ac.Subject == "" || ac.ExpiresAt == nil {
		return Claims{}, fmt.Errorf("verify access token: missing claims: %w", ErrInvalidToken)
	}
	// Deny by default: a role we do not know grants nothing, so the token
	// is refused rather than treated as some lesser role.
	if !persistence.Role(ac.Role).Valid() {
		return Claims{}, fmt.Errorf("verify access token: unknown role: %w", ErrInvalidToken)
	}
	return Claims{
		PlayerID:  ac.Subject,
		Username:  ac.Name,
		Role:      ac.Role,
		TokenID:   ac.ID,
		ExpiresAt: ac.ExpiresAt.Time,
		IssuedAt:  ac.issuedAt(),
		SessionID: ac.Session,
	}, nil
}

// parser builds the strict parser; it is cheap, and building it per call
// keeps the injected clock the only time source.
func (t *Tokens) parser() *jwt.Parser {
	return jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(t.cfg.Issuer),
		jwt.WithAudience(t.cfg.Audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(t.now),
	)
}

// keys offers the current secret and, during rotation, the previous one.
func (t *Tokens) keys(*jwt.Token) (any, error) {
	if t.cfg.JWTSecret == "" {
		return nil, errors.New("no signing secret configured")
	}
	keys := []jwt.VerificationKey{[]byte(t.cfg.JWTSecret)}
	if t.cfg.JWTSecretPrevious != "" {
		keys = append(keys, []byte(t.cfg.JWTSecretPrevious))
	}
	return jwt.VerificationKeySet{Keys: keys}, nil
}
