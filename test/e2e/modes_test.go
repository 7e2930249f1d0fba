package e2e

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// boardPage is a leaderboard page as the e2e tests read it.
type boardPage struct {
	LeaderboardID string `json:"leaderboardId"`
	Mode          string `json:"mode"`
	Entries       []struct {
		PlayerID string `json:"playerId"`
		Score    int64  `json:"score"`
	} `json:"entries"`
	Total int64 `json:"total"`
}

// startGame starts a solo game of mode and returns its id and announced
// duration.
func startGame(t *testing.T, ws *socket, id int64, mode string) (string, int64) {
	t.Helper()
	ws.send("game:start", id, map[string]string{"mode": mode})
	started := decode[struct {
		SessionID  string `json:"sessionId"`
		DurationMs int64  `json:"durationMs"`
	}](t, ws.next("ack").D)
	return started.SessionID, started.DurationMs
}

// TestServer_ModesAndTheirBoards drives the real binary: an admin edits
// modes over REST; a frenzy game and a classic game by different players
// land on separate boards (?mode=frenzy vs the default) and separate live
// updates; an edit made while a frenzy game runs leaves that game on its
// rules while the next game gets the new ones; a practice mode has no
// boards.
func TestServer_ModesAndTheirBoards(t *testing.T) {
	if testing.Short() {
		t.Skip("plays three short games")
	}
	t.Parallel()
	s := startServer(t)
	admin := adminToken(t, s, "e2e-modes-admin")
	quick := map[string]any{"durationMs": 4000, "spawnIntervalMs": 1000, "visibleMs": 800, "molesAtOnce": 1,
		"goldenChance": 0, "bombChance": 0, "countdownMs": 0}
	for _, mode := range []string{"frenzy", "classic"} {
		require.Equal(t, http.StatusOK, s.call(http.MethodPatch, "/api/v1/admin/modes/"+mode, admin, quick, nil), mode)
	}
	var bad struct {
		Error struct {
			Code    string         `json:"code"`
			Details map[string]any `json:"details"`
		} `json:"error"`
	}
	require.Equal(t, http.StatusUnprocessableEntity,
		s.call(http.MethodPatch, "/api/v1/admin/modes/frenzy", admin, map[string]any{"molesAtOnce": 99}, &bad))
	require.Equal(t, "molesAtOnce", bad.Error.Details["field"])
	player, _ := s.guest("e2e-modes-nobody")
	require.Equal(t, http.StatusForbidden, s.call(http.MethodPatch, "/api/v1/admin/modes/frenzy", player, quick, nil))

	ann, annID := s.guest("e2e-modes-ann")
	bob, bobID := s.guest("e2e-modes-bob")
	wsAnn, wsBob := dial(t, s, ann), dial(t, s, bob)
	wsAnn.send("leaderboard:subscribe", 1, map[string]string{"leaderboardId": "daily", "mode": "frenzy"})
	require.Equal(t, int64(1), wsAnn.next("ack").ID)

	// Ann's frenzy game is edited while it runs: it keeps its 4 s.
	game, duration := startGame(t, wsAnn, 2, "frenzy")
	require.EqualValues(t, 4000, duration)
	began := time.Now()
	require.Equal(t, http.StatusOK, s.call(http.MethodPatch, "/api/v1/admin/modes/frenzy", admin,
		map[string]any{"durationMs": 2000}, nil))
	hits, _ := playLikeAPerson(t, wsAnn, game)
	require.Greater(t, time.Since(began), 3500*time.Millisecond, "the running game kept its duration")
	require.Positive(t, hits)
	update := decode[struct {
		LeaderboardID string `json:"leaderboardId"`
		Mode          string `json:"mode"`
		Scores        []struct {
			PlayerID string `json:"playerId"`
		} `json:"scores"`
	}](t, wsAnn.next("leaderboard:update").D)
	require.Equal(t, "frenzy", update.Mode)
	require.Equal(t, annID, update.Scores[0].PlayerID)

	// Bob plays classic.
	game, _ = startGame(t, wsBob, 1, "classic")
	hits, _ = playLikeAPerson(t, wsBob, game)
	require.Positive(t, hits)

	var page boardPage
	require.Eventually(t, func() bool {
		return s.call(http.MethodGet, "/api/v1/leaderboards/daily?mode=frenzy", "", nil, &page) == http.StatusOK &&
			page.Total == 1
	}, 10*time.Second, 50*time.Millisecond)
	require.Equal(t, "frenzy", page.Mode)
	require.Equal(t, annID, page.Entries[0].PlayerID)
	require.Eventually(t, func() bool {
		return s.call(http.MethodGet, "/api/v1/leaderboards/global", "", nil, &page) == http.StatusOK && page.Total == 1
	}, 10*time.Second, 50*time.Millisecond)
	require.Equal(t, "classic", page.Mode)
	require.Equal(t, bobID, page.Entries[0].PlayerID)
	var me struct{ Rank, Score, Total int64 }
	require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/leaderboards/weekly/me?mode=frenzy", ann, nil, &me))
	require.EqualValues(t, 1, me.Rank)
	require.Equal(t, http.StatusNotFound, s.call(http.MethodGet, "/api/v1/leaderboards/weekly/me", ann, nil, nil))

	// The next frenzy game has the new rules.
	_, duration = startGame(t, wsAnn, 3, "frenzy")
	require.EqualValues(t, 2000, duration)
	var modes struct {
		Modes []struct {
			Name       string `json:"name"`
			DurationMs int64  `json:"durationMs"`
			Ranked     bool   `json:"ranked"`
		} `json:"modes"`
	}
	require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/modes", "", nil, &modes))
	for _, m := range modes.Modes {
		if m.Name == "frenzy" {
			require.EqualValues(t, 2000, m.DurationMs)
		}
	}

	// A practice mode has no boards; an unknown one is told apart.
	require.Equal(t, http.StatusOK, s.call(http.MethodPatch, "/api/v1/admin/modes/classic-easy", admin,
		map[string]any{"ranked": false}, nil))
	require.Equal(t, http.StatusNotFound, s.call(http.MethodGet, "/api/v1/leaderboards/daily?mode=classic-easy", "", nil, &bad))
	require.Equal(t, "board_not_found", bad.Error.Code)
	require.Equal(t, http.StatusNotFound, s.call(http.MethodGet, "/api/v1/leaderboards/daily?mode=nosuch", "", nil, &bad))
	require.Equal(t, "unknown_mode", bad.Error.Code)
}
