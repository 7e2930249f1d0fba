package ws

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/proofstell/proofstell/actors/player"
)

// Payloads of client frames. Integer fields that may legally be zero are
// pointers so that a missing field is told apart from a zero.

type modePayload struct {
	Mode string `json:"mode"`
}

type createPayload struct {
	Mode       string `json:"mode"`
	MaxPlayers int    `json:"maxPlayers"`
}

type codePayload struct {
	Code string `json:"code"`
}

type whackPayload struct {
	SessionID string `json:"sessionId"`
	Hole      *int   `json:"hole"`
	MoleID    int64  `json:"moleId"`
}

type leaderboardPayload struct {
	LeaderboardID string `json:"leaderboardId"`
}

type sessionPayload struct {
	SessionID string `json:"sessionId"`
}

type gamePayload struct {
	GameID string `json:"gameId"`
}

func decodeStartGame(d json.RawMessage) (any, error) {
	var p modePayload
	if err := decodePayload(d, &p, "mode"); err != nil {
		return nil, err
	}
	if err := checkMode(p.Mode); err != nil {
		return nil, err
	}
	return player.StartGame{Mode: p.Mode}, nil
}

func decodeCreateMatch(d json.RawMessage) (any, error) {
	var p createPayload
	if err := decodePayload(d, &p, "mode", "maxPlayers"); err != nil {
		return nil, err
	}
	if err := checkMode(p.Mode); err != nil {
		return nil, err
	}
	if p.MaxPlayers < MinMaxPlayers || p.MaxPlayers > MaxMaxPlayers {
		return nil, fmt.Errorf("maxPlayers must be %d..%d", MinMaxPlayers, MaxMaxPlayers)
	}
	return player.CreateMatch{Mode: p.Mode, MaxPlayers: p.MaxPlayers}, nil
}

func decodeJoinMatch(d json.RawMessage) (any, error) {
	var p codePayload
	if err := decodePayload(d, &p, "code"); err != nil {
		return nil, err
	}
	if !isMatchCode(p.Code) {
		return nil, errors.New("code must be 4-12 characters A-Z 0-9")
	}
	return player.JoinMatch{Code: p.Code}, nil
}

func decodeBeginMatch(d json.RawMessage) (any, error) {
	return decodeSessionCommand(d, func(id string) any { return player.BeginMatch{SessionID: id} })
}

func decodeResumeGame(d json.RawMessage) (any, error) {
	return decodeSessionCommand(d, func(id string) any { return player.ResumeGame{SessionID: id} })
}

// decodeSessionCommand decodes {"sessionId"} and builds the command from the
// canonical id.
func decodeSessionCommand(d json.RawMessage, build func(id string) any) (any, error) {
	var p sessionPayload
	if err := decodePayload(d, &p, "sessionId"); err != nil {
		return nil, err
	}
	id, err := canonicalUUID("sessionId", p.SessionID)
	if err != nil {
		return nil, err
	}
	return build(id), nil
}

func decodeSubscribeGame(d json.RawMessage) (any, error) {
	var p gamePayload
	if err := decodePayload(d, &p, "gameId"); err != nil {
		return nil, err
	}
	id, err := canonicalUUID("gameId", p.GameID)
	if err != nil {
		return nil, err
	}
	return player.SubscribeGame{GameID: id}, nil
}

func decodeWhack(d json.RawMessage) (any, error) {
	var p whackPayload
	if err := decodePayload(d, &p, "sessionId", "hole", "moleId"); err != nil {
		return nil, err
	}
	id, err := canonicalUUID("sessionId", p.SessionID)
	if err != nil {
		return nil, err
	}
	if p.Hole == nil || *p.Hole < 0 || *p.Hole >= MaxHoles {
		return nil, fmt.Errorf("hole must be 0..%d", MaxHoles-1)
	}
	if p.MoleID < 1 {
		return nil, errors.New("moleId must be at least 1")
	}
	return player.Whack{SessionID: id, Hole: *p.Hole, MoleID: p.MoleID}, nil
}

func decodeSubscribeLeaderboard(d json.RawMessage) (any, error) {
	id, err := decodeLeaderboardID(d)
	if err != nil {
		return nil, err
	}
	return player.SubscribeLeaderboard{LeaderboardID: id}, nil
}

func decodeUnsubscribeLeaderboard(d json.RawMessage) (any, error) {
	id, err := decodeLeaderboardID(d)
	if err != nil {
		return nil, err
	}
	return player.UnsubscribeLeaderboard{LeaderboardID: id}, nil
}

func decodeLeaderboardID(d json.RawMessage) (string, error) {
	var p leaderboardPayload
	if err := decodePayload(d, &p, "leaderboardId"); err != nil {
		return "", err
	}
	if !leaderboardIDs[p.LeaderboardID] {
		return "", errors.New("leaderboardId must be global, daily, weekly or monthly")
	}
	return p.LeaderboardID, nil
}

// decodePing accepts an absent, null or empty-object payload.
func decodePing(d json.RawMessage) (any, error) {
	if len(d) == 0 || string(d) == "null" {
		return Ping{}, nil
	}
	var p struct{}
	if err := decodePayload(d, &p); err != nil {
		return nil, err
	}
	return Ping{}, nil
}

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
