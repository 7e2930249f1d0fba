// Package strictjson decodes the JSON objects clients send, holding them to
// the exact field names of the target: encoding/json alone matches keys
// case-insensitively ("DeviceID" fills deviceId) and lets a repeated key
// override the first, so a proxy or validator reading the first key and the
// server reading the last could disagree. Both gateways (WebSocket frames
// and REST bodies) decode through it. It is driver-free and allocation-light.
package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"sync"
)

var (
	// ErrTrailing reports bytes after the single JSON value.
	ErrTrailing = errors.New("trailing data after json value")
	// ErrNotObject reports a value that is not a JSON object.
	ErrNotObject = errors.New("expected a json object")
)

// MaxKeyInMessage bounds how much of a client's key an error message echoes.
const MaxKeyInMessage = 32

// KeyError is a member whose key is not one of the target's field names
// (spelled exactly) or repeats an earlier key.
type KeyError struct {
	// Key is the key as sent (raw JSON string contents, unescaped).
	Key string
	// Duplicate is true for a repeated key, false for an unknown one.
	Duplicate bool
}

// Error names the key, clipped to MaxKeyInMessage bytes.
func (e *KeyError) Error() string {
	if e.Duplicate {
		return fmt.Sprintf("duplicate field %q", Clip(e.Key))
	}
	return fmt.Sprintf("unknown field %q", Clip(e.Key))
}

// Clip shortens s to MaxKeyInMessage bytes for an error message.
func Clip(s string) string {
	if len(s) > MaxKeyInMessage {
		return s[:MaxKeyInMessage] + "..."
	}
	return s
}

// DecodeObject decodes exactly one JSON object from data into v, whose
// fields are tagged with exactly keys (every key must name a field of v): unknown fields (encoding/json's error),
// trailing data (ErrTrailing), keys matching only case-insensitively and
// repeated keys (*KeyError) are refused.
func DecodeObject(data []byte, v any, keys ...string) error {
	// Fast path for what clients almost always send: exactly the expected
	// keys and one valid value, decoded by one Unmarshal (a quarter of the
	// streaming decoder's allocations; every WebSocket frame passes here
	// twice). Unmarshal refuses trailing data and, with every key spelled as
	// a field, there is no unknown field to allow. Anything else takes the
	// strict path below from the start, so refusals keep their errors.
	if flat(v) && CheckKeys(data, keys) == nil && json.Unmarshal(data, v) == nil {
		return nil
	}
	return decodeStrict(data, v, keys)
}

// flatTypes caches flat per struct type.
var flatTypes sync.Map // reflect.Type -> bool

// flat reports whether v points to a struct none of whose fields holds a
// struct: CheckKeys sees only top-level keys, so unknown keys of a nested
// object are refused only by the strict path's DisallowUnknownFields.
func flat(v any) bool {
	t := reflect.TypeOf(v)
	if known, ok := flatTypes.Load(t); ok {
		return known.(bool) //nolint:forcetypeassert // only bools are stored
	}
	isFlat := t != nil && t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct
	for i := 0; isFlat && i < t.Elem().NumField(); i++ {
		isFlat = !holdsStruct(t.Elem().Field(i).Type)
	}
	flatTypes.Store(t, isFlat)
	return isFlat
}

func holdsStruct(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
		t = t.Elem()
	}
	return t.Kind() == reflect.Struct || t.Kind() == reflect.Map || t.Kind() == reflect.Interface
}

// decodeStrict is DecodeObject's full check, which names what is wrong.
func decodeStrict(data []byte, v any, keys []string) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return ErrTrailing
	}
	return CheckKeys(data, keys)
}

// Decode is DecodeObject with the keys read from v's struct tags (v points
// to a struct; see FieldNames).
func Decode(data []byte, v any) error {
	return DecodeObject(data, v, FieldNames(v)...)
}

// fieldNames caches FieldNames per struct type.
var fieldNames sync.Map // reflect.Type -> []string

// FieldNames lists the JSON member names encoding/json fills in the struct v
// points to: the tag name, or the Go name of an untagged exported field;
// fields tagged "-" and unexported fields are left out. Embedded structs are
// not flattened (no request type uses them).
func FieldNames(v any) []string {
	t := reflect.TypeOf(v)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	if names, ok := fieldNames.Load(t); ok {
		return names.([]string)
	}
	names := make([]string, 0, t.NumField())
	for i := range t.NumField() {
		if name, ok := jsonName(t.Field(i)); ok {
			names = append(names, name)
		}
	}
	fieldNames.Store(t, names)
	return names
}

func jsonName(f reflect.StructField) (string, bool) {
	if !f.IsExported() {
		return "", false
	}
	tag := f.Tag.Get("json")
	if tag == "-" {
		return "", false
	}
	name, _, _ := strings.Cut(tag, ",")
	if name == "" {
		name = f.Name
	}
	return name, true
}
