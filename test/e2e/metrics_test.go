package e2e

import (
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/internal/testports"
)

// TestServer_MetricsOnTheirOwnListener: with METRICS_ADDR set, Prometheus
// scrapes a private listener and the public API no longer serves /metrics.
func TestServer_MetricsOnTheirOwnListener(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the server")
	}
	t.Parallel()
	metricsAddr := fmt.Sprintf("127.0.0.1:%d", testports.Free(t))
	s := startServer(t, "METRICS_ADDR="+metricsAddr)

	get := func(url string) (int, string) {
		resp, err := s.client.Get(url) //nolint:noctx // a test's own server
		require.NoError(t, err)
		defer func() { _ = resp.Body.Close() }()
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp.StatusCode, string(body)
	}
	code, body := get("http://" + metricsAddr + "/metrics")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, "proofstell_cluster_members", "the node's own metrics")
	code, _ = get(s.base + "/metrics")
	require.Equal(t, http.StatusNotFound, code, "not on the public listener")
}
