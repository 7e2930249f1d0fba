package members

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"
)

// readyTimeout bounds one member's start, from exec to a ready health check.
const readyTimeout = 60 * time.Second

// Options configure a cluster of member processes.
type Options struct {
	Bin      string
	Size     int
	Name     string // CLUSTER_NAME, unique per run
	Services Services
	LogDir   string // member-<i>.log files, appended across restarts
	// CPU pins every member to one CPU with taskset; -1 leaves them free.
	CPU int
	// Env is extra server environment (KEY=value), applied last.
	Env []string
}

// Member is one member's fixed loopback addresses and its process.
type Member struct {
	Index     int
	HTTP      string // host:port of the REST and WebSocket listener
	Remote    string // CLUSTER_ADDR
	Discovery string // CLUSTER_DISCOVERY_ADDR
	proc      *process
}

// Cluster is a set of member processes that know each other.
type Cluster struct {
	opts    Options
	env     []string
	members []*Member
	mu      sync.Mutex
}

// New reserves loopback ports for every member; nothing starts yet.
func New(opts Options) (*Cluster, error) {
	if opts.Size < 1 {
		return nil, errors.New("a cluster needs at least one member")
	}
	addrs, err := FreeAddrs(3 * opts.Size)
	if err != nil {
		return nil, err
	}
	c := &Cluster{opts: opts}
	peers := make([]string, opts.Size)
	for i := range opts.Size {
		c.members = append(c.members, &Member{Index: i, HTTP: addrs[3*i], Remote: addrs[3*i+1], Discovery: addrs[3*i+2]})
		peers[i] = addrs[3*i+2]
	}
	c.env, err = sharedEnv(opts, peers)
	return c, err
}

// sharedEnv is what every member's environment has in common.
func sharedEnv(opts Options, peers []string) ([]string, error) {
	dbURL, err := opts.Services.DatabaseURL()
	if err != nil {
		return nil, err
	}
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	return []string{
		"NODE_ENV=test", "LOG_LEVEL=warn", "DATABASE_URL=" + dbURL, "DATABASE_CREATE=false",
		"REDIS_URL=" + opts.Services.RedisURL, "REDIS_PREFIX=" + opts.Services.RedisPrefix,
		"JWT_SECRET=" + hex.EncodeToString(secret),
		"CLUSTER_NAME=" + opts.Name, "CLUSTER_PROVIDER=automanaged", "CLUSTER_PEERS=" + strings.Join(peers, ","),
		// The load comes from one IP: the per-IP limits would throttle it.
		"RATE_LIMIT_ANONYMOUS=1000000", "RATE_LIMIT_USER=1000000", "RATE_LIMIT_AUTH=1000000",
	}, nil
}

// Size is the number of members, running or not.
func (c *Cluster) Size() int { return len(c.members) }

// Member returns member i's addresses.
func (c *Cluster) Member(i int) *Member { return c.members[i] }

// Base is member i's HTTP base URL.
func (c *Cluster) Base(i int) string { return "http://" + c.members[i].HTTP }

// Start starts every member at once and waits until each is ready and sees
// all of them.
func (c *Cluster) Start(ctx context.Context) error {
	errs := make([]error, c.Size())
	var wg sync.WaitGroup
	for i := range c.members {
		wg.Go(func() { errs[i] = c.StartMember(ctx, i) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	return c.AwaitMembers(ctx, c.Size())
}

// StartMember starts member i and waits for its readiness check.
func (c *Cluster) StartMember(ctx context.Context, i int) error {
	m := c.members[i]
	env := append(append([]string{}, c.env...),
		"HTTP_ADDR="+m.HTTP, "CLUSTER_ADDR="+m.Remote, "CLUSTER_DISCOVERY_ADDR="+m.Discovery)
	p, err := startProcess(c.opts, i, append(env, c.opts.Env...))
	if err != nil {
		return err
	}
	c.mu.Lock()
	m.proc = p
	c.mu.Unlock()
	if err := awaitReady(ctx, c.Base(i), p); err != nil {
		return fmt.Errorf("member %d: %w (log: %s)", i, err, p.logPath)
	}
	return nil
}

// Alive reports whether member i's process is running.
func (c *Cluster) Alive(i int) bool {
	c.mu.Lock()
	p := c.members[i].proc
	c.mu.Unlock()
	return p != nil && !p.exited()
}

// Kill sends SIGKILL to member i and waits until it is gone.
func (c *Cluster) Kill(i int) error {
	c.mu.Lock()
	p := c.members[i].proc
	c.mu.Unlock()
	if p == nil {
		return fmt.Errorf("member %d is not running", i)
	}
	return p.kill()
}

// Stop stops every running member gracefully (SIGTERM, then SIGKILL after
// the grace period).
func (c *Cluster) Stop(grace time.Duration) {
	var wg sync.WaitGroup
	for i := range c.members {
		c.mu.Lock()
		p := c.members[i].proc
		c.mu.Unlock()
		if p != nil {
			wg.Go(func() { p.stop(grace) })
		}
	}
	wg.Wait()
}

// FreeAddrs reserves n loopback ports (released at once; the members bind
// them a moment later).
func FreeAddrs(n int) ([]string, error) {
	addrs := make([]string, n)
	for i := range addrs {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("reserve a loopback port: %w", err)
		}
		addrs[i] = l.Addr().String()
		if err := l.Close(); err != nil {
			return nil, fmt.Errorf("release port %s: %w", addrs[i], err)
		}
	}
	return addrs, nil
}
