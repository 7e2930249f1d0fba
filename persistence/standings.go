package persistence

import (
	"context"
	"time"
)

// Standing is a stored leaderboard entry.
type Standing struct {
	PlayerID   string
	Username   string
	Score      int64
	AchievedAt time.Time
	// SessionID is the game that set the standing.
	SessionID string
	// ReplayHash is that game's replay hash (32 bytes, see PeriodStanding);
	// nil when it has no replay or its replay predates stored hashes.
	ReplayHash []byte
	// UnhashedReplay is the game's packed replay (GameResult.Replay) when
	// it was stored without its hash (before migration 029), for the
	// freeze to hash; nil otherwise.
	UnhashedReplay []byte
}

// StandingStore reads leaderboard records for rebuilding rank indexes.
type StandingStore interface {
	// EachStanding calls fn for every entry of the mode's board period, in no
	// particular order, stopping at fn's first error (returned wrapped).
	EachStanding(ctx context.Context, key BoardKey, fn func(Standing) error) error
}

// OutboxItem is a claimed outbox row.
type OutboxItem struct {
	ID int64
	OutboxMessage
	Attempts int
	// CreatedAt is when the row was written (the consumer's lag is how
	// long ago that was when it handles the row).
	CreatedAt time.Time
}

// OutboxStore lets background workers drain follow-up work exactly once.
type OutboxStore interface {
	// ClaimOutbox returns up to limit unprocessed rows of topic, oldest first,
	// locked with FOR UPDATE SKIP LOCKED semantics via a lease: a claimed row
	// is invisible to other claimers until lease passes.
	ClaimOutbox(ctx context.Context, topic string, limit int, lease time.Duration) ([]OutboxItem, error)
	// CompleteOutbox marks rows processed; completing twice is harmless.
	CompleteOutbox(ctx context.Context, ids []int64) error
}

// Pinger reports a backing service's health.
type Pinger interface {
	Ping(ctx context.Context) error
}

// BoardKey names one stored board period of one mode, as
// leaderboard_records, period_standings and period_roots key it. The
// leaderboard layer validates it (actors/leaderboard/standings.Key).
type BoardKey struct {
	Mode   string
	Board  string
	Period string
}

// String is "<mode>/<board>/<period>", the board period's identity.
func (k BoardKey) String() string { return k.Mode + "/" + k.Board + "/" + k.Period }
