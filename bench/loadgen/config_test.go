package main

import (
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/bench/internal/gateway"
)

func TestParseConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		wantErr string
		check   func(t *testing.T, c config)
	}{
		{name: "defaults", check: func(t *testing.T, c config) {
			require.Equal(t, 1000, c.Games)
			require.Equal(t, "classic", c.Mode)
			require.Equal(t, 250*time.Millisecond, c.Style.ReactMin)
			require.Equal(t, "loadgen-bot-000042", c.deviceID(42))
			require.Equal(t, gateway.WS, c.Gateway)
		}},
		{name: "socket.io", args: []string{"-gateway", "socketio"},
			check: func(t *testing.T, c config) { require.Equal(t, gateway.SocketIO, c.Gateway) }},
		{name: "unknown gateway", args: []string{"-gateway", "sse"}, wantErr: "unknown gateway"},
		{name: "overrides", args: []string{"-games", "5", "-rounds", "2", "-react-min", "100ms", "-react-max", "100ms"},
			check: func(t *testing.T, c config) {
				require.Equal(t, 5, c.Games)
				require.Equal(t, 2, c.Rounds)
			}},
		{name: "duration", args: []string{"-duration", "30s", "-ramp", "5s", "-timeout", "1m"},
			check: func(t *testing.T, c config) { require.Equal(t, 30*time.Second, c.Duration) }},
		{name: "duration beyond timeout", args: []string{"-duration", "3m", "-timeout", "1m"}, wantErr: "-timeout must exceed"},
		{name: "reaction order", args: []string{"-react-min", "1s", "-react-max", "10ms"}, wantErr: "react-min"},
		{name: "every problem listed", args: []string{"-games", "0", "-miss", "2"}, wantErr: "-miss must"},
		{name: "unknown flag", args: []string{"-nope"}, wantErr: "parse flags"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := parseConfig(tc.args, io.Discard)
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			tc.check(t, c)
		})
	}
}
