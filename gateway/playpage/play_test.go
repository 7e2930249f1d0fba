package playpage

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/internal/nodetest"
)

func serve(t *testing.T, method, target string, header http.Header) *httptest.ResponseRecorder {
	t.Helper()
	h, err := New()
	require.NoError(t, err)
	req := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestHandler_ServeHTTP(t *testing.T) {
	t.Parallel()
	tests := []struct {
		method, target string
		status         int
		contentType    string
		contains       string
	}{
		{http.MethodGet, "/play", http.StatusOK, "text/html; charset=utf-8", `src="/play/assets/play.js"`},
		{http.MethodGet, "/play/", http.StatusOK, "text/html; charset=utf-8", `href="/play/assets/play.css"`},
		{http.MethodGet, "/play/assets/play.js", http.StatusOK, "text/javascript; charset=utf-8", "game:whack"},
		{http.MethodGet, "/play/assets/play.css", http.StatusOK, "text/css; charset=utf-8", "#board"},
		{http.MethodHead, "/play", http.StatusOK, "text/html; charset=utf-8", ""},
		{http.MethodGet, "/play/assets/missing.js", http.StatusNotFound, "", ""},
		{http.MethodGet, "/play/manifest.json", http.StatusNotFound, "", ""},
		{http.MethodGet, "/play/assets/../index.html", http.StatusNotFound, "", ""},
		{http.MethodPost, "/play", http.StatusMethodNotAllowed, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.target, func(t *testing.T) {
			t.Parallel()
			rec := serve(t, tt.method, tt.target, nil)
			require.Equal(t, tt.status, rec.Code)
			require.Equal(t, ContentSecurityPolicy, rec.Header().Get("Content-Security-Policy"), "every answer under /play")
			if tt.contentType != "" {
				require.Equal(t, tt.contentType, rec.Header().Get("Content-Type"))
				require.NotEmpty(t, rec.Header().Get("ETag"))
			}
			require.True(t, strings.Contains(rec.Body.String(), tt.contains), "the body has %q", tt.contains)
		})
	}
}

// A browser revalidating with the ETag it has gets 304 without a body.
func TestHandler_ServeHTTPRevalidates(t *testing.T) {
	t.Parallel()
	etag := serve(t, http.MethodGet, "/play/assets/play.js", nil).Header().Get("ETag")
	rec := serve(t, http.MethodGet, "/play/assets/play.js", http.Header{"If-None-Match": {etag}})
	require.Equal(t, http.StatusNotModified, rec.Code)
	require.Empty(t, rec.Body.Bytes())
}

// The page and its stylesheet name nothing outside the node's origin (the
// CSP would block it anyway; this says where).
func TestPage_NoExternalReferences(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"dist/index.html", "dist/assets/play.css"} {
		body, err := dist.ReadFile(name)
		require.NoError(t, err)
		for _, ref := range []string{"http://", "https://", "//"} {
			require.NotContains(t, strings.ReplaceAll(string(body), "data:,", ""), "=\""+ref, name)
			require.NotContains(t, string(body), "url("+ref, name)
		}
	}
}

// The embedded files are exactly the manifest's, with its hashes: dist/ was
// written by build.mjs, not edited by hand.
func TestManifest_MatchesEmbeddedFiles(t *testing.T) {
	t.Parallel()
	m, err := ReadManifest()
	require.NoError(t, err)
	embedded := map[string]string{}
	err = fs.WalkDir(dist, "dist", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || p == "dist/manifest.json" {
			return err
		}
		body, err := dist.ReadFile(p)
		sum := sha256.Sum256(body)
		embedded[strings.TrimPrefix(p, "dist/")] = hex.EncodeToString(sum[:])
		return err
	})
	require.NoError(t, err)
	require.Equal(t, m.Outputs, embedded, "gateway/playpage/dist differs from its manifest: rebuild it with `make play`")
}

// The committed dist/ is what build.mjs makes of the current sources
// (src/, the SDK's sources, the pinned esbuild): test/build.test.mjs
// rebuilds it into a temporary folder and compares byte for byte.
func TestBundle_UpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Node.js and esbuild")
	}
	dir, err := filepath.Abs(".")
	require.NoError(t, err)
	nodetest.RunIn(t, dir, nil, "test/build.test.mjs")
}
