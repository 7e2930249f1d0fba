package loopback

import (
	"context"
	"errors"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/require"
)

// fakeResolver answers from a fixed table, so tests never touch DNS.
type fakeResolver map[string][]string

func (f fakeResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	names, ok := f[host]
	if !ok {
		return nil, errors.New("no such host")
	}
	out := make([]netip.Addr, 0, len(names))
	for _, n := range names {
		out = append(out, netip.MustParseAddr(n))
	}
	return out, nil
}

func TestCheck(t *testing.T) {
	t.Parallel()
	r := fakeResolver{
		"localhost": {"127.0.0.1", "::1"},
		"mixed":     {"127.0.0.1", "10.0.0.1"},
		"empty":     {},
	}
	tests := []struct {
		target  string
		wantErr error
		anyErr  bool
	}{
		{target: "127.0.0.1:3000"},
		{target: "127.0.0.53:1"},
		{target: "[::1]:3000"},
		{target: "[::ffff:127.0.0.1]:3000"},
		{target: "localhost:3000"},
		{target: "10.0.0.1:3000", wantErr: ErrNotLoopback},
		{target: "0.0.0.0:3000", wantErr: ErrNotLoopback},
		{target: "mixed:3000", wantErr: ErrNotLoopback},
		{target: "empty:3000", wantErr: ErrNotLoopback},
		{target: "unknown:3000", anyErr: true},
		{target: "no-port", anyErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.target, func(t *testing.T) {
			t.Parallel()
			err := Check(context.Background(), r, tc.target)
			switch {
			case tc.wantErr != nil:
				require.ErrorIs(t, err, tc.wantErr)
			case tc.anyErr:
				require.Error(t, err)
			default:
				require.NoError(t, err)
			}
		})
	}
}
