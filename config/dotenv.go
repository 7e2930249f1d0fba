package config

import (
	"bufio"
	"os"
	"strings"
)

// WithDotEnv layers KEY=VALUE lines of path under getenv: a variable set in
// the real environment (non-empty) wins. A missing file is not an error.
func WithDotEnv(getenv func(string) string, path string) func(string) string {
	values := readDotEnv(path)
	return func(key string) string {
		if v := getenv(key); v != "" {
			return v
		}
		return values[key]
	}
}

// readDotEnv parses a .env file: KEY=VALUE per line, # comments, optional
// surrounding quotes.
func readDotEnv(path string) map[string]string {
	values := map[string]string{}
	f, err := os.Open(path) // #nosec G304 -- operator-chosen configuration file
	if err != nil {
		return values
	}
	defer func() { _ = f.Close() }()
	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		line := strings.TrimSpace(scanner.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, value, ok := strings.Cut(strings.TrimPrefix(line, "export "), "=")
		if !ok {
			continue
		}
		values[strings.TrimSpace(key)] = strings.Trim(strings.TrimSpace(value), `"'`)
	}
	return values
}
