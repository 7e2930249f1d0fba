// Package ga4 sends analytics events to Google Analytics 4 through the
// Measurement Protocol (POST /mp/collect): up to MaxEvents of one client
// per request. The protocol has no deduplication key, so the worker
// advances its cursor after every request: a crash repeats at most the
// one request in flight.
package ga4

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/proofstell/proofstell/analytics"
	"github.com/proofstell/proofstell/analytics/providers"
)

// MaxEvents is the Measurement Protocol's limit of events per request.
const MaxEvents = 25

// Config is the data stream's measurement id and API secret and where the
// Measurement Protocol listens.
type Config struct {
	MeasurementID string
	APISecret     string
	// Host is the base URL (https://www.google-analytics.com,
	// https://region1.google-analytics.com for EU collection, a proxy).
	Host string
}

// Sender is the GA4 sender.
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
func (s *Sender) Name() string { return "ga4" }

// Limits implements providers.Sender: one client_id per request.
func (s *Sender) Limits() analytics.Limits {
	return analytics.Limits{MaxEvents: MaxEvents, OnePlayer: true}
}

// Item is one event of a request.
type Item struct {
	Name            string         `json:"name"`
	Params          map[string]any `json:"params,omitempty"`
	TimestampMicros int64          `json:"timestamp_micros"`
}

// Body is the body of POST /mp/collect.
type Body struct {
	ClientID string `json:"client_id"`
	Events   []Item `json:"events"`
}

// Encode is the request body of events of one player.
func Encode(events []analytics.Event) ([]byte, error) {
	if len(events) == 0 {
		return nil, fmt.Errorf("ga4: no events")
	}
	b := Body{ClientID: events[0].Player}
	for _, e := range events {
		if e.Player != b.ClientID {
			return nil, fmt.Errorf("ga4: events of two clients in one request")
		}
		b.Events = append(b.Events, Item{Name: e.Name, Params: params(e.Props), TimestampMicros: e.Time.UnixMicro()})
	}
	body, err := json.Marshal(b)
	if err != nil {
		return nil, fmt.Errorf("ga4: encode: %w", err)
	}
	return body, nil
}

// params are an event's properties as GA4 takes them: strings and
// numbers; a boolean goes as "true" or "false".
func params(props map[string]any) map[string]any {
	out := make(map[string]any, len(props))
	for k, v := range props {
		if b, ok := v.(bool); ok {
			v = strconv.FormatBool(b)
		}
		out[k] = v
	}
	return out
}

// Send implements providers.Sender.
func (s *Sender) Send(ctx context.Context, events []analytics.Event) error {
	body, err := Encode(events)
	if err != nil {
		return err
	}
	q := url.Values{"measurement_id": {s.cfg.MeasurementID}, "api_secret": {s.cfg.APISecret}}
	req, err := providers.JSONRequest(ctx, s.cfg.Host+"/mp/collect?"+q.Encode(), body)
	if err != nil {
		return err
	}
	return providers.Post(s.client, req, s.Name())
}
