package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/proofstell/proofstell/internal/playbot"
)

// errUsage marks bad command-line arguments (exit code 2).
var errUsage = errors.New("usage")

// playFlags are the arguments of `proofstell play`.
type playFlags struct {
	url, mode, device string
}

// parsePlayFlags reads `play [--url URL] [--mode MODE] [--device ID]`.
func parsePlayFlags(args []string, stderr io.Writer) (playFlags, error) {
	var f playFlags
	fs := flag.NewFlagSet("proofstell play", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.url, "url", "http://127.0.0.1:3000", "the node's HTTP base URL")
	fs.StringVar(&f.mode, "mode", "classic", "game mode")
	fs.StringVar(&f.device, "device", "", "guest device id, 8..128 characters (default: one kept in the user config directory)")
	if err := fs.Parse(args); err != nil {
		return f, fmt.Errorf("%w: %w", errUsage, err)
	}
	if fs.NArg() > 0 {
		_, _ = fmt.Fprintf(stderr, "unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return f, fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	return f, nil
}

// play runs `proofstell play`: one solo game as a guest, printed as it goes.
func play(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f, err := parsePlayFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil // -h: the usage is printed
	}
	if err != nil {
		return err
	}
	if f.device == "" {
		f.device = deviceID(stderr)
	}
	return playbot.Run(ctx, playbot.Options{
		URL: strings.TrimSuffix(f.url, "/"), Mode: f.mode, DeviceID: f.device,
		Reflex: playbot.DefaultReflex(mrand.Float64), Out: stdout,
	})
}

// deviceID returns the device id kept in the user config directory
// (proofstell/device-id), creating it on first use so that every run plays
// as the same guest and climbs the same standing. When it cannot be kept
// (no config directory, read-only home) the new id serves this run only,
// with a note on stderr: playing matters more than the standing.
func deviceID(stderr io.Writer) string {
	dir, err := os.UserConfigDir()
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "playing as a new guest: %v\n", err)
		return newDeviceID()
	}
	path := filepath.Join(dir, "proofstell", "device-id")
	kept, err := os.ReadFile(path) //nolint:gosec // G304: our own file in the user's config directory
	if id := strings.TrimSpace(string(kept)); err == nil && len(id) >= 8 {
		return id
	}
	id := newDeviceID()
	if err := keepDeviceID(path, id); err != nil {
		_, _ = fmt.Fprintf(stderr, "playing as a new guest: %v\n", err)
	}
	return id
}

// keepDeviceID writes id to path, readable by the user only.
func keepDeviceID(path, id string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("keep device id: %w", err)
	}
	if err := os.WriteFile(path, []byte(id+"\n"), 0o600); err != nil {
		return fmt.Errorf("keep device id: %w", err)
	}
	return nil
}

// newDeviceID returns a random device id ("cli-" and 32 hex digits).
func newDeviceID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return "cli-" + hex.EncodeToString(b)
}
