// Package testbin builds the proofstell server binary for the tests and load
// generators that run it as separate processes (test/e2e, test/cluster,
// bench/cluster). The binary is built without -race: protoactor's cluster
// layer races internally, and those processes are the system under test, not
// the caller, which keeps -race on its own code.
package testbin

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

var (
	once  sync.Once
	built string
	err   error
)

// Proofstell builds cmd/proofstell once per process, into a fresh temporary
// directory, and returns the binary's path.
func Proofstell(ctx context.Context) (string, error) {
	once.Do(func() {
		dir, mkErr := os.MkdirTemp("", "proofstell-bin-")
		if mkErr != nil {
			err = fmt.Errorf("build proofstell: %w", mkErr)
			return
		}
		bin := filepath.Join(dir, "proofstell")
		cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/proofstell") //nolint:gosec // G204: our temp dir, fixed arguments
		cmd.Dir = moduleRoot()
		if out, buildErr := cmd.CombinedOutput(); buildErr != nil {
			err = fmt.Errorf("build proofstell: %w\n%s", buildErr, out)
			return
		}
		built = bin
	})
	return built, err
}

// Require is Proofstell for tests: it fails tb when the build fails.
func Require(tb testing.TB) string {
	tb.Helper()
	bin, buildErr := Proofstell(tb.Context())
	if buildErr != nil {
		tb.Fatal(buildErr)
	}
	return bin
}

// moduleRoot is the directory of go.mod: this file is internal/testbin.
func moduleRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}
