package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
)

// playCheating plays a match like playPicked (moles of one parity, 250 ms
// after they appear) but first whacks each of them the instant it appears,
// faster than any human: anti-cheat rejects those whacks as too_fast and
// flags the player's result.
func playCheating(ws *socket, sessionID string, parity int64) pickedOutcome {
	var out pickedOutcome
	id := int64(500)
	if err := ws.conn.SetReadDeadline(time.Now().Add(60 * time.Second)); err != nil {
		return pickedOutcome{err: err}
	}
	frames, stop := ws.readAhead()
	defer stop()
	whack := func(m mole) error {
		id++
		d, _ := json.Marshal(map[string]any{"sessionId": sessionID, "hole": m.Hole, "moleId": m.MoleID})
		return ws.write(frame{T: "game:whack", ID: id, D: d})
	}
	for f := range frames {
		switch f.T {
		case "game:mole":
			var m mole
			if out.err = json.Unmarshal(f.D, &m); out.err != nil || m.MoleID%2 != parity {
				continue
			}
			if out.err = whack(m); out.err != nil { // at once: too_fast
				return out
			}
			<-time.After(250 * time.Millisecond)
			if out.err = whack(m); out.err != nil {
				return out
			}
		case "game:hit":
			if f.ID != 0 {
				out.hits++
			}
		case "game:over":
			out.over = &overPayload{}
			out.err = json.Unmarshal(f.D, out.over)
			return out
		}
	}
	out.err = ws.readErr
	return out
}

// flagJSON is the part of a review entry the test reads.
type flagJSON struct {
	ID        string `json:"id"`
	SessionID string `json:"sessionId"`
	PlayerID  string `json:"playerId"`
	Score     int64  `json:"score"`
	Status    string `json:"status"`
	ReplayURL string `json:"replayUrl"`
	Evidence  struct {
		Reasons   map[string]int `json:"reasons"`
		Reactions []struct {
			Count int `json:"count"`
		} `json:"reactions"`
		Consistency *struct {
			Samples   int     `json:"samples"`
			BandShare float64 `json:"bandShare"`
			Tail      float64 `json:"tail"`
			Accuracy  float64 `json:"accuracy"`
			Rule      string  `json:"rule"`
			Recent    *struct {
				Games   int `json:"games"`
				Samples int `json:"samples"`
			} `json:"recent"`
		} `json:"consistency"`
	} `json:"evidence"`
	Decision *struct {
		By     string `json:"by"`
		Reason string `json:"reason"`
	} `json:"decision"`
}

// countRows runs a count query on the node's database.
func countRows(t *testing.T, s *server, sql string, args ...any) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.dbURL)
	require.NoError(t, err)
	defer func() { _ = conn.Close(ctx) }()
	var n int
	require.NoError(t, conn.QueryRow(ctx, sql, args...).Scan(&n))
	return n
}

// earnedSlugs counts a player's badges by slug.
func earnedSlugs(t *testing.T, s *server, playerID string) map[string]int {
	t.Helper()
	var out struct {
		Earned []struct {
			Slug string `json:"slug"`
		} `json:"earned"`
	}
	require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/players/"+playerID+"/badges", "", nil, &out))
	slugs := map[string]int{}
	for _, b := range out.Earned {
		slugs[b.Slug]++
	}
	return slugs
}

// TestServer_FlaggedMatchResultIsReviewed: bob cheats in a match with alice.
// Only bob's result is flagged: alice's reaches every board and earns her
// badges at once. A moderator finds bob's flag with its evidence and clears
// it with a reason; bob's result then lands on the open boards once and
// earns his first-game badge once, and clearing again answers 409.
func TestServer_FlaggedMatchResultIsReviewed(t *testing.T) {
	if testing.Short() {
		t.Skip("plays a 33 s match")
	}
	t.Parallel()
	s := startServer(t)
	aliceToken, alice := s.guest("e2e-flag-alice-01")
	bobToken, bob := s.guest("e2e-flag-bob-0001")
	_, modID := s.guest("e2e-flag-moderator")
	s.exec(`UPDATE players SET role = 'moderator' WHERE id = $1`, modID)
	modToken, _ := s.guest("e2e-flag-moderator") // the role is read at issue time
	wa, wb := dial(t, s, aliceToken), dial(t, s, bobToken)

	wa.send("game:create", 1, map[string]any{"mode": "classic", "maxPlayers": 2})
	created := decode[struct{ SessionID, Code string }](t, wa.next("ack").D)
	wb.send("game:join", 1, map[string]string{"code": created.Code})
	wb.next("ack")
	bobDone := make(chan pickedOutcome, 1)
	go func() { bobDone <- playCheating(wb, created.SessionID, 1) }()
	aliceOut := playPicked(wa, created.SessionID, 0, nil)
	bobOut := <-bobDone
	require.NoError(t, aliceOut.err)
	require.NoError(t, bobOut.err)
	require.True(t, aliceOut.over.Flagged, "the match holds a flagged result")
	require.Greater(t, aliceOut.hits, 5)
	require.Greater(t, bobOut.hits, 5)

	// The honest result counted all along: boards and badges, at once.
	for _, board := range []string{"global", "daily", "weekly", "monthly"} {
		require.Eventually(t, func() bool {
			ids := boardPlayerIDs(t, s, board)
			return len(ids) == 1 && ids[0] == alice
		}, 10*time.Second, 50*time.Millisecond, "board %s holds alice and only alice", board)
	}
	require.Eventually(t, func() bool { return earnedSlugs(t, s, alice)["first-game"] == 1 }, 10*time.Second, 50*time.Millisecond)
	require.Zero(t, earnedSlugs(t, s, bob)["first-game"], "a flagged result earns no badge")

	var page struct {
		Flags      []flagJSON `json:"flags"`
		NextCursor string     `json:"nextCursor"`
	}
	require.Equal(t, http.StatusForbidden, s.call(http.MethodGet, "/api/v1/admin/flags", aliceToken, nil, nil))
	require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/admin/flags?status=open", modToken, nil, &page))
	require.Len(t, page.Flags, 1)
	f := page.Flags[0]
	require.Equal(t, created.SessionID, f.SessionID)
	require.Equal(t, bob, f.PlayerID)
	require.EqualValues(t, bobOut.hits, f.Score)
	require.Equal(t, "/api/v1/sessions/"+created.SessionID+"/replay", f.ReplayURL)
	require.Positive(t, f.Evidence.Reasons["too_fast"])
	won := 0
	for _, b := range f.Evidence.Reactions {
		won += b.Count
	}
	require.Equal(t, bobOut.hits, won, "the histogram counts every mole bob won")

	var cleared flagJSON
	require.Equal(t, http.StatusOK, s.call(http.MethodPost, "/api/v1/admin/flags/"+f.ID+"/clear", modToken,
		map[string]string{"reason": "reviewed the replay: a client bug double-sends"}, &cleared))
	require.Equal(t, "cleared", cleared.Status)
	require.Equal(t, modID, cleared.Decision.By)
	require.Equal(t, http.StatusConflict, s.call(http.MethodPost, "/api/v1/admin/flags/"+f.ID+"/clear", modToken,
		map[string]string{"reason": "again"}, nil))
	require.Equal(t, http.StatusConflict, s.call(http.MethodPost, "/api/v1/admin/flags/"+f.ID+"/confirm", modToken,
		map[string]string{"reason": "too late"}, nil))

	for _, board := range []string{"global", "daily", "weekly", "monthly"} {
		require.Eventually(t, func() bool {
			ids := boardPlayerIDs(t, s, board)
			return len(ids) == 2 && (ids[0] == bob || ids[1] == bob)
		}, 15*time.Second, 50*time.Millisecond, "board %s holds bob's cleared result once, beside alice", board)
	}
	require.Eventually(t, func() bool { return earnedSlugs(t, s, bob)["first-game"] == 1 }, 10*time.Second, 50*time.Millisecond)
	// The clear's effects ride on one game.finished row for bob alone,
	// drained once (badges and referral progress are idempotent on top).
	require.Equal(t, 1, countRows(t, s, `SELECT count(*) FROM outbox WHERE topic = 'game.finished' AND key LIKE $1`,
		created.SessionID+"/cleared/%"))
	require.Equal(t, 1, earnedSlugs(t, s, bob)["first-game"])
	require.Equal(t, 1, earnedSlugs(t, s, alice)["first-game"])
	require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/admin/flags", modToken, nil, &page))
	require.Empty(t, page.Flags, "nothing left to review")
}

// TestServer_ConsistentBotIsHeldForReview: a bot whacking every mole 180 ms
// after it shows, never missing, breaks no rule of a single whack; the
// consistency detector holds its result for review (reason
// suspicious_consistency) instead of the boards, and a moderator's clear
// restores it as for any flag.
func TestServer_ConsistentBotIsHeldForReview(t *testing.T) {
	if testing.Short() {
		t.Skip("plays a 33 s game")
	}
	t.Parallel()
	s := startServer(t)
	botToken, bot := s.guest("e2e-steady-bot-01")
	_, modID := s.guest("e2e-steady-moderator")
	s.exec(`UPDATE players SET role = 'moderator' WHERE id = $1`, modID)
	modToken, _ := s.guest("e2e-steady-moderator")
	ws := dial(t, s, botToken)
	ws.send("game:start", 1, map[string]string{"mode": "classic"})
	started := decode[struct{ SessionID string }](t, ws.next("ack").D)
	out := playWith(ws, started.SessionID, func(int64) time.Duration { return 180 * time.Millisecond }, 100)
	require.NoError(t, out.err)
	require.True(t, out.over.Flagged, "the detector held the result")
	require.GreaterOrEqual(t, out.hits, 20)

	var page struct {
		Flags []flagJSON `json:"flags"`
	}
	require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/admin/flags?status=open", modToken, nil, &page))
	require.Len(t, page.Flags, 1)
	f := page.Flags[0]
	require.Equal(t, bot, f.PlayerID)
	require.Equal(t, map[string]int{"suspicious_consistency": 1}, f.Evidence.Reasons)
	require.NotNil(t, f.Evidence.Consistency)
	require.Equal(t, out.hits, f.Evidence.Consistency.Samples)
	require.Less(t, f.Evidence.Consistency.Tail, 1e-6)
	require.InDelta(t, 1.0, f.Evidence.Consistency.Accuracy, 1e-9)
	require.Equal(t, "game", f.Evidence.Consistency.Rule, "its first game alone was enough")
	require.NotNil(t, f.Evidence.Consistency.Recent)
	require.Equal(t, 1, f.Evidence.Consistency.Recent.Games)
	require.Equal(t, out.hits, f.Evidence.Consistency.Recent.Samples)
	require.Empty(t, boardPlayerIDs(t, s, "global"), "a held result reaches no board")

	require.Equal(t, http.StatusOK, s.call(http.MethodPost, "/api/v1/admin/flags/"+f.ID+"/clear", modToken,
		map[string]string{"reason": "a known accessibility tool, reviewed"}, nil))
	require.Eventually(t, func() bool {
		ids := boardPlayerIDs(t, s, "global")
		return len(ids) == 1 && ids[0] == bot
	}, 15*time.Second, 50*time.Millisecond, "clearing restores the result to the board")
}
