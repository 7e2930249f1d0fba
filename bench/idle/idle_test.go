package main

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{name: "ok", args: []string{"-pid", "1", "-sockets", "10"}},
		{name: "socket.io", args: []string{"-pid", "1", "-gateway", "socketio"}},
		{name: "unknown gateway", args: []string{"-pid", "1", "-gateway", "sse"}, wantErr: "unknown gateway"},
		{name: "pid required", args: nil, wantErr: "-pid is required"},
		{name: "too many sockets", args: []string{"-pid", "1", "-sockets", "70000"}, wantErr: "-sockets"},
		{name: "not loopback", args: []string{"-pid", "1", "-addr", "10.1.2.3:3000"}, wantErr: "not a loopback"},
		{name: "sign-in only needs no pid", args: []string{"-tokens-out", "t.txt"}},
		{name: "tokens in and out", args: []string{"-pid", "1", "-tokens-out", "a", "-tokens-in", "b"}, wantErr: "exclude"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := parseConfig(context.Background(), tc.args, io.Discard)
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, "idle-bench-000003", c.deviceID(3))
		})
	}
}

func TestWriteReport(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		r    result
		want []string
	}{
		{name: "met", r: result{Opened: 10, StillOpen: 10, RSSBefore: 1 << 20, RSSAfter: 1<<20 + 10*8192},
			want: []string{"over ws", "native WebSocket", "8.0 KiB", "| ≤ 16 KiB per socket | MET |"}},
		{name: "missed", r: result{Opened: 10, StillOpen: 10, RSSAfter: 10 * 20480, Failed: map[string]int{"dial": 2}},
			want: []string{"20.0 KiB", "MISSED", "failed: dial | 2"}},
		{name: "nothing open", r: result{}, want: []string{"MISSED"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var b strings.Builder
			require.NoError(t, writeReport(&b, config{Sockets: 10}, tc.r))
			for _, w := range tc.want {
				require.Contains(t, b.String(), w)
			}
		})
	}
}

func TestGuests_FromFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "tokens.txt")
	require.NoError(t, writeTokens(path, []string{"a", "b", "c"}))
	tests := []struct {
		name    string
		sockets int
		want    []string
		failed  int
	}{
		{name: "more tokens than sockets", sockets: 2, want: []string{"a", "b"}},
		{name: "fewer tokens than sockets", sockets: 5, want: []string{"a", "b", "c"}, failed: 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			failed := map[string]int{}
			got, err := guests(context.Background(), config{Sockets: tc.sockets, TokensIn: path}, failed)
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
			require.Equal(t, tc.failed, failed["login"])
		})
	}
	_, err := guests(context.Background(), config{Sockets: 1, TokensIn: filepath.Join(t.TempDir(), "missing")}, map[string]int{})
	require.Error(t, err)
}
