package redistest_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/internal/redistest"
)

func TestServer_RestartComesBackEmpty(t *testing.T) {
	t.Parallel()
	srv := redistest.Start(t)
	require.NoError(t, srv.Command("SET", "k", "v"))
	got, err := srv.Reply("EXISTS", "k")
	require.NoError(t, err)
	require.Equal(t, ":1", got)

	srv.Stop()
	require.Error(t, srv.Command("PING"), "a stopped server must refuse connections")

	srv.Restart()
	got, err = srv.Reply("EXISTS", "k")
	require.NoError(t, err)
	require.Equal(t, ":0", got, "a restarted server must come back empty")

	require.NoError(t, srv.Command("SET", "k", "v"))
	srv.Flush()
	got, err = srv.Reply("EXISTS", "k")
	require.NoError(t, err)
	require.Equal(t, ":0", got, "flush must empty the server")
}
