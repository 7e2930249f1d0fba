package wsclient

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"
)

// authServer answers guest sign-in with a canned status and body, and checks
// the request shape.
func authServer(t testing.TB, status int, body string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		var req map[string]string
		if r.Method != http.MethodPost || r.URL.Path != "/api/v1/auth/guest" ||
			r.Header.Get("Content-Type") != "application/json" ||
			json.Unmarshal(raw, &req) != nil || len(req["deviceId"]) < 8 {
			http.Error(w, `{"error":{"code":"bad_request"}}`, http.StatusBadRequest)
			return
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestGuestLogin(t *testing.T) {
	t.Parallel()
	okBody := `{"accessToken":"a","refreshToken":"r","expiresIn":900,"player":{"id":"p1","username":"guest-1"}}`
	tests := []struct {
		name     string
		status   int
		body     string
		device   string
		wantErr  string
		wantUser string
	}{
		{name: "ok", status: 200, body: okBody, device: "device-0001", wantUser: "guest-1"},
		{name: "api error code", status: 429, body: `{"error":{"code":"rate_limited"}}`, device: "device-0001", wantErr: "status 429: rate_limited"},
		{name: "short device refused", status: 200, body: okBody, device: "short", wantErr: "status 400: bad_request"},
		{name: "garbage error body", status: 500, body: `oops`, device: "device-0001", wantErr: "unrecognized error body"},
		{name: "no token", status: 200, body: `{}`, device: "device-0001", wantErr: "no access token"},
		{name: "bad json", status: 200, body: `{`, device: "device-0001", wantErr: "decode guest sign-in"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			base := authServer(t, tc.status, tc.body)
			login, err := GuestLogin(context.Background(), base+"/", tc.device)
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, "a", login.AccessToken)
			require.Equal(t, int64(900), login.ExpiresIn)
			require.Equal(t, tc.wantUser, login.Player.Username)
		})
	}
}
