package persistence

import "errors"

// ErrPlayerBanned is returned (wrapped) when the player's account is banned,
// so the game write that would let it play (create or join a session) was
// refused. Stores check the ban in the same statement as the write, in
// PostgreSQL, never in a cache.
var ErrPlayerBanned = errors.New("player banned")
