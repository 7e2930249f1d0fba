package config

import (
	"bytes"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestConfig_Redacted(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		mutate func(c *Config)
		want   map[string]string
	}{
		{name: "secrets masked", mutate: func(c *Config) {
			c.Auth.JWTSecret = "current-secret-value"
			c.Auth.JWTSecretPrevious = "previous-secret-value"
		}, want: map[string]string{"JWT_SECRET": "[redacted]", "JWT_SECRET_PREVIOUS": "[redacted]"}},
		{name: "unset secret stays empty", mutate: func(c *Config) { c.Auth.JWTSecretPrevious = "" },
			want: map[string]string{"JWT_SECRET_PREVIOUS": ""}},
		{name: "url passwords masked", mutate: func(c *Config) {
			c.Database.URL = "postgres://app:pgpass@db:5432/ps?sslmode=require"
			c.Redis.URL = "rediss://:redispass@cache:6380/0"
		}, want: map[string]string{
			"DATABASE_URL": "postgres://app:xxxxx@db:5432/ps?sslmode=require",
			"REDIS_URL":    "rediss://:xxxxx@cache:6380/0",
		}},
		{name: "libpq query password masked", mutate: func(c *Config) {
			c.Database.URL = "postgres://db/ps?password=pgpass&user=app"
		}, want: map[string]string{"DATABASE_URL": "postgres://db/ps?password=xxxxx&user=app"}},
		{name: "plain values kept", mutate: func(*Config) {}, want: map[string]string{
			"PORT": "3000", "HTTP_ADDR": ":3000", "GAME_LAG_CAP": "150ms", "DATABASE_CREATE": "true",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := valid()
			tt.mutate(&c)
			got := c.Redacted()
			require.Len(t, got, len(Variables()))
			for name, want := range tt.want {
				require.Equal(t, want, got[name], name)
			}
		})
	}
}

func TestConfig_LogValue(t *testing.T) {
	t.Parallel()
	c := valid()
	c.Auth.JWTSecret = "current-secret-value"
	c.Database.URL = "postgres://app:pgpass@db:5432/ps"
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("config", "config", c)

	out := buf.String()
	require.NotContains(t, out, "current-secret-value")
	require.NotContains(t, out, "pgpass")
	require.Contains(t, out, `"JWT_SECRET":"[redacted]"`)
	require.Contains(t, out, `"JWT_SECRET_GENERATED":false`)
}
