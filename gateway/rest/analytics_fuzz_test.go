package rest

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/analytics"
)

// FuzzDecodeClientEvents feeds the client events decoder: a refusal is a
// 4xx; an accepted body holds 1..max catalogue client events that pass
// their schema.
func FuzzDecodeClientEvents(f *testing.F) {
	for _, s := range []string{
		`{"events":[{"name":"screen_viewed","key":"a1","props":{"screen":"home"}}]}`,
		`{"events":[{"name":"tutorial_completed","props":{"step":1e300}}]}`,
		`{"events":[{"name":"settings_changed","props":{"setting":"s","enabled":true}}]}`,
		`{"events":[]}`, `{"events":[{"name":"game_finished"}]}`, `{}`, `[`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		events, err := decodeClientEvents(bytes.NewReader(body), 3)
		if err != nil {
			requireClientError(t, err)
			return
		}
		require.NotEmpty(t, events)
		require.LessOrEqual(t, len(events), 3)
		for _, e := range events {
			require.NoError(t, analytics.ValidateClient(e.Name, e.Props))
			require.True(t, e.Key == "" || analytics.ValidKey(e.Key))
		}
	})
}
