// Package apidocs serves the OpenAPI document of the REST API
// (docs/openapi.yaml) to people and tools: as JSON, converted once when the
// handler is built, and as an HTML page rendered from it on the server.
//
// The page has no script at all, so the API's Content-Security-Policy
// (default-src 'none') holds: its only addition is the hash of the page's
// one inline stylesheet, and operations fold with <details>. A vendored
// Swagger UI or Scalar bundle would need script-src, connect-src and, for
// both, inline styles or eval-free builds to audit; a server-rendered page
// needs none of that and cannot drift from the document it is built from.
package apidocs

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"

	"go.yaml.in/yaml/v3"
)

// Handler serves one document; build it with New.
type Handler struct {
	json []byte
	page []byte
	csp  string
}

// New converts yamlDoc (an OpenAPI document) to JSON and renders its page.
func New(yamlDoc []byte) (*Handler, error) {
	var doc map[string]any
	if err := yaml.Unmarshal(yamlDoc, &doc); err != nil {
		return nil, fmt.Errorf("parse openapi document: %w", err)
	}
	encoded, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("encode openapi document as json: %w", err)
	}
	page, err := render(doc)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte(stylesheet))
	csp := "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) +
		"'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
	return &Handler{json: encoded, page: page, csp: csp}, nil
}

// Document answers the document as JSON.
func (h *Handler) Document(w http.ResponseWriter, _ *http.Request) {
	write(w, "application/json; charset=utf-8", h.json)
}

// Page answers the HTML page. Its Content-Security-Policy is the API's with
// the hash of the page's stylesheet added.
func (h *Handler) Page(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Security-Policy", h.csp)
	write(w, "text/html; charset=utf-8", h.page)
}

// write answers 200 with body, cacheable by revalidation only: the document
// changes with the binary.
func write(w http.ResponseWriter, contentType string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	_, _ = bytes.NewReader(body).WriteTo(w)
}
