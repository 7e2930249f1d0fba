package game

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
)

// SeedSize is the length of a game seed in bytes.
const SeedSize = 32

// commitmentDomain separates seed commitments from every other SHA-256 the
// server computes, so a commitment can never be mistaken for another hash.
const commitmentDomain = "proofstell/seed-commitment/v1"

// ErrBadSeed reports a seed that is not SeedSize bytes (or not hex).
var ErrBadSeed = errors.New("seed must be 32 bytes")

// Seed is a game's secret randomness: everything random about a game's
// moles derives from it (Schedule). It must come from a CSPRNG (the session
// draws it from crypto/rand) and stay secret until the game is over.
type Seed [SeedSize]byte

// SeedFromBytes copies a stored seed, ErrBadSeed unless it has SeedSize bytes.
func SeedFromBytes(b []byte) (Seed, error) {
	var s Seed
	if len(b) != SeedSize {
		return s, fmt.Errorf("%w: got %d", ErrBadSeed, len(b))
	}
	copy(s[:], b)
	return s, nil
}

// ParseSeed decodes Hex's output.
func ParseSeed(h string) (Seed, error) {
	b, err := hex.DecodeString(h)
	if err != nil {
		return Seed{}, fmt.Errorf("%w: %w", ErrBadSeed, err)
	}
	return SeedFromBytes(b)
}

// LegacySeed widens the uint64 seed of a session stored before seeds had 32
// bytes: SHA-256 of its 8 big-endian bytes. Such a session never published a
// commitment, so any fixed, documented widening will do.
func LegacySeed(v uint64) Seed {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], v)
	return sha256.Sum256(b[:])
}

// Hex is the seed as 64 lower-case hex digits, as game:over reveals it.
func (s Seed) Hex() string { return hex.EncodeToString(s[:]) }

// IsZero reports whether the seed is all zero bytes (never drawn).
func (s Seed) IsZero() bool { return s == Seed{} }

// Commitment binds a seed to its session before the game: lower-case hex of
// SHA-256("proofstell/seed-commitment/v1" ‖ u32be(len(id)) ‖ id ‖ seed),
// where id is the session id's UTF-8 bytes as the API writes it. Publishing
// it reveals nothing about the seed; once game:over reveals the seed, anyone
// can check that the server did not change it.
func Commitment(sessionID string, s Seed) string {
	h := sha256.New()
	h.Write([]byte(commitmentDomain))
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(sessionID))) //nolint:gosec // session ids are short
	h.Write(n[:])
	h.Write([]byte(sessionID))
	h.Write(s[:])
	return hex.EncodeToString(h.Sum(nil))
}
