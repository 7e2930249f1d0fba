package persistence

import (
	"context"
	"time"
)

// SessionKind distinguishes single-player games from shared-board matches.
type SessionKind string

// Session kinds.
const (
	KindSolo  SessionKind = "solo"
	KindMatch SessionKind = "match"
)

// SessionState is the stored phase of a session.
type SessionState string

// Session states. A session is open while waiting or in countdown; finished
// and aborted are final.
const (
	StateWaiting   SessionState = "waiting"
	StateCountdown SessionState = "countdown"
	StateRunning   SessionState = "running"
	StatePaused    SessionState = "paused"
	StateFinished  SessionState = "finished"
	StateAborted   SessionState = "aborted"
)

// Mode is a game mode with its difficulty parameters, stored as data.
type Mode struct {
	Name          string
	Level         string // easy, normal, hard: informative, used for matchmaking later
	Rows, Cols    int
	Duration      time.Duration
	SpawnInterval time.Duration
	Visible       time.Duration
	MaxMolesUp    int // moles up at once
	HitPoints     int
	GoldenChance  float64 // probability in [0,1] that a spawn is golden
	GoldenPoints  int
	BombChance    float64 // probability in [0,1] that a spawn is a bomb
	BombPenalty   int     // points lost for whacking a bomb (positive number)
	Countdown     time.Duration
	MaxPlayers    int // upper bound for matches in this mode
	Active        bool
	// Ranked modes' results reach the mode's leaderboards; a practice
	// mode's (false) reach none.
	Ranked bool
	// Version names these rules: every change of a mode's rules (anything
	// but Active) makes a new version, and every version stays readable
	// (ModeStore.ModeAt), so a game keeps the rules it was created with.
	Version int64
}

// ModeStore reads game modes.
type ModeStore interface {
	// Mode returns the active mode called name, or ErrNotFound.
	Mode(ctx context.Context, name string) (Mode, error)
	// Modes lists active modes ordered by name.
	Modes(ctx context.Context) ([]Mode, error)
	// ModeAt returns the rules version of the named mode, active or not,
	// or ErrNotFound.
	ModeAt(ctx context.Context, name string, version int64) (Mode, error)
}

// Session is a stored game session. Snapshot is the game rules' own encoding
// of the in-flight state, opaque to the store.
type Session struct {
	ID   string // UUID
	Mode string
	// ModeVersion is the version of the mode's rules the game was created
	// with (Mode.Version); 0 for sessions stored before modes had versions.
	ModeVersion int64
	Kind        SessionKind
	JoinCode    string // matches only; empty for solo
	MaxPlayers  int
	CreatorID   string
	PlayerIDs   []string
	State       SessionState
	Epoch       int64
	// Seed is the uint64 seed of a session stored before GameSeed existed
	// (its game plays the legacy generator); 0 for newer sessions.
	Seed uint64
	// GameSeed is the game's 32-byte seed (internal/fair), from which every
	// mole follows; nil for sessions stored before it. Secret until the
	// game is over: only its commitment may be shown before then.
	GameSeed  []byte
	Snapshot  []byte
	CreatedAt time.Time
	StartedAt time.Time // zero until running
	EndedAt   time.Time // zero until final
	// Flagged: the game holds a result held for review (each player's
	// PlayerResult.Flagged says whose); false once every flag is cleared.
	Flagged bool
	// EndReason says why an aborted session ended (an Abort* reason); empty
	// for a finished or open one.
	EndReason string
	// ChallengeID names the challenge this session is an attempt at ("" for
	// none): such a session plays the challenge's rules (Challenge.Rules),
	// also when it resumes on another node, and its result reaches only the
	// challenge's board.
	ChallengeID string
	// MatchedPlayers, on creation only, are the members of the match the
	// matchmaker formed (not stored as such: they join like anyone).
	MatchedPlayers []string
	Results        []PlayerResult // filled once finished
}

// SoloForm is one recent finished solo game of a player, what the dynamic
// difficulty of their next solo game reads (actors/session/difficulty).
type SoloForm struct {
	Hits, Misses   int
	MedianReaction time.Duration // zero when unknown
}

// SessionSummary is one line of a player's game history.
type SessionSummary struct {
	ID        string
	Mode      string
	Kind      SessionKind
	State     SessionState
	Score     int64
	Flagged   bool // this player's result is held for review
	CreatedAt time.Time
	EndedAt   time.Time
}

// SessionStore keeps sessions. Writes that belong to a live activation carry
// its epoch and fail with ErrStaleEpoch when a newer activation exists.
type SessionStore interface {
	// CreateSession inserts s with epoch 1 in one statement; a new session's
	// activation owns it from there without a separate claim. ErrConflict if
	// the id or an open session's join code is taken, and for a taken id
	// also ErrExists (the caller then claims the stored row instead);
	// ErrPlayerBanned (nothing written) if the creator's account is banned.
	//
	// With ChallengeID set (a solo attempt), the same transaction takes the
	// creator's next attempt at the challenge: ErrChallengeNotActive if the
	// challenge is not active at CreatedAt, ErrNoAttemptsLeft once every
	// attempt is taken, ErrNotFound if it does not exist; the limit holds
	// across nodes and concurrent calls (nothing is written on any error).
	//
	// With MatchedPlayers set, the same transaction writes the
	// TopicNotifyMatchFound outbox row (key the session id) naming them.
	CreateSession(ctx context.Context, s Session) error
	// JoinSession adds a player to a waiting session owned by epoch, in the
	// same statement that checks the player's account, so a banned player
	// can never join whatever a cache says. A player already in the session
	// is a no-op. ErrPlayerBanned if the account is banned, ErrStaleEpoch if
	// a newer activation owns the session, ErrConflict if it is no longer
	// waiting or is full, ErrNotFound if it does not exist.
	JoinSession(ctx context.Context, j SessionJoin) error
	// ExpireLobbies closes every session still waiting that was created
	// before createdBefore: state aborted, end reason AbortLobbyExpired,
	// ended at now, and a new epoch, so an activation still holding one of
	// them is fenced instead of starting a game nobody can record. It
	// returns how many it closed. Idempotent: a closed lobby is final.
	ExpireLobbies(ctx context.Context, createdBefore, now time.Time) (int, error)
	// ClaimSession increments the session's epoch and returns the row with the
	// new epoch: the caller now owns it. ErrNotFound if absent.
	ClaimSession(ctx context.Context, id string) (Session, error)
	// SaveSnapshot stores the in-flight state if epoch is still current.
	// ErrStaleEpoch otherwise; ErrNotFound if absent. A final state is never
	// overwritten by a snapshot (ErrConflict).
	SaveSnapshot(ctx context.Context, snap Snapshot) error
	// SaveSnapshots stores many snapshots in one statement, each under the
	// same guard as SaveSnapshot. outcomes[i] is snapshot i's own result,
	// exactly what SaveSnapshot would have returned for it (nil,
	// ErrStaleEpoch, ErrConflict, ErrNotFound); err fails the whole call
	// (nothing written), as does naming one session twice.
	SaveSnapshots(ctx context.Context, snaps []Snapshot) (outcomes []error, err error)
	// SessionIDByCode returns the open (waiting or countdown) session with the
	// join code, or ErrNotFound.
	SessionIDByCode(ctx context.Context, code string) (string, error)
	// Session returns the stored session with its results, or ErrNotFound.
	Session(ctx context.Context, id string) (Session, error)
	// SessionReplay returns the packed replay stored with a finished
	// session's result (GameResult.Replay), or ErrNotFound.
	SessionReplay(ctx context.Context, id string) ([]byte, error)
	// PlayerSessions lists the player's sessions newest first. cursor is the
	// opaque value returned by a previous call ("" for the first page); next is
	// "" when there are no more. A cursor that does not decode is ErrBadCursor.
	PlayerSessions(ctx context.Context, playerID string, limit int, cursor string) (page []SessionSummary, next string, err error)
}

// SessionJoin is a player joining a waiting session owned by Epoch.
type SessionJoin struct {
	SessionID string
	Epoch     int64
	PlayerID  string
}

// Abort reasons stored with an aborted session (Session.EndReason) and with
// each voided player (PlayerResult.Voided).
const (
	// AbortResumeWindow: the game was unavailable longer than the resume
	// window and could not go on fairly.
	AbortResumeWindow = "resume_window"
	// AbortLobbyExpired: a match nobody started within the waiting timeout,
	// counted from its creation.
	AbortLobbyExpired = "lobby_expired"
	// AbortBanned: the player's account was banned when the result was
	// committed (a session whose players are all banned ends with it).
	AbortBanned = "banned"
)

// Snapshot is an in-flight session state written while a game runs.
type Snapshot struct {
	SessionID string
	Epoch     int64
	State     SessionState
	PlayerIDs []string
	StartedAt time.Time
	Data      []byte
	At        time.Time
}
