package rest

import (
	"context"
	"log/slog"
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
	Status string               `json:"status"`
	Checks map[string]checkJSON `json:"checks"`
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
	body := readyResponse{Status: statusOK, Checks: make(map[string]checkJSON, len(results))}
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
