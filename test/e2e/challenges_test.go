package e2e

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestServer_ChallengeAttempt drives the real binary: an admin schedules a
// challenge over REST with its own rules and one attempt; a player plays
// it over the socket (the challenge's board size, attemptsLeft in the ack),
// the result reaches the challenge's board only (REST and the live
// leaderboard:update of "challenge"), /challenges/{id}/me counts it, and a
// second game:start is refused no_attempts_left.
func TestServer_ChallengeAttempt(t *testing.T) {
	if testing.Short() {
		t.Skip("plays a short game")
	}
	t.Parallel()
	s := startServer(t)
	admin := adminToken(t, s, "e2e-challenge-admin")
	var created struct {
		ID    string `json:"id"`
		Rules struct {
			Rows int `json:"rows"`
		} `json:"rules"`
	}
	now := time.Now().UTC()
	require.Equal(t, http.StatusCreated, s.call(http.MethodPost, "/api/v1/admin/challenges", admin, map[string]any{
		"title": "Four rows", "mode": "classic", "maxAttempts": 1,
		"overrides": map[string]any{"rows": 4, "durationMs": 3000, "spawnIntervalMs": 1000, "visibleMs": 800, "countdownMs": 0},
		"startsAt":  now.Format(time.RFC3339Nano), "endsAt": now.Add(time.Hour).Format(time.RFC3339Nano),
	}, &created))
	require.Equal(t, 4, created.Rules.Rows)
	var list struct {
		Challenges []struct {
			ID string `json:"id"`
		} `json:"challenges"`
	}
	require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/challenges?status=active", "", nil, &list))
	var active []string
	for _, c := range list.Challenges {
		active = append(active, c.ID)
	}
	require.Len(t, active, 2, "the admin's challenge and the scheduler's daily")
	require.Contains(t, active, created.ID)
	require.Contains(t, active, "daily-"+time.Now().UTC().Format(time.DateOnly))

	token, playerID := s.guest("e2e-challenge-player")
	ws := dial(t, s, token)
	ws.send("leaderboard:subscribe", 1, map[string]string{"leaderboardId": "challenge", "mode": "classic"})
	require.Equal(t, int64(1), ws.next("ack").ID)
	ws.send("game:start", 2, map[string]string{"challengeId": created.ID})
	ack := decode[struct {
		SessionID    string `json:"sessionId"`
		ChallengeID  string `json:"challengeId"`
		AttemptsLeft *int   `json:"attemptsLeft"`
		Board        struct {
			Rows int `json:"rows"`
		} `json:"board"`
	}](t, ws.next("ack").D)
	require.Equal(t, created.ID, ack.ChallengeID)
	require.Equal(t, 4, ack.Board.Rows)
	require.NotNil(t, ack.AttemptsLeft)
	require.Zero(t, *ack.AttemptsLeft)
	hits, _ := playLikeAPerson(t, ws, ack.SessionID)
	require.Positive(t, hits)
	update := decode[struct {
		LeaderboardID string `json:"leaderboardId"`
		Period        string `json:"period"`
		Scores        []struct {
			PlayerID string `json:"playerId"`
		} `json:"scores"`
	}](t, ws.next("leaderboard:update").D)
	require.Equal(t, "challenge", update.LeaderboardID)
	require.Equal(t, created.ID, update.Period)
	require.Equal(t, playerID, update.Scores[0].PlayerID)

	var page boardPage
	require.Eventually(t, func() bool {
		return s.call(http.MethodGet, "/api/v1/leaderboards/challenge?mode=classic&period="+created.ID, "", nil, &page) ==
			http.StatusOK && page.Total == 1
	}, 10*time.Second, 50*time.Millisecond)
	require.Equal(t, playerID, page.Entries[0].PlayerID)
	require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/leaderboards/global", "", nil, &page))
	require.Zero(t, page.Total, "a challenge game reaches no board of its mode")
	var me struct {
		AttemptsUsed int    `json:"attemptsUsed"`
		AttemptsLeft int    `json:"attemptsLeft"`
		Best         *int64 `json:"best"`
		Rank         *int   `json:"rank"`
	}
	require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/challenges/"+created.ID+"/me", token, nil, &me))
	require.Equal(t, 1, me.AttemptsUsed)
	require.Zero(t, me.AttemptsLeft)
	require.NotNil(t, me.Best)
	require.EqualValues(t, hits, *me.Best)
	require.NotNil(t, me.Rank)
	require.Equal(t, 1, *me.Rank)

	ws.send("game:start", 3, map[string]string{"challengeId": created.ID})
	refused := ws.next("error")
	require.Equal(t, int64(3), refused.ID)
	require.Equal(t, "no_attempts_left", decode[struct {
		Code string `json:"code"`
	}](t, refused.D).Code)
}
