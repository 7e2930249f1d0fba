package main

import (
	"bytes"
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/proofstell/proofstell/gateway/ws/wsclient"
)

// benchPrefix starts the payload of every broadcast this program publishes;
// the number after it is the broadcast's sequence number. Other
// leaderboard:update frames (real games) are ignored.
const benchPrefix = `{"bench":`

// subscriber is one socket and what its reader saw.
type subscriber struct {
	client *wsclient.Client
	acked  chan struct{}
}

// fleet is the open sockets, their readers and the broadcast in flight.
type fleet struct {
	subs    []*subscriber
	readers sync.WaitGroup
	cancel  context.CancelFunc
	base    time.Time
	// sent holds, per sequence number, when the publish began (ns since base).
	sent []atomic.Int64
	cur  atomic.Pointer[round]
	// late counts receipts of a broadcast whose round had ended.
	late atomic.Int64
	// closed counts sockets the server closed during the run.
	closed atomic.Int64
}

// round is one broadcast being collected.
type round struct {
	seq       int
	remaining atomic.Int64
	done      chan struct{}
	mu        sync.Mutex
	latencies []time.Duration
}

func newRound(seq, subscribers int) *round {
	r := &round{seq: seq, done: make(chan struct{}), latencies: make([]time.Duration, 0, subscribers)}
	r.remaining.Store(int64(subscribers))
	return r
}

// receive records one subscriber's receipt.
func (r *round) receive(d time.Duration) {
	r.mu.Lock()
	r.latencies = append(r.latencies, d)
	r.mu.Unlock()
	if r.remaining.Add(-1) == 0 {
		close(r.done)
	}
}

// received returns the latencies recorded so far.
func (r *round) received() []time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]time.Duration(nil), r.latencies...)
}

// read consumes one socket's frames until it closes: acks to its
// subscription and the benchmark's broadcasts.
func (f *fleet) read(ctx context.Context, s *subscriber) {
	for {
		fr, err := s.client.Next(ctx)
		if err != nil {
			if ctx.Err() == nil {
				f.closed.Add(1)
			}
			return
		}
		at := time.Since(f.base)
		switch {
		case fr.T == "ack" && fr.ID == subscribeID:
			s.acked <- struct{}{}
		case fr.T == "leaderboard:update" && bytes.HasPrefix(fr.D, []byte(benchPrefix)):
			f.record(fr.D, at)
		}
	}
}

// record attributes a receipt to the round in flight.
func (f *fleet) record(d []byte, at time.Duration) {
	seq, err := strconv.Atoi(string(bytes.TrimSuffix(d[len(benchPrefix):], []byte("}"))))
	if err != nil || seq < 0 || seq >= len(f.sent) {
		return
	}
	r := f.cur.Load()
	if r == nil || r.seq != seq {
		f.late.Add(1)
		return
	}
	r.receive(at - time.Duration(f.sent[seq].Load()))
}

// close ends every socket and waits for the readers.
func (f *fleet) close() {
	f.cancel()
	for _, s := range f.subs {
		_ = s.client.Close() // best effort: the run is over
	}
	f.readers.Wait()
}
