// Package config holds the one typed configuration of a ProofStell node.
//
// Configuration comes from the environment (and an optional .env file read by
// cmd). Default returns the local-development defaults, Load overlays the
// environment on them, and Validate reports every problem at once so an
// operator fixes a broken deployment in one pass instead of one error at a time.
package config

import (
	"time"
)

// Environment names the deployment flavour; it changes defaults and how strict
// validation is (production refuses generated secrets).
type Environment string

// Known environments.
const (
	EnvDevelopment Environment = "development"
	EnvTest        Environment = "test"
	EnvProduction  Environment = "production"
)

// Config is the whole configuration of a node. Components receive only their
// own section, never the whole struct.
type Config struct {
	Env      Environment
	LogLevel string
	HTTP     HTTP
	Database Database
	Redis    Redis
	Auth     Auth
	WS       WebSocket
	Game     Game
	Board    Leaderboard
	Actors   Actors
	Cluster  Cluster
	Mail     Mail
	Chain    Chain
	Shutdown time.Duration
	// Admission: overload protection (issue #12).
	Admission Admission
	// Matchmaking: the matchmaker grains (issue #15).
	Matchmaking Matchmaking
	// Challenges: the scheduler's challenge jobs (issue #15).
	Challenges Challenges
	// Referrals: referral rewards and anti-farming (issue #16).
	Referrals Referrals
	// Analytics: the analytics fan-out (issue #16).
	Analytics Analytics
	// Notifications: inbox deliveries (issue #16).
	Notifications Notifications

	// LogRateInterval is the shortest time between two warn-or-worse log
	// lines of one kind (a dependency outage repeats the same line); the
	// next one carries the count of those dropped. 0 disables the limit.
	LogRateInterval time.Duration

	// DevClockFile, for end-to-end tests only (refused in production),
	// names a file whose duration offsets the node's game clock
	// (internal/devclock): day rollovers and challenge ends without waiting.
	DevClockFile string
}

// HTTP configures the REST and WebSocket listener.
type HTTP struct {
	// Addr is host:port; built from PORT when only PORT is set.
	Addr string
	// MetricsAddr is a separate host:port for /metrics (e.g. a private
	// interface only Prometheus reaches); empty serves /metrics on Addr,
	// to everyone who reaches the API.
	MetricsAddr       string
	ReadHeaderTimeout time.Duration
	WriteTimeout      time.Duration
	IdleTimeout       time.Duration
	MaxBodyBytes      int64
	AllowedOrigins    []string
	// TrustedProxies are the IPs or CIDRs of reverse proxies whose
	// X-Forwarded-For names the client (for per-IP rate limits); empty:
	// the TCP peer is the client.
	TrustedProxies []string
	// RequestTimeout bounds the time a REST handler may wait on actors and
	// stores. Actors bound their own calls with Actors.IOTimeout.
	RequestTimeout time.Duration
	// CORSEnabled answers cross-origin requests from AllowedOrigins; off,
	// browsers on other origins are refused (WebSocket origins are always
	// checked against AllowedOrigins).
	CORSEnabled bool
	// Rate limits, cluster-wide in Redis, per RateWindow: anonymous traffic
	// per IP, signed-in traffic per user, auth routes per IP (stricter).
	RateWindow    time.Duration
	RateAnonymous int
	RateUser      int
	RateAuth      int
	// REST read path (issue #12): RateSyncInterval is the lifetime of a
	// node's local lease of a rate budget (0: every request asks Redis);
	// RevocationCacheTTL bounds how long a node trusts a revocation verdict
	// it holds in memory (0: every check asks Redis); TokenCacheSize bounds
	// the verified access tokens kept per node (0: verify every time).
	RateSyncInterval   time.Duration
	RevocationCacheTTL time.Duration
	TokenCacheSize     int
	// AvatarDir stores uploaded avatars (re-encoded, random names); an
	// upload larger than AvatarMaxBytes is refused.
	AvatarDir      string
	AvatarMaxBytes int64
	// PublicURL is the public origin players reach this service at,
	// "https://host[:port]" without a path: mail links start with it and
	// the wallet sign-in messages (SEP-53, SNIP-12) name it. Unset, Load
	// derives it from Addr (LocalOrigin), right for local development.
	PublicURL string
	// APIDocs serves the OpenAPI document at /api/docs/openapi.json and its
	// page at /api/docs. Load turns it on outside production unless
	// API_DOCS says otherwise; in production only API_DOCS=true does.
	APIDocs bool
}

// Database configures PostgreSQL.
type Database struct {
	URL      string
	MaxConns int32
	// CreateIfMissing creates the database named in URL when it does not exist.
	CreateIfMissing bool
	// CommitBatchSize caps the finished games committed in one transaction.
	CommitBatchSize int
	// CommitFlushInterval is the longest a finished game waits for its batch.
	CommitFlushInterval time.Duration
	// CommitQueueSize bounds the batching writer's queue (overflow: reject, the
	// session retries).
	CommitQueueSize int

	// Snapshot writer (issue #12, writes): running games' snapshots of the
	// whole node are written in one statement per tick.
	// SnapshotFlushInterval is the tick; SnapshotBatchSize caps one
	// statement; SnapshotQueueSize bounds the queue (overflow: reject, the
	// session skips that snapshot).
	SnapshotFlushInterval time.Duration
	SnapshotBatchSize     int
	SnapshotQueueSize     int
}

// Redis configures the Redis client.
type Redis struct {
	// URL is the shared Redis of a cluster. Empty (the default) runs the
	// short-lived state in process (persistence/memory), which only a
	// single node (CLUSTER_PROVIDER=single) may do.
	URL string
	// Prefix namespaces every key and pub/sub channel so several deployments
	// (or parallel tests) can share one Redis.
	Prefix string
	// SubscribeQueue bounds the messages buffered between the Redis connection
	// and a subscriber (overflow: drop the message after a short wait).
	SubscribeQueue int
}

// Shared reports whether the node keeps its short-lived state in Redis
// rather than in process.
func (r Redis) Shared() bool { return r.URL != "" }

// Auth configures tokens.
type Auth struct {
	JWTSecret         string
	JWTSecretPrevious string
	// SecretGenerated is true when JWTSecret was generated for development.
	SecretGenerated bool
	Issuer          string
	Audience        string
	AccessTTL       time.Duration
	RefreshTTL      time.Duration
	// BcryptCost is the password hashing cost (BCRYPT_SALT_ROUNDS).
	BcryptCost int
	// MaxFailedAttempts sign-in failures within AttemptWindow lock the
	// account for LockoutDuration.
	MaxFailedAttempts int
	AttemptWindow     time.Duration
	LockoutDuration   time.Duration
	// WalletNonceTTL is how long a wallet sign-in challenge stays valid.
	WalletNonceTTL time.Duration
}

// WebSocket configures player connections.
type WebSocket struct {
	// SendQueue bounds each connection's outbound frames (overflow: drop the
	// frame; DropLimit consecutive drops disconnect the slow client).
	SendQueue     int
	DropLimit     int
	ReadLimit     int64
	PingInterval  time.Duration
	PongWait      time.Duration
	WriteWait     time.Duration
	MessageRate   float64 // messages per second allowed per connection
	MessageBurst  int
	MaxPending    int // queued client commands while a session is resolving
	HandshakeWait time.Duration
	// RevocationSweep is how often each node re-checks the revocation of
	// every open socket's token, so a socket whose revocation event this
	// node missed (the bus delivers at most once) still closes within it.
	RevocationSweep time.Duration

	// FloodLimit is how many frames a connection may have refused by its
	// message rate within FloodWindow; one more closes it with 4008. Only
	// the first few refusals of a window are answered with an error frame.
	FloodLimit  int
	FloodWindow time.Duration

	// SocketIO is what the Socket.IO gateway (/socket.io/) announces in its
	// Engine.IO open packet; every other setting above applies to it too.
	SocketIO SocketIO
}

// SocketIO configures the Engine.IO heartbeat and payload limit of the
// Socket.IO gateway.
type SocketIO struct {
	// PingInterval is how often the server pings; PingTimeout how long it
	// waits for the pong. A client that hears no ping for their sum
	// considers the connection lost, and a polling session without a
	// request for as long is closed.
	PingInterval time.Duration
	PingTimeout  time.Duration
	// MaxPayload bounds an HTTP long-polling request body and a websocket
	// message, in bytes.
	MaxPayload int64
}

// Game configures judging and session persistence.
type Game struct {
	// LagCap bounds the lag allowance granted from a connection's measured RTT.
	LagCap time.Duration
	// MinReaction is the fastest human reaction accepted after a spawn is seen.
	MinReaction time.Duration
	// MaxWhacksPerSecond caps a player's whack rate; faster whacks are rejected
	// and flag the game.
	MaxWhacksPerSecond int
	TickInterval       time.Duration
	SnapshotInterval   time.Duration
	// IdleTimeout stops a session actor that has had no message for this long
	// after it finished (its state is in Postgres).
	IdleTimeout time.Duration
	// WaitingTimeout ends a match still waiting for players this long after
	// its stored creation, also when its session is re-activated after a
	// crash; the scheduler closes lobbies left behind by crashed nodes.
	WaitingTimeout time.Duration
	// ResumeWindow is the longest outage a running game survives: a session
	// re-activated (failover, restart) whose last snapshot is older than this
	// ends as aborted (the row keeps the reason; no score, stats or board
	// entry is recorded); a younger one resumes from the
	// snapshot with the outage inserted as a pause.
	ResumeWindow time.Duration
	// MaxStash bounds the messages a session holds while it loads from
	// PostgreSQL (overflow: the command is answered unavailable).
	MaxStash int
}

// Leaderboard configures leaderboard actors.
type Leaderboard struct {
	// PublishInterval coalesces leaderboard:update events per board.
	PublishInterval time.Duration
	TopN            int
	// IdleTimeout passivates an unused past-period board.
	IdleTimeout time.Duration
	// CatchUpInterval is how often a board reads the standings stored since
	// its high-water mark, so it converges to PostgreSQL whatever live
	// updates were lost (a node killed, a grain moved).
	CatchUpInterval time.Duration
	// RebuildTimeout bounds one rebuild of a board's rank index from
	// PostgreSQL on activation; a failed one is retried with backoff.
	RebuildTimeout time.Duration
	// MaxStash bounds the messages a board holds while it rebuilds
	// (overflow: queries are answered failed, applies dropped and counted;
	// the catch-up recovers them).
	MaxStash int
	// FreezeTimeout bounds freezing one closed period (reading, ranking and
	// hashing its standings, storing them and their Merkle root).
	FreezeTimeout time.Duration
}

// Actors configures what the actor kinds share: the budget of their I/O and
// the fan-out of their events to sockets.
type Actors struct {
	// IOTimeout bounds each call an actor makes off its mailbox: session
	// loads and writes, grain and join-code lookups of player actors, period
	// closes of the scheduler, store and node calls of the chain writers.
	IOTimeout time.Duration
	// FanoutQueue bounds the events waiting on each node to be published to
	// the bus (overflow: drop and count; live updates are re-readable).
	FanoutQueue int
	// BadgeDrainInterval is how often each node's badge worker looks for
	// finished games and frozen periods to evaluate.
	BadgeDrainInterval time.Duration
}

// Cluster configures actor clustering.
type Cluster struct {
	Name string
	// Provider is the membership provider: single, automanaged or etcd.
	Provider string
	// Addr is the host:port actor remoting listens on and advertises.
	Addr           string
	RequestTimeout time.Duration
	// DiscoveryAddr is this node's automanaged discovery endpoint (host:port).
	DiscoveryAddr string
	// Peers are the discovery endpoints of every automanaged member, this one
	// included.
	Peers []string
	// EtcdEndpoints are the etcd client URLs for the etcd provider.
	EtcdEndpoints []string
	// ProbeInterval is how often automanaged peers are probed; a peer that
	// fails SuspectAfter probes in a row leaves the topology.
	ProbeInterval time.Duration
	SuspectAfter  int
	// EtcdLeaseTTL is how long an etcd member outlives its last keep-alive.
	EtcdLeaseTTL time.Duration
	// ReadyTimeout bounds how long start waits to learn the topology.
	ReadyTimeout time.Duration
	// SingletonTTL is how long a singleton lease (the period scheduler, the
	// chain writer) outlives its holder's last renewal; SingletonRenew is the
	// renewal period, shorter than the TTL.
	SingletonTTL   time.Duration
	SingletonRenew time.Duration
}

// Mail configures the SMTP server that sends verification and reset mails.
// An empty Host disables mail (development): the mail is logged as skipped.
type Mail struct {
	Host string
	Port int
	User string
	Pass string
	From string
	// QueueSize bounds the mails waiting for the SMTP server (overflow: the
	// request that wanted one is answered, the mail is dropped and logged);
	// SendTimeout bounds one delivery.
	QueueSize   int
	SendTimeout time.Duration
}

// Chain configures the blockchains players sign in with (and, later, mints).
type Chain struct {
	// StarknetRPCURL is a StarkNet JSON-RPC endpoint; empty disables
	// StarkNet wallet sign-in.
	StarknetRPCURL string
	// StarknetChainID is the SNIP-12 domain chain id (SN_MAIN, SN_SEPOLIA,
	// or their hex felts); Validate refuses others unless
	// StarknetCustomChain is set.
	StarknetChainID string
	// StarknetCustomChain accepts a chain id outside KnownStarknetChains (a
	// devnet or an appchain), checked only for being a short string.
	StarknetCustomChain bool
	// StellarNetworkPassphrase names the Stellar network for SEP-53 messages.
	StellarNetworkPassphrase string
	// The StarkNet relayer that mints badges and submits period roots: its
	// account address and private key (secret), the badge and leaderboard
	// contracts. Without them badges are awarded and mints wait, pending.
	StarknetAccountAddress     string
	StarknetPrivateKey         string
	MintContractAddress        string
	LeaderboardContractAddress string
	// MintFeeMultiplier scales the estimated fee; MintMaxFee caps it (in
	// fri, decimal; empty means no cap). MintBatchSize mints go in one
	// multicall when the queue is deep.
	MintFeeMultiplier float64
	MintMaxFee        string
	MintBatchSize     int
	// MintPollInterval is how often a chain writer looks at its queue and
	// at its transaction in flight.
	MintPollInterval time.Duration
	// Soroban (Stellar) minting: RPC endpoint, the relayer's secret seed
	// (secret) and the badge contract id, all or none; StellarMintMaxFee
	// caps one mint's total fee in stroops (0: no cap). MintFeeMultiplier
	// applies as well.
	StellarRPCURL          string
	StellarSecretKey       string
	SorobanBadgeContractID string
	StellarMintMaxFee      int64
}
