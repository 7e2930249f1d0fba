package rest

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/proofstell/proofstell/analytics"
	"github.com/proofstell/proofstell/persistence"
)

// Codes of POST /analytics/events refusals.
const (
	// CodeUnknownEvent: an event name is not a client event of the catalogue.
	CodeUnknownEvent = "unknown_event"
	// CodeInvalidEvent: an event's properties or key do not fit its schema.
	CodeInvalidEvent = "invalid_event"
)

// AnalyticsDeps serve the client events endpoint. A nil Store (analytics
// off on this node) validates events and drops them: clients need not
// know whether a node sends analytics.
type AnalyticsDeps struct {
	Store persistence.AnalyticsStore
	// Enabled is the runtime switch (settings features.analytics): while
	// it reports false events are validated and dropped, as with a nil
	// Store. nil is always on.
	Enabled func() bool
	// PerMinute is each player's budget of events per minute (the
	// rate limiter's window is a minute here); MaxEvents the most events
	// in one request.
	PerMinute int
	MaxEvents int
}

func (a *api) analyticsRoutes(authed chi.Router) {
	authed.Post("/analytics/events", a.handle(a.clientEvents))
}

// clientEventsResponse is the answer of POST /analytics/events.
type clientEventsResponse struct {
	// Accepted counts the events queued now; Duplicates those whose key
	// this player already sent (a retry), queued before.
	Accepted   int `json:"accepted"`
	Duplicates int `json:"duplicates"`
}

// clientEvents validates a player's events against the catalogue, spends
// their rate budget and queues them for the analytics workers.
func (a *api) clientEvents(w http.ResponseWriter, r *http.Request) error {
	deps := a.Analytics
	events, err := decodeClientEvents(r.Body, max(deps.MaxEvents, 1))
	if err != nil {
		return err
	}
	if deps.Store == nil || (deps.Enabled != nil && !deps.Enabled()) {
		writeJSON(w, http.StatusAccepted, clientEventsResponse{})
		return nil
	}
	player := playerID(r)
	if ok, retry := a.allowEvents(r, player, len(events)); !ok {
		writeRateLimited(w, r, a.logger, retry)
		return nil
	}
	now := a.now().UTC()
	for i := range events {
		events[i].PlayerID, events[i].At = player, now
		if events[i].Key == "" {
			events[i].Key = uuid.NewString()
		}
	}
	n, err := deps.Store.QueueClientEvents(r.Context(), events)
	if err != nil {
		return fmt.Errorf("analytics events: %w", err)
	}
	writeJSON(w, http.StatusAccepted, clientEventsResponse{Accepted: n, Duplicates: len(events) - n})
	return nil
}

// allowEvents spends n events of the player's per-minute budget (one
// limiter call per event, up to the first refusal).
func (a *api) allowEvents(r *http.Request, player string, n int) (bool, time.Duration) {
	if a.limiter == nil {
		return true, 0
	}
	for range n {
		ok, retry, err := a.limiter.Allow(r.Context(), "analytics:"+player, a.Analytics.PerMinute, time.Minute)
		if err != nil {
			a.metrics.limiterFailures.Inc()
			return true, 0 // fail open, as the route budgets do
		}
		if !ok {
			return false, retry
		}
	}
	return true, 0
}

// eventError maps a catalogue refusal to its answer.
func eventError(i int, err error) *apiError {
	field := fmt.Sprintf("events[%d]", i)
	code := CodeInvalidEvent
	if errors.Is(err, analytics.ErrUnknownEvent) {
		code = CodeUnknownEvent
	}
	return &apiError{Status: http.StatusBadRequest, Code: code, Message: err.Error(), Details: map[string]any{"field": field}}
}
