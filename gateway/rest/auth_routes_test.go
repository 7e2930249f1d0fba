package rest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestAuthRoutes_Guest(t *testing.T) {
	t.Parallel()
	h, _ := newDBHarness(t, nil)
	first := signIn(t, h, "device-guest-0001")
	require.NotEmpty(t, first.AccessToken)
	require.NotEmpty(t, first.RefreshToken)
	require.Equal(t, int64(900), first.ExpiresIn)
	require.NotEmpty(t, first.Player.ID)
	require.NotEmpty(t, first.Player.Username)

	again := signIn(t, h, "device-guest-0001")
	require.Equal(t, first.Player, again.Player)
	require.NotEqual(t, first.RefreshToken, again.RefreshToken)
	other := signIn(t, h, "device-guest-0002")
	require.NotEqual(t, first.Player.ID, other.Player.ID)

	w := h.get(t, "/api/v1/players/me", first.AccessToken)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.Equal(t, first.Player.ID, decode[profileResponse](t, w).ID)
}

func TestAuthRoutes_GuestRejects(t *testing.T) {
	t.Parallel()
	h, _ := newDBHarness(t, nil)
	tests := []struct {
		name   string
		req    request
		status int
		code   string
	}{
		{"wrong content type", request{Body: `{"deviceId":"device-0001"}`, ContentType: "text/plain"},
			http.StatusUnsupportedMediaType, CodeUnsupportedMediaType},
		{"form content type", request{Body: `deviceId=device-0001`, ContentType: "application/x-www-form-urlencoded"},
			http.StatusUnsupportedMediaType, CodeUnsupportedMediaType},
		{"no body no content type", request{}, http.StatusUnsupportedMediaType, CodeUnsupportedMediaType},
		{"unknown field", request{Body: `{"deviceId":"device-0001","role":"admin"}`}, http.StatusBadRequest, CodeBadRequest},
		{"two values", request{Body: `{"deviceId":"device-0001"}{}`}, http.StatusBadRequest, CodeBadRequest},
		{"malformed", request{Body: `{"deviceId":`}, http.StatusBadRequest, CodeBadRequest},
		{"oversize", request{Body: `{"deviceId":"` + strings.Repeat("a", 4096) + `"}`},
			http.StatusRequestEntityTooLarge, CodePayloadTooLarge},
		{"too short", request{Body: `{"deviceId":"short"}`}, http.StatusUnprocessableEntity, CodeValidationFailed},
		{"missing", request{Body: `{}`}, http.StatusUnprocessableEntity, CodeValidationFailed},
		{"control chars", request{Body: `{"deviceId":"device\n0001"}`}, http.StatusUnprocessableEntity, CodeValidationFailed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.req.Method, tc.req.Path = http.MethodPost, "/api/v1/auth/guest"
			requireError(t, h.do(t, tc.req), tc.status, tc.code)
		})
	}
	w := h.do(t, request{Method: http.MethodPost, Path: "/api/v1/auth/guest", Body: `{"deviceId":"device-0003"}`,
		ContentType: "application/json; charset=utf-8"})
	require.Equal(t, http.StatusOK, w.Code, "content type parameters are allowed")
}

func TestAuthRoutes_Refresh(t *testing.T) {
	t.Parallel()
	h, _ := newDBHarness(t, nil)
	first := signIn(t, h, "device-refresh-01")
	refresh := func(token string) *httptest.ResponseRecorder {
		return h.do(t, request{Method: http.MethodPost, Path: "/api/v1/auth/refresh",
			Body: `{"refreshToken":"` + token + `"}`})
	}

	w := refresh(first.RefreshToken)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	second := decode[tokenResponse](t, w)
	require.Equal(t, first.Player, second.Player)
	require.NotEqual(t, first.RefreshToken, second.RefreshToken)
	require.Equal(t, int64(900), second.ExpiresIn)
	require.Equal(t, http.StatusOK, h.get(t, "/api/v1/players/me", second.AccessToken).Code)

	requireError(t, refresh(first.RefreshToken), http.StatusUnauthorized, CodeTokenReused)
	w = refresh(second.RefreshToken) // the family is revoked
	require.Equal(t, http.StatusUnauthorized, w.Code, w.Body.String())

	requireError(t, refresh("unknown-token-value"), http.StatusUnauthorized, CodeUnauthorized)
	requireError(t, refresh(""), http.StatusUnprocessableEntity, CodeValidationFailed)
	requireError(t, h.do(t, request{Method: http.MethodPost, Path: "/api/v1/auth/refresh",
		Body: `{"refreshToken":"x","extra":1}`}), http.StatusBadRequest, CodeBadRequest)
	requireError(t, h.do(t, request{Method: http.MethodPost, Path: "/api/v1/auth/refresh",
		Body: `{"refreshToken":"x"}`, ContentType: "text/json"}), http.StatusUnsupportedMediaType, CodeUnsupportedMediaType)
}
