package wsclient

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestMyStanding(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		status     int
		body       string
		want       Standing
		wantRanked bool
		wantErr    string
		mode       string
	}{
		{name: "mode", mode: "frenzy", status: 200, body: `{"rank":1,"score":9,"total":1}`, want: Standing{Rank: 1, Score: 9, Total: 1}, wantRanked: true},
		{name: "practice mode", mode: "drill", status: 404, body: `{"error":{"code":"board_not_found"}}`},
		{name: "ranked", status: 200, body: `{"rank":2,"score":17,"total":5}`, want: Standing{Rank: 2, Score: 17, Total: 5}, wantRanked: true},
		{name: "not ranked", status: 404, body: `{"error":{"code":"not_ranked"}}`},
		{name: "unknown board", status: 404, body: `{"error":{"code":"not_found"}}`, wantErr: "status 404: not_found"},
		{name: "bad json", status: 200, body: `{`, wantErr: "decode daily standing"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != "/api/v1/leaderboards/daily/me" || r.Header.Get("Authorization") != "Bearer tok" ||
					r.URL.Query().Get("mode") != tc.mode {
					http.Error(w, `{"error":{"code":"unauthorized"}}`, http.StatusUnauthorized)
					return
				}
				w.WriteHeader(tc.status)
				_, _ = io.WriteString(w, tc.body)
			}))
			t.Cleanup(srv.Close)
			got, ranked, err := MyStanding(context.Background(), srv.URL, "tok", tc.mode, "daily")
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.wantRanked, ranked)
			require.Equal(t, tc.want, got)
		})
	}
}
