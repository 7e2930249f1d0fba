package persistence

import (
	"context"
	"time"
)

// RootStatus is where a period root stands with the leaderboard contract.
type RootStatus string

// Root statuses; every root starts pending until the chain writer submits it.
const (
	RootPending   RootStatus = "pending"
	RootSubmitted RootStatus = "submitted"
	RootAccepted  RootStatus = "accepted"
	RootFailed    RootStatus = "failed"
)

// PeriodStanding is one frozen final standing of a closed period: the
// (rank, player, score) a Merkle leaf commits to.
type PeriodStanding struct {
	// Rank is 1-based and distinct, in actors/leaderboard/standings order.
	Rank       int
	PlayerID   string
	Score      int64
	AchievedAt time.Time
	// SessionID is the game that set the standing; "" in periods frozen
	// before leaf v2 (LeafVersion 1).
	SessionID string
	// ReplayHash is the SHA-256 of that game's canonical replay (the
	// replay endpoint's replayHash), 32 bytes; nil when the game has no
	// replay (unranked, legacy) and in v1 periods. A v2 leaf commits to it
	// (nil as 32 zero bytes).
	ReplayHash []byte
}

// PeriodRoot is the Merkle root over a closed period's frozen standings.
// Mode, Board and Period name the board period (any ranked mode, any
// closing board or a challenge's board, whose period is the challenge id).
type PeriodRoot struct {
	Mode      string
	Board     string
	Period    string
	Root      string
	LeafCount int
	// LeafVersion is the chain/merkle leaf encoding the root was built
	// with: 1 for periods frozen before the replay hash joined the leaf,
	// 2 since. Proofs verify only with it. SavePeriodRoot stores 0 as 1.
	// Read by PeriodRoot (PendingRoots and the chain writer leave it 0:
	// the chain takes the root alone).
	LeafVersion int
	Status      RootStatus
	// TxHash is the submit_root transaction; empty until submitted.
	TxHash string
	// Reason says why a failed root failed (the contract's revert).
	Reason    string
	CreatedAt time.Time
}

// Key names the root's board period.
func (r PeriodRoot) Key() BoardKey { return BoardKey{Mode: r.Mode, Board: r.Board, Period: r.Period} }

// TopicPeriodFrozen is the outbox topic SavePeriodRoot writes when it
// freezes a period; its key is "<mode>/<board>/<period>" and its payload a
// PeriodFrozen. actors/badges drains it to award rank badges.
const TopicPeriodFrozen = "period.frozen"

// ChallengeBoard is the board of challenges' periods (actors/leaderboard/
// standings.Challenge): their final ranks are announced by the challenge's
// own notification (TopicNotifyChallengeEnded), not TopicNotifyPeriodClosed.
const ChallengeBoard = "challenge"

// PeriodFrozen is the JSON payload of a TopicPeriodFrozen outbox row.
type PeriodFrozen struct {
	// Mode is the board's mode; rows written before closes were per mode
	// have none and are classic's.
	Mode      string `json:"mode,omitempty"`
	Board     string `json:"board"`
	Period    string `json:"period"`
	LeafCount int    `json:"leafCount"`
}

// PeriodStore freezes closed periods for the on-chain leaderboard and
// serves them back for proofs.
type PeriodStore interface {
	// SavePeriodRoot stores root (status pending), its standings and its
	// TopicPeriodFrozen and TopicNotifyPeriodClosed outbox rows in one
	// transaction on behalf of the scheduler singleton. It is fenced like
	// PeriodCloser.ClosePeriod (ErrStaleEpoch, nothing written) and
	// idempotent by root.Key(): saved is false and nothing changes when the
	// board period already has a root, so a takeover re-freezing a period
	// (or a challenge end job repeating its freeze) never alters it. root.Mode
	// is required. A new
	// root also writes one TopicPeriodFrozen outbox row in the same
	// transaction, so follow-up work (rank badges) happens at least once.
	SavePeriodRoot(ctx context.Context, root PeriodRoot, standings []PeriodStanding, holder string, epoch int64) (saved bool, err error)
	// PeriodRoot returns the board period's root, or ErrNotFound when it
	// was not frozen (not closed yet, or closed with no standings).
	PeriodRoot(ctx context.Context, key BoardKey) (PeriodRoot, error)
	// PeriodStandings returns the frozen standings in rank order (empty when
	// the board period was not frozen).
	PeriodStandings(ctx context.Context, key BoardKey) ([]PeriodStanding, error)
	// PeriodTop returns the frozen standings with rank <= maxRank in rank
	// order (empty when the board period was not frozen or maxRank < 1).
	PeriodTop(ctx context.Context, key BoardKey, maxRank int) ([]PeriodStanding, error)
}
