package openapi

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The transport reports a response the document refuses, names the route,
// and still hands the caller the whole response; paths outside the REST
// API (the realtime gateways) are not checked.
func TestTransport_ReportsMismatch(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":"fine"}`)
	}))
	t.Cleanup(srv.Close)
	doc, err := Embedded(t.Context())
	require.NoError(t, err)
	var reports []error
	client := &http.Client{Transport: &Transport{Doc: doc, Report: func(err error) { reports = append(reports, err) }}}

	for _, path := range []string{"/api/v1/health/live", "/socket.io/?EIO=4"} {
		resp, err := client.Get(srv.URL + path) //nolint:noctx // a test's own server
		require.NoError(t, err)
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		require.JSONEq(t, `{"status":"fine"}`, string(body), "the caller reads the body the check read")
	}
	require.Len(t, reports, 1, "only the REST exchange is checked")
	require.True(t, strings.HasPrefix(reports[0].Error(), "GET /api/v1/health/live: response 200 does not match"),
		reports[0].Error())
}
