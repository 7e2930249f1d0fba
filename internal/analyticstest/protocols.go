package analyticstest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Provider limits the fakes enforce.
const (
	PostHogMaxBatch   = 100
	MixpanelMaxBatch  = 2000
	GA4MaxEvents      = 25
	GA4MaxParams      = 25
	GA4MaxValueLen    = 100
	PlausibleMaxProp  = 30
	PlausibleMaxValue = 2000
	PlausibleMaxName  = 120
)

var (
	ga4Name     = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,39}$`)
	ga4Reserved = regexp.MustCompile(`^(ga_|google_|firebase_)|^(ad_activeview|ad_click|ad_exposure|ad_query|ad_reward|adunit_exposure|app_clear_data|app_exception|app_install|app_remove|app_store_refund|app_update|app_upgrade|dynamic_link_app_open|dynamic_link_app_update|dynamic_link_first_open|error|first_open|first_visit|in_app_purchase|notification_dismiss|notification_foreground|notification_open|notification_receive|os_update|session_start|session_start_with_rollout|user_engagement)$`)
	insertID    = regexp.MustCompile(`^[A-Za-z0-9-]{1,36}$`)
)

func decodeStrict(body []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	return d.Decode(v)
}

func post(r *http.Request, path string) error {
	if r.Method != http.MethodPost || r.URL.Path != path {
		return fmt.Errorf("want POST %s, got %s %s", path, r.Method, r.URL.Path)
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		return errors.New("content type must be application/json")
	}
	return nil
}

// NewPostHog starts a PostHog fake for apiKey on addr ("" any port).
func NewPostHog(apiKey, addr string) (*Fake, error) {
	return start(protocol{name: "posthog", status: http.StatusOK, reply: `{"status":1}`,
		check: func(r *http.Request, body []byte) ([]Ingested, error) { return checkPostHog(r, body, apiKey) }}, addr)
}

func checkPostHog(r *http.Request, body []byte, apiKey string) ([]Ingested, error) {
	if err := post(r, "/batch/"); err != nil {
		return nil, err
	}
	var b struct {
		APIKey string `json:"api_key"`
		Batch  []struct {
			Event      string         `json:"event"`
			DistinctID string         `json:"distinct_id"`
			Properties map[string]any `json:"properties"`
			Timestamp  string         `json:"timestamp"`
			UUID       string         `json:"uuid"`
		} `json:"batch"`
	}
	if err := decodeStrict(body, &b); err != nil {
		return nil, fmt.Errorf("posthog: body: %w", err)
	}
	if b.APIKey != apiKey || len(b.Batch) == 0 || len(b.Batch) > PostHogMaxBatch {
		return nil, fmt.Errorf("posthog: api key %q, %d events (1..%d)", b.APIKey, len(b.Batch), PostHogMaxBatch)
	}
	out := make([]Ingested, 0, len(b.Batch))
	for _, e := range b.Batch {
		if _, err := uuid.Parse(e.UUID); err != nil || e.Event == "" || e.DistinctID == "" {
			return nil, fmt.Errorf("posthog: event %q needs event, distinct_id and a uuid", e.Event)
		}
		if _, err := time.Parse(time.RFC3339Nano, e.Timestamp); err != nil {
			return nil, fmt.Errorf("posthog: timestamp %q: %w", e.Timestamp, err)
		}
		out = append(out, Ingested{Key: e.UUID, Name: e.Event, Player: e.DistinctID, Props: e.Properties})
	}
	return out, nil
}

// NewMixpanel starts a Mixpanel fake for token on addr ("" any port).
func NewMixpanel(token, addr string) (*Fake, error) {
	return start(protocol{name: "mixpanel", status: http.StatusOK, reply: `{"code":200,"status":"OK"}`,
		check: func(r *http.Request, body []byte) ([]Ingested, error) { return checkMixpanel(r, body, token) }}, addr)
}

func checkMixpanel(r *http.Request, body []byte, token string) ([]Ingested, error) {
	if err := post(r, "/import"); err != nil {
		return nil, err
	}
	if user, pass, ok := r.BasicAuth(); !ok || user != token || pass != "" {
		return nil, errors.New("mixpanel: basic auth with the project token as user")
	}
	if r.URL.Query().Get("strict") != "1" {
		return nil, errors.New("mixpanel: strict=1 expected")
	}
	var items []struct {
		Event      string         `json:"event"`
		Properties map[string]any `json:"properties"`
	}
	if err := decodeStrict(body, &items); err != nil {
		return nil, fmt.Errorf("mixpanel: body: %w", err)
	}
	if len(items) == 0 || len(items) > MixpanelMaxBatch {
		return nil, fmt.Errorf("mixpanel: %d events (1..%d)", len(items), MixpanelMaxBatch)
	}
	out := make([]Ingested, 0, len(items))
	for _, e := range items {
		p := e.Properties
		id, _ := p["$insert_id"].(string)
		player, _ := p["distinct_id"].(string)
		ms, err := number(p["time"])
		if e.Event == "" || !insertID.MatchString(id) || player == "" || err != nil ||
			time.UnixMilli(ms).After(time.Now().Add(time.Hour)) || time.UnixMilli(ms).Year() < 1971 {
			return nil, fmt.Errorf("mixpanel: event %q needs time (ms), distinct_id and $insert_id", e.Event)
		}
		props := map[string]any{}
		for k, v := range p {
			if k != "time" && k != "distinct_id" && k != "$insert_id" {
				props[k] = v
			}
		}
		out = append(out, Ingested{Key: id, Name: e.Event, Player: player, Props: props})
	}
	return out, nil
}

func number(v any) (int64, error) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, errors.New("not a number")
	}
	return n.Int64()
}
