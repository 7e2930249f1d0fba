package ws

import (
	"context"
	"testing"
	"time"

	"github.com/proofstell/proofstell/actors/player"
	"github.com/proofstell/proofstell/gateway/ws/sio"
)

// nopAttacher attaches no actor: commands are dropped.
type nopAttacher struct{}

func (nopAttacher) Attach(player.Identity, player.Conn) (func(player.Command), func()) {
	return func(player.Command) {}, func() {}
}

// FuzzSocketIOInbound feeds a polling body to a session, connected or not,
// through the gateway's whole inbound path (Engine.IO packet, Socket.IO
// packet, event, protocol table): nothing may panic, and the session ends
// cleanly whatever it read.
func FuzzSocketIOInbound(f *testing.F) {
	for _, s := range []string{
		`40/realtime,{"token":"good-p1"}` + "\x1e" + `42/realtime,0["game:start",{"mode":"classic"}]`,
		`40/realtime,{"token":"good-p1"}` + "\x1e" + `42/realtime,["ping"]` + "\x1e3\x1e2probe\x1e6\x1e5",
		`40/realtime,{"token":"good-p1"}` + "\x1e" + `41/realtime,`,
		"4", "40", "40/admin,{}", `42/realtime,1["game:whack",{"sessionId":"x","hole":1,"moleId":2}]`,
		"451-/realtime,[]", "1", `40/realtime,{"token":"good-p1"}` + "\x1e4" + "\x1e42/realtime,[]",
	} {
		f.Add([]byte(s))
	}
	h := NewHandler(Deps{Config: testConfig(), Authenticate: authenticateTestToken, Attach: nopAttacher{}})
	f.Fuzz(func(t *testing.T, body []byte) {
		packets, err := sio.SplitPayload(body, 1<<16)
		if err != nil {
			return
		}
		if !h.reg.enter() {
			t.Fatal("handler closed")
		}
		s := h.sio.open(context.Background(), nil)
		s.readMu.Lock()
		for _, p := range packets {
			s.handle(p, time.Now())
		}
		s.readMu.Unlock()
		s.requestClose(CloseGoingAway, "", closePeerGone)
		<-s.done
	})
}
