package rest

import (
	"fmt"
	"io"
	"net/http"

	"github.com/proofstell/proofstell/analytics"
	"github.com/proofstell/proofstell/persistence"
)

// clientEventsRequest is the body of POST /analytics/events.
type clientEventsRequest struct {
	Events []struct {
		Name  string         `json:"name"`
		Key   string         `json:"key"`
		Props map[string]any `json:"props"`
	} `json:"events"`
}

// decodeClientEvents reads 1..maxEvents events, each a client event of
// the catalogue with properties of its schema and an optional key
// (analytics.ValidKey) that makes a retry harmless.
func decodeClientEvents(body io.Reader, maxEvents int) ([]persistence.ClientEvent, error) {
	var req clientEventsRequest
	if err := decodeBody(body, &req); err != nil {
		return nil, err
	}
	switch {
	case len(req.Events) == 0:
		return nil, badRequest("events must hold at least one event", "events")
	case len(req.Events) > maxEvents:
		return nil, newError(http.StatusRequestEntityTooLarge, CodePayloadTooLarge,
			fmt.Sprintf("at most %d events per request", maxEvents))
	}
	out := make([]persistence.ClientEvent, 0, len(req.Events))
	seen := map[string]bool{}
	for i, e := range req.Events {
		if err := analytics.ValidateClient(e.Name, e.Props); err != nil {
			return nil, eventError(i, err)
		}
		if e.Key != "" && (!analytics.ValidKey(e.Key) || seen[e.Key]) {
			return nil, eventError(i, fmt.Errorf("%w: key must be 1..64 of A-Z a-z 0-9 _ -, once per request", analytics.ErrInvalidEvent))
		}
		seen[e.Key] = e.Key != ""
		out = append(out, persistence.ClientEvent{Name: e.Name, Key: e.Key, Props: e.Props})
	}
	return out, nil
}
