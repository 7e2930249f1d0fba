package rest

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/internal/testclock"
)

func TestLeaderboards_TopPagesAreCachedBriefly(t *testing.T) {
	t.Parallel()
	clock := testclock.New(testNow)
	h := newHarness(t, nil, nil, nil, func(d *Deps) {
		d.Now = clock.Now
		d.PageCacheTTL = 250 * time.Millisecond
	})
	seedBoard(h, 5)
	topCalls := func() int {
		h.boards.mu.Lock()
		defer h.boards.mu.Unlock()
		return len(h.boards.calls)
	}
	base := topCalls()

	first := h.get(t, "/api/v1/leaderboards/global?limit=3", "")
	require.Equal(t, http.StatusOK, first.Code)
	require.Equal(t, base+1, topCalls())

	// Within the TTL the same page is served without asking the grain.
	h.boards.offer("global", "all", entry(playerN(99), 5000, 0))
	again := h.get(t, "/api/v1/leaderboards/global?limit=3", "")
	require.Equal(t, first.Body.String(), again.Body.String())
	require.Equal(t, "application/json; charset=utf-8", again.Header().Get("Content-Type"))
	require.NotEmpty(t, again.Header().Get("X-Content-Type-Options"), "middleware still runs on a cached page")
	calls := topCalls()

	// Another limit is another page.
	require.Equal(t, http.StatusOK, h.get(t, "/api/v1/leaderboards/global?limit=4", "").Code)
	require.Equal(t, calls+1, topCalls())

	// Past the TTL the new leader shows.
	clock.Advance(250 * time.Millisecond)
	fresh := decode[topResponse](t, h.get(t, "/api/v1/leaderboards/global?limit=3", ""))
	require.Equal(t, playerN(99), fresh.Entries[0].PlayerID)
}
