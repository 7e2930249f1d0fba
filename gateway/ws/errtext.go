package ws

import (
	"encoding/json"
	"net/http"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/player"
)

// ErrorText translates the message of an error frame, by its code, into
// the language one connection's handshake asked for; it returns message
// when it has nothing better.
type ErrorText func(code, message string) string

// errorText is the ErrorText of the handshake request r: the language of
// its ?lang= then Accept-Language (Deps.Errors), nil without Deps.Errors.
func (h *Handler) errorText(r *http.Request) ErrorText {
	if h.deps.Errors == nil {
		return nil
	}
	return h.deps.Errors(r.URL.Query().Get("lang"), r.Header.Get("Accept-Language"))
}

// localize rewrites f's message when f is an error frame and t has a
// translation; every other frame, and a payload that does not decode,
// pass unchanged.
func (t ErrorText) localize(f player.Frame) player.Frame {
	if t == nil || f.Type != events.TypeError {
		return f
	}
	var e events.Error
	if json.Unmarshal(f.Data, &e) != nil {
		return f
	}
	if msg := t(e.Code, e.Message); msg != e.Message {
		e.Message = msg
		f.Data = events.Encode(e)
	}
	return f
}
