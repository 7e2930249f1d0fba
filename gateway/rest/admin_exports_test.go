package rest

import (
	"encoding/csv"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// exportPath is an export's URL over [from, to).
func exportPath(name string, from, to time.Time) string {
	return "/api/v1/admin/exports/" + name + ".csv?from=" + url.QueryEscape(from.Format(time.RFC3339)) +
		"&to=" + url.QueryEscape(to.Format(time.RFC3339))
}

// readCSV parses a whole export.
func readCSV(t testing.TB, body string) [][]string {
	t.Helper()
	records, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	require.NoError(t, err)
	return records
}

func TestAdminExports_PlayersInRange(t *testing.T) {
	t.Parallel()
	sh := newStatsHarness(t)
	sh.seedStats(t)
	sh.exec(t, `INSERT INTO player_wallets (chain, address, player_id, linked_at) VALUES ('starknet', '0x'||repeat('1', 64), $1, $2)`,
		statsP1, testNow.Add(-time.Hour))
	// [N-4d, N): p2 (N-3d) then p1 (N-1h); staff (created at N) and older players are out.
	w := sh.checked(t, exportPath("players", testNow.Add(-96*time.Hour), testNow), sh.admin.AccessToken)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.Equal(t, "text/csv; charset=utf-8", w.Header().Get("Content-Type"))
	require.Equal(t, `attachment; filename="players.csv"`, w.Header().Get("Content-Disposition"))
	require.Equal(t, [][]string{
		playersCSVHeader,
		{statsP2, "p2", "", "player", "2026-11-21T12:00:00Z", "", "", "false", "0", "0", "0"},
		{statsP1, trickyUsername, `'=HYPERLINK("x")`, "player", "2026-11-24T11:00:00Z", "", "p1@example.com", "true", "1", "0", "0"},
	}, readCSV(t, w.Body.String()))
	// RFC 4180 on the wire: the field quoted, its quotes doubled, the newline kept.
	require.Contains(t, w.Body.String(), `,"mole,""quoted""`+"\nline\",")
	require.NotContains(t, w.Body.String(), strings.Repeat("h", 60)) // never the password hash
}

func TestAdminExports_ResultsInRange(t *testing.T) {
	t.Parallel()
	sh := newStatsHarness(t)
	sh.seedStats(t)
	// [N-4d, N): g4, g3, g1, g2 by end; the game ended exactly at N, the
	// aborted and the running one are out.
	w := sh.checked(t, exportPath("results", testNow.Add(-96*time.Hour), testNow), sh.admin.AccessToken)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.Equal(t, [][]string{
		resultsCSVHeader,
		{statsG4, "classic", "match", "", "2026-11-21T11:59:00Z", "2026-11-21T12:00:00Z", statsP2, "p2", "10", "10", "1", "0", "0", "cleared", ""},
		{statsG3, "frenzy", "match", "", "2026-11-23T11:59:00Z", "2026-11-23T12:00:00Z", statsP6, "p6", "10", "10", "1", "0", "0", "", ""},
		{statsG3, "frenzy", "match", "", "2026-11-23T11:59:00Z", "2026-11-23T12:00:00Z", statsP7, "p7", "0", "0", "0", "0", "0", "", "banned"},
		{statsG1, "classic", "match", "", "2026-11-24T09:30:00Z", "2026-11-24T09:31:00Z", statsP1, trickyUsername, "10", "10", "1", "0", "3", "open", ""},
		{statsG1, "classic", "match", "", "2026-11-24T09:30:00Z", "2026-11-24T09:31:00Z", statsP6, "p6", "20", "20", "1", "0", "0", "", ""},
		{statsG2, "classic", "match", "", "2026-11-24T11:28:00Z", "2026-11-24T11:30:00Z", statsP6, "p6", "10", "10", "1", "0", "0", "", ""},
	}, readCSV(t, w.Body.String()))

	w = sh.get(t, exportPath("results", testNow.Add(-400*24*time.Hour), testNow.Add(-100*24*time.Hour)), sh.admin.AccessToken)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.Equal(t, [][]string{resultsCSVHeader}, readCSV(t, w.Body.String())) // an empty range: the header alone
}

func TestAdminExports_BadRanges(t *testing.T) {
	t.Parallel()
	sh := newStatsHarness(t)
	for name, query := range map[string]string{
		"absent":        "",
		"no to":         "?from=2026-11-01T00:00:00Z",
		"no from":       "?to=2026-11-01T00:00:00Z",
		"not rfc 3339":  "?from=2026-11-01&to=2026-11-02",
		"unix seconds":  "?from=1700000000&to=1700086400",
		"inverted":      "?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z",
		"empty":         "?from=2026-11-01T00:00:00Z&to=2026-11-01T00:00:00Z",
		"over 366 days": "?from=2025-01-01T00:00:00Z&to=2026-01-02T00:00:01Z",
	} {
		for _, export := range []string{"players", "results"} {
			w := sh.get(t, "/api/v1/admin/exports/"+export+".csv"+query, sh.admin.AccessToken)
			requireError(t, w, http.StatusBadRequest, CodeBadRequest)
			require.Empty(t, w.Header().Get("Content-Disposition"), name)
		}
	}
	// 366 days exactly, with offsets, is fine.
	w := sh.get(t, "/api/v1/admin/exports/players.csv?from=2025-01-01T00:00:00%2B02:00&to=2026-01-02T00:00:00%2B02:00", sh.admin.AccessToken)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
}

// flushRecorder records how much of the body had been sent at each flush.
type flushRecorder struct {
	*httptest.ResponseRecorder
	flushedAt []int
}

func (f *flushRecorder) Flush() {
	f.flushedAt = append(f.flushedAt, f.Body.Len())
	f.ResponseRecorder.Flush()
}

// A large export goes out in pieces as rows are read, not in one write at
// the end.
func TestAdminExports_Streams(t *testing.T) {
	t.Parallel()
	sh := newStatsHarness(t)
	const players = 2000
	sh.exec(t, `INSERT INTO players (id, username, created_at)
		SELECT gen_random_uuid(), 'bulk_' || i, $1::timestamptz + i * interval '1 second' FROM generate_series(1, $2::int) i`,
		testNow.Add(-200*24*time.Hour), players)
	r := httptest.NewRequest(http.MethodGet, exportPath("players", testNow.Add(-201*24*time.Hour), testNow.Add(-time.Hour)), http.NoBody)
	r.Header.Set("Authorization", "Bearer "+sh.admin.AccessToken)
	w := &flushRecorder{ResponseRecorder: httptest.NewRecorder()}
	sh.handler.ServeHTTP(w, r)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.Len(t, readCSV(t, w.Body.String()), players+1)
	require.GreaterOrEqual(t, len(w.flushedAt), players/exportFlushRows, "flushed every %d rows", exportFlushRows)
	require.Less(t, w.flushedAt[0], w.Body.Len()/4, "the first rows left long before the last were read")
}
