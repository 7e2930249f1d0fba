package rest

import (
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
)

func newAnalyticsHarness(t *testing.T, perMinute int) *secHarness {
	t.Helper()
	return newSecHarness(t, func(d *Deps) {
		d.Analytics = AnalyticsDeps{Store: d.Security.Admin.(*postgres.Store), PerMinute: perMinute, MaxEvents: 3}
	})
}

func postEvents(t *testing.T, h *secHarness, token, body string) (int, string) {
	t.Helper()
	w := h.do(t, request{Method: http.MethodPost, Path: "/api/v1/analytics/events", Token: token, Body: body})
	return w.Code, w.Body.String()
}

func TestAPI_AnalyticsEvents(t *testing.T) {
	t.Parallel()
	h := newAnalyticsHarness(t, 100)
	me := signIn(t, h.harness, "analytics-device")
	body := `{"events":[{"name":"screen_viewed","key":"a1","props":{"screen":"home"}},{"name":"tutorial_completed","props":{"step":2}}]}`
	code, out := postEvents(t, h, me.AccessToken, body)
	require.Equal(t, http.StatusAccepted, code, out)
	require.JSONEq(t, `{"accepted":2,"duplicates":0}`, out)
	code, out = postEvents(t, h, me.AccessToken, `{"events":[{"name":"screen_viewed","key":"a1","props":{"screen":"home"}}]}`)
	require.Equal(t, http.StatusAccepted, code)
	require.JSONEq(t, `{"accepted":0,"duplicates":1}`, out, "a retry with the same key queues nothing")

	require.Eventually(t, func() bool {
		rows, _, err := h.store.ReadAfter(t.Context(), "rest-test", []string{persistence.TopicAnalyticsClient}, 10)
		require.NoError(t, err)
		if len(rows) != 2 {
			return false
		}
		require.Contains(t, string(rows[0].Payload), me.Player.ID)
		require.Equal(t, me.Player.ID+":a1", rows[0].Key)
		return true
	}, 20*time.Second, 10*time.Millisecond)

	tests := []struct {
		name, body string
		status     int
		code       string
	}{
		{"unknown event", `{"events":[{"name":"bought_gems"}]}`, http.StatusBadRequest, CodeUnknownEvent},
		{"server event", `{"events":[{"name":"game_finished","props":{"mode":"classic","score":1,"flagged":false}}]}`, http.StatusBadRequest, CodeUnknownEvent},
		{"unknown property", `{"events":[{"name":"screen_viewed","props":{"screen":"x","email":"a@b.c"}}]}`, http.StatusBadRequest, CodeInvalidEvent},
		{"wrong type", `{"events":[{"name":"tutorial_completed","props":{"step":"two"}}]}`, http.StatusBadRequest, CodeInvalidEvent},
		{"missing required", `{"events":[{"name":"share_clicked"}]}`, http.StatusBadRequest, CodeInvalidEvent},
		{"bad key", `{"events":[{"name":"tutorial_completed","key":"no spaces"}]}`, http.StatusBadRequest, CodeInvalidEvent},
		{"a key twice", `{"events":[{"name":"tutorial_completed","key":"k"},{"name":"tutorial_completed","key":"k"}]}`, http.StatusBadRequest, CodeInvalidEvent},
		{"no events", `{"events":[]}`, http.StatusBadRequest, CodeBadRequest},
		{"too many", `{"events":[` + strings.Repeat(`{"name":"tutorial_completed"},`, 3) + `{"name":"tutorial_completed"}]}`, http.StatusRequestEntityTooLarge, CodePayloadTooLarge},
		{"unknown field", `{"events":[],"extra":1}`, http.StatusBadRequest, CodeBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := h.do(t, request{Method: http.MethodPost, Path: "/api/v1/analytics/events", Token: me.AccessToken, Body: tt.body})
			requireError(t, w, tt.status, tt.code)
		})
	}
	code, _ = postEvents(t, h, "", body)
	require.Equal(t, http.StatusUnauthorized, code)
}

func TestAPI_AnalyticsEvents_RateLimitedPerPlayer(t *testing.T) {
	t.Parallel()
	h := newAnalyticsHarness(t, 3)
	me, other := signIn(t, h.harness, "rl-device-a"), signIn(t, h.harness, "rl-device-b")
	two := `{"events":[{"name":"tutorial_completed"},{"name":"tutorial_completed"}]}`
	code, _ := postEvents(t, h, me.AccessToken, two)
	require.Equal(t, http.StatusAccepted, code)
	w := h.do(t, request{Method: http.MethodPost, Path: "/api/v1/analytics/events", Token: me.AccessToken, Body: two})
	requireError(t, w, http.StatusTooManyRequests, CodeRateLimited)
	require.NotEmpty(t, w.Header().Get("Retry-After"))
	code, _ = postEvents(t, h, other.AccessToken, two)
	require.Equal(t, http.StatusAccepted, code, "each player has a budget of their own")
}

func TestAPI_AnalyticsEvents_OffDropsValidEvents(t *testing.T) {
	t.Parallel()
	h := newSecHarness(t, func(d *Deps) { d.Analytics = AnalyticsDeps{PerMinute: 10, MaxEvents: 3} })
	me := signIn(t, h.harness, "off-device")
	code, out := postEvents(t, h, me.AccessToken, `{"events":[{"name":"tutorial_completed"}]}`)
	require.Equal(t, http.StatusAccepted, code)
	require.JSONEq(t, `{"accepted":0,"duplicates":0}`, out)
	w := h.do(t, request{Method: http.MethodPost, Path: "/api/v1/analytics/events", Token: me.AccessToken, Body: `{"events":[{"name":"nope"}]}`})
	requireError(t, w, http.StatusBadRequest, CodeUnknownEvent)
}

// TestAPI_AnalyticsEvents_FollowsSwitch: while features.analytics is off
// the events are validated and dropped (202, nothing accepted), as on a
// node without analytics; switched back on, they are queued again.
func TestAPI_AnalyticsEvents_FollowsSwitch(t *testing.T) {
	t.Parallel()
	var on atomic.Bool
	h := newSecHarness(t, func(d *Deps) {
		d.Analytics = AnalyticsDeps{Store: d.Security.Admin.(*postgres.Store), PerMinute: 100, MaxEvents: 3, Enabled: on.Load}
	})
	me := signIn(t, h.harness, "analytics-switch")
	body := `{"events":[{"name":"screen_viewed","key":"s1","props":{"screen":"home"}}]}`
	code, out := postEvents(t, h, me.AccessToken, body)
	require.Equal(t, http.StatusAccepted, code, out)
	require.JSONEq(t, `{"accepted":0,"duplicates":0}`, out, "dropped while off")
	requireError(t, h.do(t, request{Method: http.MethodPost, Path: "/api/v1/analytics/events", Token: me.AccessToken,
		Body: `{"events":[{"name":"bought_gems"}]}`}), http.StatusBadRequest, CodeUnknownEvent)

	on.Store(true)
	code, out = postEvents(t, h, me.AccessToken, body)
	require.Equal(t, http.StatusAccepted, code, out)
	require.JSONEq(t, `{"accepted":1,"duplicates":0}`, out, "the key sent while off was never stored")
	require.Eventually(t, func() bool {
		rows, _, err := h.store.ReadAfter(t.Context(), "rest-test", []string{persistence.TopicAnalyticsClient}, 10)
		require.NoError(t, err)
		return len(rows) == 1
	}, 20*time.Second, 10*time.Millisecond)
}
