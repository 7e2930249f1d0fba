// Package events defines the JSON payloads of server frames that actors emit
// to clients ({"t": Type, "id": n, "d": payload}). Actors encode a payload
// once and send the bytes to every recipient in a protos.ClientEvent; the
// gateway only frames them. Field names are the public protocol
// (docs/PROTOCOL.md): change them only with a protocol version bump.
package events

import (
	"encoding/json"
	"time"
)

// Server frame types: every type a gateway may send a client is declared
// here, even when its payload belongs to the package that emits it, so
// ServerFrameTypes is the complete list (docs/asyncapi.yaml is checked
// against it).
const (
	TypeAck               = "ack"
	TypeError             = "error"
	TypeStateChange       = "game:state-change"
	TypeMole              = "game:mole"
	TypeHit               = "game:hit"
	TypeMiss              = "game:miss"
	TypeOver              = "game:over"
	TypeLeaderboardUpdate = "leaderboard:update"
	// TypePong answers a client "ping"; the gateway writes it itself.
	TypePong = "pong"
	// TypeBadgeAwarded announces a new badge (actors/badges).
	TypeBadgeAwarded = "badge:awarded"
	// TypeMintStatus tells a player where a badge mint stands
	// (actors/chainwriter).
	TypeMintStatus = "mint:status"
	// TypePeriodClosed announces that a leaderboard period ended and its
	// standings are final (actors/scheduler).
	TypePeriodClosed = "leaderboard:period-closed"
	// TypeMatchmakingStatus tells a queued player how long it has waited
	// and how wide its skill window is, or why its ticket changed
	// (actors/matchmaker, and the player actor on a re-queue).
	TypeMatchmakingStatus = "matchmaking:status"
	// TypeMatchmakingMatched tells every member of a formed match which
	// session it plays (actors/matchmaker).
	TypeMatchmakingMatched = "matchmaking:matched"
	// TypePartyUpdate tells every member of a party who is in it
	// (actors/party).
	TypePartyUpdate = "party:update"
	// TypeChallengeStarted tells every online player that a challenge has
	// begun (actors/scheduler).
	TypeChallengeStarted = "challenge:started"
	// TypeChallengeEnded tells every online player that a challenge is
	// over and who won it (actors/scheduler).
	TypeChallengeEnded = "challenge:ended"
	// TypeNotificationAlert delivers a new inbox notification to every
	// socket of its player (actors/notifications).
	TypeNotificationAlert = "notification:alert"
	// TypeSystemMaintenance tells every socket that maintenance mode
	// started, changed or ended, and a socket that connects while it is on
	// (internal/settings; the node's maintenance observer and the player
	// actor).
	TypeSystemMaintenance = "system:maintenance"
)

// ServerFrameTypes lists every server frame type, in declaration order.
func ServerFrameTypes() []string {
	return []string{
		TypeAck, TypeError, TypeStateChange, TypeMole, TypeHit, TypeMiss, TypeOver,
		TypeLeaderboardUpdate, TypePong, TypeBadgeAwarded, TypeMintStatus, TypePeriodClosed,
		TypeMatchmakingStatus, TypeMatchmakingMatched, TypePartyUpdate,
		TypeChallengeStarted, TypeChallengeEnded, TypeNotificationAlert, TypeSystemMaintenance,
	}
}

// Game states announced in game:state-change.
const (
	StateWaiting = "waiting"
	StateStarted = "started"
	StatePaused  = "paused"
	StateEnded   = "ended"
)

// Reasons given in game:state-change for abnormal states.
const (
	// ReasonMoving: the game paused because its session is moving to another
	// node (the node hosting it died or the cluster moved it); a
	// game:state-change "started" follows once it is back.
	ReasonMoving = "moving"
	// ReasonAborted: the game ended without a result: it was unavailable
	// for longer than the server's resume window, or it was a match nobody
	// started within the waiting timeout of its creation.
	ReasonAborted = "aborted"
	// ReasonBanned: the game ended without a result because its player's
	// account was banned while it ran.
	ReasonBanned = "banned"
)

// Error codes sent in error frames. They are stable: clients switch on them.
const (
	CodeBadRequest      = "bad_request"
	CodeUnknownType     = "unknown_type"
	CodeRateLimited     = "rate_limited"
	CodeUnknownMode     = "unknown_mode"
	CodeSessionNotFound = "session_not_found"
	CodeNotInSession    = "not_in_session"
	CodeSessionFull     = "session_full"
	CodeAlreadyStarted  = "already_started"
	CodeNotCreator      = "not_creator"
	CodeGameNotRunning  = "game_not_running"
	CodeGameOver        = "game_over"
	CodeAlreadyInGame   = "already_in_game"
	CodeUnavailable     = "unavailable"
	CodeInternal        = "internal"
	// CodeAccountBanned: the account is banned and may not create or join
	// a game (checked in PostgreSQL, whatever any cache says).
	CodeAccountBanned = "account_banned"
	// CodeBusy: the node is past capacity and sheds new games (game:start,
	// game:create, game:join); the error carries RetryAfterMs. Games already
	// running are never refused with it.
	CodeBusy = "busy"
	// CodeAlreadyQueued: the player already holds a matchmaking ticket (on
	// this or another connection); leave it first.
	CodeAlreadyQueued = "already_queued"
	// CodePartyNotFound: no party has that code.
	CodePartyNotFound = "party_not_found"
	// CodePartyFull: the party has 8 members.
	CodePartyFull = "party_full"
	// CodeAlreadyInParty: the connection is in a party; leave it first.
	CodeAlreadyInParty = "already_in_party"
	// CodeNotPartyLeader: only the party's leader queues it.
	CodeNotPartyLeader = "not_party_leader"
	// CodeChallengeNotFound: no challenge has the id game:start named.
	CodeChallengeNotFound = "challenge_not_found"
	// CodeChallengeNotActive: the challenge has not started, has ended or
	// was cancelled.
	CodeChallengeNotActive = "challenge_not_active"
	// CodeNoAttemptsLeft: the player used every attempt the challenge
	// allows (counted across every node).
	CodeNoAttemptsLeft = "no_attempts_left"
	// CodeMaintenance: maintenance mode is on; new games (game:start,
	// game:create, game:join, challenge attempts) and matchmaking are
	// refused with the admins' message. Running games finish.
	CodeMaintenance = "maintenance"
	// CodeFeatureDisabled: the admins switched the feature off (settings
	// features.*): today a challenge attempt while features.challenges is
	// off. Attempts already running finish and are recorded.
	CodeFeatureDisabled = "feature_disabled"
)

// ErrorCodes lists every error code, in declaration order.
func ErrorCodes() []string {
	return []string{
		CodeBadRequest, CodeUnknownType, CodeRateLimited, CodeUnknownMode, CodeSessionNotFound,
		CodeNotInSession, CodeSessionFull, CodeAlreadyStarted, CodeNotCreator, CodeGameNotRunning,
		CodeGameOver, CodeAlreadyInGame, CodeUnavailable, CodeInternal, CodeAccountBanned, CodeBusy,
		CodeAlreadyQueued, CodePartyNotFound, CodePartyFull, CodeAlreadyInParty, CodeNotPartyLeader,
		CodeChallengeNotFound, CodeChallengeNotActive, CodeNoAttemptsLeft, CodeMaintenance, CodeFeatureDisabled,
	}
}

// Error is the payload of an error frame. RetryAfterMs is set with
// CodeBusy: the client should wait that long (plus its own jitter) before
// asking again.
type Error struct {
	Code         string `json:"code"`
	Message      string `json:"message"`
	RetryAfterMs int64  `json:"retry_after_ms,omitempty"`
}

// Maintenance is the payload of system:maintenance: whether maintenance
// mode is on, the admins' message and when it is expected to end (null:
// unknown).
type Maintenance struct {
	Enabled bool       `json:"enabled"`
	Message string     `json:"message"`
	Until   *time.Time `json:"until"`
}

// Reasons given in matchmaking:status.
const (
	// ReasonRequeued: the ticket was queued again, keeping its age: the
	// matchmaker's node died, or a formed match fell through before it
	// started.
	ReasonRequeued = "requeued"
	// ReasonMatchmakerMoving: the matchmaker's activation died; the
	// ticket is being queued again on its next activation.
	ReasonMatchmakerMoving = "moving"
	// ReasonCancelled: the ticket left the queue without the client asking:
	// its party changed while it waited.
	ReasonCancelled = "cancelled"
	// ReasonMaintenance: the ticket's match formed after maintenance mode
	// began; it is not played and the ticket leaves the queue.
	ReasonMaintenance = "maintenance"
)

// QueueStatus is the payload of matchmaking:status. Window is the skill
// window in rating points.
type QueueStatus struct {
	TicketID string  `json:"ticketId"`
	Mode     string  `json:"mode"`
	WaitedMs int64   `json:"waitedMs"`
	Window   float64 `json:"window"`
	Reason   string  `json:"reason,omitempty"`
}

// QueueAck acknowledges matchmaking:join.
type QueueAck struct {
	TicketID string `json:"ticketId"`
}

// MatchedPlayer is one player of a formed match.
type MatchedPlayer struct {
	PlayerID string `json:"playerId"`
	Username string `json:"username"`
}

// Matched is the payload of matchmaking:matched: the session every member
// plays, and who plays it.
type Matched struct {
	SessionID  string          `json:"sessionId"`
	Mode       string          `json:"mode"`
	MaxPlayers int             `json:"maxPlayers"`
	Players    []MatchedPlayer `json:"players"`
}

// PartyAck acknowledges party:create and party:join.
type PartyAck struct {
	Code string `json:"code"`
}

// PartyUpdate is the payload of party:update: the members, the leader
// first, and the revision that numbers this membership (it grows with
// every change, so a client can drop an update older than one it has).
type PartyUpdate struct {
	Code     string          `json:"code"`
	LeaderID string          `json:"leaderId"`
	Members  []MatchedPlayer `json:"members"`
	Revision uint64          `json:"revision"`
}

// Board is a game board's size.
type Board struct {
	Rows int `json:"rows"`
	Cols int `json:"cols"`
}

// SessionAck acknowledges game:start, game:join and game:resume.
type SessionAck struct {
	SessionID  string   `json:"sessionId"`
	Mode       string   `json:"mode"`
	Board      Board    `json:"board"`
	DurationMs int64    `json:"durationMs"`
	Code       string   `json:"code,omitempty"`
	Players    []string `json:"players,omitempty"`
	// ChallengeID names the challenge a solo game is an attempt at.
	ChallengeID string `json:"challengeId,omitempty"`
	// AttemptsLeft is what the attempt leaves the player (game:start with
	// a challengeId only).
	AttemptsLeft *int `json:"attemptsLeft,omitempty"`
	// SeedCommitment binds the game to its secret seed before any mole
	// (docs/FAIRNESS.md); game:over reveals the seed. Absent for a game
	// begun before seeds had commitments.
	SeedCommitment string `json:"seedCommitment,omitempty"`
}

// CreateAck acknowledges game:create.
type CreateAck struct {
	SessionID string `json:"sessionId"`
	Code      string `json:"code"`
	// SeedCommitment is as in SessionAck.
	SeedCommitment string `json:"seedCommitment,omitempty"`
}

// StateChange announces a session phase change. StartsInMs is set while a
// countdown runs; Reason explains a pause or an abnormal end. RemainingMs is
// the running time left, set in the state a re-attaching player receives so
// its timer is right after a resume.
type StateChange struct {
	GameID      string `json:"gameId"`
	State       string `json:"state"`
	StartsInMs  int64  `json:"startsInMs,omitempty"`
	Reason      string `json:"reason,omitempty"`
	Players     int    `json:"players,omitempty"`
	RemainingMs int64  `json:"remainingMs,omitempty"`
}

// Mole announces a spawn. UpMs is how long it stays up.
type Mole struct {
	GameID string `json:"gameId"`
	MoleID int64  `json:"moleId"`
	Hole   int    `json:"hole"`
	Kind   string `json:"kind"`
	UpMs   int64  `json:"upMs"`
}

// Hit reports a judged whack that scored (points may be negative for bombs).
type Hit struct {
	GameID   string `json:"gameId"`
	MoleID   int64  `json:"moleId"`
	Hole     int    `json:"hole"`
	PlayerID string `json:"playerId"`
	Points   int64  `json:"points"`
	Score    int64  `json:"score"`
}

// Miss reports a judged whack that did not score, and why.
type Miss struct {
	GameID   string `json:"gameId"`
	Hole     int    `json:"hole"`
	PlayerID string `json:"playerId"`
	Reason   string `json:"reason"`
	Score    int64  `json:"score"`
}

// Result is one player's line in game:over.
type Result struct {
	PlayerID string `json:"playerId"`
	Score    int64  `json:"score"`
	Hits     int    `json:"hits"`
	Misses   int    `json:"misses"`
}

// Over ends a game; it is sent only after the result is durable.
type Over struct {
	GameID  string   `json:"gameId"`
	Results []Result `json:"results"`
	Flagged bool     `json:"flagged"`
	// Seed reveals the game's seed, 64 hex digits, so anyone can check it
	// against the commitment and recompute every mole (docs/FAIRNESS.md).
	// Absent for a game begun before seeds had commitments.
	Seed string `json:"seed,omitempty"`
}

// Standing is one leaderboard line.
type Standing struct {
	Rank       int64     `json:"rank"`
	PlayerID   string    `json:"playerId"`
	Username   string    `json:"username"`
	Score      int64     `json:"score"`
	AchievedAt time.Time `json:"achievedAt"`
}

// LeaderboardUpdate carries a board's current top entries.
type LeaderboardUpdate struct {
	LeaderboardID string `json:"leaderboardId"`
	// Mode is the ranked mode whose board this is.
	Mode   string     `json:"mode"`
	Period string     `json:"period"`
	Scores []Standing `json:"scores"`
}

// Encode marshals a payload. Payload types here always encode; a failure is a
// programming error, reported as an internal error payload.
func Encode(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(Error{Code: CodeInternal, Message: "internal error"})
	}
	return b
}
