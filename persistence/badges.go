package persistence

import (
	"context"
	"encoding/json"
	"time"
)

// Rarity grades a badge for display and minting; the values are stored.
type Rarity string

// The rarities, commonest first.
const (
	RarityCommon    Rarity = "common"
	RarityRare      Rarity = "rare"
	RarityEpic      Rarity = "epic"
	RarityLegendary Rarity = "legendary"
)

// Valid reports whether r is a known rarity.
func (r Rarity) Valid() bool {
	return r == RarityCommon || r == RarityRare || r == RarityEpic || r == RarityLegendary
}

// AwardSource says who awarded a badge: the evaluator or staff.
type AwardSource string

// The award sources; the values are stored.
const (
	SourceAuto  AwardSource = "auto"
	SourceAdmin AwardSource = "admin"
)

// Badge is one catalogue entry. Criteria is the rule as stored JSON; the
// store keeps it opaque and actors/badges/criteria decodes it, so the
// persistence layer never depends on the rule engine.
type Badge struct {
	ID          string
	Slug        string
	Name        string
	Description string
	Icon        string
	Rarity      Rarity
	Points      int
	Category    string
	Active      bool
	Mintable    bool
	Criteria    json.RawMessage
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// BadgeUpdate is a partial edit of a badge: nil fields stay unchanged.
type BadgeUpdate struct {
	Name        *string
	Description *string
	Icon        *string
	Rarity      *Rarity
	Points      *int
	Category    *string
	Active      *bool
	Mintable    *bool
	Criteria    json.RawMessage
}

// PlayerBadge is one badge a player holds.
type PlayerBadge struct {
	Badge     Badge
	AwardedAt time.Time
	Source    AwardSource
}

// BadgeFacts is what the store knows about a player's play, the raw
// material of badge criteria (see criteria.Facts). Only finished games
// count; the challenge counts come from ended challenges' final standings.
type BadgeFacts struct {
	GamesPlayed   int64
	TotalScore    int64
	BestScore     int64
	BestByMode    map[string]int64
	LongestStreak int64
	PerfectGames  int64
	LongestCombo  int64
	MatchesWon    int64
	// ChallengesCompleted counts the challenges the player has a final
	// standing in (challenge_results); ChallengesWon those it won.
	ChallengesCompleted int64
	ChallengesWon       int64
}

// BadgeStore keeps the badge catalogue and the awards. Every method is
// atomic on its own; errors wrap ErrNotFound (unknown badge or player,
// including malformed ids) and ErrConflict (a slug already taken).
type BadgeStore interface {
	// CreateBadge inserts b (ID, CreatedAt and UpdatedAt are assigned) and
	// returns it as stored. Audited (ActionBadgeCreate).
	CreateBadge(ctx context.Context, by AuditActor, b Badge) (Badge, error)
	// UpdateBadge applies u to the badge and returns the result. Audited
	// (ActionBadgeUpdate).
	UpdateBadge(ctx context.Context, by AuditActor, id string, u BadgeUpdate) (Badge, error)
	// DeleteBadge removes the badge and every award of it. Audited
	// (ActionBadgeDelete).
	DeleteBadge(ctx context.Context, by AuditActor, id string) error
	// Badge returns one badge, active or not.
	Badge(ctx context.Context, id string) (Badge, error)
	// Badges lists the catalogue by category then slug; activeOnly hides
	// retired badges (what players see).
	Badges(ctx context.Context, activeOnly bool) ([]Badge, error)
	// AwardBadge gives the badge to the player once: awarded is false (and
	// the original award stays) when the player already holds it. An
	// automatic award (SourceAuto) to a banned player is refused the same
	// way (awarded false, nothing written), so neither a badge nor its mint
	// reaches a banned account. It is safe under concurrent calls for the
	// same pair.
	AwardBadge(ctx context.Context, playerID, badgeID string, source AwardSource) (awarded bool, err error)
	// AdminAwardBadge is AwardBadge with SourceAdmin by a staff member or
	// the command, audited (ActionBadgeAward) when the award is new.
	AdminAwardBadge(ctx context.Context, by AuditActor, playerID, badgeID string) (awarded bool, err error)
	// RevokeBadge takes the badge back; ErrNotFound when not held. Audited
	// (ActionBadgeRevoke).
	RevokeBadge(ctx context.Context, by AuditActor, playerID, badgeID string) error
	// PlayerBadges lists the badges a player holds, newest award first
	// (empty for an unknown player).
	PlayerBadges(ctx context.Context, playerID string) ([]PlayerBadge, error)
	// BadgeFacts reads the player's play facts from results already
	// committed (zero facts for a player without games or without an
	// account). The facts are kept by CommitResults in the transaction that
	// stores each game, so reading them costs the same for any history.
	BadgeFacts(ctx context.Context, playerID string) (BadgeFacts, error)
}
