package rest

import (
	"context"
	"log/slog"
	"math"
	"net/http"
	"sync"
	"time"
)

// readyTimeout bounds each readiness check: an orchestrator polls often and
// a hung dependency must read as "down", not as a hung probe.
const readyTimeout = 2 * time.Second

// Health statuses on the wire.
const (
	statusOK   = "ok"
	statusDown = "down"
)

// checkJSON is one check's line in /health/ready.
type checkJSON struct {
	Status   string `json:"status"`
	Optional bool   `json:"optional,omitempty"`
}

// readyResponse is the body of /health/ready.
type readyResponse struct {
	Status   string               `json:"status"`
	Checks   map[string]checkJSON `json:"checks"`
	Pressure *pressureJSON        `json:"pressure,omitempty"`
	// Maintenance is present while maintenance mode is on. The node stays
	// ready (200): reads, sign-ins and running games still work on it, and
	// every node is in the same mode, so taking nodes out of rotation would
	// only turn the refusals into connection errors.
	Maintenance *maintenanceJSON `json:"maintenance,omitempty"`
}

// maintenanceJSON is maintenance mode in /health/ready and in the
// system:maintenance frame.
type maintenanceJSON struct {
	Enabled bool       `json:"enabled"`
	Message string     `json:"message"`
	Until   *time.Time `json:"until"`
}

// maintenance is the readiness line of maintenance mode, nil when off.
func (a *api) maintenance() *maintenanceJSON {
	s, ok := a.current()
	if !ok || !s.Maintenance.Enabled {
		return nil
	}
	return &maintenanceJSON{Enabled: true, Message: s.Maintenance.Message, Until: s.Maintenance.Until}
}

// pressureJSON is the node's admission state: Value is the largest signal
// over its limit (1: at the limit), Shedding whether it is past ShedAt,
// Limit the adaptive limit on active games (absent until first set).
type pressureJSON struct {
	Value    float64            `json:"value"`
	Shedding bool               `json:"shedding"`
	Opening  int64              `json:"opening"`
	Active   int64              `json:"active"`
	Limit    int64              `json:"limit,omitempty"`
	Signals  map[string]float64 `json:"signals"`
}

// pressure reads the admission state. A shedding node stays ready (200):
// it refuses new games at the door, cheaply and with a retry hint, while
// sign-ins, reads, resumes and running games still work on it; taking it
// out of rotation would move its whole load to its peers at their own peak
// and make it flap at the hysteresis edge. 503 stays reserved for a
// required dependency that is down.
func (a *api) pressure() *pressureJSON {
	if a.Pressure == nil {
		return nil
	}
	st := a.Pressure()
	return &pressureJSON{Value: round3(st.Pressure), Shedding: st.Shedding, Opening: st.Opening, Active: st.Active,
		Limit: st.Limit, Signals: roundAll(st.Signals)}
}

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }

func roundAll(m map[string]float64) map[string]float64 {
	out := make(map[string]float64, len(m))
	for k, v := range m {
		out[k] = round3(v)
	}
	return out
}

// live reports the process is serving; it checks nothing else on purpose,
// so a database outage never gets the node restarted.
func (a *api) live(w http.ResponseWriter, _ *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]string{"status": statusOK})
	return nil
}

// ready runs every check concurrently and is 503 when a required one fails.
// Failure causes are logged, not returned: the endpoint is public.
func (a *api) ready(w http.ResponseWriter, r *http.Request) error {
	results := a.runChecks(r.Context())
	body := readyResponse{Status: statusOK, Checks: make(map[string]checkJSON, len(results)), Pressure: a.pressure(),
		Maintenance: a.maintenance()}
	for i, hc := range a.Health {
		status := statusOK
		if results[i] != nil {
			status = statusDown
			a.logger.WarnContext(r.Context(), "readiness check failed",
				slog.String("check", hc.Name), slog.Any("error", results[i]))
			if !hc.Optional {
				body.Status = statusDown
			}
		}
		body.Checks[hc.Name] = checkJSON{Status: status, Optional: hc.Optional}
	}
	code := http.StatusOK
	if body.Status != statusOK {
		code = http.StatusServiceUnavailable
	}
	writeJSON(w, code, body)
	return nil
}

// runChecks returns each check's error, in the order of a.Health.
func (a *api) runChecks(ctx context.Context) []error {
	results := make([]error, len(a.Health))
	var wg sync.WaitGroup
	for i, hc := range a.Health {
		wg.Go(func() {
			cctx, cancel := context.WithTimeout(ctx, readyTimeout)
			defer cancel()
			results[i] = hc.Check(cctx)
		})
	}
	wg.Wait()
	return results
}
