package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestMeasure(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		status    int
		wantProbe bool
		wantBody  string
	}{
		{name: "ok", status: http.StatusOK, wantBody: `{"entries":[1,2]}`},
		{name: "probe refuses a failing endpoint", status: http.StatusInternalServerError, wantProbe: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(tc.status)
				_, _ = io.WriteString(w, `{"entries":[1,2]}`)
			}))
			t.Cleanup(srv.Close)
			client := newClient(4)
			t.Cleanup(client.CloseIdleConnections)
			res, err := measure(context.Background(), client, srv.URL, load{Workers: 4, Duration: 100 * time.Millisecond})
			if tc.wantProbe {
				require.ErrorIs(t, err, errStatus)
				return
			}
			require.NoError(t, err)
			require.Positive(t, res.Requests)
			require.Zero(t, res.Errors)
			require.Equal(t, res.Requests*int64(len(tc.wantBody)), res.Bytes)
			require.Equal(t, int(res.Requests), res.Latency.Count)
			require.Positive(t, res.RPS())
		})
	}
}

func TestEntries(t *testing.T) {
	t.Parallel()
	require.Equal(t, 2, entries([]byte(`{"entries":[{},{}]}`)))
	require.Equal(t, 0, entries([]byte(`{}`)))
	require.Equal(t, -1, entries([]byte(`nope`)))
}

func TestHostPort(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
		wantErr  bool
	}{
		{in: "127.0.0.1:3100", want: "127.0.0.1:3100"},
		{in: "http://127.0.0.1:3000", want: "127.0.0.1:3000"},
		{in: "http://localhost:3000/x", want: "localhost:3000"},
		{in: "http://127.0.0.1", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, err := hostPort(tc.in)
			if tc.wantErr {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestWriteReport(t *testing.T) {
	t.Parallel()
	runs := []target{
		{Name: "ProofStell", Body: 10, Entries: 100, Result: result{Requests: 400, Elapsed: time.Second}},
		{Name: "bare chi", Body: 10, Entries: 100, Result: result{Requests: 1000, Elapsed: time.Second}},
	}
	var b strings.Builder
	require.NoError(t, writeReport(&b, load{Workers: 2, Duration: time.Second}, runs, nil))
	require.Contains(t, b.String(), "40.0% of the bare handler's req/s (target ≥ 50%): MISSED")
	runs[0].Result.Requests = 600
	b.Reset()
	require.NoError(t, writeReport(&b, load{Workers: 2, Duration: time.Second}, runs, nil))
	require.Contains(t, b.String(), "60.0%")
	require.Contains(t, b.String(), ": MET")
}

func TestWriteReport_signedReads(t *testing.T) {
	t.Parallel()
	fast := result{Requests: 25_000, Elapsed: time.Second}
	fast.Latency.P99 = 4 * time.Millisecond
	runs := []target{{Name: "ProofStell", Result: fast}, {Name: "bare chi", Result: fast}}
	slow := result{Requests: 21_000, Elapsed: time.Second}
	slow.Latency.P99 = 12 * time.Millisecond
	reads := []target{{Name: "around-me", Tokens: 3, Result: slow}, {Name: "me", Tokens: 3, Result: fast}}
	var b strings.Builder
	require.NoError(t, writeReport(&b, load{Workers: 4, Duration: time.Second}, runs, reads))
	out := b.String()
	require.Contains(t, out, "3 guests shared by 4 workers")
	require.Contains(t, out, "| top-100 | 25000 | 0 |")
	require.Contains(t, out, "≥ 23000/s, p99 ≤ 10ms: MET")
	require.Contains(t, out, "≥ 22000/s, p99 ≤ 10ms: MISSED")
	require.Contains(t, out, "| me | 25000 |")
}

func TestMeasure_bearerPerWorker(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	seen := map[string]bool{}
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.Header.Get("Authorization")] = true
		mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	client := newClient(4)
	t.Cleanup(client.CloseIdleConnections)
	_, err := measure(context.Background(), client, srv.URL, load{Workers: 4, Duration: 50 * time.Millisecond}, "a", "b")
	require.NoError(t, err)
	mu.Lock()
	defer mu.Unlock()
	require.Equal(t, map[string]bool{"Bearer a": true, "Bearer b": true}, seen)
}
