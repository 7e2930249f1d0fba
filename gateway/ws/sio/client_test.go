package sio

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestAppendEmit(t *testing.T) {
	t.Parallel()
	const nsp = "/realtime"
	tests := []struct {
		ackID int64
		data  string
		want  string
	}{
		{ackID: 0, data: `{"mode":"classic"}`, want: `42/realtime,0["game:start",{"mode":"classic"}]`},
		{ackID: 41, data: ``, want: `42/realtime,41["game:start",{}]`},
		{ackID: NoAck, data: `{"a":1}`, want: `42/realtime,["game:start",{"a":1}]`},
	}
	for _, tt := range tests {
		got := AppendEmit(nil, nsp, tt.ackID, "game:start", []byte(tt.data))
		require.Equal(t, tt.want, string(got))
		// What a client emits, the gateway's decoder reads back.
		p, err := ParsePacket(got)
		require.NoError(t, err)
		sp, err := DecodeSocketPacket(p.Data)
		require.NoError(t, err)
		require.Equal(t, Event, sp.Kind)
		require.Equal(t, nsp, sp.Namespace)
		require.Equal(t, tt.ackID, sp.ID)
	}
}

func TestAppendConnectAuth(t *testing.T) {
	t.Parallel()
	require.Equal(t, `40/realtime,{"token":"t"}`, string(AppendConnectAuth(nil, "/realtime", []byte(`{"token":"t"}`))))
	require.Equal(t, `40/realtime,`, string(AppendConnectAuth(nil, "/realtime", nil)))
	require.Equal(t, `40{"token":"t"}`, string(AppendConnectAuth(nil, "/", []byte(`{"token":"t"}`))))
}

func TestParseOpen(t *testing.T) {
	t.Parallel()
	want := Handshake{
		SID: "abc", Upgrades: []string{"websocket"}, PingInterval: 25 * time.Second,
		PingTimeout: 20 * time.Second, MaxPayload: 1e6,
	}
	got, err := ParseOpen(AppendOpen(nil, want)[1:])
	require.NoError(t, err)
	require.Equal(t, want, got)
	for _, bad := range []string{``, `[]`, `{"sid":"","pingInterval":1,"pingTimeout":1}`, `{"sid":"s","pingTimeout":1}`, `{"sid":"s","pingInterval":1}`} {
		_, err := ParseOpen([]byte(bad))
		require.ErrorIs(t, err, ErrBadOpen, bad)
	}
}

func TestDecodeAck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
		err      bool
	}{
		{in: `[{"ok":true}]`, want: `{"ok":true}`},
		{in: `[{"error":{"code":"x"}}]`, want: `{"error":{"code":"x"}}`},
		{in: `[]`},
		{in: `[1,2]`, err: true},
		{in: `{}`, err: true},
		{in: `[`, err: true},
	}
	for _, tt := range tests {
		got, err := DecodeAck(json.RawMessage(tt.in))
		if tt.err {
			require.ErrorIs(t, err, ErrBadAck, tt.in)
			continue
		}
		require.NoError(t, err, tt.in)
		require.Equal(t, tt.want, string(got), tt.in)
	}
}

func TestDecodeConnectError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, message, code string
		err               bool
	}{
		{in: `{"message":"bad token","data":{"code":"unauthorized"}}`, message: "bad token", code: "unauthorized"},
		{in: `{"message":"Invalid namespace"}`, message: "Invalid namespace"},
		{in: `{"data":{"code":"x"}}`, err: true},
		{in: `{"message":"m","data":"text"}`, err: true},
		{in: `[]`, err: true},
	}
	for _, tt := range tests {
		message, code, err := DecodeConnectError(json.RawMessage(tt.in))
		if tt.err {
			require.ErrorIs(t, err, ErrBadConnectError, tt.in)
			continue
		}
		require.NoError(t, err, tt.in)
		require.Equal(t, tt.message, message)
		require.Equal(t, tt.code, code)
	}
	// What the gateway sends, the client reads back.
	p, err := DecodeSocketPacket(AppendConnectError(nil, "/realtime", "expired", "token_expired")[1:])
	require.NoError(t, err)
	message, code, err := DecodeConnectError(p.Data)
	require.NoError(t, err)
	require.Equal(t, "expired", message)
	require.Equal(t, "token_expired", code)
}
