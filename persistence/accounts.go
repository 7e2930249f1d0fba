package persistence

import (
	"context"
	"fmt"
	"time"
)

// Conflicts an AccountStore reports precisely, so the API can answer a taken
// username (public anyway) differently from a taken email (never revealed).
// Each wraps ErrConflict.
var (
	// ErrEmailTaken: another account already uses the address.
	ErrEmailTaken = fmt.Errorf("%w: email taken", ErrConflict)
	// ErrUsernameTaken: another player already has the username.
	ErrUsernameTaken = fmt.Errorf("%w: username taken", ErrConflict)
	// ErrAlreadyRegistered: the player already has email credentials.
	ErrAlreadyRegistered = fmt.Errorf("%w: already registered", ErrConflict)
)

// TokenPurpose says what an email token may be used for; a verification
// token can never reset a password and vice versa.
type TokenPurpose string

// Email token purposes.
const (
	PurposeVerifyEmail   TokenPurpose = "verify_email"
	PurposeResetPassword TokenPurpose = "reset_password"
)

// Account is a player that signs in with an email and password. Email and
// PasswordHash are secrets of the owner: never serialize them to anyone else.
type Account struct {
	Player       Player
	Email        string // stored normalized (trimmed, lower case)
	PasswordHash []byte // bcrypt
	// EmailVerifiedAt is zero until the owner proved the mailbox.
	EmailVerifiedAt time.Time
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// NewAccount is what creating or upgrading an account writes.
type NewAccount struct {
	// Username is required by CreateAccount; UpgradeGuest keeps the guest's
	// name when it is empty.
	Username     string
	Email        string
	PasswordHash []byte
}

// EmailToken is a single-use token sent by mail. Only the SHA-256 of the
// token is stored.
type EmailToken struct {
	Hash      []byte
	PlayerID  string
	Purpose   TokenPurpose
	ExpiresAt time.Time
	UsedAt    time.Time // zero while unused
}

// AccountStore keeps email and password credentials and email tokens.
// Emails are compared case-insensitively.
type AccountStore interface {
	// CreateAccount creates a player (role player) and its credentials in one
	// transaction. Errors: ErrUsernameTaken, ErrEmailTaken (nothing written).
	CreateAccount(ctx context.Context, a NewAccount) (Account, error)
	// UpgradeGuest gives the existing player playerID email credentials (and
	// the new username when a.Username is set) in one transaction, keeping
	// its id and so its history. Its guest device bindings are removed: from
	// then on the account is reached only with its credentials. Errors:
	// ErrNotFound, ErrAlreadyRegistered, ErrUsernameTaken, ErrEmailTaken.
	UpgradeGuest(ctx context.Context, playerID string, a NewAccount) (Account, error)
	// AccountByEmail returns the account of email, or ErrNotFound.
	AccountByEmail(ctx context.Context, email string) (Account, error)
	// AccountByPlayer returns the account of playerID, or ErrNotFound (also
	// for a player without credentials).
	AccountByPlayer(ctx context.Context, playerID string) (Account, error)
	// MarkEmailVerified records at as the verification time unless the email
	// is verified already (the first proof wins). ErrNotFound without account.
	MarkEmailVerified(ctx context.Context, playerID string, at time.Time) error
	// SetPassword replaces the password hash and revokes every refresh token
	// of the player in the same transaction, so no session outlives a reset.
	// ErrNotFound without account.
	SetPassword(ctx context.Context, playerID string, hash []byte) error
	// CreateEmailToken stores t. ErrNotFound when the player does not exist.
	CreateEmailToken(ctx context.Context, t EmailToken) error
	// EmailToken returns the usable token with hash and purpose without
	// consuming it. ErrNotFound (unknown, other purpose or used), ErrExpired.
	EmailToken(ctx context.Context, hash []byte, purpose TokenPurpose, now time.Time) (EmailToken, error)
	// ConsumeEmailToken atomically marks the token used and returns it; of
	// concurrent consumers exactly one succeeds. Every other unused token of
	// the same player and purpose is retired with it, so an older link stops
	// working once a newer one was used. Errors as EmailToken.
	ConsumeEmailToken(ctx context.Context, hash []byte, purpose TokenPurpose, now time.Time) (EmailToken, error)
}

// Lockout counts failed sign-ins per subject (e.g. a hashed email) in a
// cluster-wide store (Redis; in process on a node alone) and locks the
// subject after too many. Implementations
// count in real wall-clock time: a window of 900 s lasts 900 s.
type Lockout interface {
	// Locked returns how long subject stays locked; 0 means not locked.
	Locked(ctx context.Context, subject string) (time.Duration, error)
	// Fail records one failure. When it reaches the limit within the window
	// the subject is locked and lockedFor is the lock's duration, else 0.
	Fail(ctx context.Context, subject string) (lockedFor time.Duration, err error)
	// Reset forgets the subject's failures and lock (after a success).
	Reset(ctx context.Context, subject string) error
}
