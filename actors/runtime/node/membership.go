package node

import (
	"slices"
	"sync"

	"github.com/asynkron/protoactor-go/cluster"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

var (
	clusterMembers = promauto.NewGauge(prometheus.GaugeOpts{
		Name: "proofstell_cluster_members",
		Help: "Members in this node's view of the cluster topology.",
	})
	topologyChanges = promauto.NewCounter(prometheus.CounterOpts{
		Name: "proofstell_cluster_topology_changes_total",
		Help: "Topology updates this node applied (joins and leaves).",
	})
)

// memberInfo is what a member publishes about itself to its peers (the
// automanaged discovery endpoint, the etcd value).
type memberInfo struct {
	Cluster string   `json:"cluster"`
	ID      string   `json:"id"`
	Host    string   `json:"host"`
	Port    int      `json:"port"`
	Kinds   []string `json:"kinds"`
	// Leaving is set once a graceful shutdown began: peers drop the member
	// at once instead of waiting for it to fail probes.
	Leaving bool `json:"leaving,omitempty"`
	// Blocked are the member ids this member has removed from its topology.
	// protoactor never re-admits a removed id, so a member that finds its own
	// id here has been evicted and must restart under a new one.
	Blocked []string `json:"blocked,omitempty"`
	// Members are the ids in this member's current topology; a leaving member
	// waits until no live peer lists it any more.
	Members []string `json:"members,omitempty"`
}

func (m memberInfo) member() *cluster.Member {
	return &cluster.Member{Id: m.ID, Host: m.Host, Port: int32(m.Port), Kinds: slices.Clone(m.Kinds)} //nolint:gosec // G115: ports fit in int32
}

// selfInfo describes this member from its running cluster.
func selfInfo(c *cluster.Cluster) (memberInfo, error) {
	host, port, err := c.ActorSystem.GetHostPort()
	if err != nil {
		return memberInfo{}, err
	}
	return memberInfo{
		Cluster: c.Config.Name, ID: c.ActorSystem.ID, Host: host, Port: port, Kinds: c.GetClusterKinds(),
	}, nil
}

// topology applies membership views to protoactor's member list, once per
// change, and signals readiness and eviction. Providers own one each.
type topology struct {
	// update hands a view to protoactor (MemberList.UpdateClusterTopology);
	// blocked lists the ids protoactor removed for good.
	update  func(cluster.Members)
	blocked func() []string

	mu      sync.Mutex
	current []string // member ids applied last, sorted
	ready   chan struct{}
	readyOK sync.Once
	evicted chan struct{}
	evictOK sync.Once
}

func newTopology(c *cluster.Cluster) *topology {
	return newTopologyWith(c.MemberList.UpdateClusterTopology, func() []string { return c.GetBlockedMembers().ToSlice() })
}

func newTopologyWith(update func(cluster.Members), blocked func() []string) *topology {
	return &topology{update: update, blocked: blocked, ready: make(chan struct{}), evicted: make(chan struct{})}
}

// apply hands members to protoactor when the set changed. An empty view is
// ignored: a member always sees itself, so empty means "could not tell".
func (t *topology) apply(members []*cluster.Member) {
	if len(members) == 0 {
		return
	}
	ids := make([]string, len(members))
	for i, m := range members {
		ids[i] = m.Id
	}
	slices.Sort(ids)
	t.mu.Lock()
	defer t.mu.Unlock()
	if slices.Equal(ids, t.current) {
		return
	}
	t.current = ids
	clusterMembers.Set(float64(len(ids)))
	topologyChanges.Inc()
	t.update(members)
}

// markReady records that the topology is known.
func (t *topology) markReady() { t.readyOK.Do(func() { close(t.ready) }) }

// markEvicted records that the cluster removed this member for good.
func (t *topology) markEvicted() { t.evictOK.Do(func() { close(t.evicted) }) }

// memberIDs is the topology applied last.
func (t *topology) memberIDs() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return slices.Clone(t.current)
}

// blockedIDs lists the member ids protoactor has removed, for peers to see.
func (t *topology) blockedIDs() []string { return t.blocked() }
