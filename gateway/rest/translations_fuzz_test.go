package rest

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/gateway/i18n"
)

// FuzzDecodeTranslations feeds the language and translation decoders: a
// refusal is a 4xx, an accepted body has canonical codes and bounded texts.
func FuzzDecodeTranslations(f *testing.F) {
	for _, s := range []string{
		`{"code":"es-MX","name":"Español"}`, `{"code":"x","name":""}`, `{"name":"a","active":false}`,
		`{"translations":[{"language":"ES","namespace":"errors","key":"a","text":"b"}]}`,
		`{"translations":[]}`, `{"translations":[{"language":"!!"}]}`,
	} {
		f.Add(uint8(0), []byte(s))
		f.Add(uint8(1), []byte(s))
		f.Add(uint8(2), []byte(s))
	}
	f.Fuzz(func(t *testing.T, kind uint8, body []byte) {
		switch kind % 3 {
		case 0:
			l, err := decodeLanguageCreate(bytes.NewReader(body))
			if err != nil {
				requireClientError(t, err)
				return
			}
			requireCanonical(t, l.Code)
			require.True(t, boundedText(l.Name, 1, maxLanguageName))
		case 1:
			if _, err := decodeLanguagePatch(bytes.NewReader(body)); err != nil {
				requireClientError(t, err)
			}
		default:
			ts, err := decodeBulkTranslations(bytes.NewReader(body))
			if err != nil {
				requireClientError(t, err)
				return
			}
			for _, tr := range ts {
				requireCanonical(t, tr.Language)
				require.Regexp(t, namespacePattern, tr.Namespace)
				require.True(t, boundedText(tr.Text, 1, maxTranslationText))
			}
		}
	})
}

func requireCanonical(t *testing.T, code string) {
	t.Helper()
	again, err := i18n.Canonical(code)
	require.NoError(t, err)
	require.Equal(t, code, again)
}
