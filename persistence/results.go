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
	// Flagged holds this player's result for review: it is stored (with
	// Evidence, as an open Flag) but earns no standing, profile score,
	// challenge score, rating, badge or referral progress until a moderator
	// clears it. The other players of the game count as usual. The session
	// sets it when Flags > 0; read back, it is false once cleared.
	Flagged bool
	// Evidence is what a moderator reviews of a flagged result (commit
	// input only; nil for an unflagged one).
	Evidence *FlagEvidence
	// ReachedAt is when the player reached their final score; it breaks ties
	// on leaderboards (earlier wins).
	ReachedAt time.Time
	// MedianReaction is the median reaction time of the moles the player
	// won (zero: none); stored for the dynamic difficulty of solo games,
	// not read back with the result.
	MedianReaction time.Duration
	// Spread is what the consistency detector counted in this game
	// (commit input only): the player's later games are judged with it.
	Spread Spread
	// Voided is set on stored results only: why this player's part counts
	// for nothing (the game's abort reason, or AbortBanned); empty when it
	// counts. A voided result keeps no score.
	Voided string
}

// Spread is the consistency detector's count of one player's game
// (actors/session/detector): the moles won and those whose reaction lay
// within its band of their median. A zero Spread (no mole won) is stored
// as 0 of 0; results stored before it are unknown.
type Spread struct {
	Samples int
	InBand  int
}

// RecentPlay is one of a player's recent committed games as the
// consistency detector reads it: the game's Spread and its aim.
type RecentPlay struct {
	Spread
	Hits   int
	Misses int
}

// StandingRecord is a candidate leaderboard entry: the player's score in a
// mode's board period. The store keeps the best per (mode, board, period,
// player); an equal score never replaces an earlier one.
type StandingRecord struct {
	Mode       string // the ranked mode the game was played in
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
//
// An aborted game (StateAborted) records its end and Reason on the session
// row, and each player as voided with no score: no stats, standings or
// outbox rows, whatever the result carries. A player banned when the result
// is committed is voided the same way (reason AbortBanned) while the other
// players of a match keep their results; a game whose players are all
// banned is stored as aborted with reason AbortBanned.
type GameResult struct {
	SessionID string
	Epoch     int64
	State     SessionState // StateFinished or StateAborted
	// Reason is why an aborted game ended (an Abort* reason); ignored for a
	// finished one.
	Reason    string
	StartedAt time.Time
	EndedAt   time.Time
	// Flagged: at least one player's result is flagged. The store derives
	// what it stores from PlayerResult.Flagged of the players who count.
	Flagged bool
	// Ranked is whether the game's mode, as the game was created with it,
	// is ranked: a finished match of a ranked mode moves its players'
	// ratings. The session decides it from the rules it plays, as it
	// decides Standings; an admin edit since does not change it.
	Ranked bool
	// ChallengeID is the challenge the game is an attempt at (its session's
	// ChallengeID; "" for none): the commit records the attempt's score.
	ChallengeID string
	Players     []PlayerResult
	Snapshot    []byte
	// Standings are the leaderboard candidates of every scoring player.
	// The store drops those of aborted games and of voided players, and
	// holds a flagged player's with their Flag (restored if it is cleared
	// while the board period is still open).
	Standings []StandingRecord
	Outbox    []OutboxMessage
	// Replay is the game's packed replay (docs/FAIRNESS.md), stored with a
	// committed finished result; nil stores none (unranked, aborted and
	// legacy games). Written once: a repeated commit keeps the first.
	Replay []byte
	// ReplayHash is the SHA-256 of Replay's canonical (unpacked) bytes,
	// 32 bytes, stored with it so a period freeze reads it without
	// unpacking; set exactly when Replay is.
	ReplayHash []byte
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
	// CommittedVoided: committed, but one or more players were banned at
	// commit time and their part was voided (no standings, stats or outbox
	// effect; a solo game is stored as aborted). The caller must not offer
	// the result's standings to live boards: they rebuild from Postgres.
	CommittedVoided
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
	case CommittedVoided:
		return "committed_voided"
	default:
		return "unknown"
	}
}

// ResultStore commits finished games.
type ResultStore interface {
	// CommitResults commits each result atomically with its session row,
	// session players, player stats, ratings (a finished match of a ranked
	// mode: postgres/results_ratings.go says who is rated), standings and
	// outbox rows, all results
	// of the call in one transaction. Bans are read inside that transaction
	// (see GameResult for what a banned player gets: nothing). It returns one outcome per result, in
	// order. An error means nothing of the call was committed and it may be
	// retried as a whole.
	CommitResults(ctx context.Context, results []GameResult) ([]CommitOutcome, error)
}

// TopicGameFinished is the outbox topic of a committed game (one row per
// finished session, key the session id; another, key
// "<session>/cleared/<player>", when a moderator clears a flagged result). Its payload is a
// GameFinishedEvent. The badge worker claims the rows (and hands each game
// to its followers: referrals); cursor readers (analytics) read them too.
const TopicGameFinished = "game.finished"

// GameFinishedEvent is the payload of a TopicGameFinished row, the one
// shape its writers (the session, a cleared flag) and readers share.
//
// Players are the players whose result counts. A flagged player is left
// out and named in FlaggedPlayers, and reaches the followers through the
// row that clearing the flag writes (ClearedFlag names it). Flagged is true
// only when no listed player counts: rows written before results were
// flagged one by one (#17) list every player and mean the whole game by it.
type GameFinishedEvent struct {
	SessionID string    `json:"sessionId"`
	Mode      string    `json:"mode"`
	State     string    `json:"state"`
	Flagged   bool      `json:"flagged"`
	StartedAt time.Time `json:"startedAt,omitzero"` // absent from rows written before analytics read durations
	// EndedAt is the game's end; for a cleared flag's row, the clear (when
	// the result started to count).
	EndedAt        time.Time            `json:"endedAt"`
	Players        []GameFinishedPlayer `json:"players"`
	FlaggedPlayers []string             `json:"flaggedPlayers,omitempty"`
	ClearedFlag    string               `json:"clearedFlag,omitempty"`
}

// GameFinishedPlayer is one counted result of a GameFinishedEvent.
type GameFinishedPlayer struct {
	PlayerID  string `json:"playerId"`
	Score     int64  `json:"score"`
	Hits      int    `json:"hits"`
	Misses    int    `json:"misses"`
	BestCombo int    `json:"bestCombo"`
}
