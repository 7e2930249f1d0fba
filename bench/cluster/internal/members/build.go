package members

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// buildAttempts covers another engineer's half-saved file in the shared
// checkout: a failed build is retried after a pause.
const buildAttempts = 3

// Build compiles cmd/proofstell (without -race) into dir and returns the
// binary's path. It runs in the module that contains the working directory.
func Build(ctx context.Context, dir string) (string, error) {
	root, err := moduleRoot(ctx)
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "proofstell")
	var out []byte
	for attempt := 1; attempt <= buildAttempts; attempt++ {
		cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/proofstell") //nolint:gosec // G204: our own work dir
		cmd.Dir = root
		if out, err = cmd.CombinedOutput(); err == nil {
			return bin, nil
		}
		if attempt < buildAttempts && !sleep(ctx, 30*time.Second) {
			break
		}
	}
	return "", fmt.Errorf("build proofstell: %w\n%s", err, out)
}

func moduleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("find the module: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("run from inside the proofstell module")
	}
	return filepath.Dir(gomod), nil
}

// sleep waits d or until ctx ends; it reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
