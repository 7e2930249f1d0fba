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
// RunIn runs test scripts of another Node package of the repository (the
// TypeScript SDK's, sdk/typescript) the same way, from that directory.
//
// The packages come from test/node/package-lock.json, installed by
// `make node-deps` (npm ci), which `make test` runs first (sdk/typescript's
// by `make sdk`). A missing
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
	return repoPath("test", "node")
}

// SDKDir is sdk/typescript, the TypeScript SDK's package.
func SDKDir() string {
	return repoPath("sdk", "typescript")
}

func repoPath(elem ...string) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(append([]string{filepath.Dir(file), "..", ".."}, elem...)...)
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
	return RunIn(tb, Dir(), env, script)
}

// RunIn runs `node --test <scripts…>` in dir (a package directory with its
// node_modules installed by npm ci) as Run does, and returns the frame
// recording's path the same way.
func RunIn(tb testing.TB, dir string, env map[string]string, scripts ...string) (frames string) {
	tb.Helper()
	if err := installed(dir); err != nil {
		tb.Fatal(err)
	}
	frames = filepath.Join(tb.TempDir(), "frames.jsonl")
	withFrames := map[string]string{FramesEnv: frames}
	maps.Copy(withFrames, env)
	ctx, cancel := context.WithTimeout(tb.Context(), DefaultTimeout)
	defer cancel()
	out, err := run(ctx, dir, scripts, withFrames)
	tb.Logf("node --test %v:\n%s", scripts, out)
	if err != nil {
		tb.Fatalf("node --test %v: %v", scripts, err)
	}
	return frames
}

func run(ctx context.Context, dir string, scripts []string, env map[string]string) ([]byte, error) {
	args := append([]string{"--test", "--test-reporter=spec"}, scripts...)
	cmd := exec.CommandContext(ctx, "node", args...) //nolint:gosec // G204: test scripts of this repository
	cmd.Dir = dir
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

// installed reports why the scripts of dir cannot run, or nil.
func installed(dir string) error {
	if _, err := exec.LookPath("node"); err != nil {
		return fmt.Errorf("node is not installed (Node.js 20 or later is needed): %w", err)
	}
	marker := filepath.Join(dir, "node_modules", ".package-lock.json")
	if _, err := os.Stat(marker); err != nil {
		return fmt.Errorf("the packages of %s are not installed: run `make node-deps sdk play-deps` (npm ci): %w", dir, err)
	}
	return nil
}
