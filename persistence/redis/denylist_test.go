package redis

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestClient_Deny(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		until      time.Duration // from now
		wantDenied bool
	}{
		{name: "until token expiry", until: time.Hour, wantDenied: true},
		{name: "short lived", until: 90 * time.Second, wantDenied: true},
		{name: "already expired is a no-op", until: -time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			prefix := newPrefix(t)
			c := openTest(t, prefix)
			require.NoError(t, c.Deny(t.Context(), "jti-1", time.Now().Add(tt.until)))

			denied, err := c.Denied(t.Context(), "jti-1")
			require.NoError(t, err)
			require.Equal(t, tt.wantDenied, denied)
			other, err := c.Denied(t.Context(), "jti-2")
			require.NoError(t, err)
			require.False(t, other)

			ttl, err := rawClient(t).PTTL(t.Context(), prefix+"deny:jti-1").Result()
			require.NoError(t, err)
			if !tt.wantDenied {
				require.Equal(t, time.Duration(-2), ttl, "no key stored")
				return
			}
			// The entry expires with the token, never before it.
			require.LessOrEqual(t, ttl, tt.until+time.Millisecond)
			require.Greater(t, ttl, tt.until-5*time.Second)
		})
	}
}
