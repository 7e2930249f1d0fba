package strictjson

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

type body struct {
	DeviceID string `json:"deviceId"`
	Count    *int   `json:"count,omitempty"`
	Raw      json.RawMessage
	Skipped  string `json:"-"`
	hidden   string //nolint:unused // proves unexported fields are left out
}

func TestFieldNames(t *testing.T) {
	t.Parallel()
	require.Equal(t, []string{"deviceId", "count", "Raw"}, FieldNames(&body{}))
	require.Equal(t, []string{"deviceId", "count", "Raw"}, FieldNames(body{}), "cached, value or pointer")
	require.Nil(t, FieldNames(new(int)))
	require.Nil(t, FieldNames(nil))
}

func TestDecode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    body
		keyErr  *KeyError
		unknown bool // refused by encoding/json's own unknown-field check
		wantErr error
	}{
		{name: "exact keys", in: `{"deviceId":"abc","count":2}`, want: body{DeviceID: "abc", Count: ptr(2)}},
		{name: "escaped key refused: not spelled exactly", in: `{"device\u0049d":"abc"}`, keyErr: &KeyError{Key: `device\u0049d`}},
		{name: "nested duplicates are not top-level keys", in: `{"Raw":{"a":1,"a":2}}`, want: body{Raw: json.RawMessage(`{"a":1,"a":2}`)}},
		{name: "case-insensitive match", in: `{"DeviceID":"abc"}`, keyErr: &KeyError{Key: "DeviceID"}},
		{name: "duplicate key", in: `{"deviceId":"a","deviceId":"b"}`, keyErr: &KeyError{Key: "deviceId", Duplicate: true}},
		{name: "duplicate after case fold", in: `{"deviceId":"a","DEVICEID":"b"}`, keyErr: &KeyError{Key: "DEVICEID"}},
		{name: "tagged out field", in: `{"Skipped":"x"}`, unknown: true},
		{name: "trailing value", in: `{"deviceId":"a"}{}`, wantErr: ErrTrailing},
		{name: "null is not an object", in: `null`, wantErr: ErrNotObject},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got body
			err := Decode([]byte(tt.in), &got)
			switch {
			case tt.keyErr != nil:
				var ke *KeyError
				require.ErrorAs(t, err, &ke)
				require.Equal(t, tt.keyErr, ke)
			case tt.unknown:
				require.ErrorContains(t, err, "unknown field")
			case tt.wantErr != nil:
				require.ErrorIs(t, err, tt.wantErr)
			default:
				require.NoError(t, err)
				require.Equal(t, tt.want, got)
			}
		})
	}
}

func TestKeyError_ClipsLongKeys(t *testing.T) {
	t.Parallel()
	err := &KeyError{Key: "abcdefghijklmnopqrstuvwxyz0123456789", Duplicate: true}
	require.Equal(t, `duplicate field "abcdefghijklmnopqrstuvwxyz012345..."`, err.Error())
}

func ptr[T any](v T) *T { return &v }

// FuzzCheckKeys feeds the key scanner input encoding/json never accepted:
// it must not panic or loop.
func FuzzCheckKeys(f *testing.F) {
	for _, s := range []string{`{"t":1,"id":[{"}":"]"}]}`, `{"t"`, `{,`, `{"a":"\"}`, `{"t":1,}`, ` `} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(_ *testing.T, data []byte) {
		_ = CheckKeys(data, []string{"t", "id", "d"})
	})
}

// FuzzDecode checks that whatever Decode accepts has only exact, unique
// keys: re-encoding the decoded value and decoding again gives it back.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{"deviceId":"a"}`, `{"deviceid":"a"}`, `{"count":1,"count":2}`, `{"Raw":[1,{"x":"}"}]}`, `[]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var got body
		if Decode(data, &got) != nil {
			return
		}
		again, err := json.Marshal(got)
		require.NoError(t, err)
		var back body
		require.NoError(t, Decode(again, &back), string(again))
	})
}

type outer struct {
	ID    int `json:"id"`
	Inner struct {
		A int `json:"a"`
	} `json:"inner"`
}

func TestDecodeObject_NestedUnknownKeyStillRefused(t *testing.T) {
	t.Parallel()
	var got outer
	err := Decode([]byte(`{"id":1,"inner":{"a":1,"zz":2}}`), &got)
	require.ErrorContains(t, err, `unknown field "zz"`)
	require.False(t, flat(&got), "CheckKeys sees only top-level keys")
}

func TestDecodeObject_ExactObjectTakesTheCheapPath(t *testing.T) {
	// Client frames are decoded twice each; the fast path must stay cheaper
	// than the streaming decoder it skips.
	data := []byte(`{"deviceId":"abc","count":2,"Raw":{"x":1}}`)
	keys := FieldNames(&body{})
	fast := testing.AllocsPerRun(200, func() {
		var b body
		require.NoError(t, DecodeObject(data, &b, keys...))
	})
	strict := testing.AllocsPerRun(200, func() {
		var b body
		require.NoError(t, decodeStrict(data, &b, keys))
	})
	require.Less(t, fast, strict)
}
