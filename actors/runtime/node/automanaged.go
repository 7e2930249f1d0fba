package node

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/asynkron/protoactor-go/cluster"
	"github.com/asynkron/protoactor-go/remote"
)

// memberPath is the discovery endpoint every automanaged member serves.
const memberPath = "/cluster/v1/member"

// minProbeTimeout keeps a probe of a busy but healthy peer from failing on a
// short probe interval; a killed peer refuses the connection at once anyway.
const minProbeTimeout = 500 * time.Millisecond

// automanaged is membership without infrastructure: every member serves its
// own description on its discovery address and probes the fixed peer list.
// A peer is a member while it answers; it leaves after suspectAfter failed
// probes in a row, at once when it says it is leaving, and at once when its
// discovery port refuses connections (the process is gone: killed, crashed
// or restarting under a new member id). A broken remoting connection to a
// peer triggers an immediate probe round, so a killed member leaves the
// topology within milliseconds rather than probe intervals.
//
// protoactor's own automanaged provider binds 0.0.0.0 and drops every peer
// when one probe fails, so this one replaces it.
type automanaged struct {
	discoveryAddr string
	peers         []string
	interval      time.Duration
	suspectAfter  int
	logger        *slog.Logger

	topo     *topology
	self     memberInfo
	leaving  atomic.Bool
	server   *http.Server
	client   *http.Client
	base     context.Context // parent of the probe loop (the node's)
	stop     context.CancelFunc
	done     chan struct{}
	peerView sync.Map // discovery addr -> peerAnswer, the latest probe
	wake     chan struct{}
	stopOnce sync.Once
}

// peerAnswer is the latest probe of a peer, for Leave.
type peerAnswer struct {
	info memberInfo
	ok   bool
	at   time.Time
}

// peerState is the prober's memory of one peer.
type peerState struct {
	info     memberInfo
	seen     bool
	failures int
}

func newAutomanaged(base context.Context, discoveryAddr string, peers []string, interval time.Duration, suspectAfter int, logger *slog.Logger) *automanaged {
	timeout := max(4*interval, minProbeTimeout)
	return &automanaged{
		base:          base,
		discoveryAddr: discoveryAddr, peers: slices.Clone(peers), interval: interval,
		suspectAfter: suspectAfter, logger: logger, done: make(chan struct{}), wake: make(chan struct{}, 1),
		client: &http.Client{Timeout: timeout, Transport: &http.Transport{
			DisableKeepAlives: false, MaxIdleConnsPerHost: 1, IdleConnTimeout: time.Minute,
		}},
	}
}

// StartMember serves this member's description and starts probing.
func (p *automanaged) StartMember(c *cluster.Cluster) error {
	self, err := selfInfo(c)
	if err != nil {
		return fmt.Errorf("automanaged: %w", err)
	}
	c.ActorSystem.EventStream.Subscribe(func(evt any) {
		if _, ok := evt.(*remote.EndpointTerminatedEvent); ok {
			p.probeNow()
		}
	})
	return p.start(self, newTopology(c))
}

// probeNow asks for a probe round at once (coalesced with a pending one).
func (p *automanaged) probeNow() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// start serves self and probes peers, applying views to topo.
func (p *automanaged) start(self memberInfo, topo *topology) error {
	p.self, p.topo = self, topo
	listener, err := net.Listen("tcp", p.discoveryAddr)
	if err != nil {
		return fmt.Errorf("automanaged: listen on discovery address %s: %w", p.discoveryAddr, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+memberPath, p.serveMember)
	p.server = &http.Server{Handler: mux, ReadHeaderTimeout: time.Second}
	go func() { _ = p.server.Serve(listener) }()
	ctx, cancel := context.WithCancel(p.base)
	p.stop = cancel
	go p.probeLoop(ctx)
	return nil
}

// StartClient is not supported: every node is a full member.
func (p *automanaged) StartClient(*cluster.Cluster) error {
	return errors.New("automanaged: client mode is not supported")
}

// Shutdown stops probing and serving; safe to call twice.
func (p *automanaged) Shutdown(bool) error {
	p.stopOnce.Do(func() {
		if p.stop == nil {
			return
		}
		p.stop()
		<-p.done
		ctx, cancel := context.WithTimeout(context.WithoutCancel(p.base), time.Second)
		defer cancel()
		_ = p.server.Shutdown(ctx)
	})
	return nil
}

func (p *automanaged) serveMember(w http.ResponseWriter, _ *http.Request) {
	info := p.self
	info.Leaving = p.leaving.Load()
	info.Blocked = p.topo.blockedIDs()
	info.Members = p.topo.memberIDs()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(info)
}

func (p *automanaged) probeLoop(ctx context.Context) {
	defer close(p.done)
	states := make(map[string]*peerState, len(p.peers))
	for _, peer := range p.peers {
		states[peer] = &peerState{}
	}
	ticker := time.NewTicker(p.interval)
	defer ticker.Stop()
	for {
		p.probeRound(ctx, states)
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		case <-p.wake:
		}
	}
}

// probeRound asks every peer at once and applies the resulting view.
func (p *automanaged) probeRound(ctx context.Context, states map[string]*peerState) {
	type answer struct {
		peer string
		info memberInfo
		err  error
	}
	answers := make(chan answer, len(states))
	for peer := range states {
		go func() {
			info, err := p.probe(ctx, peer)
			answers <- answer{peer: peer, info: info, err: err}
		}()
	}
	for range states {
		a := <-answers
		st := states[a.peer]
		p.peerView.Store(a.peer, peerAnswer{info: a.info, ok: a.err == nil, at: time.Now()})
		if a.err != nil {
			st.failures++
			if errors.Is(a.err, syscall.ECONNREFUSED) {
				st.failures = max(st.failures, p.suspectAfter) // nothing listens: the process is gone
			}
			if st.seen && st.failures == p.suspectAfter {
				p.logger.Warn("cluster peer stopped answering", slog.String("peer", a.peer), slog.Any("error", a.err))
			}
			continue
		}
		st.info, st.seen, st.failures = a.info, true, 0
	}
	if ctx.Err() != nil {
		return
	}
	p.applyView(states)
}

// applyView turns peer states into the topology and checks for eviction.
func (p *automanaged) applyView(states map[string]*peerState) {
	members := make([]*cluster.Member, 0, len(states))
	for peer, st := range states {
		switch {
		case !st.seen || st.failures >= p.suspectAfter || st.info.Leaving:
		case st.info.Cluster != p.self.Cluster:
			p.logger.Warn("cluster peer belongs to another cluster", slog.String("peer", peer), slog.String("cluster", st.info.Cluster))
		default:
			members = append(members, st.info.member())
			if slices.Contains(st.info.Blocked, p.self.ID) {
				p.topo.markEvicted()
			}
		}
	}
	if p.leaving.Load() {
		return // keep the last view while handing grains over
	}
	p.topo.apply(members)
	if slices.ContainsFunc(members, func(m *cluster.Member) bool { return m.Id == p.self.ID }) {
		p.topo.markReady()
	}
}

func (p *automanaged) probe(ctx context.Context, peer string) (memberInfo, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+peer+memberPath, nil)
	if err != nil {
		return memberInfo{}, err
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return memberInfo{}, err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return memberInfo{}, fmt.Errorf("probe %s: status %d", peer, resp.StatusCode)
	}
	var info memberInfo
	if err := json.NewDecoder(http.MaxBytesReader(nil, resp.Body, 64<<10)).Decode(&info); err != nil {
		return memberInfo{}, fmt.Errorf("probe %s: %w", peer, err)
	}
	return info, nil
}

// Ready is closed once this member has seen itself in the topology.
func (p *automanaged) Ready() <-chan struct{} { return p.topo.ready }

// Evicted is closed when a peer reports this member removed for good.
func (p *automanaged) Evicted() <-chan struct{} { return p.topo.evicted }

// Leave announces the graceful departure and waits until no live peer lists
// this member any more (or ctx ends), so grains re-activate elsewhere rather
// than here.
func (p *automanaged) Leave(ctx context.Context) error {
	p.leaving.Store(true)
	began := time.Now()
	ticker := time.NewTicker(p.interval)
	defer ticker.Stop()
	for {
		if !p.listedByPeers(began) {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("leave cluster: peers still list this member: %w", ctx.Err())
		case <-ticker.C:
		}
	}
}

// listedByPeers reports whether some live peer may still route to this
// member: it has not been probed since the leave began, or its latest answer
// still lists this member. Peers that fail probes do not hold the leave up.
func (p *automanaged) listedByPeers(began time.Time) bool {
	listed := false
	p.peerView.Range(func(_, v any) bool {
		a, _ := v.(peerAnswer)
		switch {
		case a.ok && a.info.ID == p.self.ID:
		case a.at.Before(began):
			listed = true
		case a.ok && !a.info.Leaving && slices.Contains(a.info.Members, p.self.ID):
			listed = true
		}
		return !listed
	})
	return listed
}
