package game

import "errors"

// Sentinel errors for commands that are invalid. They are not misses: the
// actor answers them with an error frame and nothing is scored or counted.
var (
	// ErrFull: the game already has MaxPlayers players.
	ErrFull = errors.New("game is full")
	// ErrAlreadyJoined is for callers that want to reject a repeated join;
	// Join itself is idempotent for members and never returns it.
	ErrAlreadyJoined = errors.New("player already joined")
	// ErrNotJoinable: the game has left the waiting phase.
	ErrNotJoinable = errors.New("game is no longer joinable")
	// ErrAlreadyStarted: Begin on a game that is not waiting.
	ErrAlreadyStarted = errors.New("game already started")
	// ErrNoPlayers: Begin on a game nobody joined.
	ErrNoPlayers = errors.New("game has no players")
	// ErrNotRunning: a whack outside the running phase.
	ErrNotRunning = errors.New("game is not running")
	// ErrNotInGame: a command from a player who is not a member.
	ErrNotInGame = errors.New("player is not in this game")
	// ErrBadHole: a hole outside the board.
	ErrBadHole = errors.New("hole is outside the board")
	// ErrNotCreator: BeginBy from someone other than the match creator.
	ErrNotCreator = errors.New("only the creator may begin the game")
	// ErrBadPlayerID: an empty player id.
	ErrBadPlayerID = errors.New("player id is empty")
	// ErrInvalidMode: a mode whose parameters make no playable game.
	ErrInvalidMode = errors.New("invalid game mode")
	// ErrInvalidLimits: judging limits out of range.
	ErrInvalidLimits = errors.New("invalid judging limits")
	// ErrInvalidMaxPlayers: maxPlayers outside 1..MaxPlayers.
	ErrInvalidMaxPlayers = errors.New("invalid max players")
	// ErrBadSnapshot: snapshot bytes that do not decode to a consistent game.
	ErrBadSnapshot = errors.New("bad game snapshot")
	// ErrSnapshotVersion: a snapshot written by an unknown format version.
	ErrSnapshotVersion = errors.New("unknown game snapshot version")
	// ErrBadReplay: bytes that are not a canonical replay (DecodeReplay,
	// UnpackReplay).
	ErrBadReplay = errors.New("bad game replay")
)
