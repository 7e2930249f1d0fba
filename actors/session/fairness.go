package session

import (
	"github.com/proofstell/proofstell/actors/session/game"
	"github.com/proofstell/proofstell/persistence"
)

// newSeed draws the seed a new session is stored with.
func (a *Actor) newSeed() []byte {
	s := a.deps.Seed()
	return s[:]
}

// gameSeed is the seed a stored session's game plays from: its 32-byte
// seed, or for a session stored before those existed its uint64 seed
// widened (game.LegacySeed; such a session never showed a commitment).
func gameSeed(s persistence.Session) game.Seed {
	if seed, err := game.SeedFromBytes(s.GameSeed); err == nil {
		return seed
	}
	return game.LegacySeed(s.Seed)
}

// Commitment is the seed commitment of a stored session (game.Commitment),
// what its players see before the game ends; "" for a session stored
// before 32-byte seeds, which never had one.
func Commitment(s persistence.Session) string {
	seed, err := game.SeedFromBytes(s.GameSeed)
	if err != nil {
		return ""
	}
	return game.Commitment(s.ID, seed)
}

// overSeed is the seed game:over reveals, hex ("" without a 32-byte seed).
// Callers build game:over only for a finished game, whose result is stored.
func (a *Actor) overSeed() string {
	seed, err := game.SeedFromBytes(a.record.GameSeed)
	if err != nil {
		return ""
	}
	return seed.Hex()
}
