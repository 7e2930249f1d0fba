package ws

import (
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"
)

// TestMetrics_LabelledByGateway: one socket on each gateway is counted in
// the same collectors under its own "gateway" label, as an operator's query
// sees them.
func TestMetrics_LabelledByGateway(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	env := newTestEnv(t, func(d *Deps) {
		m, err := NewMetrics(reg)
		require.NoError(t, err)
		d.Metrics = m
	})
	env.dial(t, "p-native")
	env.att.nextConn(t)
	env.connectSIO(t, "p-socketio")
	env.att.nextConn(t)

	want := `
# HELP proofstell_ws_connections Open player connections on this node (Socket.IO: connected to the namespace).
# TYPE proofstell_ws_connections gauge
proofstell_ws_connections{gateway="socketio"} 1
proofstell_ws_connections{gateway="ws"} 1
`
	require.NoError(t, testutil.GatherAndCompare(reg, strings.NewReader(want), "proofstell_ws_connections"))
}
