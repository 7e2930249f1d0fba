// Package plausible sends analytics events to Plausible's events API
// (POST /api/event), one event per request as the API takes them. The
// API has no deduplication key, so the worker advances its cursor after
// every request: a crash repeats at most the one request in flight.
package plausible

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/proofstell/proofstell/analytics"
	"github.com/proofstell/proofstell/analytics/providers"
)

// UserAgent is sent with every event: Plausible requires one to count
// visitors (with X-Forwarded-For) and drops events whose agent looks like
// a crawler's (a URL in it does), so it names the app the way Plausible's
// own Events API example does.
const UserAgent = "Mozilla/5.0 (compatible; ProofStell/1.0)"

// Config is the site's domain and where Plausible listens.
type Config struct {
	Domain string
	// Host is the API base URL (https://plausible.io, self-hosted).
	Host string
}

// Sender is the Plausible sender.
type Sender struct {
	cfg    Config
	client *http.Client
}

var _ providers.Sender = (*Sender)(nil)

// New builds a sender using client.
func New(cfg Config, client *http.Client) *Sender {
	cfg.Host = strings.TrimRight(cfg.Host, "/")
	return &Sender{cfg: cfg, client: client}
}

// Name implements providers.Sender.
func (s *Sender) Name() string { return "plausible" }

// Limits implements providers.Sender: one event per request.
func (s *Sender) Limits() analytics.Limits { return analytics.Limits{MaxEvents: 1} }

// Body is the body of POST /api/event. URL is required by the API; the
// event's name stands for the page (app://<domain>/<event>).
type Body struct {
	Name   string         `json:"name"`
	URL    string         `json:"url"`
	Domain string         `json:"domain"`
	Props  map[string]any `json:"props,omitempty"`
}

// Encode is the request body of one event. Plausible takes string
// property values only, so numbers and booleans are sent as text.
func (s *Sender) Encode(e analytics.Event) ([]byte, error) {
	props := make(map[string]any, len(e.Props))
	for k, v := range e.Props {
		props[k] = fmt.Sprint(v)
	}
	body, err := json.Marshal(Body{Name: e.Name, URL: "app://" + s.cfg.Domain + "/" + e.Name, Domain: s.cfg.Domain, Props: props})
	if err != nil {
		return nil, fmt.Errorf("plausible: encode: %w", err)
	}
	return body, nil
}

// Send implements providers.Sender. X-Forwarded-For is the event's
// pseudonymous address (analytics.Identity.Addr), never a real IP.
func (s *Sender) Send(ctx context.Context, events []analytics.Event) error {
	if len(events) != 1 {
		return fmt.Errorf("plausible: %d events in one request, the API takes one", len(events))
	}
	body, err := s.Encode(events[0])
	if err != nil {
		return err
	}
	req, err := providers.JSONRequest(ctx, s.cfg.Host+"/api/event", body)
	if err != nil {
		return err
	}
	req.Header.Set("User-Agent", UserAgent)
	req.Header.Set("X-Forwarded-For", events[0].Addr)
	return providers.Post(s.client, req, s.Name())
}
