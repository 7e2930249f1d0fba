package i18n_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/gateway/i18n"
)

func testCatalogue() *i18n.Catalogue {
	return i18n.New("en", []i18n.Language{
		{Code: "es", Name: "Español", Active: true},
		{Code: "en", Name: "English", Active: true, Default: true},
		{Code: "fr", Name: "Français", Active: false},
		{Code: "pt-BR", Name: "Português", Active: true},
	}, []i18n.Entry{
		{Namespace: "errors", Key: "not_found", Language: "en", Text: "not found"},
		{Namespace: "errors", Key: "conflict", Language: "en", Text: "conflict"},
		{Namespace: "badges", Key: "a.name", Language: "en", Text: "A"},
		{Namespace: "errors", Key: "not_found", Language: "es", Text: "no encontrado"},
		{Namespace: "errors", Key: "not_found", Language: "fr", Text: "introuvable"},
	})
}

func TestCatalogue_Negotiate(t *testing.T) {
	t.Parallel()
	c := testCatalogue()
	cases := []struct {
		name, query, accept, want string
	}{
		{"nothing asked", "", "", "en"},
		{"query exact", "es", "", "es"},
		{"query wins over header", "es", "en", "es"},
		{"query region finds base", "es-MX", "", "es"},
		{"query case-insensitive", "ES", "", "es"},
		{"query unknown falls to header", "ja", "es", "es"},
		{"query malformed falls to header", "!!", "es-AR,en;q=0.5", "es"},
		{"header order by quality", "", "en;q=0.2, es;q=0.9", "es"},
		{"header unknown then known", "", "ja, es;q=0.5", "es"},
		{"header region", "", "pt-PT", "pt-BR"},
		{"inactive language not negotiated", "fr", "", "en"},
		{"inactive in header", "", "fr", "en"},
		{"unknown everywhere", "de", "ja", "en"},
		{"malformed header", "", ";;;q=x", "en"},
		{"wildcard", "", "*", "en"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, c.Negotiate(tc.query, tc.accept))
		})
	}
}

func TestCatalogue_Localize(t *testing.T) {
	t.Parallel()
	c := testCatalogue()
	require.Equal(t, "no encontrado", c.Localize("es", "errors", "not_found", "missing thing"))
	require.Equal(t, "missing thing", c.Localize("en", "errors", "not_found", "missing thing"), "default speaks the source")
	require.Equal(t, "conflict!", c.Localize("es", "errors", "conflict", "conflict!"), "no translation: source")
	require.Equal(t, "x", c.Localize("", "errors", "not_found", "x"))
	// With Spanish the default, a French client reads Spanish, an English
	// one the source.
	es := i18n.New("en", []i18n.Language{{Code: "en", Active: true}, {Code: "es", Active: true, Default: true},
		{Code: "fr", Active: true}}, []i18n.Entry{{Namespace: "errors", Key: "not_found", Language: "es", Text: "no encontrado"}})
	require.Equal(t, "no encontrado", es.Localize("fr", "errors", "not_found", "missing"))
	require.Equal(t, "missing", es.Localize("en", "errors", "not_found", "missing"))
	require.Equal(t, "es", es.Negotiate("", ""))
	var none *i18n.Catalogue
	require.Equal(t, "x", none.Localize("es", "errors", "not_found", "x"))
	require.Equal(t, "", none.Negotiate("es", "es"))
}

func TestCatalogue_MissingAndTexts(t *testing.T) {
	t.Parallel()
	c := testCatalogue()
	require.Equal(t, []i18n.Entry{
		{Namespace: "badges", Key: "a.name", Language: "en", Text: "A"},
		{Namespace: "errors", Key: "conflict", Language: "en", Text: "conflict"},
	}, c.Missing("es", ""))
	require.Equal(t, []i18n.Entry{{Namespace: "errors", Key: "conflict", Language: "en", Text: "conflict"}},
		c.Missing("es", "errors"))
	require.Empty(t, c.Missing("en", ""))
	require.Equal(t, map[string]map[string]string{"errors": {"not_found": "no encontrado"}}, c.Texts("es", ""))
	require.Empty(t, c.Texts("es", "badges"))
	require.Equal(t, "en", c.Default())
	l, ok := c.Language("fr")
	require.True(t, ok)
	require.False(t, l.Active)
}

func TestCanonical(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"en": "en", "ES-mx": "es-MX", "pt-br": "pt-BR", "zh-hant": "zh-Hant"} {
		got, err := i18n.Canonical(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got)
	}
	for _, bad := range []string{"", "e", "!!", "english-language-code-that-is-long", "en_US_x", "x-private"} {
		_, err := i18n.Canonical(bad)
		require.Error(t, err, bad)
	}
}
