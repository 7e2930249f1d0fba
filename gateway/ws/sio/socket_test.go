package sio

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDecodeSocketPacket(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want SocketPacket
		err  error
	}{
		{in: `0/realtime,{"token":"t"}`, want: SocketPacket{Kind: Connect, Namespace: "/realtime", ID: NoAck, Data: json.RawMessage(`{"token":"t"}`)}},
		{in: `0/realtime,`, want: SocketPacket{Kind: Connect, Namespace: "/realtime", ID: NoAck}},
		{in: `0`, want: SocketPacket{Kind: Connect, Namespace: "/", ID: NoAck}},
		{in: `0{"token":"t"}`, want: SocketPacket{Kind: Connect, Namespace: "/", ID: NoAck, Data: json.RawMessage(`{"token":"t"}`)}},
		{in: `1/realtime,`, want: SocketPacket{Kind: Disconnect, Namespace: "/realtime", ID: NoAck}},
		{in: `2/realtime,["ping"]`, want: SocketPacket{Kind: Event, Namespace: "/realtime", ID: NoAck, Data: json.RawMessage(`["ping"]`)}},
		{in: `2/realtime,0["ping"]`, want: SocketPacket{Kind: Event, Namespace: "/realtime", ID: 0, Data: json.RawMessage(`["ping"]`)}},
		{in: `2/realtime,12["a",{}]`, want: SocketPacket{Kind: Event, Namespace: "/realtime", ID: 12, Data: json.RawMessage(`["a",{}]`)}},
		{in: `27["a"]`, want: SocketPacket{Kind: Event, Namespace: "/", ID: 7, Data: json.RawMessage(`["a"]`)}},
		{in: `3/realtime,4[]`, want: SocketPacket{Kind: Ack, Namespace: "/realtime", ID: 4, Data: json.RawMessage(`[]`)}},
		{in: `/`, err: ErrUnknownKind},
		{in: ``, err: ErrEmptyPacket},
		{in: `9`, err: ErrUnknownKind},
		{in: `51-/realtime,["a",{"_placeholder":true,"num":0}]`, err: ErrBinary},
		{in: `6/realtime,1-3[]`, err: ErrBinary},
		{in: `2/realtime,`, err: ErrBadData},
		{in: `2/realtime,{"a":1}`, err: ErrBadData},
		{in: `2/realtime,["a"`, err: ErrBadData},
		{in: `0/realtime,[1]`, err: ErrBadData},
		{in: `1/realtime,{}`, err: ErrBadData},
		{in: `2/realtime,99999999999999999999["a"]`, err: ErrBadAckID},
		{in: `2/realtime,9007199254740992["a"]`, err: ErrBadAckID},
	}
	for _, tt := range tests {
		got, err := DecodeSocketPacket([]byte(tt.in))
		if tt.err != nil {
			require.ErrorIs(t, err, tt.err, tt.in)
			continue
		}
		require.NoError(t, err, tt.in)
		require.Equal(t, tt.want, got, tt.in)
	}
}

func TestDecodeEvent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, name, arg string
		err           bool
	}{
		{in: `["ping"]`, name: "ping"},
		{in: `["game:start",{"mode":"classic"}]`, name: "game:start", arg: `{"mode":"classic"}`},
		{in: `["a",null]`, name: "a", arg: `null`},
		{in: `[]`, err: true},
		{in: `[1]`, err: true},
		{in: `["a",{},{}]`, err: true},
		{in: `{}`, err: true},
		{in: `[`, err: true},
	}
	for _, tt := range tests {
		name, arg, err := DecodeEvent(json.RawMessage(tt.in))
		if tt.err {
			require.ErrorIs(t, err, ErrBadEvent, tt.in)
			continue
		}
		require.NoError(t, err, tt.in)
		require.Equal(t, tt.name, name)
		require.Equal(t, tt.arg, string(arg))
	}
}

func TestAppendSocketPackets(t *testing.T) {
	t.Parallel()
	const nsp = "/realtime"
	require.Equal(t, `42/realtime,["game:started",{"a":1}]`, string(AppendEvent(nil, nsp, "game:started", []byte(`{"a":1}`))))
	require.Equal(t, `42/realtime,["x",{}]`, string(AppendEvent(nil, nsp, "x", nil)))
	require.Equal(t, `42["x",{}]`, string(AppendEvent(nil, "/", "x", nil)))
	require.Equal(t, `43/realtime,5[{"ok":true}]`, string(AppendAck(nil, nsp, 5, []byte(`{"ok":true}`))))
	require.Equal(t, `40/realtime,{"sid":"s1"}`, string(AppendConnect(nil, nsp, "s1")))
	require.Equal(t, `44/realtime,{"message":"bad token","data":{"code":"unauthorized"}}`,
		string(AppendConnectError(nil, nsp, "bad token", "unauthorized")))
	require.Equal(t, `44/admin,{"message":"Invalid namespace"}`, string(AppendConnectError(nil, "/admin", "Invalid namespace", "")))
	require.Equal(t, `41/realtime,`, string(AppendDisconnect(nil, nsp)))
}

// TestRoundTrip: what the server encodes, the decoder reads back.
func TestRoundTrip(t *testing.T) {
	t.Parallel()
	msg := AppendAck(nil, "/realtime", 3, []byte(`{"x":"y"}`))
	p, err := ParsePacket(msg)
	require.NoError(t, err)
	sp, err := DecodeSocketPacket(p.Data)
	require.NoError(t, err)
	require.Equal(t, SocketPacket{Kind: Ack, Namespace: "/realtime", ID: 3, Data: json.RawMessage(`[{"x":"y"}]`)}, sp)
}
