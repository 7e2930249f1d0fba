package notifications_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/notifications"
)

// The texts the worker writes are the ones migration 026 seeds in English,
// and Spanish has every one of them: a text added in code without its
// translations fails here.
func TestTexts_SeededInEnglishAndSpanish(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cat, err := e.store.TranslationCatalogue(t.Context())
	require.NoError(t, err)
	seeded := map[string]map[string]string{"en": {}, "es": {}}
	for _, tr := range cat.Translations {
		if tr.Namespace == notifications.TextNamespace && !strings.HasPrefix(tr.Key, "mail.") {
			if m, ok := seeded[tr.Language]; ok {
				m[tr.Key] = tr.Text
			}
		}
	}
	require.Equal(t, notifications.Texts(), seeded["en"])
	require.Len(t, seeded["es"], len(notifications.Texts()))
	for k := range notifications.Texts() {
		require.Contains(t, seeded["es"], k)
	}
}
