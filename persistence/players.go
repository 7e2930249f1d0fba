package persistence

import (
	"context"
	"time"

	"github.com/proofstell/proofstell/internal/rating"
)

// Role is a player's authorization role.
type Role string

// Roles, least privileged first.
const (
	RolePlayer    Role = "player"
	RoleModerator Role = "moderator"
	RoleAdmin     Role = "admin"
)

// Valid reports whether r is one of the known roles; anything else (an
// empty or forged value) is treated as no role at all.
func (r Role) Valid() bool {
	return r == RolePlayer || r == RoleModerator || r == RoleAdmin
}

// Player is an account. DisplayName, Avatar and BannedAt are filled by
// Player and the profile methods; other readers may leave them zero.
type Player struct {
	ID          string // UUID
	Username    string
	Role        Role
	CreatedAt   time.Time
	DisplayName string
	// Avatar is the stored file name of the avatar ("" for none), never a
	// path: the gateway turns it into a URL.
	Avatar string
	// BannedAt is set while the player is banned: no sign-in, no refresh.
	BannedAt *time.Time
}

// Banned reports whether the player may not sign in.
func (p Player) Banned() bool { return p.BannedAt != nil }

// PlayerStats are a player's lifetime numbers, maintained by the game commit.
// GamesPlayed counts every finished game; BestScore and TotalScore count only
// games that were not flagged by anti-cheat.
type PlayerStats struct {
	GamesPlayed int64
	BestScore   int64
	TotalScore  int64
	// Ratings are the player's skill ratings, one per mode they were rated
	// in (rated matches of ranked modes), ordered by mode name.
	Ratings []ModeRating
}

// ModeRating is a player's skill rating in one mode.
type ModeRating struct {
	Mode string
	rating.Rating
}

// PlayerStore keeps accounts.
type PlayerStore interface {
	// GuestByDevice returns the guest player bound to deviceID, creating it
	// (with a generated unique username) on first use. Concurrent calls with
	// the same deviceID return the same player. created reports a new account.
	GuestByDevice(ctx context.Context, deviceID string) (p Player, created bool, err error)
	// GuestOfDevice returns the guest player bound to deviceID and never
	// creates one: ErrNotFound when the device has none. It is guest
	// sign-in while registration is closed.
	GuestOfDevice(ctx context.Context, deviceID string) (Player, error)
	// Player returns the account with id, or ErrNotFound.
	Player(ctx context.Context, id string) (Player, error)
	// Stats returns the player's stats and ratings (zero values and no
	// ratings for a player with no games), or ErrNotFound when the player
	// does not exist.
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
	// same call, access tokens included: see RevocationLedger). next.FamilyID
	// and next.PlayerID are overwritten from the old token. With ErrExpired
	// and ErrTokenReused the old token's record is still returned, so the
	// caller can tell whose sign-in it was (a banned account is told so).
	RotateRefresh(ctx context.Context, oldHash []byte, next RefreshToken, now time.Time) (RefreshToken, error)
	// RevokeFamily revokes every token of one sign-in (logout of one
	// session). Only the player's own family is touched; an unknown family
	// is not an error, so logout is idempotent.
	RevokeFamily(ctx context.Context, playerID, familyID string, now time.Time) error
	// RevokePlayer revokes every refresh token of playerID (logout
	// everywhere, ban). Idempotent.
	RevokePlayer(ctx context.Context, playerID string, now time.Time) error
}

// ProfileUpdate is a partial edit of a player's own profile; nil fields are
// left unchanged.
type ProfileUpdate struct {
	Username    *string
	DisplayName *string
}

// PlayerQuery selects players for the admin listing.
type PlayerQuery struct {
	// Text matches a prefix of the username (case-insensitive) or an exact id.
	Text   string
	Limit  int
	Cursor string // opaque, from a previous page; "" for the first
}

// AdminUpdate is a partial administrative edit; nil fields are unchanged.
type AdminUpdate struct {
	Role   *Role
	Banned *bool
}

// ProfileStore keeps the editable parts of accounts. Role and ban state are
// changed only through AdminPlayers, so a profile edit can never escalate.
type ProfileStore interface {
	// UpdateProfile applies u to the player and returns the result.
	// ErrConflict when the username is taken (case-insensitive), ErrNotFound
	// for an unknown player.
	UpdateProfile(ctx context.Context, playerID string, u ProfileUpdate) (Player, error)
	// SetAvatar stores the avatar file name and returns the previous one
	// ("" for none) so the caller can delete that file. ErrNotFound for an
	// unknown player.
	SetAvatar(ctx context.Context, playerID, avatar string) (previous string, err error)
}

// AdminPlayers is the administration view of accounts.
type AdminPlayers interface {
	// ListPlayers returns one page ordered by username then id, and the
	// cursor of the next page ("" at the end). ErrBadCursor for a cursor it
	// did not issue.
	ListPlayers(ctx context.Context, q PlayerQuery) ([]Player, string, error)
	// AdminUpdate applies u atomically and returns the result. Banning sets
	// BannedAt to now (kept if already banned); unbanning clears it. Audited
	// (ActionPlayerRole, ActionPlayerBan, ActionPlayerUnban: one entry per
	// aspect that changed, none for a no-op) in the same transaction.
	// ErrNotFound for an unknown player, ErrNoActor for an incomplete by.
	AdminUpdate(ctx context.Context, by AuditActor, playerID string, u AdminUpdate, now time.Time) (Player, error)
}
