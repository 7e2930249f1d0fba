package main

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/bench/cluster/internal/wsplay"
	"github.com/proofstell/proofstell/gateway/ws/wsclient"
)

func frame(t *testing.T, typ string, at time.Time, payload any) wsplay.Received {
	t.Helper()
	d, err := json.Marshal(payload)
	require.NoError(t, err)
	return wsplay.Received{Frame: wsclient.Frame{T: typ, D: d}, At: at}
}

func TestOnFrame_RecordsTheFailoverMoments(t *testing.T) {
	t.Parallel()
	kill := time.Unix(1000, 0)
	at := func(ms int) time.Time { return kill.Add(time.Duration(ms) * time.Millisecond) }
	state := func(s string) events.StateChange { return events.StateChange{GameID: "g1", State: s} }
	tests := []struct {
		name     string
		frames   []wsplay.Received
		back     bool
		unpaused bool
		repaused int
		paused   time.Duration
		started  time.Duration
		mole     time.Duration
		over     time.Duration
		errorMsg string
	}{
		{name: "paused then started", back: true, paused: 5 * time.Millisecond, started: 900 * time.Millisecond, mole: 950 * time.Millisecond, over: never,
			frames: []wsplay.Received{frame(t, events.TypeStateChange, at(5), state(events.StatePaused)),
				frame(t, events.TypeStateChange, at(900), state(events.StateStarted)),
				frame(t, events.TypeMole, at(950), events.Mole{GameID: "g1"})}},
		{name: "moved twice", back: true, repaused: 1, paused: 5 * time.Millisecond, started: 60 * time.Millisecond, mole: never, over: never,
			frames: []wsplay.Received{frame(t, events.TypeStateChange, at(5), state(events.StatePaused)),
				frame(t, events.TypeStateChange, at(60), state(events.StateStarted)),
				frame(t, events.TypeStateChange, at(600), state(events.StatePaused))}},
		{name: "started without paused", back: true, unpaused: true, paused: never, started: 5 * time.Millisecond, mole: never, over: never,
			frames: []wsplay.Received{frame(t, events.TypeStateChange, at(5), state(events.StateStarted))}},
		{name: "another game's pause is ignored", paused: never, started: never, mole: never, over: never,
			frames: []wsplay.Received{frame(t, events.TypeStateChange, at(5), events.StateChange{GameID: "g2", State: events.StatePaused})}},
		{name: "aborted", back: true, paused: 5 * time.Millisecond, started: never, mole: never, over: 40 * time.Millisecond, errorMsg: "ended: aborted",
			frames: []wsplay.Received{frame(t, events.TypeStateChange, at(5), state(events.StatePaused)),
				frame(t, events.TypeStateChange, at(40), events.StateChange{GameID: "g1", State: events.StateEnded, Reason: "aborted"})}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			it := iteration{Paused: never, Started: never, Mole: never, Over: never, Hosted: never}
			back := false
			for _, f := range tc.frames {
				back = onFrame(f, "g1", kill, &it) || back
			}
			require.Equal(t, tc.back, back)
			require.Equal(t, []time.Duration{tc.paused, tc.started, tc.mole, tc.over}, []time.Duration{it.Paused, it.Started, it.Mole, it.Over})
			require.Equal(t, tc.errorMsg, it.Err)
			require.Equal(t, tc.unpaused, it.Unpaused)
			require.Equal(t, tc.repaused, it.Repaused)
		})
	}
}

func TestConfig_Validate(t *testing.T) {
	t.Parallel()
	c, err := parseConfig(nil, nil)
	require.NoError(t, err)
	require.Equal(t, 20, c.Iterations, "the issue asks for at least 20 kills")
	_, err = parseConfig([]string{"-kill-min", "3s", "-kill-max", "1s"}, nil)
	require.Error(t, err)
}
