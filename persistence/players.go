package persistence

import (
	"context"
	"time"
)

// Role is a player's authorization role.
type Role string

// Roles, least privileged first.
const (
	RolePlayer    Role = "player"
	RoleModerator Role = "moderator"
	RoleAdmin     Role = "admin"
)

// Player is an account.
type Player struct {
	ID        string // UUID
	Username  string
	Role      Role
	CreatedAt time.Time
}

// PlayerStats are a player's lifetime numbers, maintained by the game commit.
// GamesPlayed counts every finished game; BestScore and TotalScore count only
// games that were not flagged by anti-cheat.
type PlayerStats struct {
	GamesPlayed int64
	BestScore   int64
	TotalScore  int64
}

// PlayerStore keeps accounts.
type PlayerStore interface {
	// GuestByDevice returns the guest player bound to deviceID, creating it
	// (with a generated unique username) on first use. Concurrent calls with
	// the same deviceID return the same player. created reports a new account.
	GuestByDevice(ctx context.Context, deviceID string) (p Player, created bool, err error)
	// Player returns the account with id, or ErrNotFound.
	Player(ctx context.Context, id string) (Player, error)
	// Stats returns the player's stats (zero values for a player with no games),
	// or ErrNotFound when the player does not exist.
	Stats(ctx context.Context, playerID string) (PlayerStats, error)
}

// RefreshToken is a stored refresh token. Only the SHA-256 hash of the opaque
// token is stored.
type RefreshToken struct {
	ID        string // UUID
	FamilyID  string // UUID shared by every rotation of one sign-in
	PlayerID  string
	Hash      []byte
	ExpiresAt time.Time
}

// TokenStore keeps refresh tokens.
type TokenStore interface {
	// CreateRefresh stores a new token (a new family when FamilyID is new).
	CreateRefresh(ctx context.Context, t RefreshToken) error
	// RotateRefresh atomically retires the token whose hash is oldHash and
	// stores next in the same family, returning the retired token's record.
	// Errors: ErrNotFound (unknown hash), ErrExpired (past expiry or family
	// revoked), ErrTokenReused (already rotated: the family is revoked in the
	// same call). next.FamilyID and next.PlayerID are overwritten from the old
	// token.
	RotateRefresh(ctx context.Context, oldHash []byte, next RefreshToken, now time.Time) (RefreshToken, error)
}
