package persistence

import "errors"

// Sentinel errors returned (wrapped) by stores. Callers test them with errors.Is.
var (
	// ErrNotFound: the record does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict: a uniqueness rule rejected the write.
	ErrConflict = errors.New("conflict")
	// ErrExists: the record's id is already taken (a create that raced or
	// repeated another). Stores wrap it together with ErrConflict.
	ErrExists = errors.New("already exists")
	// ErrStaleEpoch: the writer's ownership epoch is older than the stored one;
	// another activation owns the record and the write was not applied.
	ErrStaleEpoch = errors.New("stale epoch")
	// ErrTokenReused: a rotated refresh token was presented again; its whole
	// family has been revoked.
	ErrTokenReused = errors.New("refresh token reused")
	// ErrExpired: the record exists but is past its expiry.
	ErrExpired = errors.New("expired")
	// ErrQueueFull: a bounded queue rejected the item (overflow policy: reject).
	ErrQueueFull = errors.New("queue full")
	// ErrBadCursor: a pagination cursor could not be decoded.
	ErrBadCursor = errors.New("bad cursor")
	// ErrUnavailable: the store could not be reached (connection refused,
	// dropped or terminated by a server shutdown). Nothing is known about
	// the operation's outcome beyond "not confirmed"; callers may retry.
	ErrUnavailable = errors.New("store unavailable")
)
