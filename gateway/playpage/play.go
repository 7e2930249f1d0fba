// Package playpage serves the play page, the node's own browser client: GET
// /play answers the page and /play/assets/… its script and stylesheet. They
// are built from src/ (TypeScript over the SDK's sources, bundled by
// esbuild: `make play`) into dist/, which is committed and embedded here, so
// a plain `go build` serves the page and `make run` needs no npm step.
//
// The page is same-origin with the API and the realtime gateway, so its
// Content-Security-Policy widens the API's default-src 'none' only to the
// node's own origin: its script, its stylesheet, fetch and WebSocket
// ('self' covers ws: and wss: on the same host), and data: images (the
// empty favicon). Nothing is loaded from elsewhere.
package playpage

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"path"
	"strings"
	"time"
)

// Path is where the page is served; its assets are under Path+"/assets/".
const Path = "/play"

// ContentSecurityPolicy is the policy of every /play response.
const ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; " +
	"connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

//go:embed dist
var dist embed.FS

// Manifest is dist/manifest.json, written by build.mjs: each output's path
// under dist/ and its SHA-256 (hex).
type Manifest struct {
	Outputs map[string]string `json:"outputs"`
}

// file is one output, ready to serve.
type file struct {
	body        []byte
	contentType string
	etag        string
}

// Handler serves the page and its assets; build it with New.
type Handler struct {
	files map[string]file // by path under dist/
}

// New loads the embedded build output named by its manifest.
func New() (*Handler, error) {
	m, err := ReadManifest()
	if err != nil {
		return nil, err
	}
	h := &Handler{files: make(map[string]file, len(m.Outputs))}
	for name, sum := range m.Outputs {
		body, err := dist.ReadFile("dist/" + name)
		if err != nil {
			return nil, fmt.Errorf("play page output %s: %w", name, err)
		}
		h.files[name] = file{body: body, contentType: contentType(name), etag: `"` + sum[:min(len(sum), 32)] + `"`}
	}
	if _, ok := h.files["index.html"]; !ok {
		return nil, fmt.Errorf("play page: the manifest names no index.html")
	}
	return h, nil
}

// ReadManifest reads the embedded dist/manifest.json.
func ReadManifest() (Manifest, error) {
	var m Manifest
	raw, err := dist.ReadFile("dist/manifest.json")
	if err != nil {
		return m, fmt.Errorf("play page manifest: %w", err)
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return m, fmt.Errorf("decode play page manifest: %w", err)
	}
	return m, nil
}

// contentTypes are the outputs' types, fixed here rather than read from the
// host's mime.types (nosniff makes browsers trust them).
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".json": "application/json",
}

func contentType(name string) string {
	if t, ok := contentTypes[path.Ext(name)]; ok {
		return t
	}
	return "application/octet-stream"
}

// ServeHTTP answers GET and HEAD of Path (and Path+"/") with the page and
// of Path+"/assets/<name>" with an asset; anything else under Path is 404.
// Responses revalidate by ETag: the files change with the binary.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Security-Policy", ContentSecurityPolicy)
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	f, ok := h.files[h.name(r.URL.Path)]
	if !ok {
		http.NotFound(w, r)
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", f.contentType)
	hdr.Set("Cache-Control", "no-cache")
	hdr.Set("ETag", f.etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.body))
}

// name maps a request path to an output's path under dist/, or "".
func (h *Handler) name(p string) string {
	switch {
	case p == Path || p == Path+"/":
		return "index.html"
	case strings.HasPrefix(p, Path+"/assets/"):
		return strings.TrimPrefix(p, Path+"/")
	}
	return ""
}
