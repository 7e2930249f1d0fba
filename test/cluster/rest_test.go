package cluster

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"
)

// restWithin bounds how long a committed result may take to show in the
// REST reads of another member (leaderboard grains apply results
// asynchronously).
const restWithin = 15 * time.Second

// getJSON GETs path on m (with token when set) and decodes a 200 reply into
// out. It returns the status.
func getJSON(m *member, path, token string, out any) (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), replyWithin)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.base+path, nil)
	if err != nil {
		return 0, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, fmt.Errorf("GET %s on %s: %w", path, m.name, err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK || out == nil {
		return resp.StatusCode, err
	}
	return resp.StatusCode, json.Unmarshal(raw, out)
}

// requireStanding waits until member m's REST API shows p's committed game
// (of modeShort, whose boards these are): score on every leaderboard, their
// rank on the daily board, and the session in their history.
func requireStanding(t testing.TB, m *member, p player, sessionID string, score int64) {
	t.Helper()
	for _, board := range []string{"global", "daily", "weekly", "monthly"} {
		eventually(t, restWithin, fmt.Sprintf("%s board on %s to show %d for %s", board, m.name, score, p.id), func() (bool, error) {
			var page struct {
				Entries []struct {
					PlayerID string `json:"playerId"`
					Score    int64  `json:"score"`
				} `json:"entries"`
			}
			if _, err := getJSON(m, "/api/v1/leaderboards/"+board+"?limit=100&mode="+modeShort, "", &page); err != nil {
				return false, err
			}
			for _, e := range page.Entries {
				if e.PlayerID == p.id {
					return e.Score == score, nil
				}
			}
			return false, nil
		})
	}
	eventually(t, restWithin, "daily rank on "+m.name, func() (bool, error) {
		var me struct{ Rank, Score int64 }
		status, err := getJSON(m, "/api/v1/leaderboards/daily/me?mode="+modeShort, p.token, &me)
		return status == http.StatusOK && me.Score == score && me.Rank >= 1, err
	})
	eventually(t, restWithin, "history on "+m.name, func() (bool, error) {
		var history struct {
			Sessions []struct {
				ID    string `json:"id"`
				Score int64  `json:"score"`
			} `json:"sessions"`
		}
		if _, err := getJSON(m, "/api/v1/players/me/sessions", p.token, &history); err != nil {
			return false, err
		}
		return len(history.Sessions) == 1 && history.Sessions[0].ID == sessionID && history.Sessions[0].Score == score, nil
	})
}
