package main

import (
	"bytes"
	"encoding/json"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/grpclog"

	"github.com/proofstell/proofstell/chain/starknet"
	"github.com/proofstell/proofstell/persistence"
)

func TestRun_Commands(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		env      map[string]string
		wantCode int
		wantOut  string
	}{
		{"version", []string{"version"}, nil, 0, "proofstell dev"},
		{"valid config", []string{"check-config"}, nil, 0, "config ok"},
		{"every problem listed", []string{"check-config"}, map[string]string{"PORT": "banana", "WS_SEND_QUEUE": "-1"}, 1, "WS_SEND_QUEUE"},
		{"unknown command", []string{"dance"}, nil, 2, `unknown command "dance"`},
		{"a cluster without Redis is refused", []string{"check-config"},
			map[string]string{"CLUSTER_PROVIDER": "etcd", "CLUSTER_ETCD_ENDPOINTS": "http://127.0.0.1:2379"}, 1,
			"REDIS_URL: required when CLUSTER_PROVIDER=etcd: nodes share rate limits, nonces, revocation and fan-out through Redis"},
		{"production on the memory engine warns", []string{"check-config"}, map[string]string{
			"NODE_ENV": "production", "JWT_SECRET": strings.Repeat("j", 40), "CHALLENGE_SECRET": strings.Repeat("c", 40),
			"ALLOWED_ORIGINS": "https://play.example.com", "REFERRAL_FINGERPRINT_SECRET": strings.Repeat("r", 40),
		}, 0, "warning: REDIS_URL is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			getenv := func(k string) string { return tt.env[k] }
			code := run(tt.args, getenv, &stdout, &stderr)
			require.Equal(t, tt.wantCode, code, "stderr: %s", stderr.String())
			require.Contains(t, stdout.String()+stderr.String(), tt.wantOut)
		})
	}
}

// The node's logger masks secrets whoever logs them.
func TestNewLogger_Redacts(t *testing.T) {
	var out bytes.Buffer
	logger := newLogger("info", time.Minute, &out)
	logger.Info("sign-in", "email", "alice@example.com", "password", "hunter2hunter2",
		"authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl")
	logged := out.String()
	for _, secret := range []string{"alice@example.com", "hunter2hunter2", "eyJhbGciOiJIUzI1NiJ9"} {
		require.NotContains(t, logged, secret)
	}
	require.Contains(t, logged, `"msg":"sign-in"`)
}

// The mint rows (persistence) and the chain writer (chain/starknet) must
// name the same token for a badge and a player, or a repeat could mint twice.
func TestTokenIDsAgree(t *testing.T) {
	for _, pair := range [][2]string{
		{"6b1f3a52-9d7e-4c1a-8f3e-2a4b5c6d7e8f", "1b1f3a52-9d7e-4c1a-8f3e-2a4b5c6d7e8f"},
		{"00000000-0000-4000-8000-000000000000", "ffffffff-ffff-4fff-bfff-ffffffffffff"},
	} {
		require.Equal(t, starknet.TokenID(pair[0], pair[1]), persistence.MintTokenID(pair[0], pair[1]))
	}
}

// Libraries' own loggers (std log, gRPC) land in the node's JSON log.
func TestRouteLibraryLogs_WritesJSON(t *testing.T) {
	var out bytes.Buffer
	routeLibraryLogs(t.Context(), newLogger("info", time.Minute, &out))
	t.Cleanup(func() { log.SetOutput(os.Stderr); log.SetFlags(log.LstdFlags) })
	log.Printf("plain line from the log package")
	grpclog.Warningf("[transport] dial %s failed", "127.0.0.1:1")
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 2, out.String())
	for _, want := range []string{"log", "grpc"} {
		var rec map[string]any
		require.NoError(t, json.Unmarshal([]byte(lines[0]), &rec), lines[0])
		require.Equal(t, want, rec["lib"])
		require.Equal(t, "WARN", rec["level"])
		lines = lines[1:]
	}
}

func TestParsePlayFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    playFlags
		wantErr bool
	}{
		{name: "defaults", want: playFlags{url: "http://127.0.0.1:3000", mode: "classic"}},
		{name: "all set", args: []string{"--url", "http://node:8080", "--mode", "frenzy", "--device", "my-laptop-0001"},
			want: playFlags{url: "http://node:8080", mode: "frenzy", device: "my-laptop-0001"}},
		{name: "unknown flag", args: []string{"--speed", "9"}, wantErr: true},
		{name: "stray argument", args: []string{"classic"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			got, err := parsePlayFlags(tt.args, &stderr)
			if tt.wantErr {
				require.ErrorIs(t, err, errUsage)
				require.Contains(t, stderr.String(), "Usage of proofstell play")
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

// The device id is made once and kept, so every run plays as one guest.
func TestDeviceID_kept(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv("HOME", dir)
	first := deviceID(io.Discard)
	require.Regexp(t, `^cli-[0-9a-f]{32}$`, first)
	require.Equal(t, first, deviceID(io.Discard))
	kept, err := os.ReadFile(filepath.Join(dir, "proofstell", "device-id"))
	require.NoError(t, err)
	require.Equal(t, first+"\n", string(kept))

	// A home it cannot write to: a fresh id for this run, and a note.
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "proofstell", "device-id", "not-a-dir"))
	var stderr bytes.Buffer
	require.Regexp(t, `^cli-[0-9a-f]{32}$`, deviceID(&stderr))
	require.Contains(t, stderr.String(), "playing as a new guest: keep device id")
}

func TestRun_playUsage(t *testing.T) {
	var stdout, stderr bytes.Buffer
	require.Equal(t, 2, run([]string{"play", "--speed"}, func(string) string { return "" }, &stdout, &stderr))
	require.Equal(t, 0, run([]string{"play", "-h"}, func(string) string { return "" }, &stdout, &stderr))
	require.Contains(t, stderr.String(), "-mode")
}
