package persistence

import (
	"context"
	"time"
)

// FlagStatus is where a flagged result is in review.
type FlagStatus string

// Flag statuses: open until a moderator decides; cleared restores the
// result, confirmed keeps it void. A decision is final.
const (
	FlagOpen      FlagStatus = "open"
	FlagCleared   FlagStatus = "cleared"
	FlagConfirmed FlagStatus = "confirmed"
)

// Valid reports whether s is a known status.
func (s FlagStatus) Valid() bool { return s == FlagOpen || s == FlagCleared || s == FlagConfirmed }

// FlagEvidence is what the session knew of a flagged result when it
// finished. Reasons counts the flagging whacks by judgement ("too_fast",
// "rate_limited"; "unattributed" for flags of a game resumed from a
// snapshot older than the split; "suspicious_consistency", 1, for a result
// the consistency detector held). Reactions is the histogram of the
// player's reaction times on the moles they won; a too_fast whack's own
// timing is only in the session's replay. Consistency is the detector's
// findings when it held the result (nil otherwise).
type FlagEvidence struct {
	Reasons          map[string]int       `json:"reasons"`
	Flags            int                  `json:"flags"`
	Hits             int                  `json:"hits"`
	Misses           int                  `json:"misses"`
	MedianReactionMs int64                `json:"medianReactionMs"`
	Reactions        []ReactionBucket     `json:"reactions"`
	Consistency      *ConsistencyEvidence `json:"consistency,omitempty"`
}

// ConsistencyEvidence is what the consistency detector saw in a result it
// held (actors/session/detector): of Samples won moles, BandShare had a
// reaction within BandMs of their median MedianMs, which a human would
// match with chance Tail; Accuracy is hits over hits and misses. Rule is
// the rule that held ("game": this game alone, "recent": the player's
// recent games together, described by Recent); both are empty in flags
// raised before the detector read recent games.
type ConsistencyEvidence struct {
	Samples   int                `json:"samples"`
	MedianMs  int32              `json:"medianMs"`
	BandMs    int64              `json:"bandMs"`
	BandShare float64            `json:"bandShare"`
	Tail      float64            `json:"tail"`
	Accuracy  float64            `json:"accuracy"`
	Rule      string             `json:"rule,omitempty"`
	Recent    *RecentConsistency `json:"recent,omitempty"`
}

// RecentConsistency is the detector's pooled view of the player's last
// Games games (the held one included): of Samples won moles, BandShare
// were within the band of their game's median, which a human would match
// with chance Tail; Accuracy is over all of them, and FlawlessStreak counts
// the games in a row without a miss ending with the held one.
type RecentConsistency struct {
	Games          int     `json:"games"`
	Samples        int     `json:"samples"`
	BandShare      float64 `json:"bandShare"`
	Tail           float64 `json:"tail"`
	Accuracy       float64 `json:"accuracy"`
	FlawlessStreak int     `json:"flawlessStreak"`
}

// ReactionBucket counts won moles whose reaction time was in
// [FromMs, ToMs); ToMs 0 is the open last bucket.
type ReactionBucket struct {
	FromMs int32 `json:"fromMs"`
	ToMs   int32 `json:"toMs"`
	Count  int   `json:"count"`
}

// Flag is one flagged result (a session's player) under review.
type Flag struct {
	ID          string
	SessionID   string
	PlayerID    string
	Username    string
	Mode        string
	ChallengeID string // "" for none
	Score       int64
	Evidence    FlagEvidence
	Status      FlagStatus
	CreatedAt   time.Time
	// DecidedBy, DecidedAt and Reason record the decision (zero while
	// open).
	DecidedBy string
	DecidedAt time.Time
	Reason    string
}

// FlagQuery pages flags of one status, oldest first.
type FlagQuery struct {
	Status FlagStatus
	Limit  int
	Cursor string // "" for the first page; ErrBadCursor for a foreign one
}

// FlagPage is one page of flags; Next is "" on the last.
type FlagPage struct {
	Flags []Flag
	Next  string
}

// FlagDecision is a moderator's decision on a flag.
type FlagDecision struct {
	FlagID string
	By     string // the deciding moderator's player id
	Reason string // required: why
}

// FlagStore reviews flagged results.
type FlagStore interface {
	// ListFlags pages flags of q.Status, oldest first (Limit ≤ 0: 20).
	ListFlags(ctx context.Context, q FlagQuery) (FlagPage, error)
	// ClearFlag decides an open flag as cleared and, in the same
	// transaction, restores the result exactly once: the player's flagged
	// bit, profile score, the held standings of every board period still
	// open (not closed by the scheduler, and the current period of a
	// periodic board, or a challenge's board before it ended; none for a
	// player banned since), the
	// challenge attempt's score while its challenge runs, and a
	// game.finished outbox row for the player (badges, referral progress).
	// ErrNotFound for an unknown flag; ErrConflict when it was already
	// decided (two moderators at once: one wins).
	// Audited (ActionFlagClear) in the same transaction.
	ClearFlag(ctx context.Context, by AuditActor, d FlagDecision) (Flag, error)
	// ConfirmFlag decides an open flag as confirmed: the result stays
	// void. Errors as ClearFlag.
	// Audited (ActionFlagConfirm) in the same transaction.
	ConfirmFlag(ctx context.Context, by AuditActor, d FlagDecision) (Flag, error)
}
