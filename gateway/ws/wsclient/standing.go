package wsclient

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Standing is the answer of GET /api/v1/leaderboards/{board}/me.
type Standing struct {
	Rank  int64 `json:"rank"`
	Score int64 `json:"score"`
	Total int64 `json:"total"`
}

// API error codes of a player with no entry on a board: none yet, or the
// mode is practice and has no boards at all.
const (
	codeNotRanked     = "not_ranked"
	codeBoardNotFound = "board_not_found"
)

// MyStanding asks httpBaseURL for the signed-in player's standing on board
// (global, daily, weekly, monthly) of mode ("" is the server's default,
// classic). ranked is false when the player has no entry there yet (404
// not_ranked) or the mode has no boards (404 board_not_found), which is not
// an error.
func MyStanding(ctx context.Context, httpBaseURL, token, mode, board string) (s Standing, ranked bool, err error) {
	endpoint := strings.TrimSuffix(httpBaseURL, "/") + "/api/v1/leaderboards/" + url.PathEscape(board) + "/me"
	if mode != "" {
		endpoint += "?mode=" + url.QueryEscape(mode)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint, nil)
	if err != nil {
		return Standing{}, false, fmt.Errorf("build standing request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := httpClient.Do(req)
	if err != nil {
		return Standing{}, false, fmt.Errorf("%s standing: %w", board, err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxLoginBody))
	if err != nil {
		return Standing{}, false, fmt.Errorf("read %s standing: %w", board, err)
	}
	switch code := errorCode(raw); {
	case resp.StatusCode == http.StatusNotFound && (code == codeNotRanked || code == codeBoardNotFound):
		return Standing{}, false, nil
	case resp.StatusCode != http.StatusOK:
		return Standing{}, false, fmt.Errorf("%s standing: status %d: %s", board, resp.StatusCode, code)
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return Standing{}, false, fmt.Errorf("decode %s standing: %w", board, err)
	}
	return s, true, nil
}
