package e2e

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/internal/redistest"
)

// TestServer_LogsStayJSONWhenRedisIsDown runs the binary on a throwaway
// redis-server, stops it and keeps calling the API: every line the process
// writes (stdout and stderr) must be one JSON object, go-redis's complaints
// among them, and no warning or error of one kind may repeat within
// LOG_RATE_INTERVAL.
func TestServer_LogsStayJSONWhenRedisIsDown(t *testing.T) {
	t.Parallel()
	rs := redistest.Start(t)
	s := startServer(t, "REDIS_URL="+rs.URL(), "LOG_LEVEL=info", "LOG_RATE_INTERVAL=1h")
	token, _ := s.guest("device-logs-stay-json")
	rs.Stop()
	require.Eventually(t, func() bool {
		s.call(http.MethodGet, "/api/v1/players/me", token, nil, nil)
		s.call(http.MethodPost, "/api/v1/auth/guest", "", map[string]string{"deviceId": "device-logs-2"}, nil)
		return strings.Contains(s.logs.String(), `"lib":"go-redis"`)
	}, 30*time.Second, 50*time.Millisecond, "go-redis never logged:\n%s", s.logs.String())
	for range 20 {
		s.call(http.MethodGet, "/api/v1/players/me", token, nil, nil)
	}

	seen := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(s.logs.String()), "\n") {
		var rec map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &rec), "not a JSON log line: %q", line)
		require.Contains(t, rec, "level", line)
		require.Contains(t, rec, "msg", line)
		if (rec["level"] != "WARN" && rec["level"] != "ERROR") || rec["event"] != nil {
			continue // info lines and audit events are never limited
		}
		kind, _ := rec["kind"].(string)
		if kind == "" {
			kind, _ = rec["msg"].(string)
		}
		kind = rec["level"].(string) + " " + kind
		seen[kind]++
		require.Equal(t, 1, seen[kind], "%q repeated within LOG_RATE_INTERVAL: %s", kind, line)
	}
}
