package openapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/proofstell/proofstell/docs"
)

// Document is a loaded OpenAPI document with its route matcher.
type Document struct {
	spec   *openapi3.T
	router routers.Router
}

// Operation is one documented method and path, e.g. GET
// /api/v1/leaderboards/{board}.
type Operation struct {
	Method string
	Path   string
	// Public is true when the operation needs no token (security: []).
	Public bool
}

// String renders the operation as "GET /path".
func (o Operation) String() string { return o.Method + " " + o.Path }

// errorCodesKey is the extension listing the error codes an operation can
// answer.
const errorCodesKey = "x-error-codes"

// embedded is docs.OpenAPI, loaded once.
var embedded struct {
	once sync.Once
	doc  *Document
	err  error
}

// Embedded returns docs/openapi.yaml, loaded once per process under the
// first caller's ctx (the document is in memory: ctx only bounds the check).
func Embedded(ctx context.Context) (*Document, error) {
	embedded.once.Do(func() { embedded.doc, embedded.err = Load(ctx, docs.OpenAPI) })
	return embedded.doc, embedded.err
}

// Load parses an OpenAPI 3.1 YAML document and checks it under ctx. The
// error lists every problem found.
func Load(ctx context.Context, yamlDoc []byte) (*Document, error) {
	loader := openapi3.NewLoader()
	spec, err := loader.LoadFromData(yamlDoc)
	if err != nil {
		return nil, fmt.Errorf("parse openapi document: %w", err)
	}
	if !spec.IsOpenAPI31OrLater() {
		return nil, fmt.Errorf("openapi document: version %q, want 3.1", spec.OpenAPI)
	}
	if err := spec.Validate(ctx); err != nil {
		return nil, fmt.Errorf("openapi document: %w", err)
	}
	if err := checkOperations(spec); err != nil {
		return nil, err
	}
	registerDecoders()
	router, err := legacy.NewRouter(spec)
	if err != nil {
		return nil, fmt.Errorf("openapi document routes: %w", err)
	}
	return &Document{spec: spec, router: router}, nil
}

// checkOperations requires an operationId and a valid x-error-codes list
// on every operation.
func checkOperations(spec *openapi3.T) error {
	var errs []error
	for path, item := range spec.Paths.Map() {
		for method, op := range item.Operations() {
			name := method + " " + path
			if op.OperationID == "" {
				errs = append(errs, fmt.Errorf("%s: no operationId", name))
			}
			if _, err := errorCodes(op); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", name, err))
			}
		}
	}
	return errors.Join(errs...)
}

// errorCodes reads an operation's x-error-codes, each of which must be a
// code of the Error schema.
func errorCodes(op *openapi3.Operation) ([]string, error) {
	raw, ok := op.Extensions[errorCodesKey].([]any)
	if !ok {
		return nil, fmt.Errorf("%s is missing or not a list", errorCodesKey)
	}
	codes := make([]string, 0, len(raw))
	for _, c := range raw {
		s, ok := c.(string)
		if !ok || !slices.Contains(KnownCodes, s) {
			return nil, fmt.Errorf("%s: %v is not a known error code", errorCodesKey, c)
		}
		codes = append(codes, s)
	}
	return codes, nil
}

// Operations returns every documented operation, sorted by path and method.
func (d *Document) Operations() []Operation {
	var out []Operation
	for path, item := range d.spec.Paths.Map() {
		for method, op := range item.Operations() {
			security := d.spec.Security
			if op.Security != nil {
				security = *op.Security
			}
			out = append(out, Operation{Method: strings.ToUpper(method), Path: path, Public: len(security) == 0})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Method < out[j].Method
	})
	return out
}

// KnownCodes are the error codes of gateway/rest (errors.go, accounts.go,
// wallets.go, periods.go); the Error schema's enum must list the same.
var KnownCodes = []string{
	"bad_request", "validation_failed", "unauthorized", "token_reused", "token_revoked",
	"account_banned", "forbidden", "not_found", "not_ranked", "method_not_allowed", "conflict",
	"payload_too_large", "unsupported_media_type", "rate_limited", "unavailable", "internal",
	"invalid_credentials", "account_locked", "username_taken", "already_registered", "weak_password",
	"invalid_token", "token_expired", "bad_address", "challenge_expired", "invalid_signature",
	"account_not_deployed", "wallet_taken", "chain_unavailable", "period_not_frozen", "unknown_mode", "board_not_found",
	"invalid_referral_code", "unknown_event", "invalid_event",
	"maintenance", "registration_closed", "precondition_failed",
}

// statusNotRouted are the answers of a request the router does not route.
var statusNotRouted = map[int]string{http.StatusNotFound: "not_found", http.StatusMethodNotAllowed: "method_not_allowed"}
