package matchmaker

import (
	"context"
	"log/slog"
	"time"

	"github.com/proofstell/proofstell/config"
)

// RatingSource gives each player's skill in a mode, the number the queue
// matches by (a rating's ordinal, mu − 3σ). It does I/O: call it from a
// goroutine, never from Receive. Players without a rating are absent from
// the map (they count as 0). Errors are the store's, wrapped.
type RatingSource interface {
	Skill(ctx context.Context, mode string, playerIDs []string) (map[string]float64, error)
}

// ZeroRatings is the RatingSource of a node given none (actor tests): every
// player's skill is 0, so the queue pairs by arrival (oldest first) within
// the window. The node wires the ratings store (cmd/proofstell).
type ZeroRatings struct{}

// Skill returns no ratings: everyone counts as 0.
func (ZeroRatings) Skill(context.Context, string, []string) (map[string]float64, error) {
	return map[string]float64{}, nil
}

// Deps are what a matchmaker grain needs from the node.
type Deps struct {
	Config config.Matchmaking
	// Now is the clock; NewSessionID returns a fresh session id (UUID) for
	// a formed match. Both injected so tests are deterministic.
	Now          func() time.Time
	NewSessionID func() string
	Logger       *slog.Logger
}
