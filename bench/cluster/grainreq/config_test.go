package main

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestShare_SplitsEveryRequest(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ total, rounds int }{{100, 4}, {101, 4}, {7, 7}, {20_000, 3}} {
		sum := 0
		for r := range tc.rounds {
			sum += share(tc.total, tc.rounds, r)
		}
		require.Equal(t, tc.total, sum, "%+v", tc)
	}
}

func TestParseConfig(t *testing.T) {
	t.Parallel()
	c, err := parseConfig(nil, nil)
	require.NoError(t, err)
	require.Equal(t, -1, c.HostCPU)
	_, err = parseConfig([]string{"-rounds", "0"}, nil)
	require.Error(t, err)
	_, err = parseConfig([]string{"-seq", "2", "-rounds", "4"}, nil)
	require.Error(t, err)
}
