package node

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/cluster"
	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/proofstell/proofstell/internal/logging"
)

// etcdDialTimeout bounds the first connection to etcd at start.
const etcdDialTimeout = 5 * time.Second

// etcdMembership registers this member under /proofstell/<cluster>/members/
// with a lease and watches the prefix: a member is in the topology while
// its key exists. A killed member's key expires with its lease (TTL), a
// leaving one deletes it at once.
type etcdMembership struct {
	endpoints []string
	ttl       time.Duration
	logger    *slog.Logger

	topo     *topology
	self     memberInfo
	client   *clientv3.Client
	lease    clientv3.LeaseID
	prefix   string
	leaving  atomic.Bool
	base     context.Context // parent of the watch (the node's)
	stop     context.CancelFunc
	done     chan struct{}
	stopOnce sync.Once
}

func newEtcdMembership(base context.Context, endpoints []string, ttl time.Duration, logger *slog.Logger) *etcdMembership {
	return &etcdMembership{base: base, endpoints: endpoints, ttl: ttl, logger: logger, done: make(chan struct{})}
}

// StartMember registers this member and starts watching the others.
func (p *etcdMembership) StartMember(c *cluster.Cluster) error {
	self, err := selfInfo(c)
	if err != nil {
		return fmt.Errorf("etcd membership: %w", err)
	}
	return p.start(self, newTopology(c))
}

// start registers self and watches the members of its cluster, applying
// views to topo.
func (p *etcdMembership) start(self memberInfo, topo *topology) error {
	var err error
	p.self, p.topo, p.prefix = self, topo, "/proofstell/"+self.Cluster+"/members/"
	p.client, err = clientv3.New(clientv3.Config{
		Endpoints: p.endpoints, DialTimeout: etcdDialTimeout,
		// The client logs through zap (JSON of its own on stderr when nil);
		// this zap writes to the node's logger instead.
		Logger: logging.NewZap(p.base, p.logger.With(slog.String(logging.LibKey, "etcd"))),
	})
	if err != nil {
		return fmt.Errorf("etcd membership: connect: %w", err)
	}
	ctx, cancel := context.WithCancel(p.base)
	p.stop = cancel
	if err := p.register(ctx); err != nil {
		cancel()
		_ = p.client.Close()
		return err
	}
	go p.watchLoop(ctx)
	return nil
}

// register writes this member's key under a kept-alive lease.
func (p *etcdMembership) register(ctx context.Context) error {
	grantCtx, cancel := context.WithTimeout(ctx, etcdDialTimeout)
	defer cancel()
	lease, err := p.client.Grant(grantCtx, int64(max(p.ttl/time.Second, 1)))
	if err != nil {
		return fmt.Errorf("etcd membership: grant lease: %w", err)
	}
	value, err := json.Marshal(p.self)
	if err != nil {
		return fmt.Errorf("etcd membership: encode member: %w", err)
	}
	if _, err := p.client.Put(grantCtx, p.prefix+p.self.ID, string(value), clientv3.WithLease(lease.ID)); err != nil {
		return fmt.Errorf("etcd membership: register: %w", err)
	}
	alive, err := p.client.KeepAlive(ctx, lease.ID)
	if err != nil {
		return fmt.Errorf("etcd membership: keep alive: %w", err)
	}
	p.lease = lease.ID
	go p.drainKeepAlive(ctx, alive)
	return nil
}

// drainKeepAlive consumes keep-alive answers; the channel closing while the
// provider runs means the lease is gone: peers have dropped this member.
func (p *etcdMembership) drainKeepAlive(ctx context.Context, alive <-chan *clientv3.LeaseKeepAliveResponse) {
	for range alive {
	}
	if ctx.Err() == nil && !p.leaving.Load() {
		p.logger.Error("etcd lease lost: this member left the cluster topology")
		p.topo.markEvicted()
	}
}

// watchLoop re-reads the member prefix on every change (and after a
// broken watch), so the view is always a complete listing.
func (p *etcdMembership) watchLoop(ctx context.Context) {
	defer close(p.done)
	for ctx.Err() == nil {
		rev, err := p.list(ctx)
		if err != nil {
			p.logger.Warn("etcd membership: list members", slog.Any("error", err))
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Second):
			}
			continue
		}
		for resp := range p.client.Watch(ctx, p.prefix, clientv3.WithPrefix(), clientv3.WithRev(rev+1)) {
			if resp.Err() != nil {
				break
			}
			if _, err := p.list(ctx); err != nil {
				break
			}
		}
	}
}

// list reads every registered member and applies the view.
func (p *etcdMembership) list(ctx context.Context) (int64, error) {
	getCtx, cancel := context.WithTimeout(ctx, etcdDialTimeout)
	defer cancel()
	resp, err := p.client.Get(getCtx, p.prefix, clientv3.WithPrefix())
	if err != nil {
		return 0, err
	}
	members := make([]*cluster.Member, 0, len(resp.Kvs))
	for _, kv := range resp.Kvs {
		var info memberInfo
		if err := json.Unmarshal(kv.Value, &info); err != nil || info.Cluster != p.self.Cluster {
			p.logger.Warn("etcd membership: ignoring a bad member entry", slog.String("key", string(kv.Key)))
			continue
		}
		members = append(members, info.member())
	}
	p.topo.apply(members)
	for _, m := range members {
		if m.Id == p.self.ID {
			p.topo.markReady()
		}
	}
	return resp.Header.Revision, nil
}

// StartClient is not supported: every node is a full member.
func (p *etcdMembership) StartClient(*cluster.Cluster) error {
	return errors.New("etcd membership: client mode is not supported")
}

// Leave deletes this member's key (revoking its lease), so peers drop it
// on their next watch event.
func (p *etcdMembership) Leave(ctx context.Context) error {
	if p.client == nil {
		return nil
	}
	p.leaving.Store(true)
	if _, err := p.client.Revoke(ctx, p.lease); err != nil {
		return fmt.Errorf("leave cluster: revoke etcd lease: %w", err)
	}
	return nil
}

// Shutdown stops watching and closes the client; safe to call twice.
func (p *etcdMembership) Shutdown(bool) error {
	p.stopOnce.Do(func() {
		if p.stop == nil {
			return
		}
		p.stop()
		<-p.done
		_ = p.client.Close()
	})
	return nil
}

// Ready is closed once this member has seen itself registered.
func (p *etcdMembership) Ready() <-chan struct{} { return p.topo.ready }

// Evicted is closed when this member's lease is lost.
func (p *etcdMembership) Evicted() <-chan struct{} { return p.topo.evicted }
