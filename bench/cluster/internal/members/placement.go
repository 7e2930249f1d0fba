package members

import (
	"context"
	"net"
	"strconv"

	"github.com/asynkron/protoactor-go/cluster"
)

// sessionKind is the session grain's kind (actors/runtime/grains.KindSession).
const sessionKind = "session"

// Owner predicts which of the given members hosts the session grain id, with
// protoactor's own rendezvous hash over the members' remoting addresses (the
// placement the disthash identity lookup uses). The benchmarks classify by
// the proofstell_sessions_active gauges and use this as a cross-check. It returns -1
// when nodes is empty.
func (c *Cluster) Owner(id string, nodes []int) int {
	members := make(cluster.Members, 0, len(nodes))
	for _, i := range nodes {
		host, portText, err := net.SplitHostPort(c.members[i].Remote)
		if err != nil {
			continue
		}
		port, _ := strconv.Atoi(portText)
		members = append(members, &cluster.Member{
			Id: strconv.Itoa(i), Host: host, Port: int32(port), Kinds: []string{sessionKind}, //nolint:gosec // G115: a port
		})
	}
	r := cluster.NewRendezvous()
	r.UpdateMembers(members)
	addr := r.GetByClusterIdentity(cluster.NewClusterIdentity(id, sessionKind))
	for _, i := range nodes {
		if c.members[i].Remote == addr {
			return i
		}
	}
	return -1
}

// Placement is where a new session grain was found.
type Placement struct {
	// Host is the member whose proofstell_sessions_active grew by one while no other
	// member's moved; -1 when the gauges were ambiguous.
	Host int
	// Predicted is protoactor's rendezvous placement, for the cross-check.
	Predicted int
}

// Place runs start (which starts one session and returns its id) between
// two readings of proofstell_sessions_active on nodes, and finds where it landed. The
// caller serializes calls: two starts at once, or an activation stopping
// meanwhile, makes the result ambiguous (Host -1).
func (c *Cluster) Place(ctx context.Context, nodes []int, start func() (string, error)) (Placement, error) {
	before, err := c.GaugeAll(ctx, GaugeSessions, nodes)
	if err != nil {
		return Placement{}, err
	}
	id, err := start()
	if err != nil {
		return Placement{}, err
	}
	after, err := c.GaugeAll(ctx, GaugeSessions, nodes)
	if err != nil {
		return Placement{}, err
	}
	pl := Placement{Host: -1, Predicted: c.Owner(id, nodes)}
	if k := grewByOne(before, after); k >= 0 {
		pl.Host = nodes[k]
	}
	return pl, nil
}

// grewByOne is the index whose value grew by exactly one while every other
// stayed put, or -1.
func grewByOne(before, after []float64) int {
	host := -1
	for i := range before {
		switch after[i] - before[i] {
		case 0:
		case 1:
			if host >= 0 {
				return -1
			}
			host = i
		default:
			return -1
		}
	}
	return host
}

// All lists every member index.
func (c *Cluster) All() []int { return c.indexes() }
