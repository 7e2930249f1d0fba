package restbench

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestNewBaseline(t *testing.T) {
	t.Parallel()
	body := []byte(`{"entries":[]}`)
	srv := httptest.NewServer(NewBaseline(body))
	t.Cleanup(srv.Close)
	tests := []struct {
		method, path string
		wantStatus   int
		wantBody     string
	}{
		{method: http.MethodGet, path: "/api/v1/leaderboards/global?limit=100", wantStatus: http.StatusOK, wantBody: string(body)},
		{method: http.MethodGet, path: "/api/v1/leaderboards/daily", wantStatus: http.StatusOK, wantBody: string(body)},
		{method: http.MethodPost, path: "/api/v1/leaderboards/global", wantStatus: http.StatusMethodNotAllowed},
		{method: http.MethodGet, path: "/api/v1/other", wantStatus: http.StatusNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			t.Parallel()
			req, err := http.NewRequestWithContext(t.Context(), tc.method, srv.URL+tc.path, nil)
			require.NoError(t, err)
			resp, err := srv.Client().Do(req)
			require.NoError(t, err)
			defer func() { _ = resp.Body.Close() }()
			got, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			require.Equal(t, tc.wantStatus, resp.StatusCode)
			if tc.wantBody != "" {
				require.Equal(t, tc.wantBody, string(got))
				require.Equal(t, "application/json", resp.Header.Get("Content-Type"))
			}
		})
	}
}
