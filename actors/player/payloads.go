package player

import (
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/proofstell/proofstell/actors/leaderboard/standings"
	"github.com/proofstell/proofstell/persistence"
)

// Payloads of the client messages (the protocol table in protocol.go). Each
// is decoded strictly from its JSON tags, then its check validates it and
// returns it in canonical form: that value is the Command.Body the actor
// handles. Checks are pure; their errors are shown to the client.

// Payload limits.
const (
	// maxHoles is the largest board a whack may aim at (game.MaxHoles); the
	// session refuses holes beyond its own board.
	maxHoles      = 64
	minMaxPlayers = 2
	maxMaxPlayers = 8
	// noHole is where a Whack's hole starts before decoding, so a payload
	// without "hole" (or with "hole":null) is refused rather than read as
	// hole 0.
	noHole = -1
)

// leaderboardIDs are the boards a client may subscribe to.
// "challenge" follows every challenge board of the mode: a challenge's
// period is its id, carried in each leaderboard:update.
var leaderboardIDs = map[string]bool{"global": true, "daily": true, "weekly": true, "monthly": true, "challenge": true}

// StartGame starts a solo game ("game:start"). An empty Mode lets the
// session pick the level from the player's recent solo form
// (actors/session/difficulty). ChallengeID makes the game an attempt at
// that challenge, played with its rules (so no Mode with it).
type StartGame struct {
	Mode        string `json:"mode"`
	ChallengeID string `json:"challengeId,omitempty"`
}

func (p StartGame) check() (StartGame, error) {
	switch {
	case p.ChallengeID != "" && p.Mode != "":
		return StartGame{}, errors.New("a challenge game takes the challenge's mode: send challengeId or mode, not both")
	case p.ChallengeID != "" && !standings.ValidChallengeID(p.ChallengeID):
		return StartGame{}, errors.New("challengeId must be 1 to 31 lowercase letters, digits or dashes")
	case p.Mode == "":
		return p, nil
	}
	return p, checkMode(p.Mode)
}

// CreateMatch opens a shared-board match ("game:create").
type CreateMatch struct {
	Mode       string `json:"mode"`
	MaxPlayers int    `json:"maxPlayers"` // 2..8
}

func (p CreateMatch) check() (CreateMatch, error) {
	if err := checkMode(p.Mode); err != nil {
		return CreateMatch{}, err
	}
	if p.MaxPlayers < minMaxPlayers || p.MaxPlayers > maxMaxPlayers {
		return CreateMatch{}, fmt.Errorf("maxPlayers must be %d..%d", minMaxPlayers, maxMaxPlayers)
	}
	return p, nil
}

// JoinMatch joins an open match by its code ("game:join").
type JoinMatch struct {
	Code string `json:"code"`
}

func (p JoinMatch) check() (JoinMatch, error) {
	if !isMatchCode(p.Code) {
		return JoinMatch{}, errors.New("code must be 4-12 characters A-Z 0-9")
	}
	return p, nil
}

// BeginMatch starts a match before it is full; creator only ("game:begin").
type BeginMatch struct {
	SessionID string `json:"sessionId"`
}

func (p BeginMatch) check() (BeginMatch, error) {
	id, err := canonicalUUID("sessionId", p.SessionID)
	return BeginMatch{SessionID: id}, err
}

// Whack hits a hole ("game:whack").
type Whack struct {
	SessionID string `json:"sessionId"`
	Hole      int    `json:"hole"`
	MoleID    int64  `json:"moleId"`
}

// unset is where decoding starts: no hole yet (see noHole).
func (Whack) unset() Whack { return Whack{Hole: noHole} }

func (p Whack) check() (Whack, error) {
	id, err := canonicalUUID("sessionId", p.SessionID)
	switch {
	case err != nil:
		return Whack{}, err
	case p.Hole < 0 || p.Hole >= maxHoles:
		return Whack{}, fmt.Errorf("hole must be 0..%d", maxHoles-1)
	case p.MoleID < 1:
		return Whack{}, errors.New("moleId must be at least 1")
	}
	p.SessionID = id
	return p, nil
}

// ResumeGame re-attaches this connection to a running session the player
// belongs to ("game:resume").
type ResumeGame struct {
	SessionID string `json:"sessionId"`
}

func (p ResumeGame) check() (ResumeGame, error) {
	id, err := canonicalUUID("sessionId", p.SessionID)
	return ResumeGame{SessionID: id}, err
}

// SubscribeGame starts game:state-change events of any session, as a
// spectator ("game:subscribe").
type SubscribeGame struct {
	GameID string `json:"gameId"`
}

func (p SubscribeGame) check() (SubscribeGame, error) {
	id, err := canonicalUUID("gameId", p.GameID)
	return SubscribeGame{GameID: id}, err
}

// SubscribeLeaderboard starts leaderboard:update events for a mode's
// board ("leaderboard:subscribe"); UnsubscribeLeaderboard stops them. Mode
// is optional: classic when absent.
type SubscribeLeaderboard struct {
	LeaderboardID string `json:"leaderboardId"`
	Mode          string `json:"mode,omitempty"`
}

func (p SubscribeLeaderboard) check() (SubscribeLeaderboard, error) {
	mode, err := checkBoardMode(p.Mode)
	p.Mode = mode
	if err != nil {
		return p, err
	}
	return p, checkLeaderboardID(p.LeaderboardID)
}

// UnsubscribeLeaderboard stops leaderboard:update events for a mode's board
// ("leaderboard:unsubscribe"); classic when Mode is absent.
type UnsubscribeLeaderboard struct {
	LeaderboardID string `json:"leaderboardId"`
	Mode          string `json:"mode,omitempty"`
}

func (p UnsubscribeLeaderboard) check() (UnsubscribeLeaderboard, error) {
	mode, err := checkBoardMode(p.Mode)
	p.Mode = mode
	if err != nil {
		return p, err
	}
	return p, checkLeaderboardID(p.LeaderboardID)
}

// checkBoardMode defaults an absent mode to classic and checks the name's
// shape. Whether the mode exists is not asked (no store trip per frame): a
// subscription to a board no game reaches receives nothing.
func checkBoardMode(mode string) (string, error) {
	if mode == "" {
		return standings.DefaultMode, nil
	}
	if !persistence.ModeNamePattern.MatchString(mode) {
		return mode, errors.New("mode must be 1 to 23 lowercase letters, digits or dashes")
	}
	return mode, nil
}

// Ping asks the gateway for its clock ("ping"); the gateway answers it with a
// pong frame and never delivers it to the player actor. Its payload is {} or
// absent.
type Ping struct{}

func (p Ping) check() (Ping, error) { return p, nil }

// checkMode accepts 1-32 characters of [a-z0-9-].
func checkMode(mode string) error {
	if len(mode) < 1 || len(mode) > 32 {
		return errors.New("mode must be 1-32 characters a-z 0-9 -")
	}
	for i := 0; i < len(mode); i++ {
		c := mode[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return errors.New("mode must be 1-32 characters a-z 0-9 -")
		}
	}
	return nil
}

// isMatchCode accepts 4-12 characters of [A-Z0-9].
func isMatchCode(code string) bool {
	if len(code) < 4 || len(code) > 12 {
		return false
	}
	for i := 0; i < len(code); i++ {
		c := code[i]
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

func checkLeaderboardID(id string) error {
	if !leaderboardIDs[id] {
		return errors.New("leaderboardId must be global, daily, weekly, monthly or challenge")
	}
	return nil
}

// canonicalUUID accepts only the 36-character hyphenated form (uuid.Parse
// also takes urn: and braced forms) and returns it lower-cased, so actors
// compare ids as plain strings.
func canonicalUUID(field, s string) (string, error) {
	if len(s) != 36 {
		return "", fmt.Errorf("%s must be a uuid", field)
	}
	id, err := uuid.Parse(s)
	if err != nil {
		return "", fmt.Errorf("%s must be a uuid", field)
	}
	return id.String(), nil
}

// JoinQueue queues the player (or, later, its party) for a match of
// Players seats in Mode ("matchmaking:join").
type JoinQueue struct {
	Mode    string `json:"mode"`
	Players int    `json:"players"` // 2..8
}

func (p JoinQueue) check() (JoinQueue, error) {
	if err := checkMode(p.Mode); err != nil {
		return JoinQueue{}, err
	}
	if p.Players < minMaxPlayers || p.Players > maxMaxPlayers {
		return JoinQueue{}, fmt.Errorf("players must be %d..%d", minMaxPlayers, maxMaxPlayers)
	}
	return p, nil
}

// LeaveQueue cancels the connection's matchmaking ticket
// ("matchmaking:leave"); its payload is {} or absent.
type LeaveQueue struct{}

func (p LeaveQueue) check() (LeaveQueue, error) { return p, nil }

// CreateParty opens a party this connection leads ("party:create"); its
// payload is {} or absent.
type CreateParty struct{}

func (p CreateParty) check() (CreateParty, error) { return p, nil }

// JoinParty joins a friend's party by its code ("party:join").
type JoinParty struct {
	Code string `json:"code"`
}

func (p JoinParty) check() (JoinParty, error) {
	if !isMatchCode(p.Code) {
		return JoinParty{}, errors.New("code must be 4-12 characters A-Z 0-9")
	}
	return p, nil
}

// LeaveParty leaves the connection's party ("party:leave"); its payload is
// {} or absent.
type LeaveParty struct{}

func (p LeaveParty) check() (LeaveParty, error) { return p, nil }
