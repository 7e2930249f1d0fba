package openapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// Exchange is one request and the response it got, both bodies read.
type Exchange struct {
	Request      *http.Request
	RequestBody  []byte
	Status       int
	Header       http.Header
	ResponseBody []byte
}

// Check validates x against the document and names the route in its error:
//
//   - a request the document does not route must have been answered 404
//     not_found or 405 method_not_allowed;
//   - a request the document refuses (parameters, body, missing bearer
//     token) must have been refused by the server too (4xx): end-to-end
//     tests send bad requests on purpose, but the server accepting one
//     means the document is wrong;
//   - the response's status must be documented for the operation and its
//     headers and body must match; an error's code must be one of the
//     operation's x-error-codes.
func (d *Document) Check(ctx context.Context, x Exchange) error {
	name := x.Request.Method + " " + x.Request.URL.Path
	req := withBody(ctx, x.Request, x.RequestBody)
	route, params, err := d.router.FindRoute(req)
	if err != nil {
		if code, ok := statusNotRouted[x.Status]; ok && errorCode(x) == code {
			return nil
		}
		return fmt.Errorf("%s: not in docs/openapi.yaml (%w) but the server answered %d", name, err, x.Status)
	}
	name = x.Request.Method + " " + route.Path
	opts := &openapi3filter.Options{AuthenticationFunc: bearerPresent, SkipSettingDefaults: true, MultiError: true}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
	if err := openapi3filter.ValidateRequest(ctx, in); err != nil && x.Status < http.StatusBadRequest {
		return fmt.Errorf("%s: the server answered %d to a request docs/openapi.yaml refuses: %w", name, x.Status, err)
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: x.Status, Header: x.Header,
		Body:    io.NopCloser(bytes.NewReader(x.ResponseBody)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}}
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		return fmt.Errorf("%s: response %d does not match docs/openapi.yaml: %w\nbody: %s", name, x.Status, err, clip(x.ResponseBody))
	}
	return checkErrorCode(name, route.Operation, x)
}

// withBody clones r with a fresh reader over body, as the validator reads it.
func withBody(ctx context.Context, r *http.Request, body []byte) *http.Request {
	c := r.Clone(ctx)
	c.Body = io.NopCloser(bytes.NewReader(body))
	c.ContentLength = int64(len(body))
	return c
}

// checkErrorCode requires an error answer's code among the operation's
// x-error-codes.
func checkErrorCode(name string, op *openapi3.Operation, x Exchange) error {
	if x.Status < http.StatusBadRequest {
		return nil
	}
	code := errorCode(x)
	codes, err := errorCodes(op)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if !slices.Contains(codes, code) {
		return fmt.Errorf("%s: answered %d %q, which is not in its %s %v", name, x.Status, code, errorCodesKey, codes)
	}
	return nil
}

// errorCode is the code of an error body, or "" when the body is not one.
func errorCode(x Exchange) string {
	var body struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	if json.Unmarshal(x.ResponseBody, &body) != nil {
		return ""
	}
	return body.Error.Code
}

// bearerPresent admits a request to a bearerAuth operation when it carries
// a bearer token; whether the token is valid is the server's business (the
// response says so, and is checked).
func bearerPresent(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	scheme := in.SecurityScheme
	if scheme == nil || scheme.Type != "http" || !strings.EqualFold(scheme.Scheme, "bearer") {
		return fmt.Errorf("security scheme %s is not http bearer", in.SecuritySchemeName)
	}
	kind, token, _ := strings.Cut(in.RequestValidationInput.Request.Header.Get("Authorization"), " ")
	if !strings.EqualFold(kind, "Bearer") || strings.TrimSpace(token) == "" {
		return errors.New("no bearer token")
	}
	return nil
}

// registerDecoders teaches the validator the non-JSON bodies of the API:
// images and the docs page are opaque, checked by content type only.
var registerDecoders = sync.OnceFunc(func() {
	for _, t := range []string{"image/png", "image/jpeg", "image/gif", "image/webp", "text/html"} {
		openapi3filter.RegisterBodyDecoder(t, openapi3filter.FileBodyDecoder)
	}
})

// clip shortens a body for an error message.
func clip(b []byte) string {
	const most = 512
	if mt, _, _ := mime.ParseMediaType(http.DetectContentType(b)); !strings.HasPrefix(mt, "text/") {
		return fmt.Sprintf("(%d bytes of %s)", len(b), mt)
	}
	if len(b) > most {
		return string(b[:most]) + "…"
	}
	return string(b)
}
