package openapi

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// Transport is an http.RoundTripper that checks every exchange with a
// documented path (under /api/ and /metrics; the realtime gateways have
// docs/asyncapi.yaml) against Doc and reports each mismatch. The caller
// sees the response unchanged.
type Transport struct {
	Doc *Document
	// Base makes the requests; nil means http.DefaultTransport.
	Base http.RoundTripper
	// Report receives every mismatch (e.g. a test's Errorf).
	Report func(error)
}

// RoundTrip sends req and checks the exchange.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	reqBody, err := drain(&req.Body)
	if err != nil {
		return nil, fmt.Errorf("read request body: %w", err)
	}
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	resp, err := base.RoundTrip(req)
	if err != nil || !documented(req.URL.Path) {
		return resp, err //nolint:wrapcheck // a transport passes its base's errors through
	}
	respBody, err := drain(&resp.Body)
	if err != nil {
		return nil, fmt.Errorf("read response body: %w", err)
	}
	x := Exchange{Request: req, RequestBody: reqBody, Status: resp.StatusCode, Header: resp.Header, ResponseBody: respBody}
	if err := t.Doc.Check(req.Context(), x); err != nil {
		t.Report(err)
	}
	return resp, nil
}

// drain reads *body and replaces it with a reader over what it read.
func drain(body *io.ReadCloser) ([]byte, error) {
	if *body == nil || *body == http.NoBody {
		return nil, nil
	}
	data, err := io.ReadAll(*body)
	_ = (*body).Close()
	*body = io.NopCloser(bytes.NewReader(data))
	return data, err
}

// documented reports the paths docs/openapi.yaml describes.
func documented(path string) bool {
	return strings.HasPrefix(path, "/api/") || path == "/metrics"
}

// NewClient returns an HTTP client whose every exchange with a documented
// path is checked against docs/openapi.yaml; a mismatch fails t with a
// message naming the route.
func NewClient(t testing.TB) *http.Client {
	t.Helper()
	doc, err := Embedded(t.Context())
	if err != nil {
		t.Fatalf("load docs/openapi.yaml: %v", err)
	}
	return &http.Client{Transport: &Transport{Doc: doc, Report: func(err error) {
		t.Errorf("openapi: %v", err)
	}}}
}
