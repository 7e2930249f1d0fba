package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
)

// guests returns one access token per socket: read from cfg.TokensIn, or
// signed in now against the measured server.
func guests(ctx context.Context, cfg config, failed map[string]int) ([]string, error) {
	if cfg.TokensIn == "" {
		return signIn(ctx, cfg, failed), nil
	}
	tokens, err := readTokens(cfg.TokensIn)
	if err != nil {
		return nil, err
	}
	if len(tokens) > cfg.Sockets {
		tokens = tokens[:cfg.Sockets]
	}
	if n := cfg.Sockets - len(tokens); n > 0 {
		failed["login"] += n
	}
	return tokens, nil
}

// saveSignIns signs the guests in and writes their tokens to cfg.TokensOut,
// one per line, readable by the owner only (they are credentials).
func saveSignIns(ctx context.Context, cfg config, log io.Writer) error {
	failed := map[string]int{}
	tokens := signIn(ctx, cfg, failed)
	if err := writeTokens(cfg.TokensOut, tokens); err != nil {
		return err
	}
	logf(log, "signed in %d guests (%d failed); tokens in %s", len(tokens), failed["login"], cfg.TokensOut)
	return nil
}

func writeTokens(path string, tokens []string) error {
	data := strings.Join(tokens, "\n") + "\n"
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		return fmt.Errorf("write tokens: %w", err)
	}
	return nil
}

func readTokens(path string) ([]string, error) {
	f, err := os.Open(path) //nolint:gosec // the operator names the file
	if err != nil {
		return nil, fmt.Errorf("read tokens: %w", err)
	}
	defer func() { _ = f.Close() }()
	var tokens []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if t := strings.TrimSpace(sc.Text()); t != "" {
			tokens = append(tokens, t)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read tokens: %w", err)
	}
	return tokens, nil
}
