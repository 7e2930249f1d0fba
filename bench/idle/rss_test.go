package main

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseRSS(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		status  string
		want    int64
		wantErr string
	}{
		{name: "ok", status: "Name:\tx\nVmPeak:\t 9 kB\nVmRSS:\t   2048 kB\nThreads: 3\n", want: 2048 << 10},
		{name: "missing", status: "Name:\tx\n", wantErr: "no VmRSS"},
		{name: "no unit", status: "VmRSS:\t12\n", wantErr: "malformed VmRSS line"},
		{name: "not a number", status: "VmRSS:\tx kB\n", wantErr: "malformed VmRSS value"},
		{name: "negative", status: "VmRSS:\t-1 kB\n", wantErr: "malformed VmRSS value"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := parseRSS([]byte(tc.status))
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestReadRSS_Self(t *testing.T) {
	t.Parallel()
	rss, err := readRSS(os.Getpid())
	require.NoError(t, err)
	require.Positive(t, rss)
	_, err = readRSS(-1)
	require.Error(t, err)
}
