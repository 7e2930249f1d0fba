package ws

import (
	"os"
	"regexp"
	"strconv"
	"strings"
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

// The client documentation (docs/PROTOCOL.md §8) lists exactly the codes
// the gateway closes with: close.go's, less 1003, which only callers of
// Conn.Close may send.
func TestCloseCodes_MatchProtocolDoc(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("../../docs/PROTOCOL.md")
	require.NoError(t, err)
	start := strings.Index(string(doc), "## 8. Close codes")
	require.GreaterOrEqual(t, start, 0, "PROTOCOL.md has a close-code section")
	section := string(doc)[start:]
	if end := strings.Index(section[1:], "\n## "); end >= 0 {
		section = section[:end+1]
	}
	var documented []int
	for _, m := range regexp.MustCompile(`(?m)^\| (\d{4}) \|`).FindAllStringSubmatch(section, -1) {
		code, err := strconv.Atoi(m[1])
		require.NoError(t, err)
		documented = append(documented, code)
	}
	sent := []int{CloseNormal, CloseGoingAway, ClosePolicyViolation, CloseTooBig,
		CloseAuthExpired, CloseRevoked, CloseRateLimited, CloseSlowClient}
	require.ElementsMatch(t, sent, documented)
}
