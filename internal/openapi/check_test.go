package openapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// exchange builds an Exchange of method path (with an optional bearer token
// and JSON body) answered status with a JSON body.
func exchange(method, path, token, reqBody string, status int, respBody string) Exchange {
	r := httptest.NewRequest(method, "http://node"+path, strings.NewReader(reqBody))
	if reqBody != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	h := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
	return Exchange{Request: r, RequestBody: []byte(reqBody), Status: status, Header: h, ResponseBody: []byte(respBody)}
}

const errorBody = `{"error":{"code":"%s","message":"m","details":{},"requestId":"r"}}`

func errorOf(code string) string { return strings.Replace(errorBody, "%s", code, 1) }

// Check passes exchanges the document describes, and names the route when
// it refuses one: the check bites.
func TestDocument_Check(t *testing.T) {
	t.Parallel()
	doc, err := Embedded(t.Context())
	require.NoError(t, err)
	tests := []struct {
		name    string
		x       Exchange
		refusal string // "" when the exchange matches
	}{
		{"documented answer", exchange("GET", "/api/v1/health/live", "", "", 200, `{"status":"ok"}`), ""},
		{"wrong body", exchange("GET", "/api/v1/health/live", "", "", 200, `{"status":"fine"}`),
			"GET /api/v1/health/live: response 200 does not match"},
		{"missing required field", exchange("GET", "/api/v1/players/me", "t", "", 200, `{"id":"x"}`),
			"GET /api/v1/players/me: response 200 does not match"},
		{"undocumented status", exchange("GET", "/api/v1/health/live", "", "", 201, `{"status":"ok"}`),
			"GET /api/v1/health/live: response 201 does not match"},
		{"error code the route does not list", exchange("GET", "/api/v1/badges/x", "", "", 404, errorOf("not_ranked")),
			`GET /api/v1/badges/{id}: answered 404 "not_ranked", which is not in its x-error-codes`},
		{"error not in the error shape", exchange("GET", "/api/v1/badges/x", "", "", 404, `{"error":"nope"}`),
			"GET /api/v1/badges/{id}: response 404 does not match"},
		{"undocumented route answered", exchange("GET", "/api/v1/nowhere", "", "", 200, `{}`),
			"GET /api/v1/nowhere: not in docs/openapi.yaml"},
		{"undocumented route refused", exchange("GET", "/api/v1/nowhere", "", "", 404, errorOf("not_found")), ""},
		{"bad request refused", exchange("POST", "/api/v1/auth/guest", "", `{}`, 422, errorOf("validation_failed")), ""},
		{"bad request accepted", exchange("POST", "/api/v1/auth/guest", "", `{}`, 200,
			`{"accessToken":"a","refreshToken":"r","expiresIn":900,"player":{"id":"4a0e8a52-3a4b-4bb7-9b6e-0a8f5f6f9a11","username":"u"}}`),
			"POST /api/v1/auth/guest: the server answered 200 to a request docs/openapi.yaml refuses"},
		{"no token but served", exchange("GET", "/api/v1/players/me/badges", "", "", 200, `{"earned":[]}`),
			"GET /api/v1/players/me/badges: the server answered 200"},
		{"static path before parameter", exchange("GET", "/api/v1/players/me/badges", "t", "", 200, `{"earned":[]}`), ""},
		{"null where the document allows it", exchange("GET", "/api/v1/leaderboards/daily/periods/2026-11-24/proof?playerId=4a0e8a52-3a4b-4bb7-9b6e-0a8f5f6f9a11", "", "", 200,
			`{"mode":"classic","chainBoard":"daily","leaf":"0x1","proof":[],"root":"0x2","txHash":null,"status":"pending","rank":1,"score":3,"leafVersion":1,"sessionId":null,"replayHash":null,"replayUrl":null}`), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := doc.Check(context.Background(), tc.x)
			if tc.refusal == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			require.Contains(t, err.Error(), tc.refusal)
		})
	}
}

// Load refuses a document whose operation lists an unknown error code.
func TestLoad_UnknownErrorCode(t *testing.T) {
	t.Parallel()
	_, err := Load(t.Context(), []byte(`openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /x:
    get:
      operationId: x
      x-error-codes: [no_such_code]
      responses:
        "200": {description: ok}
`))
	require.ErrorContains(t, err, "GET /x: x-error-codes: no_such_code is not a known error code")
}
