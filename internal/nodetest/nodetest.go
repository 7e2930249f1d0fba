// Package nodetest runs the JavaScript end-to-end tests of test/node from Go
// tests, so the ecosystem's own clients (the official socket.io-client,
// starknet.js) drive a server the Go test started and checks.
//
// A Go test sets up what the script needs (a server, a fake chain node,
// accounts), then calls Run with the script's file name and the addresses in
// the environment. The script uses Node's test runner (node:test) and exits
// non-zero when any of its tests fails; its output becomes the Go test's log.
// Run also hands the script a file (PROOFSTELL_FRAMES_OUT) to record the
// frames its clients received in (test/node/lib/proofstell.mjs does), and
// returns its path, so the Go test can check them (internal/asyncapi).
//
// The packages come from test/node/package-lock.json, installed by
// `make node-deps` (npm ci), which `make test` runs first. A missing
// installation fails the test with that hint instead of skipping it: a
// skipped end-to-end test proves nothing.
package nodetest

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"testing"
	"time"
)

// DefaultTimeout bounds one script run when the test has no earlier
// deadline.
const DefaultTimeout = 2 * time.Minute

// Dir is test/node, where the scripts and their package.json live.
func Dir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "test", "node")
}

// FramesEnv names the file a script records its clients' frames in.
const FramesEnv = "PROOFSTELL_FRAMES_OUT"

// Run runs `node --test <script>` in test/node with env added to the
// process environment, and fails tb when node is missing, the packages are
// not installed, or the script's tests fail. It returns the path of the
// script's frame recording (FramesEnv), in tb's temporary directory; the
// file is absent when the script recorded nothing.
func Run(tb testing.TB, script string, env map[string]string) (frames string) {
	tb.Helper()
	if err := installed(); err != nil {
		tb.Fatal(err)
	}
	frames = filepath.Join(tb.TempDir(), "frames.jsonl")
	withFrames := map[string]string{FramesEnv: frames}
	maps.Copy(withFrames, env)
	ctx, cancel := context.WithTimeout(tb.Context(), DefaultTimeout)
	defer cancel()
	out, err := run(ctx, script, withFrames)
	tb.Logf("node --test %s:\n%s", script, out)
	if err != nil {
		tb.Fatalf("node --test %s: %v", script, err)
	}
	return frames
}

func run(ctx context.Context, script string, env map[string]string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "node", "--test", "--test-reporter=spec", script) //nolint:gosec // G204: test scripts of this repository
	cmd.Dir = Dir()
	cmd.Env = append(os.Environ(), environ(env)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	if ctx.Err() != nil {
		err = fmt.Errorf("%w (%w)", err, ctx.Err())
	}
	return out.Bytes(), err
}

// environ turns env into KEY=value lines in a stable order.
func environ(env map[string]string) []string {
	lines := make([]string, 0, len(env))
	for k, v := range env {
		lines = append(lines, k+"="+v)
	}
	sort.Strings(lines)
	return lines
}

// installed reports why the scripts cannot run, or nil.
func installed() error {
	if _, err := exec.LookPath("node"); err != nil {
		return fmt.Errorf("node is not installed (Node.js 20 or later is needed): %w", err)
	}
	marker := filepath.Join(Dir(), "node_modules", ".package-lock.json")
	if _, err := os.Stat(marker); err != nil {
		return fmt.Errorf("test/node packages are not installed: run `make node-deps` (npm ci): %w", err)
	}
	return nil
}
