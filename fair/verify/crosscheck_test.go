package verify

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/internal/nodetest"
)

// crossCase is one replay file and the Go verifier's report on it, which
// the TypeScript verifier must reproduce exactly (test/fair.test.mjs).
type crossCase struct {
	File   string `json:"file"`
	Report Report `json:"report"`
}

// TestVerify_CrossCheckTypeScript verifies 1,000 random games (solo and
// matches of 2–4, golden and bomb moles, every kind of miss, resumed games)
// and tampered variants of every tenth (a whack moved, the seed changed, a
// score edited, and one per other check) with the Go verifier, then has the
// TypeScript SDK's verifier check the same files and reach the same reports.
func TestVerify_CrossCheckTypeScript(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Node.js")
	}
	if _, err := os.Stat(filepath.Join(nodetest.SDKDir(), "dist", "node.js")); err != nil {
		t.Fatalf("the TypeScript SDK is not built: run `make sdk` (npm ci and tsc in sdk/typescript): %v", err)
	}
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(2026, 17)) //nolint:gosec // reproducible games
	var cases []crossCase
	add := func(name string, r Replay) Report {
		rep, err := Verify(r)
		require.NoError(t, err, name)
		writeJSON(t, dir, name, r)
		cases = append(cases, crossCase{File: name, Report: rep})
		return rep
	}
	for i := range 1000 {
		g := randomGame(t, rng)
		rep := add(fmt.Sprintf("game-%04d.json", i), fromGame(g))
		require.True(t, rep.OK, "game %d: %v", i, rep.Divergence)
		if i%10 != 0 {
			continue
		}
		for k, tc := range tampers() {
			r, ok := tc.tamper(g)
			if !ok {
				continue
			}
			rep := add(fmt.Sprintf("game-%04d-tamper-%d.json", i, k), r)
			require.False(t, rep.OK, "game %d %s", i, tc.name)
			require.Equal(t, tc.check, rep.Divergence.Check, "game %d %s: %v", i, tc.name, rep.Divergence)
		}
	}
	writeJSON(t, dir, "cases.json", cases)
	nodetest.RunIn(t, nodetest.SDKDir(), map[string]string{"PROOFSTELL_REPLAYS": dir}, "test/fair.test.mjs")
}
