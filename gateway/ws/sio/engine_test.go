package sio

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestParsePacket(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want Packet
		err  error
	}{
		{in: "2", want: Packet{Type: Ping, Data: []byte{}}},
		{in: "2probe", want: Packet{Type: Ping, Data: []byte("probe")}},
		{in: "3", want: Packet{Type: Pong, Data: []byte{}}},
		{in: `42/realtime,["ping"]`, want: Packet{Type: Message, Data: []byte(`2/realtime,["ping"]`)}},
		{in: "5", want: Packet{Type: Upgrade, Data: []byte{}}},
		{in: "6", want: Packet{Type: Noop, Data: []byte{}}},
		{in: "", err: ErrEmptyPacket},
		{in: "7", err: ErrUnknownPacketType},
		{in: "x", err: ErrUnknownPacketType},
		{in: "bAQID", err: ErrBinary},
	}
	for _, tt := range tests {
		got, err := ParsePacket([]byte(tt.in))
		if tt.err != nil {
			require.ErrorIs(t, err, tt.err, tt.in)
			continue
		}
		require.NoError(t, err, tt.in)
		require.Equal(t, tt.want, got, tt.in)
		require.Equal(t, tt.in, string(AppendPacket(nil, got)))
	}
}

func TestSplitPayload(t *testing.T) {
	t.Parallel()
	got, err := SplitPayload([]byte("3\x1e40/realtime,{\"token\":\"x\"}\x1e6"), 0)
	require.NoError(t, err)
	require.Len(t, got, 3)
	require.Equal(t, Pong, got[0].Type)
	require.Equal(t, `0/realtime,{"token":"x"}`, string(got[1].Data))
	require.Equal(t, Noop, got[2].Type)

	_, err = SplitPayload([]byte("4hello"), 5)
	require.ErrorIs(t, err, ErrPayloadTooLarge)
	_, err = SplitPayload([]byte("3\x1e"), 0)
	require.ErrorIs(t, err, ErrEmptyPacket)
	_, err = SplitPayload(nil, 0)
	require.ErrorIs(t, err, ErrEmptyPacket)
}

func TestJoinPayload(t *testing.T) {
	t.Parallel()
	require.Equal(t, "2\x1e4x\x1e6", string(JoinPayload([][]byte{[]byte("2"), []byte("4x"), []byte("6")})))
	require.Equal(t, "2", string(JoinPayload([][]byte{[]byte("2")})))
	require.Empty(t, JoinPayload(nil))
}

func TestAppendOpen(t *testing.T) {
	t.Parallel()
	got := AppendOpen(nil, Handshake{
		SID: "abc", Upgrades: []string{"websocket"}, PingInterval: 25 * time.Second,
		PingTimeout: 20 * time.Second, MaxPayload: 1e6,
	})
	require.Equal(t, `0{"sid":"abc","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}`, string(got))
	got = AppendOpen(nil, Handshake{SID: "s", PingInterval: time.Second, PingTimeout: time.Second, MaxPayload: 1})
	require.Equal(t, `0{"sid":"s","upgrades":[],"pingInterval":1000,"pingTimeout":1000,"maxPayload":1}`, string(got))
}

func TestHTTPError_JSON(t *testing.T) {
	t.Parallel()
	require.JSONEq(t, `{"code":1,"message":"Session ID unknown"}`, string(ErrSessionUnknown.JSON()))
	require.Equal(t, 403, ErrForbidden.Status)
}
