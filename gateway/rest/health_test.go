package rest

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/internal/admission"
)

func TestHealth_Live(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil, nil, nil, func(d *Deps) {
		d.Health = []HealthCheck{{Name: "postgres", Check: func(context.Context) error { return errors.New("down") }}}
	})
	w := h.get(t, "/api/v1/health/live", "")
	require.Equal(t, http.StatusOK, w.Code)
	require.JSONEq(t, `{"status":"ok"}`, w.Body.String())
}

func TestHealth_Ready(t *testing.T) {
	t.Parallel()
	store := openStore(t)
	ok := func(context.Context) error { return nil }
	fail := func(context.Context) error { return errors.New("connection refused to 10.0.0.7") }
	// hang only returns when its context ends: the check timeout must fire.
	hang := func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }
	tests := []struct {
		name     string
		checks   []HealthCheck
		status   int
		wantBody string
	}{
		{"all up", []HealthCheck{{Name: "postgres", Check: store.Ping}, {Name: "redis", Check: ok}},
			http.StatusOK, `{"status":"ok","checks":{"postgres":{"status":"ok"},"redis":{"status":"ok"}}}`},
		{"required down", []HealthCheck{{Name: "postgres", Check: store.Ping}, {Name: "redis", Check: fail}},
			http.StatusServiceUnavailable, `{"status":"down","checks":{"postgres":{"status":"ok"},"redis":{"status":"down"}}}`},
		{"optional down", []HealthCheck{{Name: "postgres", Check: ok}, {Name: "chain", Check: fail, Optional: true}},
			http.StatusOK, `{"status":"ok","checks":{"postgres":{"status":"ok"},"chain":{"status":"down","optional":true}}}`},
		{"no checks", nil, http.StatusOK, `{"status":"ok","checks":{}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, nil, nil, nil, func(d *Deps) { d.Health = tc.checks })
			w := h.get(t, "/api/v1/health/ready", "")
			require.Equal(t, tc.status, w.Code)
			require.JSONEq(t, tc.wantBody, w.Body.String())
			require.NotContains(t, w.Body.String(), "10.0.0.7")
		})
	}

	t.Run("hung check times out", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(context.Background())
		cancel() // an already-ended request context stands in for the deadline
		h := newHarness(t, nil, nil, nil, func(d *Deps) { d.Health = []HealthCheck{{Name: "cluster", Check: hang}} })
		r := httptestRequest(ctx, http.MethodGet, "/api/v1/health/ready")
		w := serve(h, r)
		require.Equal(t, http.StatusServiceUnavailable, w.Code)
	})
}

// TestHealth_ReadyReportsPressure: a shedding node reports its pressure and
// stays in rotation (200); only a required dependency down makes it 503.
func TestHealth_ReadyReportsPressure(t *testing.T) {
	t.Parallel()
	state := admission.State{Pressure: 1.23456, Shedding: true, Opening: 3, Active: 120, Limit: 108,
		Signals: map[string]float64{"opening": 0.0117, "sched_latency": 1.23456}}
	h := newHarness(t, nil, nil, nil, func(d *Deps) {
		d.Health = []HealthCheck{{Name: "postgres", Check: func(context.Context) error { return nil }}}
		d.Pressure = func() admission.State { return state }
	})
	w := h.get(t, "/api/v1/health/ready", "")
	require.Equal(t, http.StatusOK, w.Code)
	require.JSONEq(t, `{"status":"ok","checks":{"postgres":{"status":"ok"}},"pressure":{"value":1.235,"shedding":true,
		"opening":3,"active":120,"limit":108,"signals":{"opening":0.012,"sched_latency":1.235}}}`, w.Body.String())
}
