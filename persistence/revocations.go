package persistence

import (
	"context"
	"time"
)

// RevocationQuery names what one access token can be revoked by: its own id
// (logout), its player (logout everywhere, password reset, ban) and its
// refresh family (logout, refresh-token reuse). FamilyID may be empty for a
// token minted without one.
type RevocationQuery struct {
	TokenID  string
	PlayerID string
	FamilyID string
}

// RevocationVerdict is what a store knows about one RevocationQuery.
type RevocationVerdict struct {
	// Denied: the token id itself was revoked.
	Denied bool
	// NotBefore is the player's watermark: tokens issued at or before it are
	// revoked. Zero when there is none.
	NotBefore time.Time
	// FamilyRevoked: every access token of the family is revoked.
	FamilyRevoked bool
	// Banned: the account is banned (PostgreSQL only; the cache expresses a
	// ban through NotBefore).
	Banned bool
	// Intact reports that the answering store holds the complete revocation
	// state (the cache's rebuilt marker was present; the ledger always is).
	// A verdict that is not intact may miss revocations and must not admit
	// a token on its own.
	Intact bool
}

// Revokes reports whether the verdict refuses a token issued at issuedAt.
func (v RevocationVerdict) Revokes(issuedAt time.Time) bool {
	return v.Denied || v.FamilyRevoked || v.Banned || (!v.NotBefore.IsZero() && !issuedAt.After(v.NotBefore))
}

// DeniedToken is a revoked access token id, live until the token expires.
type DeniedToken struct {
	TokenID   string
	PlayerID  string
	ExpiresAt time.Time
}

// Watermark is a player's "not before": access tokens issued at or before At
// are revoked.
type Watermark struct {
	PlayerID string
	At       time.Time
}

// RevokedFamily is a refresh family whose access tokens are all revoked.
type RevokedFamily struct {
	FamilyID  string
	PlayerID  string
	RevokedAt time.Time
}

// RevocationState is every revocation that can still refuse a live access
// token: the input of a cache rebuild.
type RevocationState struct {
	Tokens     []DeniedToken
	Watermarks []Watermark
	Families   []RevokedFamily
}

// RevocationLedger is the durable record of every revocation (PostgreSQL).
// Each Record call is committed before it returns, so a revocation that was
// acknowledged survives any loss of the cache. Every Record is idempotent.
type RevocationLedger interface {
	// RecordDenied revokes one access token until it expires.
	RecordDenied(ctx context.Context, t DeniedToken) error
	// RecordNotBefore raises a player's watermark to w.At; it is never
	// lowered.
	RecordNotBefore(ctx context.Context, w Watermark) error
	// RecordFamilyRevoked revokes a refresh family's access tokens and
	// refresh tokens.
	RecordFamilyRevoked(ctx context.Context, f RevokedFamily) error
	// Revocation answers q from the ledger, the ban flag included; the
	// verdict is always Intact.
	Revocation(ctx context.Context, q RevocationQuery) (RevocationVerdict, error)
	// LiveRevocations returns what can still refuse a token at now: denied
	// tokens not yet expired, and watermarks (bans included) and revoked
	// families newer than since (now minus the access-token lifetime).
	LiveRevocations(ctx context.Context, since, now time.Time) (RevocationState, error)
}

// RevocationCache is the fast copy of the ledger every node reads (Redis;
// in process on a node alone, persistence/memory).
// Revoked answers in one round trip; a local cache may wrap it later.
type RevocationCache interface {
	// Deny revokes one access token until it expires.
	Deny(ctx context.Context, jti string, until time.Time) error
	// SetNotBefore raises a player's watermark to at, kept for ttl.
	SetNotBefore(ctx context.Context, playerID string, at time.Time, ttl time.Duration) error
	// RevokeFamily revokes a family's access tokens for ttl.
	RevokeFamily(ctx context.Context, familyID string, ttl time.Duration) error
	// Revoked answers q; Intact is false when the cache lost its data since
	// the last Restore (restart, flush, failover to an empty replica).
	Revoked(ctx context.Context, q RevocationQuery) (RevocationVerdict, error)
	// Distrust removes the intact mark, so every node reads the ledger and
	// rebuilds the cache; a node calls it when a revocation it recorded
	// could not be copied into the cache.
	Distrust(ctx context.Context) error
	// Restore writes s and then marks the cache intact, atomically: no
	// reader sees the mark without the state. ttl is the access-token
	// lifetime, which bounds how long watermarks and families matter.
	Restore(ctx context.Context, s RevocationState, ttl time.Duration) error
}
