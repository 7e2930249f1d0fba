package analyticstest

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

type call struct {
	path, body string
	header     map[string]string
	user       string // basic auth user; "" none
}

func (c call) send(t *testing.T, f *Fake) int {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, f.URL+c.path, strings.NewReader(c.body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	if c.user != "" {
		req.SetBasicAuth(c.user, "")
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	_ = resp.Body.Close()
	return resp.StatusCode
}

const uuid1 = "0b0f9d0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b"

func phBatch(n int, id string) string {
	items := make([]string, n)
	for i := range items {
		items[i] = `{"event":"e","distinct_id":"p","properties":{},"timestamp":"2026-12-06T10:00:00Z","uuid":"` + id + `"}`
	}
	return `{"api_key":"k","batch":[` + strings.Join(items, ",") + `]}`
}

func TestFake_ChecksEachProtocol(t *testing.T) {
	t.Parallel()
	ms := time.Now().UnixMilli()
	mpEvent := `{"event":"e","properties":{"time":` + itoa(ms) + `,"distinct_id":"p","$insert_id":"` + uuid1 + `"}}`
	plHeaders := map[string]string{"User-Agent": "ua", "X-Forwarded-For": "fd00::1"}
	gaEvent := `{"name":"game_finished","params":{"score":1}}`
	tests := []struct {
		name   string
		start  func() (*Fake, error)
		call   call
		status int
	}{
		{"posthog ok", func() (*Fake, error) { return NewPostHog("k", "") }, call{path: "/batch/", body: phBatch(1, uuid1)}, 200},
		{"posthog wrong key", func() (*Fake, error) { return NewPostHog("other", "") }, call{path: "/batch/", body: phBatch(1, uuid1)}, 400},
		{"posthog over 100", func() (*Fake, error) { return NewPostHog("k", "") }, call{path: "/batch/", body: phBatch(101, uuid1)}, 400},
		{"posthog no uuid", func() (*Fake, error) { return NewPostHog("k", "") }, call{path: "/batch/", body: phBatch(1, "x")}, 400},
		{"posthog wrong path", func() (*Fake, error) { return NewPostHog("k", "") }, call{path: "/capture/", body: phBatch(1, uuid1)}, 400},
		{"mixpanel ok", func() (*Fake, error) { return NewMixpanel("tok", "") }, call{path: "/import?strict=1", body: "[" + mpEvent + "]", user: "tok"}, 200},
		{"mixpanel no auth", func() (*Fake, error) { return NewMixpanel("tok", "") }, call{path: "/import?strict=1", body: "[" + mpEvent + "]"}, 400},
		{"mixpanel no strict", func() (*Fake, error) { return NewMixpanel("tok", "") }, call{path: "/import", body: "[" + mpEvent + "]", user: "tok"}, 400},
		{"mixpanel no insert id", func() (*Fake, error) { return NewMixpanel("tok", "") }, call{path: "/import?strict=1", body: `[{"event":"e","properties":{"time":1,"distinct_id":"p"}}]`, user: "tok"}, 400},
		{"mixpanel over 2000", func() (*Fake, error) { return NewMixpanel("tok", "") }, call{path: "/import?strict=1", body: "[" + strings.Repeat(mpEvent+",", 2000) + mpEvent + "]", user: "tok"}, 400},
		{"plausible ok", func() (*Fake, error) { return NewPlausible("d", "") }, call{path: "/api/event", body: `{"name":"e","url":"app://d/e","domain":"d"}`, header: plHeaders}, 202},
		{"plausible no forwarded ip", func() (*Fake, error) { return NewPlausible("d", "") }, call{path: "/api/event", body: `{"name":"e","url":"app://d/e","domain":"d"}`, header: map[string]string{"User-Agent": "ua"}}, 400},
		{"plausible number prop", func() (*Fake, error) { return NewPlausible("d", "") }, call{path: "/api/event", body: `{"name":"e","url":"app://d/e","domain":"d","props":{"score":3}}`, header: plHeaders}, 400},
		{"plausible wrong domain", func() (*Fake, error) { return NewPlausible("d", "") }, call{path: "/api/event", body: `{"name":"e","url":"app://d/e","domain":"x"}`, header: plHeaders}, 400},
		{"ga4 ok", func() (*Fake, error) { return NewGA4("G-1", "s", "") }, call{path: "/mp/collect?measurement_id=G-1&api_secret=s", body: `{"client_id":"c","events":[` + gaEvent + `]}`}, 204},
		{"ga4 wrong secret", func() (*Fake, error) { return NewGA4("G-1", "s", "") }, call{path: "/mp/collect?measurement_id=G-1&api_secret=x", body: `{"client_id":"c","events":[` + gaEvent + `]}`}, 400},
		{"ga4 over 25", func() (*Fake, error) { return NewGA4("G-1", "s", "") }, call{path: "/mp/collect?measurement_id=G-1&api_secret=s", body: `{"client_id":"c","events":[` + strings.Repeat(gaEvent+",", 25) + gaEvent + `]}`}, 400},
		{"ga4 reserved name", func() (*Fake, error) { return NewGA4("G-1", "s", "") }, call{path: "/mp/collect?measurement_id=G-1&api_secret=s", body: `{"client_id":"c","events":[{"name":"session_start"}]}`}, 400},
		{"ga4 bool param", func() (*Fake, error) { return NewGA4("G-1", "s", "") }, call{path: "/mp/collect?measurement_id=G-1&api_secret=s", body: `{"client_id":"c","events":[{"name":"e","params":{"p":true}}]}`}, 400},
		{"ga4 long value", func() (*Fake, error) { return NewGA4("G-1", "s", "") }, call{path: "/mp/collect?measurement_id=G-1&api_secret=s", body: `{"client_id":"c","events":[{"name":"e","params":{"p":"` + strings.Repeat("x", 101) + `"}}]}`}, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, err := tt.start()
			require.NoError(t, err)
			t.Cleanup(func() { _ = f.Close() })
			require.Equal(t, tt.status, tt.call.send(t, f))
			if tt.status >= 400 {
				require.Len(t, f.Stats().Problems, 1, "a violation is recorded")
				require.Empty(t, f.Events())
				return
			}
			require.Len(t, f.Events(), 1)
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestFake_DedupesAndFaults(t *testing.T) {
	t.Parallel()
	f, err := NewPostHog("k", "")
	require.NoError(t, err)
	t.Cleanup(func() { _ = f.Close() })
	ok := call{path: "/batch/", body: phBatch(1, uuid1)}
	require.Equal(t, 200, ok.send(t, f))
	require.Equal(t, 200, ok.send(t, f))
	require.Len(t, f.Events(), 1, "a uuid seen before is dropped, as PostHog does")
	require.Equal(t, 1, f.Stats().Duplicates)

	f.Fail(1, http.StatusTooManyRequests, 3*time.Second)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, f.URL+"/batch/", strings.NewReader(phBatch(1, uuid1)))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	_ = resp.Body.Close()
	require.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	require.Equal(t, "3", resp.Header.Get("Retry-After"))

	f.SetDown(true)
	req, err = http.NewRequestWithContext(t.Context(), http.MethodPost, f.URL+"/batch/", strings.NewReader(phBatch(1, uuid1)))
	require.NoError(t, err)
	_, err = http.DefaultClient.Do(req) //nolint:bodyclose // no response: the fake hangs up
	require.Error(t, err, "down: the connection closes unanswered")
	f.SetDown(false)

	f.Hold()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, f.URL+"/batch/", strings.NewReader(phBatch(1, "1b0f9d0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b")))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			_ = resp.Body.Close()
		}
		done <- err
	}()
	<-f.Held()
	cancel()
	require.Error(t, <-done)
	require.Eventually(t, func() bool { return f.Stats().Cut == 1 }, 5*time.Second, time.Millisecond)
	f.Release()
	require.Len(t, f.Events(), 1, "a held request whose client went away ingests nothing")
}
