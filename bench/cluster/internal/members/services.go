package members

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os/exec"
	"regexp"
	"strings"
)

// Services are the PostgreSQL and Redis the members share.
type Services struct {
	// PostgresURL is the server's maintenance database URL; the members'
	// own database (Database) is created next to it.
	PostgresURL string
	Database    string
	RedisURL    string
	RedisPrefix string
}

// safeName keeps generated database names and prefixes free of quoting.
var safeName = regexp.MustCompile(`^[a-z0-9_]+$`)

// DatabaseURL is the members' DATABASE_URL.
func (s Services) DatabaseURL() (string, error) {
	if !safeName.MatchString(s.Database) {
		return "", fmt.Errorf("database name %q: want [a-z0-9_]+", s.Database)
	}
	u, err := url.Parse(s.PostgresURL)
	if err != nil {
		return "", fmt.Errorf("postgres url: %w", err)
	}
	u.Path = "/" + s.Database
	q := u.Query()
	if q.Get("sslmode") == "" {
		q.Set("sslmode", "disable")
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// Prepare creates and migrates the database once, before any member starts,
// so members never race to create it (the binary's "migrate" command with
// DATABASE_CREATE=true).
func (s Services) Prepare(ctx context.Context, bin string) error {
	dbURL, err := s.DatabaseURL()
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, bin, "migrate") //nolint:gosec // G204: the binary we just built
	cmd.Env = append(cmd.Environ(), "DATABASE_URL="+dbURL, "DATABASE_CREATE=true", "NODE_ENV=test",
		"REDIS_URL="+s.RedisURL, "LOG_LEVEL=warn")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("create and migrate %s: %w\n%s", s.Database, err, out)
	}
	return nil
}

// Cleanup drops the database (closing its connections) and deletes every
// Redis key under the prefix, with the psql and redis-cli clients.
func (s Services) Cleanup(ctx context.Context) error {
	if !safeName.MatchString(s.Database) {
		return fmt.Errorf("database name %q: want [a-z0-9_]+", s.Database)
	}
	drop := exec.CommandContext(ctx, "psql", s.PostgresURL, "-qtAc", //nolint:gosec // G204: checked name
		`DROP DATABASE IF EXISTS "`+s.Database+`" WITH (FORCE)`)
	if out, err := drop.CombinedOutput(); err != nil {
		return fmt.Errorf("drop database %s: %w: %s", s.Database, err, out)
	}
	return s.deleteRedisKeys(ctx)
}

func (s Services) deleteRedisKeys(ctx context.Context) error {
	if s.RedisPrefix == "" || strings.ContainsAny(s.RedisPrefix, "*?[]\\") {
		return fmt.Errorf("redis prefix %q: refusing to delete by it", s.RedisPrefix)
	}
	out, err := exec.CommandContext(ctx, "redis-cli", "-u", s.RedisURL, "--scan", "--pattern", s.RedisPrefix+"*").Output() //nolint:gosec // G204: checked prefix
	if err != nil {
		return fmt.Errorf("list redis keys: %w", err)
	}
	keys := strings.Fields(string(bytes.TrimSpace(out)))
	for len(keys) > 0 {
		n := min(len(keys), 500)
		args := append([]string{"-u", s.RedisURL, "del"}, keys[:n]...)
		if err := exec.CommandContext(ctx, "redis-cli", args...).Run(); err != nil { //nolint:gosec // G204: keys we listed
			return fmt.Errorf("delete redis keys: %w", err)
		}
		keys = keys[n:]
	}
	return nil
}
