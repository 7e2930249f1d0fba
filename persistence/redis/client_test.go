package redis

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/config"
)

func TestClient_Open(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		url     string
		wantErr string
	}{
		{name: "reachable", url: testRedisURL()},
		{name: "bad scheme", url: "http://127.0.0.1:6379", wantErr: "parse redis url"},
		{name: "unreachable", url: "redis://127.0.0.1:1/0", wantErr: "ping redis"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := Open(context.Background(), config.Redis{URL: tt.url, Prefix: "pstest:"})
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				require.Nil(t, c)
				return
			}
			require.NoError(t, err)
			require.NoError(t, c.Ping(context.Background()))
			require.NoError(t, c.Close())
			require.NoError(t, c.Close(), "close is idempotent")
		})
	}
}

func TestClient_Prefix(t *testing.T) {
	t.Parallel()
	prefix := newPrefix(t)
	c := openTest(t, prefix)
	require.Equal(t, prefix, c.Prefix())
	require.Equal(t, prefix+"rl:k", c.key("rl:", "k"))
}

func TestEscapeGlob(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"ps:":     "ps:",
		"a*b":     `a\*b`,
		"q?[x]\\": `q\?\[x\]\\`,
	}
	for in, want := range tests {
		require.Equal(t, want, escapeGlob(in), in)
	}
}
