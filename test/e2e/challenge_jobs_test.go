package e2e

import (
	"context"
	"os"
	"path/filepath"
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

// TestServer_DailyChallengeAfterADayRollover: moving the node's game clock
// past midnight (DEV_CLOCK_FILE) makes the scheduler generate the next day's
// daily challenge, announce its start, and end (freeze) today's, which an
// online player hears.
func TestServer_DailyChallengeAfterADayRollover(t *testing.T) {
	t.Parallel()
	clockFile := filepath.Join(t.TempDir(), "clock")
	require.NoError(t, os.WriteFile(clockFile, nil, 0o600))
	s := startServer(t, "DEV_CLOCK_FILE="+clockFile)
	token, _ := s.guest("e2e-challenge-rollover")
	ws := dial(t, s, token)

	today := "daily-" + time.Now().UTC().Format(time.DateOnly)
	tomorrow := "daily-" + time.Now().UTC().AddDate(0, 0, 1).Format(time.DateOnly)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.dbURL)
	require.NoError(t, err)
	defer func() { _ = conn.Close(ctx) }()
	exists := func(id string) bool {
		var n int
		return conn.QueryRow(ctx, `SELECT count(*) FROM challenges WHERE id = $1`, id).Scan(&n) == nil && n == 1
	}
	require.Eventually(t, func() bool { return exists(today) }, 20*time.Second, 20*time.Millisecond)
	require.False(t, exists(tomorrow), "nobody makes tomorrow's in advance")

	// Just past the next midnight, so the day's start and end are news
	// (scheduler.AnnounceWindow).
	now := time.Now().UTC()
	midnight := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, time.UTC)
	offset := midnight.Sub(now) + 2*time.Second
	require.NoError(t, os.WriteFile(clockFile, []byte(offset.String()), 0o600))
	started, ended := false, false
	require.NoError(t, ws.conn.SetReadDeadline(time.Now().Add(30*time.Second)))
	for !started || !ended {
		var f frame
		require.NoError(t, ws.read(&f))
		if f.T != "challenge:started" && f.T != "challenge:ended" {
			continue
		}
		ev := decode[challengeEvent](t, f.D)
		started = started || (f.T == "challenge:started" && ev.ChallengeID == tomorrow)
		ended = ended || (f.T == "challenge:ended" && ev.ChallengeID == today)
	}
	require.True(t, exists(tomorrow))
	var leaves int
	require.NoError(t, conn.QueryRow(ctx, `SELECT count(*) FROM period_roots WHERE board = 'challenge' AND period = $1`,
		today).Scan(&leaves))
	require.Zero(t, leaves, "nobody played today's: an empty board gets no root")
}
