package config

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestConfig_Warnings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		env    Environment
		redis  string
		warned bool
	}{
		{name: "production on the memory engine", env: EnvProduction, warned: true},
		{name: "production on Redis", env: EnvProduction, redis: "redis://cache:6379/0"},
		{name: "development on the memory engine", env: EnvDevelopment},
		{name: "test on the memory engine", env: EnvTest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := valid()
			c.Env, c.Redis.URL = tt.env, tt.redis
			w := c.Warnings()
			if !tt.warned {
				require.Empty(t, w)
				return
			}
			require.Len(t, w, 1)
			require.Contains(t, w[0], "REDIS_URL is empty")
		})
	}
}
