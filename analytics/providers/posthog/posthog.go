// Package posthog sends analytics events to PostHog's batch endpoint
// (POST /batch/): up to MaxEvents per request, each with its uuid, which
// PostHog deduplicates on, so a re-send after a crash is harmless.
package posthog

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/proofstell/proofstell/analytics"
	"github.com/proofstell/proofstell/analytics/providers"
)

// MaxEvents is the most events per request (issue #16 keeps batches at
// 100, far below PostHog's size limit).
const MaxEvents = 100

// Config is the project's key and where PostHog listens.
type Config struct {
	APIKey string
	// Host is the PostHog base URL (https://us.i.posthog.com, a proxy).
	Host string
}

// Sender is the PostHog sender.
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
func (s *Sender) Name() string { return "posthog" }

// Limits implements providers.Sender.
func (s *Sender) Limits() analytics.Limits { return analytics.Limits{MaxEvents: MaxEvents} }

// Item is one event of a batch.
type Item struct {
	Event      string         `json:"event"`
	DistinctID string         `json:"distinct_id"`
	Properties map[string]any `json:"properties"`
	Timestamp  time.Time      `json:"timestamp"`
	UUID       string         `json:"uuid"`
}

// Batch is the body of POST /batch/.
type Batch struct {
	APIKey string `json:"api_key"`
	Batch  []Item `json:"batch"`
}

// Encode is the request body of events.
func (s *Sender) Encode(events []analytics.Event) ([]byte, error) {
	b := Batch{APIKey: s.cfg.APIKey, Batch: make([]Item, 0, len(events))}
	for _, e := range events {
		b.Batch = append(b.Batch, Item{Event: e.Name, DistinctID: e.Player, Properties: e.Props, Timestamp: e.Time, UUID: e.ID})
	}
	body, err := json.Marshal(b) //nolint:gosec // G117: PostHog takes the project key in the body by design
	if err != nil {
		return nil, fmt.Errorf("posthog: encode: %w", err)
	}
	return body, nil
}

// Send implements providers.Sender.
func (s *Sender) Send(ctx context.Context, events []analytics.Event) error {
	body, err := s.Encode(events)
	if err != nil {
		return err
	}
	req, err := providers.JSONRequest(ctx, s.cfg.Host+"/batch/", body)
	if err != nil {
		return err
	}
	return providers.Post(s.client, req, s.Name())
}
