package gateway

import (
	"flag"
	"io"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestGateway_Flag(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args    []string
		want    Gateway
		wantErr bool
	}{
		{args: nil, want: WS},
		{args: []string{"-gateway", "ws"}, want: WS},
		{args: []string{"-gateway", "socketio"}, want: SocketIO},
		{args: []string{"-gateway", "sse"}, wantErr: true},
	}
	for _, tc := range tests {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		g := WS
		fs.Var(&g, "gateway", Usage)
		err := fs.Parse(tc.args)
		if tc.wantErr {
			require.ErrorContains(t, err, `unknown gateway "sse"`)
			continue
		}
		require.NoError(t, err)
		require.Equal(t, tc.want, g)
	}
}

func TestGateway_NameAndDescription(t *testing.T) {
	t.Parallel()
	var zero Gateway
	require.Equal(t, "ws", zero.String())
	require.Equal(t, "socketio", SocketIO.String())
	require.Contains(t, zero.Describe(), "/ws")
	require.Contains(t, SocketIO.Describe(), "Socket.IO")
}
