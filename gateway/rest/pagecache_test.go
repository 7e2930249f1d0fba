package rest

import (
	"io"
	"net/http"
	"net/http/httptest"
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

// TestLeaderboards_TopPageHasContentLength: a page larger than net/http's
// 2 KiB buffer goes out with its length, not chunked (one write(2) less per
// response).
func TestLeaderboards_TopPageHasContentLength(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil, nil, nil, func(d *Deps) { d.PageCacheTTL = time.Second })
	seedBoard(h, 100)
	srv := httptest.NewServer(h.handler)
	t.Cleanup(srv.Close)
	for range 2 { // encoded, then cached
		resp, err := srv.Client().Get(srv.URL + "/api/v1/leaderboards/global?limit=100")
		require.NoError(t, err)
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Greater(t, len(body), 2048)
		require.Equal(t, int64(len(body)), resp.ContentLength)
		require.Empty(t, resp.TransferEncoding, "not chunked")
	}
}
