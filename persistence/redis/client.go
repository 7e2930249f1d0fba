package redis

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/persistence"
)

// Compile-time conformance to the contracts callers depend on.
var (
	_ persistence.Bus         = (*Client)(nil)
	_ persistence.Pinger      = (*Client)(nil)
	_ persistence.RateLimiter = (*Client)(nil)
)

// defaultSubscribeQueue is used when config leaves SubscribeQueue at zero.
const defaultSubscribeQueue = 1024

// Client is a node's connection pool to Redis. Safe for concurrent use.
type Client struct {
	rdb    *goredis.Client
	prefix string
	queue  int
	// now is the rate limiter's clock; nil means Redis's own clock (TIME), so
	// every node agrees on time without relying on NTP.
	now func() time.Time

	// stop ends every subscription when the client closes; subs waits for
	// their goroutines so Close leaks nothing. mu orders subs.Add before
	// Close's Wait.
	stop      context.CancelFunc
	stopCtx   context.Context
	mu        sync.Mutex
	closed    bool
	subs      sync.WaitGroup
	closeOnce sync.Once
	closeErr  error

	// server tells revocation when Redis was replaced under it.
	server serverWatch
}

// Option adjusts a Client built by Open.
type Option func(*Client, *goredis.Options)

// WithClock makes the rate limiter read time from now instead of Redis's
// clock; tests use it to drive windows without sleeping.
func WithClock(now func() time.Time) Option {
	return func(c *Client, _ *goredis.Options) { c.now = now }
}

// WithClientName sets CLIENT SETNAME on every connection, which lets
// operators (and tests) find this node's connections in CLIENT LIST.
func WithClientName(name string) Option {
	return func(_ *Client, o *goredis.Options) { o.ClientName = name }
}

// Open parses cfg.URL, connects and pings Redis. The caller must Close the
// client.
func Open(ctx context.Context, cfg config.Redis, opts ...Option) (*Client, error) {
	ro, err := goredis.ParseURL(cfg.URL)
	if err != nil {
		return nil, fmt.Errorf("parse redis url: %w", err)
	}
	// Honour callers' deadlines instead of only the fixed socket timeouts.
	ro.ContextTimeoutEnabled = true
	c := &Client{prefix: cfg.Prefix, queue: cfg.SubscribeQueue}
	if c.queue <= 0 {
		c.queue = defaultSubscribeQueue
	}
	for _, opt := range opts {
		opt(c, ro)
	}
	ro.OnConnect = c.onConnect
	c.rdb = goredis.NewClient(ro)
	// Subscriptions outlive the Open call's deadline but keep its values.
	c.stopCtx, c.stop = context.WithCancel(context.WithoutCancel(ctx))
	if err := c.Ping(ctx); err != nil {
		return nil, errors.Join(err, c.Close())
	}
	return c, nil
}

// Ping checks that Redis answers.
func (c *Client) Ping(ctx context.Context) error {
	if err := c.rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("ping redis: %w", err)
	}
	return nil
}

// Close ends every subscription, waits for their goroutines and closes the
// pool. Calling it again returns the first call's result.
func (c *Client) Close() error {
	c.closeOnce.Do(func() {
		c.mu.Lock()
		c.closed = true
		c.mu.Unlock()
		c.stop()
		c.subs.Wait()
		if err := c.rdb.Close(); err != nil {
			c.closeErr = fmt.Errorf("close redis: %w", err)
		}
	})
	return c.closeErr
}

// Prefix returns the namespace prepended to every key and channel.
func (c *Client) Prefix() string { return c.prefix }

// key namespaces a key or channel name.
func (c *Client) key(parts ...string) string {
	k := c.prefix
	for _, p := range parts {
		k += p
	}
	return k
}
