package analyticstest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
)

// NewPlausible starts a Plausible fake for domain on addr ("" any port).
func NewPlausible(domain, addr string) (*Fake, error) {
	return start(protocol{name: "plausible", status: http.StatusAccepted, reply: `ok`,
		check: func(r *http.Request, body []byte) ([]Ingested, error) { return checkPlausible(r, body, domain) }}, addr)
}

func checkPlausible(r *http.Request, body []byte, domain string) ([]Ingested, error) {
	if err := post(r, "/api/event"); err != nil {
		return nil, err
	}
	if r.Header.Get("User-Agent") == "" {
		return nil, fmt.Errorf("plausible: User-Agent is required")
	}
	ip, err := netip.ParseAddr(r.Header.Get("X-Forwarded-For"))
	if err != nil {
		return nil, fmt.Errorf("plausible: X-Forwarded-For must be the visitor's IP: %w", err)
	}
	var e struct {
		Name   string         `json:"name"`
		URL    string         `json:"url"`
		Domain string         `json:"domain"`
		Props  map[string]any `json:"props"`
	}
	if err := decodeStrict(body, &e); err != nil {
		return nil, fmt.Errorf("plausible: body: %w", err)
	}
	if u, err := url.Parse(e.URL); err != nil || u.Scheme == "" || e.Name == "" || len(e.Name) > PlausibleMaxName ||
		e.Domain != domain || len(e.Props) > PlausibleMaxProp {
		return nil, fmt.Errorf("plausible: event %q needs name, url, domain %q and at most %d props", e.Name, domain, PlausibleMaxProp)
	}
	for k, v := range e.Props {
		if s, ok := v.(string); !ok || len(s) > PlausibleMaxValue {
			return nil, fmt.Errorf("plausible: property %s must be a string of at most %d bytes", k, PlausibleMaxValue)
		}
	}
	return []Ingested{{Name: e.Name, Player: ip.String(), Props: e.Props}}, nil
}

// NewGA4 starts a GA4 Measurement Protocol fake on addr ("" any port).
func NewGA4(measurementID, apiSecret, addr string) (*Fake, error) {
	return start(protocol{name: "ga4", status: http.StatusNoContent,
		check: func(r *http.Request, body []byte) ([]Ingested, error) {
			return checkGA4(r, body, measurementID, apiSecret)
		}}, addr)
}

func checkGA4(r *http.Request, body []byte, measurementID, apiSecret string) ([]Ingested, error) {
	if err := post(r, "/mp/collect"); err != nil {
		return nil, err
	}
	q := r.URL.Query()
	if q.Get("measurement_id") != measurementID || q.Get("api_secret") != apiSecret {
		return nil, fmt.Errorf("ga4: measurement_id and api_secret must match the stream")
	}
	var b struct {
		ClientID string `json:"client_id"`
		Events   []struct {
			Name   string         `json:"name"`
			Params map[string]any `json:"params"`
		} `json:"events"`
	}
	if err := decodeStrict(body, &b); err != nil {
		return nil, fmt.Errorf("ga4: body: %w", err)
	}
	if b.ClientID == "" || len(b.Events) == 0 || len(b.Events) > GA4MaxEvents {
		return nil, fmt.Errorf("ga4: client_id and 1..%d events (got %d)", GA4MaxEvents, len(b.Events))
	}
	out := make([]Ingested, 0, len(b.Events))
	for _, e := range b.Events {
		if err := checkGA4Event(e.Name, e.Params); err != nil {
			return nil, err
		}
		out = append(out, Ingested{Name: e.Name, Player: b.ClientID, Props: e.Params})
	}
	return out, nil
}

func checkGA4Event(name string, params map[string]any) error {
	if !ga4Name.MatchString(name) || ga4Reserved.MatchString(name) || len(params) > GA4MaxParams {
		return fmt.Errorf("ga4: event name %q invalid or reserved, or over %d params", name, GA4MaxParams)
	}
	for k, v := range params {
		if !ga4Name.MatchString(k) || ga4Reserved.MatchString(k) {
			return fmt.Errorf("ga4: param name %q", k)
		}
		switch v := v.(type) {
		case string:
			if len(v) > GA4MaxValueLen {
				return fmt.Errorf("ga4: param %s over %d characters", k, GA4MaxValueLen)
			}
		case json.Number:
		default:
			return fmt.Errorf("ga4: param %s must be a string or a number", k)
		}
	}
	return nil
}
