package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
)

// challengeEvent is the part of challenge:started and challenge:ended the
// test reads.
type challengeEvent struct {
	ChallengeID string `json:"challengeId"`
	Mode        string `json:"mode"`
	MaxAttempts int    `json:"maxAttempts"`
	Winners     []any  `json:"winners"`
}

// TestServer_ChallengeStartAndEndReachOnlinePlayers: the node's scheduler
// has made today's daily challenge, and a scheduled challenge's start and
// end reach an online player's socket through the cluster's event bus.
func TestServer_ChallengeStartAndEndReachOnlinePlayers(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	token, _ := s.guest("e2e-challenge-online")
	ws := dial(t, s, token)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.dbURL)
	require.NoError(t, err)
	defer func() { _ = conn.Close(ctx) }()
	require.Eventually(t, func() bool {
		var n int
		err := conn.QueryRow(ctx, `SELECT count(*) FROM challenges WHERE kind = 'daily' AND starts_at <= now() AND ends_at > now()`).Scan(&n)
		return err == nil && n == 1
	}, 20*time.Second, 20*time.Millisecond, "today's daily challenge exists")

	// As an admin would schedule it: starting in a moment, ending soon after.
	start := time.Now().Add(1500 * time.Millisecond).UTC().Truncate(time.Millisecond)
	_, err = conn.Exec(ctx, `INSERT INTO challenges (id, kind, title, mode, rules, starts_at, ends_at, max_attempts,
		created_at, updated_at)
		SELECT 'e2e-cup', 'scheduled', 'E2E cup', 'classic', rules, $1, $2, 2, now(), now()
		FROM game_mode_versions WHERE name = 'classic' ORDER BY version DESC LIMIT 1`, start, start.Add(time.Second))
	require.NoError(t, err)

	started := nextChallengeEvent(t, ws, "challenge:started", "e2e-cup")
	require.Equal(t, challengeEvent{ChallengeID: "e2e-cup", Mode: "classic", MaxAttempts: 2}, started)
	ended := nextChallengeEvent(t, ws, "challenge:ended", "e2e-cup")
	require.Empty(t, ended.Winners, "nobody played")
	require.NotNil(t, ended.Winners, "winners is a list, empty")
}

// nextChallengeEvent reads events of type typ until the one of challenge id
// (the daily's own challenge:started may come first, depending on when the
// socket connected).
func nextChallengeEvent(t *testing.T, ws *socket, typ, id string) challengeEvent {
	t.Helper()
	for {
		ev := decode[challengeEvent](t, ws.next(typ).D)
		if ev.ChallengeID == id {
			return ev
		}
	}
}
