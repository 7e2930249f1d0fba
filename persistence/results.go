package persistence

import (
	"context"
	"time"
)

// PlayerResult is one player's outcome of a finished game.
type PlayerResult struct {
	PlayerID  string
	Username  string
	Score     int64
	Hits      int
	Misses    int
	BestCombo int
	Flags     int // anti-cheat rejections attributed to this player
	// ReachedAt is when the player reached their final score; it breaks ties
	// on leaderboards (earlier wins).
	ReachedAt time.Time
}

// StandingRecord is a candidate leaderboard entry: the player's score in a
// board's period. The store keeps the best per (board, period, player); an
// equal score never replaces an earlier one.
type StandingRecord struct {
	Board      string // global, daily, weekly, monthly
	Period     string // "all", "2026-11-24", "2026-W48", "2026-11"
	PlayerID   string
	Username   string
	Score      int64
	AchievedAt time.Time
	SessionID  string
}

// OutboxMessage is follow-up work written in the same transaction as the
// result that causes it. Key is an idempotency key unique per topic.
type OutboxMessage struct {
	Topic   string
	Key     string
	Payload []byte
}

// GameResult is everything one finished game commits atomically.
type GameResult struct {
	SessionID string
	Epoch     int64
	State     SessionState // StateFinished or StateAborted
	StartedAt time.Time
	EndedAt   time.Time
	Flagged   bool
	Players   []PlayerResult
	Snapshot  []byte
	// Standings are the leaderboard candidates (empty for flagged or aborted
	// games: the store does not filter them).
	Standings []StandingRecord
	Outbox    []OutboxMessage
}

// CommitOutcome is the fate of one GameResult in a commit call.
type CommitOutcome int

// Commit outcomes.
const (
	// Committed: the result and everything with it is now durable.
	Committed CommitOutcome = iota + 1
	// AlreadyCommitted: the session was already final; nothing was written
	// again (a retry after a lost reply lands here).
	AlreadyCommitted
	// StaleEpoch: a newer activation owns the session; nothing was written.
	StaleEpoch
	// Missing: the session row does not exist; nothing was written.
	Missing
)

// String names the outcome for logs and metrics.
func (o CommitOutcome) String() string {
	switch o {
	case Committed:
		return "committed"
	case AlreadyCommitted:
		return "already_committed"
	case StaleEpoch:
		return "stale_epoch"
	case Missing:
		return "missing"
	default:
		return "unknown"
	}
}

// ResultStore commits finished games.
type ResultStore interface {
	// CommitResults commits each result atomically with its session row,
	// session players, player stats, standings and outbox rows, all results
	// of the call in one transaction. It returns one outcome per result, in
	// order. An error means nothing of the call was committed and it may be
	// retried as a whole.
	CommitResults(ctx context.Context, results []GameResult) ([]CommitOutcome, error)
}
