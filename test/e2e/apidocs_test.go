package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// A node outside production serves its OpenAPI document and the page
// rendered from it; both exchanges are themselves checked against the
// document by the server's client.
func TestServer_APIDocs(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the server")
	}
	t.Parallel()
	s := startServer(t)
	get := func(path string) (int, http.Header, []byte) {
		resp, err := s.client.Get(s.base + path) //nolint:noctx // a test's own server
		require.NoError(t, err)
		defer func() { _ = resp.Body.Close() }()
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp.StatusCode, resp.Header, body
	}
	status, _, body := get("/api/docs/openapi.json")
	require.Equal(t, http.StatusOK, status)
	var doc struct {
		OpenAPI string         `json:"openapi"`
		Paths   map[string]any `json:"paths"`
	}
	require.NoError(t, json.Unmarshal(body, &doc))
	require.Equal(t, "3.1.0", doc.OpenAPI)
	require.Contains(t, doc.Paths, "/api/v1/leaderboards/{board}")

	status, header, page := get("/api/docs")
	require.Equal(t, http.StatusOK, status)
	require.True(t, strings.HasPrefix(header.Get("Content-Security-Policy"), "default-src 'none'; style-src 'sha256-"))
	require.Contains(t, string(page), `id="signInGuest"`)
	require.NotContains(t, string(page), "<script")
}
