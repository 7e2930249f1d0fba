package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// replayFile is a finished two-player game's replay (fair/verify testdata).
const replayFile = "../../fair/verify/testdata/replay.json"

func TestRun_Verify(t *testing.T) {
	t.Parallel()
	honest, err := os.ReadFile(replayFile)
	require.NoError(t, err)
	dir := t.TempDir()
	write := func(name, body string) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(body), 0o600)) //nolint:gosec // G703: a name the test chose
		return path
	}
	// A score edited in the JSON view no longer encodes to the hashed bytes.
	edited := strings.Replace(string(honest), `"score": `, `"score": 1`, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/sessions/s/replay" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(honest)
	}))
	t.Cleanup(srv.Close)
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string
	}{
		{"a file that holds", []string{replayFile}, 0, "OK session "},
		{"a URL that holds", []string{srv.URL + "/api/v1/sessions/s/replay"}, 0, "whacks judged again; results and flag recomputed"},
		{"an edited score", []string{write("edited.json", edited)}, 1, "first divergence: canonical: expected canonical bytes from byte"},
		{"no argument", []string{}, 2, "usage: proofstell verify <file|url>"},
		{"two arguments", []string{replayFile, replayFile}, 2, "usage: proofstell verify"},
		{"a missing file", []string{filepath.Join(dir, "none.json")}, 2, "no such file"},
		{"not JSON", []string{write("junk.json", "not json")}, 2, "parse replay"},
		{"not a replay", []string{write("empty.json", `{"encoding":"proofstell/replay/v1"}`)}, 2, "seed"},
		{"a URL without a replay", []string{srv.URL + "/api/v1/sessions/x/replay"}, 2, "404 Not Found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			code := run(append([]string{"verify"}, tt.args...), func(string) string { return "" }, &stdout, &stderr)
			require.Equal(t, tt.wantCode, code, "stdout: %s\nstderr: %s", stdout.String(), stderr.String())
			require.Contains(t, stdout.String()+stderr.String(), tt.wantOut)
		})
	}
}
