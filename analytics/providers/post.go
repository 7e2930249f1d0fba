package providers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/proofstell/proofstell/analytics"
)

// Sender sends one planned request to one provider.
type Sender interface {
	// Name names the provider in metrics, logs and its cursor
	// ("posthog").
	Name() string
	// Limits are what one request may carry.
	Limits() analytics.Limits
	// Send delivers events in one request. A nil error means the provider
	// accepted them; otherwise Retryable says whether to try again.
	Send(ctx context.Context, events []analytics.Event) error
}

// StatusError is a provider's refusal: an HTTP status other than 2xx.
type StatusError struct {
	Provider string
	Status   int
	// RetryAfter is the provider's Retry-After (0 when absent).
	RetryAfter time.Duration
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("%s answered %d", e.Provider, e.Status)
}

// Retryable reports whether a failed send may succeed if repeated, and the
// wait the provider asked for: network errors, 429 and 5xx are worth
// another try; any other status is a permanent refusal of this request.
func Retryable(err error) (bool, time.Duration) {
	var se *StatusError
	if errors.As(err, &se) {
		return se.Status == http.StatusTooManyRequests || se.Status >= 500, se.RetryAfter
	}
	return err != nil, 0
}

// maxBody bounds how much of a response is read: only to reuse the
// connection, never trusted for more than its status.
const maxBody = 64 << 10

// Post sends req with client and classifies the outcome: nil for 2xx, a
// *StatusError for another status, the transport's error otherwise.
func Post(client *http.Client, req *http.Request, provider string) error {
	resp, err := client.Do(req) //nolint:gosec // G704: the URL is the operator-configured provider host
	if err != nil {
		// A *url.Error names the URL, and GA4's carries the API secret.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("%s: %w", provider, err)
	}
	defer func() { _ = resp.Body.Close() }()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxBody))
	if resp.StatusCode/100 == 2 {
		return nil
	}
	return &StatusError{Provider: provider, Status: resp.StatusCode, RetryAfter: retryAfter(resp.Header.Get("Retry-After"))}
}

// retryAfter reads Retry-After as seconds (what these providers send); an
// HTTP date or garbage counts as absent.
func retryAfter(v string) time.Duration {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0
	}
	return time.Duration(n) * time.Second
}

// JSONRequest builds a POST of body to url with a JSON content type.
func JSONRequest(ctx context.Context, url string, body []byte) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	return req, nil
}
