package testports_test

import (
	"fmt"
	"net"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/internal/testports"
)

func TestFree_DistinctBindablePortsBelowTheEphemeralRange(t *testing.T) {
	t.Parallel()
	seen := map[int]bool{}
	for range 200 {
		port := testports.Free(t)
		require.False(t, seen[port], "port %d handed out twice", port)
		seen[port] = true
		require.GreaterOrEqual(t, port, 20000)
		require.Less(t, port, 32000)
	}
}

func TestFree_SkipsAPortInUse(t *testing.T) {
	t.Parallel()
	taken := testports.Free(t)
	l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", taken+1))
	if err != nil {
		t.Skipf("port %d busy already", taken+1)
	}
	defer func() { _ = l.Close() }()
	for range 50 {
		require.NotEqual(t, taken+1, testports.Free(t), "a port in use is never handed out")
	}
}
