package config

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"net"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// minSecretLen is the shortest JWT secret accepted outside development:
// 32 characters of HS256 key material.
const minSecretLen = 32

// Validate reports every problem of c at once (errors.Join), each message
// starting with the environment variable to fix. nil means c is usable.
func (c Config) Validate() error {
	var p problems
	p.oneOf("NODE_ENV", string(c.Env), string(EnvDevelopment), string(EnvTest), string(EnvProduction))
	p.oneOf("LOG_LEVEL", c.LogLevel, "debug", "info", "warn", "error")
	p.between("LOG_RATE_INTERVAL", c.LogRateInterval, 0, time.Hour)
	if c.DevClockFile != "" && c.Env == EnvProduction {
		p.add("DEV_CLOCK_FILE", "must be unset in production: it lets a file move the game clock")
	}
	c.validateHTTP(&p)
	c.validateStores(&p)
	c.validateAuth(&p)
	c.validateWS(&p)
	c.validateGame(&p)
	c.validateActors(&p)
	c.validateCluster(&p)
	c.validateSecurity(&p)
	c.validateAdmission(&p)
	c.validateMatchmaking(&p)
	c.validateChallenges(&p)
	c.validateReferrals(&p)
	c.validateAnalytics(&p)
	c.validateNotifications(&p)
	p.between("SHUTDOWN_TIMEOUT", c.Shutdown, time.Second, 10*time.Minute)
	return errors.Join(p...)
}

func (c Config) validateHTTP(p *problems) {
	h := c.HTTP
	p.hostPort("HTTP_ADDR", h.Addr)
	for _, e := range h.TrustedProxies {
		if _, err := netip.ParsePrefix(e); err != nil {
			if _, err := netip.ParseAddr(e); err != nil {
				p.add("TRUSTED_PROXIES", "%q is neither an IP nor a CIDR", e)
			}
		}
	}
	if h.MetricsAddr != "" {
		p.hostPort("METRICS_ADDR", h.MetricsAddr)
		if h.MetricsAddr == h.Addr {
			p.add("METRICS_ADDR", "must differ from HTTP_ADDR (leave it empty to serve /metrics there)")
		}
	}
	p.between("HTTP_READ_HEADER_TIMEOUT", h.ReadHeaderTimeout, time.Millisecond, time.Minute)
	p.between("HTTP_WRITE_TIMEOUT", h.WriteTimeout, time.Millisecond, 10*time.Minute)
	p.between("HTTP_IDLE_TIMEOUT", h.IdleTimeout, time.Millisecond, 10*time.Minute)
	p.count("MAX_BODY_BYTES", h.MaxBodyBytes, 1, 64<<20)
	p.between("REQUEST_TIMEOUT", h.RequestTimeout, 10*time.Millisecond, 5*time.Minute)
	for _, o := range h.AllowedOrigins {
		p.origin("ALLOWED_ORIGINS", o)
	}
	if c.Env == EnvProduction && (len(h.AllowedOrigins) == 0 || slices.Contains(h.AllowedOrigins, "*")) {
		p.add("ALLOWED_ORIGINS", "production requires an explicit list of origins, not * or nothing")
	}
}

func (c Config) validateStores(p *problems) {
	d, r := c.Database, c.Redis
	p.url("DATABASE_URL", d.URL, "postgres", "postgresql")
	p.count("DATABASE_MAX_CONNS", int64(d.MaxConns), 1, 1000)
	p.count("COMMIT_BATCH_SIZE", int64(d.CommitBatchSize), 1, 10000)
	p.between("COMMIT_FLUSH_INTERVAL", d.CommitFlushInterval, time.Microsecond, 10*time.Second)
	p.count("COMMIT_QUEUE_SIZE", int64(d.CommitQueueSize), max(1, int64(d.CommitBatchSize)), 10_000_000)
	// Snapshot writer (issue #12, writes).
	p.between("SNAPSHOT_FLUSH_INTERVAL", d.SnapshotFlushInterval, time.Millisecond, 10*time.Second)
	p.count("SNAPSHOT_BATCH_SIZE", int64(d.SnapshotBatchSize), 1, 10000)
	p.count("SNAPSHOT_QUEUE_SIZE", int64(d.SnapshotQueueSize), max(1, int64(d.SnapshotBatchSize)), 10_000_000)
	if r.URL != "" { // empty: the in-process engine of a single node (validateCluster)
		p.url("REDIS_URL", r.URL, "redis", "rediss")
	}
	if r.Prefix == "" || strings.ContainsFunc(r.Prefix, isSpace) {
		p.add("REDIS_PREFIX", "must be non-empty without whitespace, got %q", r.Prefix)
	}
	p.count("REDIS_SUBSCRIBE_QUEUE", int64(r.SubscribeQueue), 1, 1_000_000)
}

func (c Config) validateAuth(p *problems) {
	a := c.Auth
	switch {
	case a.JWTSecret == "" && c.Env == EnvProduction:
		p.add("JWT_SECRET", "required in production")
	case a.JWTSecret == "":
		p.add("JWT_SECRET", "required (Load generates one when unset outside production)")
	case a.SecretGenerated && c.Env == EnvProduction:
		p.add("JWT_SECRET", "production refuses a generated secret")
	}
	if c.Env != EnvDevelopment {
		p.secret("JWT_SECRET", a.JWTSecret)
		p.secret("JWT_SECRET_PREVIOUS", a.JWTSecretPrevious)
	}
	p.nonEmpty("JWT_ISSUER", a.Issuer)
	p.nonEmpty("JWT_AUDIENCE", a.Audience)
	p.between("JWT_ACCESS_TTL", a.AccessTTL, time.Minute, 24*time.Hour)
	p.between("JWT_REFRESH_TTL", a.RefreshTTL, max(time.Minute, a.AccessTTL+1), 365*24*time.Hour)
}

func (c Config) validateWS(p *problems) {
	w := c.WS
	p.count("WS_SEND_QUEUE", int64(w.SendQueue), 1, 1<<16)
	p.count("WS_DROP_LIMIT", int64(w.DropLimit), 1, 1<<16)
	p.count("WS_READ_LIMIT", w.ReadLimit, 256, 1<<20)
	p.between("WS_PING_INTERVAL", w.PingInterval, 100*time.Millisecond, time.Minute)
	if w.PongWait <= w.PingInterval {
		p.add("WS_PONG_WAIT", "must be longer than WS_PING_INTERVAL (%s), got %s", w.PingInterval, w.PongWait)
	}
	p.between("WS_PONG_WAIT", w.PongWait, 100*time.Millisecond, 5*time.Minute)
	p.between("WS_WRITE_WAIT", w.WriteWait, time.Millisecond, time.Minute)
	if !(w.MessageRate > 0 && w.MessageRate <= 10000) {
		p.add("WS_MESSAGE_RATE", "must be in (0, 10000] messages per second, got %g", w.MessageRate)
	}
	p.count("WS_MESSAGE_BURST", int64(w.MessageBurst), 1, 100000)
	p.count("WS_FLOOD_LIMIT", int64(w.FloodLimit), 1, 1<<20)
	p.between("WS_FLOOD_WINDOW", w.FloodWindow, 100*time.Millisecond, 10*time.Minute)
	p.count("WS_MAX_PENDING", int64(w.MaxPending), 1, 1<<16)
	p.between("WS_HANDSHAKE_WAIT", w.HandshakeWait, 100*time.Millisecond, 5*time.Minute)
	p.between("WS_REVOCATION_SWEEP", w.RevocationSweep, time.Second, time.Hour)
	p.between("SOCKETIO_PING_INTERVAL", w.SocketIO.PingInterval, 100*time.Millisecond, 5*time.Minute)
	p.between("SOCKETIO_PING_TIMEOUT", w.SocketIO.PingTimeout, 100*time.Millisecond, 5*time.Minute)
	p.count("SOCKETIO_MAX_PAYLOAD", w.SocketIO.MaxPayload, 1024, 1<<24)
}

func (c Config) validateGame(p *problems) {
	g, b := c.Game, c.Board
	p.between("GAME_LAG_CAP", g.LagCap, 0, time.Second)
	p.between("GAME_MIN_REACTION", g.MinReaction, time.Millisecond, time.Second)
	p.count("GAME_MAX_WHACKS_PER_SECOND", int64(g.MaxWhacksPerSecond), 1, 1000)
	p.between("GAME_TICK_INTERVAL", g.TickInterval, time.Millisecond, time.Second)
	p.between("GAME_SNAPSHOT_INTERVAL", g.SnapshotInterval, 10*time.Millisecond, time.Minute)
	p.between("GAME_IDLE_TIMEOUT", g.IdleTimeout, time.Second, 24*time.Hour)
	p.between("GAME_WAITING_TIMEOUT", g.WaitingTimeout, time.Second, 24*time.Hour)
	p.between("GAME_RESUME_WINDOW", g.ResumeWindow, 0, time.Hour)
	p.count("GAME_MAX_STASH", int64(g.MaxStash), 1, 1<<20)
	p.between("LEADERBOARD_PUBLISH_INTERVAL", b.PublishInterval, 10*time.Millisecond, time.Minute)
	p.count("LEADERBOARD_TOP_N", int64(b.TopN), 1, 1000)
	p.between("LEADERBOARD_IDLE_TIMEOUT", b.IdleTimeout, time.Second, 24*time.Hour)
	p.between("LEADERBOARD_CATCHUP_INTERVAL", b.CatchUpInterval, 100*time.Millisecond, time.Minute)
	p.between("LEADERBOARD_REBUILD_TIMEOUT", b.RebuildTimeout, time.Second, time.Hour)
	p.count("LEADERBOARD_MAX_STASH", int64(b.MaxStash), 1, 1<<24)
	p.between("LEADERBOARD_FREEZE_TIMEOUT", b.FreezeTimeout, time.Second, time.Hour)
}

func (c Config) validateActors(p *problems) {
	a := c.Actors
	p.between("ACTOR_IO_TIMEOUT", a.IOTimeout, 10*time.Millisecond, 5*time.Minute)
	p.count("FANOUT_PUBLISH_QUEUE", int64(a.FanoutQueue), 1, 1_000_000)
	p.between("BADGE_DRAIN_INTERVAL", a.BadgeDrainInterval, 10*time.Millisecond, 10*time.Minute)
}

func (c Config) validateCluster(p *problems) {
	cl := c.Cluster
	p.nonEmpty("CLUSTER_NAME", cl.Name)
	p.oneOf("CLUSTER_PROVIDER", cl.Provider, "single", "automanaged", "etcd")
	p.hostPort("CLUSTER_ADDR", cl.Addr)
	p.between("CLUSTER_REQUEST_TIMEOUT", cl.RequestTimeout, 10*time.Millisecond, 5*time.Minute)
	p.between("CLUSTER_PROBE_INTERVAL", cl.ProbeInterval, 10*time.Millisecond, time.Minute)
	p.count("CLUSTER_SUSPECT_AFTER", int64(cl.SuspectAfter), 1, 100)
	p.between("CLUSTER_ETCD_LEASE_TTL", cl.EtcdLeaseTTL, time.Second, 5*time.Minute)
	p.between("CLUSTER_READY_TIMEOUT", cl.ReadyTimeout, 100*time.Millisecond, time.Hour)
	p.between("SINGLETON_LEASE_TTL", cl.SingletonTTL, 100*time.Millisecond, 10*time.Minute)
	p.between("SINGLETON_RENEW_INTERVAL", cl.SingletonRenew, 10*time.Millisecond, cl.SingletonTTL/2)
	switch cl.Provider {
	case "automanaged":
		c.validatePeers(p)
		c.requireRedis(p)
	case "etcd":
		c.requireRedis(p)
		if len(cl.EtcdEndpoints) == 0 {
			p.add("CLUSTER_ETCD_ENDPOINTS", "required when CLUSTER_PROVIDER is etcd")
		}
		for _, e := range cl.EtcdEndpoints {
			p.url("CLUSTER_ETCD_ENDPOINTS", e, "http", "https")
		}
	}
}

// requireRedis refuses a node that may have peers but no Redis: the
// in-process engine (persistence/memory) keeps its state to itself.
func (c Config) requireRedis(p *problems) {
	if c.Redis.URL == "" {
		p.add("REDIS_URL", "required when CLUSTER_PROVIDER=%s: nodes share rate limits, nonces, revocation and fan-out through Redis", c.Cluster.Provider)
	}
}

// validatePeers checks the automanaged discovery endpoints: every member
// must be reachable by the address it is listed under, and this node must
// be one of them.
func (c Config) validatePeers(p *problems) {
	cl := c.Cluster
	p.hostPort("CLUSTER_DISCOVERY_ADDR", cl.DiscoveryAddr)
	if len(cl.Peers) == 0 {
		p.add("CLUSTER_PEERS", "required when CLUSTER_PROVIDER is automanaged")
	}
	for _, peer := range cl.Peers {
		p.hostPort("CLUSTER_PEERS", peer)
	}
	if len(cl.Peers) > 0 && !slices.Contains(cl.Peers, cl.DiscoveryAddr) {
		p.add("CLUSTER_PEERS", "must list this node's CLUSTER_DISCOVERY_ADDR %q", cl.DiscoveryAddr)
	}
	if host, port, err := net.SplitHostPort(cl.Addr); err == nil && port == "0" && host != "" {
		p.add("CLUSTER_ADDR", "needs a fixed port when CLUSTER_PROVIDER is automanaged")
	}
}

// problems collects validation failures, each prefixed by its variable.
type problems []error

// add records a problem with variable name.
func (p *problems) add(name, format string, args ...any) {
	*p = append(*p, fmt.Errorf("%s: %s", name, fmt.Sprintf(format, args...)))
}

func (p *problems) oneOf(name, v string, allowed ...string) {
	if !slices.Contains(allowed, v) {
		p.add(name, "must be one of %s, got %q", strings.Join(allowed, ", "), v)
	}
}

func (p *problems) nonEmpty(name, v string) {
	if strings.TrimSpace(v) == "" {
		p.add(name, "must not be empty")
	}
}

func (p *problems) count(name string, v, lo, hi int64) {
	if v < lo || v > hi {
		p.add(name, "must be in [%d, %d], got %d", lo, hi, v)
	}
}

func (p *problems) between(name string, v, lo, hi time.Duration) {
	if v < lo || v > hi {
		p.add(name, "must be in [%s, %s], got %s", lo, hi, v)
	}
}

// secret checks a key's length without ever echoing it.
func (p *problems) secret(name, v string) {
	if v != "" && len(v) < minSecretLen {
		p.add(name, "must be at least %d characters, got %d", minSecretLen, len(v))
	}
}

func (p *problems) hostPort(name, v string) {
	_, port, err := net.SplitHostPort(v)
	if err != nil {
		p.add(name, "must be host:port, got %q", v)
		return
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		p.add(name, "port must be 0..65535, got %q", port)
	}
}

// url checks the scheme and never echoes the URL, which may hold a password.
func (p *problems) url(name, v string, schemes ...string) {
	u, err := url.Parse(v)
	if err != nil || !slices.Contains(schemes, u.Scheme) {
		p.add(name, "must be a URL with scheme %s", strings.Join(schemes, " or "))
		return
	}
	if u.Host == "" {
		p.add(name, "must name a host")
	}
}

// publicOrigin accepts an absolute http(s) URL with a host and nothing after
// it: signed messages and mail links are built on it, and a path would make
// them disagree with the browser's origin.
func (p *problems) publicOrigin(name, v string) {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" ||
		u.RawQuery != "" || u.Fragment != "" || u.User != nil || u.Opaque != "" {
		p.add(name, "%q is not an origin like https://play.example.com (http or https, a host, no path)", v)
	}
}

// origin accepts "*" or a bare http(s) origin such as https://play.example.com.
func (p *problems) origin(name, v string) {
	if v == "*" {
		return
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
		p.add(name, "%q is not an origin like https://play.example.com", v)
	}
}

func isSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' }

// validateSecurity checks accounts, mail, rate limits and chain settings.
func (c Config) validateSecurity(p *problems) {
	a, h, m := c.Auth, c.HTTP, c.Mail
	p.count("BCRYPT_SALT_ROUNDS", int64(a.BcryptCost), 4, 31)
	if c.Env == EnvProduction && a.BcryptCost < 10 {
		p.add("BCRYPT_SALT_ROUNDS", "must be at least 10 in production, got %d", a.BcryptCost)
	}
	p.count("AUTH_MAX_FAILED_ATTEMPTS", int64(a.MaxFailedAttempts), 1, 1000)
	p.between("AUTH_ATTEMPT_WINDOW_SECONDS", a.AttemptWindow, time.Second, 24*time.Hour)
	p.between("AUTH_LOCKOUT_DURATION_SECONDS", a.LockoutDuration, time.Second, 7*24*time.Hour)
	p.between("WALLET_NONCE_TTL", a.WalletNonceTTL, 10*time.Second, time.Hour)
	p.between("RATE_LIMIT_WINDOW", h.RateWindow, time.Second, time.Hour)
	p.count("RATE_LIMIT_ANONYMOUS", int64(h.RateAnonymous), 1, 1_000_000)
	p.count("RATE_LIMIT_USER", int64(h.RateUser), 1, 1_000_000)
	p.count("RATE_LIMIT_AUTH", int64(h.RateAuth), 1, 1_000_000)
	// REST read path (issue #12).
	p.between("RATE_LIMIT_SYNC_INTERVAL", h.RateSyncInterval, 0, min(10*time.Second, h.RateWindow))
	p.between("REVOCATION_CACHE_TTL", h.RevocationCacheTTL, 0, 10*time.Second)
	p.count("TOKEN_CACHE_SIZE", int64(h.TokenCacheSize), 0, 1_000_000)
	p.nonEmpty("AVATAR_DIR", h.AvatarDir)
	p.count("AVATAR_MAX_BYTES", h.AvatarMaxBytes, 1<<10, 32<<20)
	p.publicOrigin("PUBLIC_URL", h.PublicURL)
	if m.Host != "" {
		p.count("MAIL_PORT", int64(m.Port), 1, 65535)
		p.nonEmpty("MAIL_FROM", m.From)
	}
	// The queue runs without a host too (it logs the mails it skips).
	p.count("MAIL_QUEUE_SIZE", int64(m.QueueSize), 1, 1<<20)
	p.between("MAIL_SEND_TIMEOUT", m.SendTimeout, time.Second, 10*time.Minute)
	if c.Chain.StarknetRPCURL != "" {
		p.url("STARKNET_RPC_URL", c.Chain.StarknetRPCURL, "http", "https")
	}
	p.starknetChainID("STARKNET_CHAIN_ID", c.Chain.StarknetChainID, c.Chain.StarknetCustomChain)
	p.nonEmpty("STELLAR_NETWORK_PASSPHRASE", c.Chain.StellarNetworkPassphrase)
	c.validateMinting(p)
}

// validateMinting checks the relayer settings: all or nothing for StarkNet
// (a half-configured relayer would fail at its first mint, not at start).
func (c Config) validateMinting(p *problems) {
	ch := c.Chain
	if ch.MintFeeMultiplier < 1 || ch.MintFeeMultiplier > 10 {
		p.add("MINT_FEE_MULTIPLIER", "must be between 1 and 10, got %v", ch.MintFeeMultiplier)
	}
	p.count("MINT_BATCH_SIZE", int64(ch.MintBatchSize), 1, 50)
	p.between("MINT_POLL_INTERVAL", ch.MintPollInterval, 100*time.Millisecond, 10*time.Minute)
	if ch.MintMaxFee != "" {
		if _, ok := new(big.Int).SetString(ch.MintMaxFee, 10); !ok {
			p.add("MINT_MAX_FEE", "must be a decimal amount of fri, got %q", ch.MintMaxFee)
		}
	}
	set := 0
	for _, v := range []string{ch.StarknetAccountAddress, ch.StarknetPrivateKey, ch.MintContractAddress} {
		if v != "" {
			set++
		}
	}
	if set != 0 && (set != 3 || ch.StarknetRPCURL == "") {
		p.add("STARKNET_ACCOUNT_ADDRESS", "minting needs STARKNET_RPC_URL, STARKNET_ACCOUNT_ADDRESS, STARKNET_PRIVATE_KEY and MINT_CONTRACT_ADDRESS together")
	}
	if ch.LeaderboardContractAddress != "" && set == 0 {
		p.add("LEADERBOARD_CONTRACT_ADDRESS", "period roots are submitted by the StarkNet relayer: set STARKNET_ACCOUNT_ADDRESS, STARKNET_PRIVATE_KEY and MINT_CONTRACT_ADDRESS too")
	}
	stellar := 0
	for _, v := range []string{ch.StellarRPCURL, ch.StellarSecretKey, ch.SorobanBadgeContractID} {
		if v != "" {
			stellar++
		}
	}
	if stellar != 0 && stellar != 3 {
		p.add("STELLAR_RPC_URL", "Stellar minting needs STELLAR_RPC_URL, STELLAR_SECRET_KEY and SOROBAN_BADGE_CONTRACT_ID together")
	}
	if ch.StellarRPCURL != "" {
		p.url("STELLAR_RPC_URL", ch.StellarRPCURL, "http", "https")
	}
	p.count("STELLAR_MINT_MAX_FEE", ch.StellarMintMaxFee, 0, math.MaxUint32) // a Stellar fee is a uint32
}
