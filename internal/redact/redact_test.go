package redact

import (
	"bytes"
	"errors"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"
)

const jwtSample = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLWJ5dGVz"

func TestHandler_RedactsSecrets(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		log    func(*slog.Logger)
		secret string
		keep   string
	}{
		{"password attr", func(l *slog.Logger) { l.Info("login", "password", "hunter2-secret") }, "hunter2-secret", "login"},
		{"refresh token attr", func(l *slog.Logger) { l.Info("x", slog.String("refresh_token", "opaque-value")) }, "opaque-value", `"x"`},
		{"email attr", func(l *slog.Logger) { l.Info("x", "email", "mole@example.com") }, "mole@example.com", ""},
		{"private key attr", func(l *slog.Logger) { l.Info("x", "privateKey", "0x1234abcd") }, "0x1234abcd", ""},
		{"authorization header", func(l *slog.Logger) { l.Info("x", "Authorization", "Bearer abc.def") }, "abc.def", ""},
		{"email in message", func(l *slog.Logger) { l.Info("mail sent to mole@example.com") }, "mole@example.com", "mail sent to"},
		{"jwt in error", func(l *slog.Logger) { l.Error("x", "error", errors.New("bad token "+jwtSample)) }, jwtSample, "bad token"},
		{"bearer in string", func(l *slog.Logger) { l.Info("x", "header", "Bearer s3cr3t-token") }, "s3cr3t-token", ""},
		{"pem block", func(l *slog.Logger) {
			l.Info("x", "body", "-----BEGIN PRIVATE KEY-----\nMIIBVQ\n-----END PRIVATE KEY-----")
		}, "MIIBVQ", ""},
		{"nested group", func(l *slog.Logger) { l.Info("x", slog.Group("req", slog.String("password", "pw-in-group"))) }, "pw-in-group", ""},
		{"bound attrs", func(l *slog.Logger) { l.With("token", "bound-token").Info("x") }, "bound-token", ""},
		{"group then attr", func(l *slog.Logger) { l.WithGroup("g").Info("x", "secret", "grouped-secret") }, "grouped-secret", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			tc.log(slog.New(New(slog.NewJSONHandler(&buf, nil))))
			require.NotContains(t, buf.String(), tc.secret)
			require.Contains(t, buf.String(), Mask)
			require.Contains(t, buf.String(), tc.keep)
		})
	}
}

func TestHandler_KeepsOrdinaryValues(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	l := slog.New(New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	require.True(t, l.Enabled(t.Context(), slog.LevelDebug))
	l.Info("http request", "route", "/api/v1/players/me", "status", 200, "user_id", "8d7f8f5e", "ids", []int{1, 2})
	require.NotContains(t, buf.String(), Mask)
	require.Contains(t, buf.String(), `"status":200`)
	require.Contains(t, buf.String(), `"ids":[1,2]`)
}

func FuzzString(f *testing.F) {
	f.Add("mole@example.com " + jwtSample)
	f.Add("Bearer abc")
	f.Fuzz(func(t *testing.T, s string) {
		out := String(s)
		require.Equal(t, out, String(out), "redaction is idempotent")
	})
}
