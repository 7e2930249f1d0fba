package session

import (
	"context"
	"errors"
	"fmt"

	"github.com/proofstell/proofstell/persistence"
)

// Challenges reads the challenges sessions are attempts at
// (persistence.ChallengeStore).
type Challenges interface {
	// Challenge returns one challenge or persistence.ErrNotFound.
	Challenge(ctx context.Context, id string) (persistence.Challenge, error)
	// PlayerAttempts lists the player's attempts, oldest first.
	PlayerAttempts(ctx context.Context, challengeID, playerID string) ([]persistence.ChallengeAttempt, error)
}

// errChallengeNotFound: the challenge a game:start names does not exist
// (or the node has no challenge store).
var errChallengeNotFound = errors.New("challenge not found")

// readChallenge reads a challenge, its absence as errChallengeNotFound.
func readChallenge(ctx context.Context, deps Deps, id string) (persistence.Challenge, error) {
	if deps.Challenges == nil {
		return persistence.Challenge{}, fmt.Errorf("challenge %s: %w", id, errChallengeNotFound)
	}
	c, err := deps.Challenges.Challenge(ctx, id)
	if errors.Is(err, persistence.ErrNotFound) {
		return c, fmt.Errorf("challenge %s: %w", id, errChallengeNotFound)
	}
	return c, err
}

// createAttempt creates a solo session that is an attempt at the
// challenge: it plays the challenge's rules (its mode name, and the
// snapshot of the rules taken when the challenge was set), and the store
// takes the attempt with the row. attemptsLeft is -1 when it could not be
// read after the attempt was taken (the game goes on regardless).
func createAttempt(ctx context.Context, deps Deps, s persistence.Session, challengeID string) (persistence.Session, persistence.Mode, int, error) {
	c, err := readChallenge(ctx, deps, challengeID)
	if err != nil {
		return s, persistence.Mode{}, 0, err
	}
	if st := c.StatusAt(s.CreatedAt); st != persistence.ChallengeActive {
		return s, c.Rules, 0, fmt.Errorf("challenge %s is %s: %w", c.ID, st, persistence.ErrChallengeNotActive)
	}
	s.Mode, s.ModeVersion, s.ChallengeID = c.Mode, c.Rules.Version, c.ID
	s, err = insertSession(ctx, deps, s)
	if errors.Is(err, persistence.ErrNotFound) {
		err = fmt.Errorf("%w: %w", errChallengeNotFound, err)
	}
	if err != nil {
		return s, c.Rules, 0, err
	}
	return s, c.Rules, attemptsLeft(ctx, deps, c, s), nil
}

// attemptsLeft is what the attempt just taken leaves the player; -1 when
// it cannot be told.
func attemptsLeft(ctx context.Context, deps Deps, c persistence.Challenge, s persistence.Session) int {
	attempts, err := deps.Challenges.PlayerAttempts(ctx, c.ID, s.CreatorID)
	if err != nil {
		return -1
	}
	for _, at := range attempts {
		if at.SessionID == s.ID {
			return max(c.MaxAttempts-at.Attempt, 0)
		}
	}
	return -1
}
