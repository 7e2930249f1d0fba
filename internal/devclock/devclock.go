// Package devclock is a wall clock that tests of the real binary can move.
//
// Day rollovers, period closes and challenge windows are driven by the
// clock; an end-to-end test cannot wait for midnight. With DEV_CLOCK_FILE
// set (refused in production by config.Validate), the node reads its time
// as the real time plus an offset kept in that file ("36h", "-90s", or
// empty for none), re-read whenever the file changes. Every component that
// judges the game's calendar takes its Now from here; the lease pools and
// token signing keep the real clock, so moving it never costs a lease or
// a session.
package devclock

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	"sync/atomic"
	"time"
)

// maxFileBytes bounds what is read: an offset is a few characters.
const maxFileBytes = 64

// Clock is the real clock shifted by the offset in a file.
type Clock struct {
	path   string
	offset atomic.Int64 // nanoseconds
}

// Open reads the offset in path (a missing or empty file is no offset) and
// refuses a malformed one.
func Open(path string) (*Clock, error) {
	c := &Clock{path: path}
	if err := c.reload(); err != nil {
		return nil, err
	}
	return c, nil
}

// Now is the real time plus the offset. It is safe for concurrent use and
// costs one atomic load.
func (c *Clock) Now() time.Time { return time.Now().Add(time.Duration(c.offset.Load())) }

// Offset is the current offset.
func (c *Clock) Offset() time.Duration { return time.Duration(c.offset.Load()) }

// Watch re-reads the file every interval until ctx ends. A malformed
// offset keeps the previous one and is logged.
func (c *Clock) Watch(ctx context.Context, interval time.Duration, logger *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := c.reload(); err != nil {
				logger.Warn("dev clock: offset not changed", "error", err)
			}
		}
	}
}

// reload reads the file (a few bytes; no change detection to get wrong).
func (c *Clock) reload() error {
	offset, err := readOffset(c.path)
	if err != nil {
		return err
	}
	c.offset.Store(int64(offset))
	return nil
}

// readOffset parses the file's one duration; a missing file is none.
func readOffset(path string) (time.Duration, error) {
	f, err := os.Open(path) //nolint:gosec // the operator names the file (DEV_CLOCK_FILE, never in production)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("dev clock %s: %w", path, err)
	}
	defer func() { _ = f.Close() }()
	buf := make([]byte, maxFileBytes+1)
	n, _ := f.Read(buf)
	if n > maxFileBytes {
		return 0, fmt.Errorf("dev clock %s: longer than %d bytes", path, maxFileBytes)
	}
	text := strings.TrimSpace(string(buf[:n]))
	if text == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(text)
	if err != nil {
		return 0, fmt.Errorf("dev clock %s: %w", path, err)
	}
	return d, nil
}
