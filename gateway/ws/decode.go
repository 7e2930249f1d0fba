package ws

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/player"
	"github.com/proofstell/proofstell/internal/strictjson"
)

// envelope is a client frame: {"t": type, "id": request id, "d": payload}.
type envelope struct {
	T  string          `json:"t"`
	ID int64           `json:"id"`
	D  json.RawMessage `json:"d"`
}

// DecodeCommand turns one client text frame into a validated command stamped
// with receivedAt. It is pure: no I/O, no clock. The envelope is read here;
// the payload by its row of the client protocol (player.ClientMessageOf).
// Unknown fields, wrong types, missing fields and trailing data are
// rejected; the error carries the request id whenever the envelope's "id"
// could be read.
func DecodeCommand(raw []byte, receivedAt time.Time) (player.Command, *DecodeError) {
	cmd, _, derr := decodeFrame(raw, receivedAt)
	return cmd, derr
}

// decodeFrame is DecodeCommand that also returns the frame's protocol row.
func decodeFrame(raw []byte, receivedAt time.Time) (player.Command, player.ClientMessage, *DecodeError) {
	var env envelope
	if err := decodeObject(raw, &env, "t", "id", "d"); err != nil {
		return player.Command{}, player.ClientMessage{}, badRequest(max(env.ID, 0), "invalid frame: "+describe(err))
	}
	if env.ID < 0 {
		return player.Command{}, player.ClientMessage{}, badRequest(0, "id must not be negative")
	}
	if env.T == "" {
		return player.Command{}, player.ClientMessage{}, badRequest(env.ID, `missing frame type "t"`)
	}
	msg, ok := player.ClientMessageOf(env.T)
	if !ok {
		return player.Command{}, player.ClientMessage{}, &DecodeError{ID: env.ID, Code: events.CodeUnknownType, Message: "unknown frame type"}
	}
	body, err := msg.Decode(env.D)
	if err != nil {
		return player.Command{}, player.ClientMessage{}, badRequest(env.ID, "invalid payload: "+describe(err))
	}
	return player.Command{ID: env.ID, ReceivedAt: receivedAt, Body: body}, msg, nil
}

func badRequest(id int64, msg string) *DecodeError {
	return &DecodeError{ID: id, Code: events.CodeBadRequest, Message: msg}
}

// decodeObject decodes exactly one JSON object into v, whose exported fields
// are tagged with exactly keys; strictjson refuses keys that match only
// case-insensitively and repeated keys, which encoding/json alone accepts.
func decodeObject(data []byte, v any, keys ...string) error {
	return strictjson.DecodeObject(data, v, keys...)
}

// describe turns a decoding error into a message fit for clients: it names
// the offending field, never Go types.
func describe(err error) string {
	var syntaxErr *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.Is(err, player.ErrNoPayload):
		return `missing payload "d"`
	case errors.Is(err, player.ErrPayloadNotObject):
		return `payload "d" must be an object`
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return fmt.Sprintf("field %q has the wrong type", typeErr.Field)
	case errors.As(err, &typeErr):
		return strictjson.ErrNotObject.Error()
	case errors.As(err, &syntaxErr), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "malformed json"
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		// encoding/json has no typed error for this; the key is quoted.
		key, uerr := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		if uerr != nil {
			return "unknown field"
		}
		return fmt.Sprintf("unknown field %q", strictjson.Clip(key))
	default:
		return err.Error()
	}
}
