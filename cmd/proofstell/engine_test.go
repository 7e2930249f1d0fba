package main

import (
	"log/slog"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/internal/budget"
)

// TestOpenEngine picks the engine from REDIS_URL alone: Redis brings its
// readiness check and server-change signal; the in-process engine has
// neither, and its limiter takes no local leases.
func TestOpenEngine(t *testing.T) {
	tests := []struct {
		name   string
		url    string
		shared bool
	}{
		{name: "in process", url: ""},
		{name: "redis", url: "redis://127.0.0.1:6379/0", shared: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config.Default()
			cfg.Redis.URL, cfg.Redis.Prefix = tt.url, "cmdtest:"+uuid.NewString()+":"
			e, err := openEngine(t.Context(), cfg.Redis, lockoutOf(cfg.Auth), slog.New(slog.DiscardHandler))
			require.NoError(t, err)
			t.Cleanup(func() { require.NoError(t, e.close()) })
			require.Equal(t, tt.shared, e.ping != nil, "readiness checks redis only when there is one")
			require.Equal(t, tt.shared, e.onServerChange != nil)
			_, leases := e.limiter.(budget.Reserver)
			require.Equal(t, tt.shared, leases, "local leases only save Redis round trips")
			for _, part := range []any{e.bus, e.limiter, e.nonces, e.revocations, e.lockout} {
				require.NotNil(t, part)
			}
		})
	}
}
