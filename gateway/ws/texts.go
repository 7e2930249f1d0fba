package ws

import (
	"encoding/json"
	"net/http"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/player"
	"github.com/proofstell/proofstell/actors/runtime/fanout"
)

// Texts puts what one connection is sent into the language its handshake
// asked for. A nil *Texts, or a nil field, leaves frames as written.
type Texts struct {
	// Error translates an error frame's message by its code; it returns
	// message when it has nothing better.
	Error func(code, message string) string
	// Alert renders a notification:alert payload in the language; nil when
	// the stored words are already it (so alerts keep the broadcast's
	// shared frame).
	Alert func(data []byte) []byte
}

// texts is the Texts of the handshake request r: the language of its
// ?lang= then Accept-Language (Deps.Texts), nil without Deps.Texts.
func (h *Handler) texts(r *http.Request) *Texts {
	if h.deps.Texts == nil {
		return nil
	}
	return h.deps.Texts(r.URL.Query().Get("lang"), r.Header.Get("Accept-Language"))
}

// localize rewrites f when it is an error frame or a notification alert
// and t speaks for it; every other frame, and a payload that does not
// decode, pass unchanged.
func (t *Texts) localize(f player.Frame) player.Frame {
	switch {
	case t == nil:
	case f.Type == events.TypeError && t.Error != nil:
		var e events.Error
		if json.Unmarshal(f.Data, &e) != nil {
			return f
		}
		if msg := t.Error(e.Code, e.Message); msg != e.Message {
			e.Message = msg
			f.Data = events.Encode(e)
		}
	case f.Type == events.TypeNotificationAlert && t.Alert != nil:
		f.Data = t.Alert(f.Data)
	}
	return f
}

// ownFrame is the frame a connection sends for broadcast b when its
// language changes b (a notification alert); false keeps b's shared frame.
func (t *Texts) ownFrame(b *fanout.Broadcast) (player.Frame, bool) {
	if t == nil || t.Alert == nil || b.Event.GetType() != events.TypeNotificationAlert {
		return player.Frame{}, false
	}
	return player.Frame{Type: b.Event.GetType(), ID: b.Event.GetRequestId(), Data: t.Alert(b.Event.GetData())}, true
}
