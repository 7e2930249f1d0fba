package rest

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func FuzzDecodeProfilePatch(f *testing.F) {
	for _, s := range []string{`{"username":"mole_1"}`, `{"displayName":"x"}`, `{"role":"admin"}`, `{}`, `null`, `{"username":null}`, `[`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		u, err := decodeProfilePatch(strings.NewReader(body))
		if err != nil {
			requireClientError(t, err)
			return
		}
		require.True(t, u.Username != nil || u.DisplayName != nil)
		if u.Username != nil {
			require.Regexp(t, `^[A-Za-z0-9_]{3,30}$`, *u.Username)
		}
	})
}

func FuzzDecodeAdminPatch(f *testing.F) {
	for _, s := range []string{`{"role":"admin"}`, `{"banned":true}`, `{"role":"root"}`, `{"banned":"yes"}`, `{}`, `{"role":"player","banned":false}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		u, err := decodeAdminPatch(strings.NewReader(body))
		if err != nil {
			requireClientError(t, err)
			return
		}
		require.True(t, u.Role != nil || u.Banned != nil)
		if u.Role != nil {
			require.True(t, u.Role.Valid())
		}
	})
}

func FuzzNormalizeAvatar(f *testing.F) {
	f.Add(testImage(f, 3, 5))
	f.Add([]byte("GIF89a"))
	f.Add([]byte("<html>"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		out, err := normalizeAvatar(raw)
		if err != nil {
			return
		}
		require.Equal(t, "image/png", httpDetect(out))
	})
}

// httpDetect sniffs a body the way the upload does.
func httpDetect(b []byte) string { return http.DetectContentType(b) }
