package e2e

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/proofstell/proofstell/internal/nodetest"
)

// TestServer_TypeScriptSDK runs the TypeScript SDK's own tests
// (sdk/typescript/test, Node's test runner) against the real binary: a
// full solo game over /ws and over Socket.IO with the same code, a match
// across both, typed errors, leaderboard:update, transparent refresh of an
// expired or unreadable access token, and reconnection with game:resume
// after a dropped connection and after a 4001 close. It also fails when the
// committed generated types are stale against docs/asyncapi.yaml. The SDK
// must be installed and built first (`make sdk`, which `make test` runs).
func TestServer_TypeScriptSDK(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the server binary and Node.js")
	}
	if _, err := os.Stat(filepath.Join(nodetest.SDKDir(), "dist", "node.js")); err != nil {
		t.Fatalf("the TypeScript SDK is not built: run `make sdk` (npm ci and tsc in sdk/typescript): %v", err)
	}
	s := startServer(t)
	addMode(t, s, nodeMode)
	nodetest.RunIn(t, nodetest.SDKDir(), map[string]string{
		"PROOFSTELL_URL":        s.base,
		"PROOFSTELL_MODE":       nodeMode,
		"PROOFSTELL_JWT_SECRET": jwtSecret,
	}, "test/generated.test.mjs", "test/rest.test.mjs", "test/realtime.test.mjs")
}
