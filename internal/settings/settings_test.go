package settings_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/internal/settings"
)

func defaults() settings.Settings {
	return settings.Settings{
		Registration: settings.Registration{Open: true},
		Games:        settings.Games{DefaultMode: "classic"},
		RateLimits:   settings.RateLimits{Anonymous: 10, User: 600, Auth: 5},
		Features:     settings.Features{Analytics: true, Referrals: true, Challenges: true},
	}
}

// TestMerge_Validation: every malformed or out-of-bounds patch is refused
// with the path of the field at fault; nothing else is judged.
func TestMerge_Validation(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, patch, field string
	}{
		{"not an object", `[1]`, "body"},
		{"not json", `{`, "body"},
		{"two values", `{} {}`, "body"},
		{"unknown section", `{"colour":{"x":1}}`, "colour"},
		{"section not an object", `{"maintenance":true}`, "maintenance"},
		{"unknown field", `{"maintenance":{"enable":true}}`, "maintenance.enable"},
		{"bool as string", `{"maintenance":{"enabled":"yes"}}`, "maintenance.enabled"},
		{"message not a string", `{"maintenance":{"message":5}}`, "maintenance.message"},
		{"message too long", `{"maintenance":{"message":"` + strings.Repeat("é", 281) + `"}}`, "maintenance.message"},
		{"message with a control", `{"maintenance":{"message":"a\nb"}}`, "maintenance.message"},
		{"until not a time", `{"maintenance":{"until":"tomorrow"}}`, "maintenance.until"},
		{"until a number", `{"maintenance":{"until":5}}`, "maintenance.until"},
		{"mode name", `{"games":{"defaultMode":"Classic!"}}`, "games.defaultMode"},
		{"rate zero", `{"rateLimits":{"user":0}}`, "rateLimits.user"},
		{"rate fraction", `{"rateLimits":{"auth":1.5}}`, "rateLimits.auth"},
		{"rate too high", `{"rateLimits":{"anonymous":1000001}}`, "rateLimits.anonymous"},
		{"feature not bool", `{"features":{"referrals":1}}`, "features.referrals"},
		{"registration", `{"registration":{"open":null,"closed":true}}`, "registration.closed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, _, err := settings.Merge(defaults(), []byte(`{}`), []byte(tc.patch))
			fe, ok := settings.AsFieldError(err)
			require.True(t, ok, "a field error: %v", err)
			require.Equal(t, tc.field, fe.Field, fe.Message)
		})
	}
}

// TestMerge_MergePatch: a patch merges section by section, null removes
// an override (the default comes back), and a section left empty is gone
// from the stored document.
func TestMerge_MergePatch(t *testing.T) {
	t.Parallel()
	d := defaults()
	doc, eff, err := settings.Merge(d, nil, []byte(`{"maintenance":{"enabled":true,"message":"Back soon","until":"2026-12-24T10:00:00Z"},"rateLimits":{"user":50}}`))
	require.NoError(t, err)
	require.True(t, eff.Maintenance.Enabled)
	require.Equal(t, "Back soon", eff.Maintenance.Message)
	require.Equal(t, time.Date(2026, 12, 24, 10, 0, 0, 0, time.UTC), eff.Maintenance.Until.UTC())
	require.Equal(t, settings.RateLimits{Anonymous: 10, User: 50, Auth: 5}, eff.RateLimits, "untouched limits keep their defaults")
	require.Equal(t, d.Features, eff.Features)

	doc, eff, err = settings.Merge(d, doc, []byte(`{"maintenance":{"enabled":false,"until":null},"rateLimits":{"user":null}}`))
	require.NoError(t, err)
	require.False(t, eff.Maintenance.Enabled)
	require.Equal(t, "Back soon", eff.Maintenance.Message, "a field the patch does not name stays")
	require.Nil(t, eff.Maintenance.Until)
	require.Equal(t, d.RateLimits, eff.RateLimits)
	require.JSONEq(t, `{"maintenance":{"enabled":false,"message":"Back soon"}}`, string(doc))

	_, eff, err = settings.Merge(d, doc, []byte(`{"maintenance":null}`))
	require.NoError(t, err)
	require.True(t, eff.Equal(d), "removing every override gives the defaults")
	require.Nil(t, d.Maintenance.Until, "the defaults are never written through")
}

// TestEffective_RejectsBadStoredDocument: a document edited by hand into
// something invalid is refused, so a holder keeps what it had.
func TestEffective_RejectsBadStoredDocument(t *testing.T) {
	t.Parallel()
	_, err := settings.Effective(defaults(), []byte(`{"rateLimits":{"user":-1}}`))
	fe, ok := settings.AsFieldError(err)
	require.True(t, ok)
	require.Equal(t, "rateLimits.user", fe.Field)
	eff, err := settings.Effective(defaults(), []byte(`{}`))
	require.NoError(t, err)
	require.True(t, eff.Equal(defaults()))
}
