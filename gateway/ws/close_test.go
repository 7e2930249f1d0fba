package ws

import (
	"testing"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"
)

// The codes below 4000 are RFC 6455's; gorilla names them too, and the
// wsclient test client (which cannot import this package: this package's
// tests import it) closes and reads codes with gorilla's names. Both must
// agree with close.go.
func TestCloseCodes_AgreeWithGorilla(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		ours    int
		gorilla int
	}{
		{"normal", CloseNormal, websocket.CloseNormalClosure},
		{"going away", CloseGoingAway, websocket.CloseGoingAway},
		{"unsupported data", CloseUnsupportedData, websocket.CloseUnsupportedData},
		{"policy violation", ClosePolicyViolation, websocket.ClosePolicyViolation},
		{"too big", CloseTooBig, websocket.CloseMessageTooBig},
	}
	for _, tt := range tests {
		require.Equal(t, tt.gorilla, tt.ours, tt.name)
	}
}

// Application codes live in RFC 6455's private range and are distinct, so a
// client can switch on them.
func TestCloseCodes_AreDistinct(t *testing.T) {
	t.Parallel()
	app := []int{CloseAuthExpired, CloseRevoked, CloseRateLimited, CloseSlowClient}
	seen := map[int]bool{}
	for _, code := range app {
		require.GreaterOrEqual(t, code, 4000)
		require.Less(t, code, 5000)
		require.False(t, seen[code], "code %d declared twice", code)
		seen[code] = true
	}
}
