package ws

import (
	"net"
	"testing"
	"time"
)

// deadlineConn records the write deadlines set on it.
type deadlineConn struct {
	net.Conn
	set []time.Time
}

func (c *deadlineConn) SetWriteDeadline(t time.Time) error {
	c.set = append(c.set, t)
	return nil
}

func TestCorkConn_DeadlineArmedOncePerSlack(t *testing.T) {
	under := &deadlineConn{}
	c := &corkConn{Conn: under}
	base := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)

	// Frame after frame, each a few ms later: one timer arm, not one per frame.
	for i := range 20 {
		if err := c.SetWriteDeadline(base.Add(time.Duration(i) * 10 * time.Millisecond)); err != nil {
			t.Fatal(err)
		}
	}
	if len(under.set) != 1 || !under.set[0].Equal(base) {
		t.Fatalf("deadlines set %v, want only %v", under.set, base)
	}
	// Past the slack the deadline moves on.
	later := base.Add(deadlineSlack)
	_ = c.SetWriteDeadline(later)
	// An earlier deadline (an abort) and no deadline always apply.
	_ = c.SetWriteDeadline(base)
	_ = c.SetWriteDeadline(time.Time{})
	_ = c.SetWriteDeadline(base)
	want := []time.Time{base, later, base, {}, base}
	if len(under.set) != len(want) {
		t.Fatalf("deadlines set %v, want %v", under.set, want)
	}
	for i := range want {
		if !under.set[i].Equal(want[i]) {
			t.Fatalf("deadline %d = %v, want %v", i, under.set[i], want[i])
		}
	}
}

func TestCorkConn_ExpireIsNeverCoarsened(t *testing.T) {
	under := &deadlineConn{}
	c := &corkConn{Conn: under}
	_ = c.SetWriteDeadline(time.Now().Add(time.Hour))
	c.expire()
	if len(under.set) != 2 || !under.set[1].Before(time.Now().Add(time.Second)) {
		t.Fatalf("expire did not arm a deadline now: %v", under.set)
	}
	// While stalled nothing replaces the expired deadline.
	_ = c.SetWriteDeadline(time.Now().Add(time.Hour))
	if len(under.set) != 2 {
		t.Fatalf("a stalled connection took a new deadline: %v", under.set)
	}
}
