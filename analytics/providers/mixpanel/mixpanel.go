// Package mixpanel sends analytics events to Mixpanel's import endpoint
// (POST /import?strict=1, the project token as the basic-auth user): up
// to MaxEvents per request, each with its $insert_id, which Mixpanel
// deduplicates on, so a re-send after a crash is harmless.
package mixpanel

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"strings"

	"github.com/proofstell/proofstell/analytics"
	"github.com/proofstell/proofstell/analytics/providers"
)

// MaxEvents is Mixpanel's limit of events per import request.
const MaxEvents = 2000

// Config is the project token and where Mixpanel listens.
type Config struct {
	Token string
	// Host is the API base URL (https://api.mixpanel.com,
	// https://api-eu.mixpanel.com for EU residency, a proxy).
	Host string
}

// Sender is the Mixpanel sender.
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
func (s *Sender) Name() string { return "mixpanel" }

// Limits implements providers.Sender.
func (s *Sender) Limits() analytics.Limits { return analytics.Limits{MaxEvents: MaxEvents} }

// Item is one imported event.
type Item struct {
	Event      string         `json:"event"`
	Properties map[string]any `json:"properties"`
}

// Encode is the request body of events: a JSON array whose properties
// carry time (ms), distinct_id and $insert_id.
func Encode(events []analytics.Event) ([]byte, error) {
	items := make([]Item, 0, len(events))
	for _, e := range events {
		p := maps.Clone(e.Props)
		if p == nil {
			p = map[string]any{}
		}
		p["time"] = e.Time.UnixMilli()
		p["distinct_id"] = e.Player
		p["$insert_id"] = e.ID
		items = append(items, Item{Event: e.Name, Properties: p})
	}
	body, err := json.Marshal(items)
	if err != nil {
		return nil, fmt.Errorf("mixpanel: encode: %w", err)
	}
	return body, nil
}

// Send implements providers.Sender.
func (s *Sender) Send(ctx context.Context, events []analytics.Event) error {
	body, err := Encode(events)
	if err != nil {
		return err
	}
	req, err := providers.JSONRequest(ctx, s.cfg.Host+"/import?strict=1", body)
	if err != nil {
		return err
	}
	req.SetBasicAuth(s.cfg.Token, "")
	return providers.Post(s.client, req, s.Name())
}
