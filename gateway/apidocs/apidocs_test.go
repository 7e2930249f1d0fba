package apidocs

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/docs"
)

func newHandler(t *testing.T) *Handler {
	t.Helper()
	h, err := New(docs.OpenAPI)
	require.NoError(t, err)
	return h
}

// The JSON is the YAML document, converted.
func TestHandler_Document(t *testing.T) {
	t.Parallel()
	rec := httptest.NewRecorder()
	newHandler(t).Document(rec, httptest.NewRequest(http.MethodGet, "/api/docs/openapi.json", nil))
	require.Equal(t, http.StatusOK, rec.Code)
	require.Equal(t, "application/json; charset=utf-8", rec.Header().Get("Content-Type"))
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &doc))
	require.Equal(t, "3.1.0", doc.OpenAPI)
	require.Contains(t, doc.Paths, "/api/v1/auth/guest")
}

// The page lists every operation, runs no script, and its CSP admits
// exactly its one inline stylesheet.
func TestHandler_Page(t *testing.T) {
	t.Parallel()
	rec := httptest.NewRecorder()
	newHandler(t).Page(rec, httptest.NewRequest(http.MethodGet, "/api/docs", nil))
	require.Equal(t, http.StatusOK, rec.Code)
	page := rec.Body.String()
	require.NotContains(t, page, "<script")
	for _, id := range []string{"signInGuest", "leaderboardTop", "adminRevokeBadge", "schema-Error"} {
		require.Contains(t, page, `id="`+id+`"`)
	}
	style := regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindStringSubmatch(page)
	require.Len(t, style, 2, "one inline stylesheet")
	sum := sha256.Sum256([]byte(style[1]))
	csp := rec.Header().Get("Content-Security-Policy")
	require.Contains(t, csp, "default-src 'none'")
	require.Contains(t, csp, "style-src 'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
	require.NotContains(t, csp, "script-src")
	require.NotContains(t, csp, "unsafe")
}

// A document that is not YAML is refused when the handler is built.
func TestNew_Invalid(t *testing.T) {
	t.Parallel()
	_, err := New([]byte("openapi: [unclosed"))
	require.Error(t, err)
}
