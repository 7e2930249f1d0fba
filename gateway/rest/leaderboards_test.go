package rest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/leaderboard/standings"
)

// entry is a standing of player with score, achieved sec seconds after testNow.
func entry(player string, score int64, sec int) standings.Entry {
	return standings.Entry{PlayerID: player, Username: "name-" + player[len(player)-4:], Score: score,
		AchievedAt: testNow.Add(time.Duration(sec) * time.Second)}
}

// playerN is a deterministic player id for leaderboard fixtures.
func playerN(n int) string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", n) }

// seedBoard puts n players on global/all with descending scores.
func seedBoard(h *harness, n int) {
	for i := 1; i <= n; i++ {
		h.boards.offer("global", "all", entry(playerN(i), int64(1000-i), i))
	}
}

func TestLeaderboards_Top(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil, nil, nil, nil)
	seedBoard(h, 25)

	w := h.get(t, "/api/v1/leaderboards/global?limit=10", "")
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	page := decode[topResponse](t, w)
	require.Equal(t, "global", page.LeaderboardID)
	require.Equal(t, "all", page.Period)
	require.Equal(t, 25, page.Total)
	require.Len(t, page.Entries, 10)
	require.Equal(t, standingJSON{Rank: 1, PlayerID: playerN(1), Username: "name-0001", Score: 999,
		AchievedAt: wireTime(testNow.Add(time.Second))}, page.Entries[0])
	require.NotEmpty(t, page.NextCursor)

	var ranks []int
	for cursor := ""; ; {
		w := h.get(t, "/api/v1/leaderboards/global?limit=10&cursor="+url.QueryEscape(cursor), "")
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		page := decode[topResponse](t, w)
		for _, e := range page.Entries {
			ranks = append(ranks, e.Rank)
		}
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
	}
	require.Len(t, ranks, 25)
	require.Equal(t, 25, ranks[24])
}

func TestLeaderboards_TopDefaultsAndEmpty(t *testing.T) {
	t.Parallel()
	tests := []struct {
		path       string
		wantPeriod string
		wantCall   string
	}{
		{"/api/v1/leaderboards/global", "all", "global/all"},
		{"/api/v1/leaderboards/daily", "2026-11-24", "daily/2026-11-24"},
		{"/api/v1/leaderboards/weekly", "2026-W48", "weekly/2026-W48"},
		{"/api/v1/leaderboards/monthly", "2026-11", "monthly/2026-11"},
		{"/api/v1/leaderboards/daily?period=2026-11-20", "2026-11-20", "daily/2026-11-20"},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, nil, nil, nil, nil)
			w := h.get(t, tc.path, "")
			require.Equal(t, http.StatusOK, w.Code, w.Body.String())
			require.JSONEq(t, fmt.Sprintf(`{"leaderboardId":%q,"mode":"classic","period":%q,"entries":[],"nextCursor":"","total":0}`,
				tc.wantCall[:len(tc.wantCall)-len(tc.wantPeriod)-1], tc.wantPeriod), w.Body.String())
			require.Equal(t, tc.wantCall, h.boards.lastCall())
		})
	}
}

func TestLeaderboards_TopRejects(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil, nil, nil, nil)
	tests := []struct {
		query  string
		status int
		code   string
	}{
		{"/api/v1/leaderboards/yearly", http.StatusNotFound, CodeNotFound},
		{"/api/v1/leaderboards/GLOBAL", http.StatusNotFound, CodeNotFound},
		{"/api/v1/leaderboards/daily?period=2026-13-01", http.StatusBadRequest, CodeBadRequest},
		{"/api/v1/leaderboards/daily?period=2026-11", http.StatusBadRequest, CodeBadRequest},
		{"/api/v1/leaderboards/weekly?period=2026-W54", http.StatusBadRequest, CodeBadRequest},
		{"/api/v1/leaderboards/global?period=2026", http.StatusBadRequest, CodeBadRequest},
		{"/api/v1/leaderboards/challenge", http.StatusBadRequest, CodeBadRequest},
		{"/api/v1/leaderboards/challenge?period=Winter/Cup", http.StatusBadRequest, CodeBadRequest},
		{"/api/v1/leaderboards/global?limit=0", http.StatusBadRequest, CodeBadRequest},
		{"/api/v1/leaderboards/global?limit=101", http.StatusBadRequest, CodeBadRequest},
		{"/api/v1/leaderboards/global?limit=-1", http.StatusBadRequest, CodeBadRequest},
		{"/api/v1/leaderboards/global?limit=ten", http.StatusBadRequest, CodeBadRequest},
		{"/api/v1/leaderboards/global?cursor=not-a-cursor", http.StatusBadRequest, CodeBadRequest},
		{"/api/v1/leaderboards/global?cursor=" + url.QueryEscape("AQ=="), http.StatusBadRequest, CodeBadRequest},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			t.Parallel()
			requireError(t, h.get(t, tc.query, ""), tc.status, tc.code)
		})
	}
	w := h.get(t, "/api/v1/leaderboards/global?limit=100", "")
	require.Equal(t, http.StatusOK, w.Code)
}

func TestLeaderboards_Me(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil, nil, nil, nil)
	seedBoard(h, 5)
	w := h.get(t, "/api/v1/leaderboards/global/me", tokenFor(t, playerN(3)))
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.JSONEq(t, `{"rank":3,"score":997,"total":5}`, w.Body.String())

	requireError(t, h.get(t, "/api/v1/leaderboards/global/me", tokenFor(t, playerN(99))), http.StatusNotFound, CodeNotRanked)
	requireError(t, h.get(t, "/api/v1/leaderboards/global/me", ""), http.StatusUnauthorized, CodeUnauthorized)
	requireError(t, h.get(t, "/api/v1/leaderboards/yearly/me", tokenFor(t, playerN(3))), http.StatusNotFound, CodeNotFound)
	requireError(t, h.get(t, "/api/v1/leaderboards/daily/me?period=yesterday", tokenFor(t, playerN(3))),
		http.StatusBadRequest, CodeBadRequest)
}

func TestLeaderboards_AroundMe(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil, nil, nil, nil)
	seedBoard(h, 20)
	token := tokenFor(t, playerN(10))

	tests := []struct {
		query     string
		wantRanks []int
	}{
		{"", []int{5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}},
		{"?radius=1", []int{9, 10, 11}},
		{"?radius=50", nil}, // the whole board
	}
	for _, tc := range tests {
		w := h.get(t, "/api/v1/leaderboards/global/around-me"+tc.query, token)
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		body := decode[aroundResponse](t, w)
		require.Equal(t, "global", body.LeaderboardID)
		require.Equal(t, "all", body.Period)
		require.Equal(t, 20, body.Total)
		var ranks []int
		for _, e := range body.Entries {
			ranks = append(ranks, e.Rank)
		}
		if tc.wantRanks == nil {
			require.Len(t, ranks, 20)
			continue
		}
		require.Equal(t, tc.wantRanks, ranks)
	}

	for _, q := range []string{"?radius=0", "?radius=51", "?radius=x"} {
		requireError(t, h.get(t, "/api/v1/leaderboards/global/around-me"+q, token), http.StatusBadRequest, CodeBadRequest)
	}
	requireError(t, h.get(t, "/api/v1/leaderboards/global/around-me", tokenFor(t, playerN(99))), http.StatusNotFound, CodeNotRanked)
	requireError(t, h.get(t, "/api/v1/leaderboards/global/around-me", ""), http.StatusUnauthorized, CodeUnauthorized)
}

// TestWireTime_SameTextAsTimeJSON: the faster encoding writes exactly what
// time.Time's own JSON wrote, and reads it back.
func TestWireTime_SameTextAsTimeJSON(t *testing.T) {
	t.Parallel()
	for _, at := range []time.Time{testNow, testNow.Add(123456789 * time.Nanosecond), time.Unix(0, 0).UTC(), {}} {
		want, err := json.Marshal(at)
		require.NoError(t, err)
		got, err := json.Marshal(wireTime(at))
		require.NoError(t, err)
		require.Equal(t, string(want), string(got))
		var back wireTime
		require.NoError(t, json.Unmarshal(got, &back))
		require.True(t, at.Equal(time.Time(back)))
	}
}
