package main

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestParseConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		wantErr string
		check   func(t *testing.T, c config)
	}{
		{name: "defaults", args: []string{"-redis-prefix", "bench-1:"}, check: func(t *testing.T, c config) {
			require.Equal(t, []int{1000, 5000}, c.Levels)
			require.Equal(t, 5000, c.sockets())
			require.Equal(t, "daily", c.Board)
			require.Equal(t, 100*time.Millisecond, c.Interval)
			require.Equal(t, "fanout-bench-000042", c.deviceID(42))
		}},
		{name: "levels", args: []string{"-redis-prefix", "p:", "-subscribers", "10, 20"}, check: func(t *testing.T, c config) {
			require.Equal(t, []int{10, 20}, c.Levels)
		}},
		{name: "prefix required", wantErr: "-redis-prefix is required"},
		{name: "levels ascending", args: []string{"-redis-prefix", "p:", "-subscribers", "5000,1000"}, wantErr: "ascending"},
		{name: "level a count", args: []string{"-redis-prefix", "p:", "-subscribers", "x"}, wantErr: "not a count"},
		{name: "every problem listed", args: []string{"-board", "nope", "-broadcasts", "0"}, wantErr: "-broadcasts must"},
		{name: "loopback only", args: []string{"-redis-prefix", "p:", "-addr", "192.0.2.1:3000"}, wantErr: "loopback"},
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
			tc.check(t, c)
		})
	}
}
