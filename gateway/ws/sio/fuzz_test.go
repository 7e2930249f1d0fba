package sio

import (
	"bytes"
	"encoding/json"
	"testing"
)

func FuzzSplitPayload(f *testing.F) {
	for _, s := range []string{"2", "3\x1e4x\x1e6", "2probe", "bAQID", "\x1e", "", "40/realtime,{}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		packets, err := SplitPayload(body, 1<<20)
		if err != nil {
			return
		}
		// Every accepted payload re-encodes to itself.
		parts := make([][]byte, len(packets))
		for i, p := range packets {
			parts[i] = AppendPacket(nil, p)
		}
		if !bytes.Equal(JoinPayload(parts), body) {
			t.Fatalf("payload %q re-encodes differently", body)
		}
	})
}

func FuzzDecodeSocketPacket(f *testing.F) {
	for _, s := range []string{
		`0/realtime,{"token":"t"}`, `1/realtime,`, `2/realtime,12["game:start",{"mode":"classic"}]`,
		`3/realtime,1[]`, `51-/realtime,["a",{"_placeholder":true,"num":0}]`, `0`, `2["a"]`,
		`2/realtime`, `2/realtime,9007199254740991["a"]`, `4{"message":"x"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := DecodeSocketPacket(b)
		if err != nil {
			return
		}
		if p.ID < NoAck || p.ID > maxAckID {
			t.Fatalf("ack id %d out of range", p.ID)
		}
		if len(p.Data) > 0 && !json.Valid(p.Data) {
			t.Fatalf("accepted invalid json %q", p.Data)
		}
		if p.Kind == Event {
			name, arg, err := DecodeEvent(p.Data)
			if err == nil && arg != nil && !json.Valid(arg) {
				t.Fatalf("event %q: invalid argument", name)
			}
		}
	})
}

// FuzzClientDecoders: the decoders a client runs on server bytes never
// panic, and what they accept is valid JSON.
func FuzzClientDecoders(f *testing.F) {
	for _, s := range []string{
		`{"sid":"s","upgrades":[],"pingInterval":1,"pingTimeout":1,"maxPayload":1}`, `[{"a":1}]`, `[]`,
		`{"message":"m","data":{"code":"c"}}`, `{`, `null`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = ParseOpen(b)
		_, _, _ = DecodeConnectError(b)
		arg, err := DecodeAck(b)
		if err == nil && arg != nil && !json.Valid(arg) {
			t.Fatalf("ack %q: invalid argument", b)
		}
	})
}

// FuzzDecodeEvent: the allocation-free split agrees with encoding/json on
// every event it takes.
func FuzzDecodeEvent(f *testing.F) {
	for _, s := range []string{
		`["game:start",{"mode":"classic"}]`, `["ping"]`, `["a", {} ]`, `["a",1,2]`, `["a",]`,
		`["a\"b",{}]`, `["\u0067ame",{}]`, `["a" ,{}]`, `[ "a",{}]`, "[\"\xff\",{}]", `["a",[1,"]"]]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		name, arg, ok := splitEvent(data)
		if !ok {
			return
		}
		slowName, slowArg, err := decodeEventSlow(data)
		if err != nil || name != slowName || !bytes.Equal(arg, slowArg) {
			t.Fatalf("%q: split (%q, %q), encoding/json (%q, %q, %v)", data, name, arg, slowName, slowArg, err)
		}
	})
}
