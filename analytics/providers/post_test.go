package providers_test

import (
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/analytics"
	"github.com/proofstell/proofstell/analytics/providers"
	"github.com/proofstell/proofstell/analytics/providers/ga4"
)

func TestRetryable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		err   error
		retry bool
		after time.Duration
	}{
		{"network", errors.New("connection refused"), true, 0},
		{"429", &providers.StatusError{Status: 429, RetryAfter: 7 * time.Second}, true, 7 * time.Second},
		{"500", &providers.StatusError{Status: 500}, true, 0},
		{"503", &providers.StatusError{Status: 503, RetryAfter: time.Second}, true, time.Second},
		{"400 is for good", &providers.StatusError{Status: 400}, false, 0},
		{"401 is for good", &providers.StatusError{Status: 401}, false, 0},
		{"413 is for good", &providers.StatusError{Status: 413}, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			retry, after := providers.Retryable(tt.err)
			require.Equal(t, tt.retry, retry)
			require.Equal(t, tt.after, after)
		})
	}
}

func TestPost_ReadsRetryAfterAndHidesTheURL(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "12")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	t.Cleanup(srv.Close)
	ev := []analytics.Event{{ID: "i", Name: "game_finished", Player: "p", Time: time.Now()}}
	err := ga4.New(ga4.Config{MeasurementID: "G-1", APISecret: "very-secret", Host: srv.URL}, srv.Client()).Send(t.Context(), ev)
	var se *providers.StatusError
	require.ErrorAs(t, err, &se)
	require.Equal(t, 12*time.Second, se.RetryAfter)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close()) // nothing listens there now
	err = ga4.New(ga4.Config{MeasurementID: "G-1", APISecret: "very-secret", Host: "http://" + addr}, http.DefaultClient).Send(t.Context(), ev)
	require.Error(t, err)
	require.NotContains(t, err.Error(), "very-secret", "a transport error never carries the URL with the API secret")
	retry, _ := providers.Retryable(err)
	require.True(t, retry)
}
