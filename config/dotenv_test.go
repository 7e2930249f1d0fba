package config

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestWithDotEnv_EnvironmentWins(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".env")
	require.NoError(t, os.WriteFile(path, []byte("# comment\nPORT=4000\nexport LOG_LEVEL='debug'\nJWT_SECRET=\"from-file\"\nnot a line\n"), 0o600))
	env := map[string]string{"PORT": "5000"}
	getenv := WithDotEnv(func(k string) string { return env[k] }, path)
	require.Equal(t, "5000", getenv("PORT"))
	require.Equal(t, "debug", getenv("LOG_LEVEL"))
	require.Equal(t, "from-file", getenv("JWT_SECRET"))
	require.Empty(t, getenv("MISSING"))
	require.Empty(t, WithDotEnv(func(string) string { return "" }, filepath.Join(t.TempDir(), "none"))("PORT"))
}
