package analyticstest

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Ingested is one event a fake accepted.
type Ingested struct {
	// Key is the provider's deduplication key (PostHog uuid, Mixpanel
	// $insert_id); empty where the protocol has none.
	Key    string
	Name   string
	Player string
	Props  map[string]any
}

// Identity names the event regardless of deduplication keys: its name,
// player and properties (tests give events distinct properties).
func (i Ingested) Identity() string {
	p, _ := json.Marshal(i.Props)
	return i.Name + "|" + i.Player + "|" + string(p)
}

// protocol is one provider's request check: the events of a valid
// request, or why it is invalid, and the response status and body.
type protocol struct {
	name   string
	check  func(r *http.Request, body []byte) ([]Ingested, error)
	status int
	reply  string
}

// Fake is one provider's fake server. Its methods are safe from any
// goroutine.
type Fake struct {
	proto  protocol
	server *http.Server
	ln     net.Listener
	URL    string

	mu        sync.Mutex
	events    []Ingested
	seen      map[string]bool
	dupes     int
	requests  int
	sizes     []int
	cut       int
	problems  []string
	down      bool
	failN     int
	failCode  int
	failAfter time.Duration
	hold      chan struct{}
	held      chan struct{}
}

// maxBody bounds a request body the fakes read (the providers' own limits
// are far lower than this for the batches the node sends).
const maxBody = 16 << 20

func start(proto protocol, addr string) (*Fake, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("%s fake: %w", proto.name, err)
	}
	f := &Fake{proto: proto, ln: ln, URL: "http://" + ln.Addr().String(), seen: map[string]bool{}, held: make(chan struct{}, 64)}
	f.server = &http.Server{Handler: http.HandlerFunc(f.serve), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = f.server.Serve(ln) }()
	return f, nil
}

// Close stops the server.
func (f *Fake) Close() error {
	f.Release()
	return f.server.Close()
}

func (f *Fake) serve(w http.ResponseWriter, r *http.Request) {
	if f.isDown() {
		hangUp(w)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		return
	}
	events, err := f.proto.check(r, body)
	f.mu.Lock()
	f.requests++
	if err != nil {
		f.problems = append(f.problems, err.Error())
	}
	code, after := f.nextFault()
	hold := f.hold
	f.mu.Unlock()
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if code != 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(after/time.Second)))
		http.Error(w, "fault", code)
		return
	}
	if hold != nil && !f.wait(r, hold) {
		return
	}
	f.ingest(events)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(f.proto.status)
	_, _ = io.WriteString(w, f.proto.reply)
}

// wait blocks a held request until release; false when its client went
// away first (nothing is ingested).
func (f *Fake) wait(r *http.Request, hold chan struct{}) bool {
	f.held <- struct{}{}
	select {
	case <-hold:
		return true
	case <-r.Context().Done():
		f.mu.Lock()
		f.cut++
		f.mu.Unlock()
		return false
	}
}

func (f *Fake) ingest(events []Ingested) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sizes = append(f.sizes, len(events))
	for _, e := range events {
		if e.Key != "" && f.seen[e.Key] {
			f.dupes++
			continue
		}
		f.seen[e.Key] = true
		f.events = append(f.events, e)
	}
}

func (f *Fake) nextFault() (int, time.Duration) {
	if f.failN == 0 {
		return 0, 0
	}
	if f.failN > 0 {
		f.failN--
	}
	return f.failCode, f.failAfter
}

func (f *Fake) isDown() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.down
}

// hangUp closes the connection without an answer: the client sees a
// network error, as with a provider that is down.
func hangUp(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		return
	}
	c, _, err := hj.Hijack()
	if err == nil {
		_ = c.Close()
	}
}
