package ws

import (
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/proofstell/proofstell/actors/player"
)

type echoAttacher struct{}

func (echoAttacher) Attach(id player.Identity, c player.Conn) (func(player.Command), func()) {
	return func(cmd player.Command) {
		if cmd.ID != 0 {
			c.Send(player.Frame{Type: "ack", ID: cmd.ID, Data: []byte(`{"ok":true,"player":"` + id.PlayerID + `"}`)})
		} else {
			c.Send(player.Frame{Type: "game:started", Data: []byte(`{"echo":true}`)})
		}
		if _, ok := cmd.Body.(player.StartGame); ok && cmd.Body.(player.StartGame).Mode == "bye" {
			go c.Close(CloseGoingAway, ReasonShuttingDown)
		}
	}, func() {}
}

func TestManualServe(t *testing.T) {
	addr := os.Getenv("SIO_MANUAL_ADDR")
	if addr == "" {
		t.Skip()
	}
	cfg := testConfig()
	cfg.SocketIO.PingInterval = 300 * time.Millisecond
	cfg.SocketIO.PingTimeout = 300 * time.Millisecond
	h := NewHandler(Deps{Config: cfg, Authenticate: authenticateTestToken, Attach: echoAttacher{}})
	mux := http.NewServeMux()
	mux.Handle("/socket.io/", h.SocketIO())
	srv := &http.Server{Addr: addr, Handler: mux}
	go func() { time.Sleep(60 * time.Second); _ = srv.Close() }()
	_ = srv.ListenAndServe()
}
