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

func TestServer_DataCallsCountsCommandsNotIntrospection(t *testing.T) {
	t.Parallel()
	srv := redistest.Start(t)
	before, err := srv.DataCalls()
	require.NoError(t, err)
	require.NoError(t, srv.Command("PING"))
	require.NoError(t, srv.Command("SET", "k", "v"))
	require.NoError(t, srv.Command("GET", "k"))
	after, err := srv.DataCalls()
	require.NoError(t, err)
	require.Equal(t, before+2, after, "SET and GET count; PING and INFO do not")
}
