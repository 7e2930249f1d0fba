package config

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
)

// generatedSecretBytes is the entropy of a development JWT secret.
const generatedSecretBytes = 48

// Load returns Default() overlaid with the environment read through getenv
// (os.Getenv in cmd, a map lookup in tests; an empty value counts as unset),
// then validated. The error joins every unparsable variable and every
// Validate problem, each naming its variable, so one run shows them all.
//
// In development and test an unset JWT_SECRET is replaced by a random one and
// Auth.SecretGenerated is set so the caller can warn: tokens then die with the
// process. Production refuses to start without JWT_SECRET. CHALLENGE_SECRET
// and REFERRAL_FINGERPRINT_SECRET are handled the same way
// (Challenges.SecretGenerated, Referrals.FingerprintSecretGenerated).
//
// Variables (durations take Go syntax with a unit, like 150ms, 30s or 2m; a
// bare number other than 0 is refused; booleans take true/false/1/0):
//
//	NODE_ENV                      development | test | production (development)
//	LOG_LEVEL                     debug | info | warn | error (info)
//	LOG_RATE_INTERVAL             one warn/error line per kind per interval, then a count; 0 = off (10s)
//	DEV_CLOCK_FILE                tests only: a file with an offset added to the game clock (unset)
//	PORT                          HTTP port; sets HTTP_ADDR to ":PORT" (3000)
//	HTTP_ADDR                     HTTP listen host:port; overrides PORT (:3000)
//	METRICS_ADDR                  separate host:port for /metrics; empty: on HTTP_ADDR
//	HTTP_READ_HEADER_TIMEOUT      time to read request headers (5s)
//	HTTP_WRITE_TIMEOUT            time to write a REST response (15s)
//	HTTP_IDLE_TIMEOUT             keep-alive idle timeout (1m)
//	MAX_BODY_BYTES                largest REST request body (65536)
//	REQUEST_TIMEOUT               REST handler budget for actors and stores; actors use ACTOR_IO_TIMEOUT (5s)
//	TRUSTED_PROXIES               reverse-proxy IPs or CIDRs trusted for X-Forwarded-For
//	ALLOWED_ORIGINS               comma list of CORS/WebSocket origins; no * in production
//	DATABASE_URL                  postgres:// or postgresql:// URL (local proofstell db)
//	DATABASE_MAX_CONNS            PostgreSQL pool size (16)
//	DATABASE_CREATE               create the database if missing (true)
//	COMMIT_BATCH_SIZE             finished games per commit transaction (500)
//	COMMIT_FLUSH_INTERVAL         longest a finished game waits for its batch (5ms)
//	COMMIT_QUEUE_SIZE             batching writer queue; overflow rejects (20000)
//	SNAPSHOT_FLUSH_INTERVAL       snapshot writer tick: one statement per tick (10ms)
//	SNAPSHOT_BATCH_SIZE           snapshots written per statement (1000)
//	SNAPSHOT_QUEUE_SIZE           snapshot writer queue; overflow skips the snapshot (20000)
//	REDIS_URL                     redis:// or rediss:// URL; required unless CLUSTER_PROVIDER=single (empty: state in process)
//	REDIS_PREFIX                  namespace of every Redis key and channel (ps:)
//	REDIS_SUBSCRIBE_QUEUE         buffered pub/sub messages per subscription; overflow drops (1024)
//	JWT_SECRET                    HS256 key, at least 32 chars outside development (generated in development/test)
//	JWT_SECRET_PREVIOUS           previous key, still accepted during rotation
//	JWT_ISSUER                    token iss claim (proofstell)
//	JWT_AUDIENCE                  token aud claim (proofstell-players)
//	JWT_ACCESS_TTL                access token lifetime (15m)
//	JWT_REFRESH_TTL               refresh token lifetime (168h)
//	WS_SEND_QUEUE                 outbound frames per socket; overflow drops (256)
//	WS_DROP_LIMIT                 consecutive drops before a slow client is disconnected (32)
//	WS_READ_LIMIT                 largest client frame in bytes (4096)
//	WS_PING_INTERVAL              server ping period (5s)
//	WS_PONG_WAIT                  silence before a socket is considered dead (15s)
//	WS_WRITE_WAIT                 deadline of one socket write (5s)
//	WS_MESSAGE_RATE               client messages per second per socket (30)
//	WS_MESSAGE_BURST              client message burst per socket (60)
//	WS_FLOOD_LIMIT                rate-refused frames per window before the socket closes with 4008 (150)
//	WS_FLOOD_WINDOW               window of WS_FLOOD_LIMIT (10s)
//	WS_MAX_PENDING                client commands queued while a session resolves (64)
//	WS_HANDSHAKE_WAIT             time allowed for the WebSocket upgrade handshake (10s)
//	WS_REVOCATION_SWEEP           re-check of open sockets' revocation, for missed events (30s)
//	SOCKETIO_PING_INTERVAL        Engine.IO server ping period of /socket.io/ (25s)
//	SOCKETIO_PING_TIMEOUT         Engine.IO wait for a pong before closing (20s)
//	SOCKETIO_MAX_PAYLOAD          largest Socket.IO polling body or websocket message in bytes (1000000)
//	GAME_LAG_CAP                  largest lag allowance from measured RTT, at most 1s (150ms)
//	GAME_MIN_REACTION             fastest accepted whack after a spawn (80ms)
//	GAME_MAX_WHACKS_PER_SECOND    whack rate above which whacks are rejected (15)
//	GAME_TICK_INTERVAL            shortest sleep of a session's clock (5ms)
//	GAME_SNAPSHOT_INTERVAL        running session snapshot period (1s)
//	GAME_IDLE_TIMEOUT             idle finished session passivation (2m)
//	GAME_WAITING_TIMEOUT          match waiting for players is aborted this long after its creation (10m)
//	GAME_RESUME_WINDOW            longest outage a running game survives; older snapshots abort (30s)
//	GAME_MAX_STASH                messages a loading session holds; overflow answers unavailable (1024)
//	LEADERBOARD_PUBLISH_INTERVAL  leaderboard:update coalescing period (250ms)
//	LEADERBOARD_TOP_N             entries in a published top list (10)
//	LEADERBOARD_IDLE_TIMEOUT      unused past-period board passivation (30m)
//	LEADERBOARD_CATCHUP_INTERVAL  how often a board reads the standings stored since it last looked (2s)
//	LEADERBOARD_REBUILD_TIMEOUT   bound of one rank index rebuild from PostgreSQL (1m)
//	LEADERBOARD_MAX_STASH         messages a rebuilding board holds; overflow fails queries, drops applies (10000)
//	LEADERBOARD_FREEZE_TIMEOUT    bound of freezing one closed period into its Merkle root (2m)
//	ACTOR_IO_TIMEOUT              bound of each store, lookup or chain call an actor makes (5s)
//	FANOUT_PUBLISH_QUEUE          events waiting per node for the bus; overflow drops (4096)
//	BADGE_DRAIN_INTERVAL          how often the badge worker looks for finished games (1s)
//	CLUSTER_NAME                  cluster name shared by all members (proofstell)
//	CLUSTER_PROVIDER              membership provider: single | automanaged | etcd (single)
//	CLUSTER_ADDR                  actor remoting host:port, listened on and advertised (127.0.0.1:0)
//	CLUSTER_REQUEST_TIMEOUT       timeout of one cluster request (5s)
//	CLUSTER_DISCOVERY_ADDR        automanaged: this node's discovery host:port (127.0.0.1:7946)
//	CLUSTER_PEERS                 automanaged: comma list of every member's discovery host:port
//	CLUSTER_PROBE_INTERVAL        automanaged: peer probe period (250ms)
//	CLUSTER_SUSPECT_AFTER         automanaged: failed probes in a row before a peer leaves (2)
//	CLUSTER_ETCD_ENDPOINTS        etcd: comma list of client URLs
//	CLUSTER_ETCD_LEASE_TTL        etcd: how long a member outlives its last keep-alive (2s)
//	CLUSTER_READY_TIMEOUT         longest start waits to learn the topology (30s)
//	SINGLETON_LEASE_TTL           how long a singleton lease outlives its holder (3s)
//	SINGLETON_RENEW_INTERVAL      singleton lease renewal period, at most half the TTL (1s)
//	MAX_ACTIVE_GAMES              games this node's connections may play at once; 0 = no cap (0)
//	ADMISSION_MAX_OPENING         games admitted whose session has not answered yet (256)
//	ADMISSION_SCHED_LATENCY       Go scheduler p99 delay at which new games are shed; 0 = off (100ms)
//	ADMISSION_POOL_WAIT           PostgreSQL pool mean acquire wait at which new games are shed; 0 = off (250ms)
//	ADMISSION_RETRY_AFTER         shortest retry hint of a busy answer; returns are paced at the admission rate (1s)
//	ADMISSION_INTERVAL            pressure sampling period (250ms)
//	MATCHMAKING_TICK_INTERVAL     how often a mode's matchmaker forms matches (500ms)
//	MATCHMAKING_STATUS_INTERVAL   how often waiting players get matchmaking:status (5s)
//	MATCHMAKING_WINDOW_START      skill window of a fresh ticket, rating points (3)
//	MATCHMAKING_WINDOW_PER_SECOND rating points the window widens per second waited (1)
//	MATCHMAKING_WINDOW_MAX        widest skill window (50)
//	MATCHMAKING_MAX_TICKETS       tickets one mode's queue holds; past it busy (10000)
//	MATCHMAKING_READY_TIMEOUT     matched player's wait for the host's session before re-queueing (10s)
//	CHALLENGE_SECRET              key of the daily challenge's rules (HMAC of the date), at least 32 chars outside development (generated in development/test)
//	REFERRAL_GAMES                ranked games a referred player plays before both are rewarded (3)
//	REFERRAL_DAILY_CAP            referrals accepted per referrer per rolling day; 0 no cap (10)
//	REFERRAL_IP_WINDOW            a sign-up from an IP the referrer used this recently is refused (24h)
//	REFERRAL_FINGERPRINT_SECRET   key of the sign-in fingerprints (HMAC-SHA256), at least 32 chars outside development (generated in development/test)
//	NOTIFY_ACTIVE_WINDOW          players who signed in this recently get stored challenge starts (168h)
//	NOTIFY_CONNECT_ALERTS         missed notifications a connecting socket is sent (50)
//	NOTIFY_RECEIPT_QUEUE          delivered alerts waiting to be recorded; overflow drops (4096)
//	CORS_ENABLED                  answer cross-origin REST requests from ALLOWED_ORIGINS (true)
//	RATE_LIMIT_WINDOW             window of the REST rate limits (1m)
//	RATE_LIMIT_ANONYMOUS          requests per window per IP without a token (10)
//	RATE_LIMIT_USER               requests per window per signed-in player (600)
//	RATE_LIMIT_AUTH               requests per window per IP on auth routes (5)
//	RATE_LIMIT_SYNC_INTERVAL      lifetime of a node's local rate-budget lease; 0: ask Redis per request (1s)
//	REVOCATION_CACHE_TTL          longest a node trusts a cached revocation verdict; 0: no cache (500ms)
//	TOKEN_CACHE_SIZE              verified access tokens cached per node; 0: no cache (16384)
//	AVATAR_DIR                    directory of uploaded avatars (data/avatars)
//	AVATAR_MAX_BYTES              largest avatar upload (2097152)
//	API_DOCS                      serve /api/docs and /api/docs/openapi.json (true; false in production unless set)
//	PUBLIC_URL                    public origin players reach, in mail links and signed wallet messages; unset: from HTTP_ADDR (http://localhost:3000)
//	BCRYPT_SALT_ROUNDS            bcrypt cost (12)
//	AUTH_MAX_FAILED_ATTEMPTS      sign-in failures within the window that lock an account (5)
//	AUTH_ATTEMPT_WINDOW_SECONDS   failure counting window, whole seconds (900)
//	AUTH_LOCKOUT_DURATION_SECONDS lockout length, whole seconds (900)
//	WALLET_NONCE_TTL              wallet sign-in challenge lifetime (5m)
//	MAIL_HOST                     SMTP host; empty disables mail
//	MAIL_PORT                     SMTP port (587)
//	MAIL_USER                     SMTP user
//	MAIL_PASS                     SMTP password (secret)
//	MAIL_FROM                     From address (ProofStell <no-reply@proofstell.local>)
//	MAIL_QUEUE_SIZE               mails waiting for the SMTP server; overflow drops (256)
//	MAIL_SEND_TIMEOUT             bound of one mail delivery (30s)
//	STARKNET_RPC_URL              StarkNet JSON-RPC URL; empty disables StarkNet sign-in
//	STARKNET_CHAIN_ID             chain id in signed messages: SN_MAIN or SN_SEPOLIA, or their hex felts (SN_SEPOLIA)
//	STARKNET_CUSTOM_CHAIN         accept another STARKNET_CHAIN_ID short string, for a devnet or appchain (false)
//	STELLAR_NETWORK_PASSPHRASE    Stellar network passphrase (Test SDF Network ; September 2015)
//	STARKNET_ACCOUNT_ADDRESS      StarkNet relayer account (minting waits without it)
//	STARKNET_PRIVATE_KEY          StarkNet relayer private key (secret)
//	MINT_CONTRACT_ADDRESS         StarkNet badge NFT contract
//	LEADERBOARD_CONTRACT_ADDRESS  StarkNet leaderboard roots contract
//	MINT_FEE_MULTIPLIER           multiplier on estimated fees (1.5)
//	MINT_MAX_FEE                  fee cap per transaction in fri; empty: none
//	MINT_BATCH_SIZE               mints per multicall when the queue is deep (10)
//	MINT_POLL_INTERVAL            how often a chain writer looks at its queue and transaction in flight (2s)
//	STELLAR_RPC_URL               Soroban RPC endpoint
//	STELLAR_SECRET_KEY            Stellar relayer secret seed (secret)
//	SOROBAN_BADGE_CONTRACT_ID     Soroban badge contract id
//	STELLAR_MINT_MAX_FEE          fee cap per Soroban mint in stroops; 0: none
//	ANALYTICS_ENABLED             false turns every analytics provider off (true)
//	ANALYTICS_ID_SECRET           key of the pseudonymous player ids; required in production with a provider on (generated in development/test) (secret)
//	POSTHOG_API_KEY               PostHog project key; unset: PostHog off (secret)
//	POSTHOG_HOST                  PostHog base URL (https://us.i.posthog.com)
//	MIXPANEL_TOKEN                Mixpanel project token; unset: Mixpanel off (secret)
//	MIXPANEL_API_HOST             Mixpanel API base URL (https://api.mixpanel.com)
//	PLAUSIBLE_DOMAIN              Plausible site domain; unset: Plausible off
//	PLAUSIBLE_API_HOST            Plausible base URL (https://plausible.io)
//	GA_MEASUREMENT_ID             GA4 measurement id; with GA_API_SECRET, unset: GA4 off
//	GA_API_SECRET                 GA4 Measurement Protocol API secret (secret)
//	GA_API_HOST                   GA4 Measurement Protocol base URL (https://www.google-analytics.com)
//	ANALYTICS_DRAIN_INTERVAL      how often each provider's worker reads the outbox (1s)
//	ANALYTICS_CLIENT_EVENTS_PER_MINUTE  client events a player may send per minute (60)
//	ANALYTICS_MAX_CLIENT_EVENTS   most events in one POST /api/v1/analytics/events (20)
//	SHUTDOWN_TIMEOUT              deadline of the phased shutdown (20s)
func Load(getenv func(string) string) (Config, error) {
	cfg := Default()
	var errs []error
	for _, b := range bindings {
		v := getenv(b.name)
		if v == "" {
			continue
		}
		if err := parseField(b.field(&cfg), v); err != nil {
			// Secrets never reach error messages, and these parse as strings anyway.
			errs = append(errs, fmt.Errorf("%s: %w", b.name, err))
		}
	}
	if getenv("API_DOCS") == "" {
		cfg.HTTP.APIDocs = cfg.Env != EnvProduction
	}
	if getenv("PUBLIC_URL") == "" {
		cfg.HTTP.PublicURL = LocalOrigin(cfg.HTTP.Addr)
	}
	if cfg.Auth.JWTSecret == "" && cfg.Env != EnvProduction {
		cfg.Auth.JWTSecret = generateSecret()
		cfg.Auth.SecretGenerated = true
	}
	if cfg.Challenges.Secret == "" && cfg.Env != EnvProduction {
		cfg.Challenges.Secret = generateSecret()
		cfg.Challenges.SecretGenerated = true
	}
	if cfg.Analytics.IDSecret == "" && cfg.Env != EnvProduction {
		cfg.Analytics.IDSecret = generateSecret()
		cfg.Analytics.IDSecretGenerated = true
	}
	if cfg.Referrals.FingerprintSecret == "" && cfg.Env != EnvProduction {
		cfg.Referrals.FingerprintSecret = generateSecret()
		cfg.Referrals.FingerprintSecretGenerated = true
	}
	errs = append(errs, cfg.Validate())
	return cfg, errors.Join(errs...)
}

// generateSecret returns a random URL-safe secret for a development node.
func generateSecret() string {
	b := make([]byte, generatedSecretBytes)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (it crashes the program instead)
	return base64.RawURLEncoding.EncodeToString(b)
}

// bindings maps every environment variable to its field, in load order (PORT
// before HTTP_ADDR so the explicit address wins).
var bindings = []binding{
	{name: "NODE_ENV", help: "development, test or production", field: func(c *Config) any { return &c.Env }},
	{name: "LOG_LEVEL", help: "debug, info, warn or error", field: func(c *Config) any { return &c.LogLevel }},
	{name: "LOG_RATE_INTERVAL", help: "at most one warn-or-error log line of a kind per interval (the next carries the count dropped); 0 disables", field: func(c *Config) any { return &c.LogRateInterval }},
	{name: "DEV_CLOCK_FILE", help: "tests only, refused in production: a file holding an offset (\"36h\") added to the node's game clock, re-read a few times a second", field: func(c *Config) any { return &c.DevClockFile }},
	{name: "PORT", help: `HTTP port; sets HTTP_ADDR to ":PORT"`, field: func(c *Config) any { return portAddr{&c.HTTP.Addr} }},
	{name: "HTTP_ADDR", help: "HTTP listen host:port; overrides PORT", field: func(c *Config) any { return &c.HTTP.Addr }},
	{name: "METRICS_ADDR", help: "separate listen host:port for /metrics (private to Prometheus); empty: /metrics on HTTP_ADDR", field: func(c *Config) any { return &c.HTTP.MetricsAddr }},
	{name: "HTTP_READ_HEADER_TIMEOUT", help: "time to read request headers", field: func(c *Config) any { return &c.HTTP.ReadHeaderTimeout }},
	{name: "HTTP_WRITE_TIMEOUT", help: "time to write a REST response", field: func(c *Config) any { return &c.HTTP.WriteTimeout }},
	{name: "HTTP_IDLE_TIMEOUT", help: "keep-alive idle timeout", field: func(c *Config) any { return &c.HTTP.IdleTimeout }},
	{name: "MAX_BODY_BYTES", help: "largest REST request body in bytes", field: func(c *Config) any { return &c.HTTP.MaxBodyBytes }},
	{name: "REQUEST_TIMEOUT", help: "REST handler budget for actors and stores (actors bound their own calls with ACTOR_IO_TIMEOUT)", field: func(c *Config) any { return &c.HTTP.RequestTimeout }},
	{name: "TRUSTED_PROXIES", help: "comma list of reverse-proxy IPs or CIDRs whose X-Forwarded-For names the client; empty: the TCP peer", field: func(c *Config) any { return &c.HTTP.TrustedProxies }},
	{name: "ALLOWED_ORIGINS", help: "comma list of CORS and WebSocket origins; no * in production", field: func(c *Config) any { return &c.HTTP.AllowedOrigins }},
	{name: "DATABASE_URL", help: "PostgreSQL URL (postgres:// or postgresql://)", url: true, field: func(c *Config) any { return &c.Database.URL }},
	{name: "DATABASE_MAX_CONNS", help: "PostgreSQL pool size", field: func(c *Config) any { return &c.Database.MaxConns }},
	{name: "DATABASE_CREATE", help: "create the database if it does not exist", field: func(c *Config) any { return &c.Database.CreateIfMissing }},
	{name: "COMMIT_BATCH_SIZE", help: "finished games committed per transaction", field: func(c *Config) any { return &c.Database.CommitBatchSize }},
	{name: "COMMIT_FLUSH_INTERVAL", help: "longest a finished game waits for its batch", field: func(c *Config) any { return &c.Database.CommitFlushInterval }},
	{name: "COMMIT_QUEUE_SIZE", help: "batching writer queue size; overflow rejects", field: func(c *Config) any { return &c.Database.CommitQueueSize }},
	// Snapshot writer (issue #12, writes).
	{name: "SNAPSHOT_FLUSH_INTERVAL", help: "tick of the node's snapshot writer: one statement per tick", field: func(c *Config) any { return &c.Database.SnapshotFlushInterval }},
	{name: "SNAPSHOT_BATCH_SIZE", help: "running games' snapshots written per statement", field: func(c *Config) any { return &c.Database.SnapshotBatchSize }},
	{name: "SNAPSHOT_QUEUE_SIZE", help: "snapshot writer queue size; overflow skips the snapshot", field: func(c *Config) any { return &c.Database.SnapshotQueueSize }},
	{name: "REDIS_URL", help: "Redis URL (redis:// or rediss://); empty keeps rate limits, lockouts, nonces, the revocation cache and the event bus in process, for a single node (CLUSTER_PROVIDER=single) only", url: true, field: func(c *Config) any { return &c.Redis.URL }},
	{name: "REDIS_PREFIX", help: "namespace of every Redis key and channel", field: func(c *Config) any { return &c.Redis.Prefix }},
	{name: "REDIS_SUBSCRIBE_QUEUE", help: "buffered pub/sub messages per subscription; overflow drops", field: func(c *Config) any { return &c.Redis.SubscribeQueue }},
	{name: "JWT_SECRET", help: "HS256 signing key, at least 32 characters outside development; generated when unset in development and test", secret: true, field: func(c *Config) any { return &c.Auth.JWTSecret }},
	{name: "JWT_SECRET_PREVIOUS", help: "previous signing key, still accepted during rotation", secret: true, field: func(c *Config) any { return &c.Auth.JWTSecretPrevious }},
	{name: "JWT_ISSUER", help: "access token iss claim", field: func(c *Config) any { return &c.Auth.Issuer }},
	{name: "JWT_AUDIENCE", help: "access token aud claim", field: func(c *Config) any { return &c.Auth.Audience }},
	{name: "JWT_ACCESS_TTL", help: "access token lifetime", field: func(c *Config) any { return &c.Auth.AccessTTL }},
	{name: "JWT_REFRESH_TTL", help: "refresh token lifetime", field: func(c *Config) any { return &c.Auth.RefreshTTL }},
	{name: "WS_SEND_QUEUE", help: "outbound frames queued per socket; overflow drops", field: func(c *Config) any { return &c.WS.SendQueue }},
	{name: "WS_DROP_LIMIT", help: "consecutive drops before a slow client is disconnected", field: func(c *Config) any { return &c.WS.DropLimit }},
	{name: "WS_READ_LIMIT", help: "largest client frame in bytes", field: func(c *Config) any { return &c.WS.ReadLimit }},
	{name: "WS_PING_INTERVAL", help: "server ping period", field: func(c *Config) any { return &c.WS.PingInterval }},
	{name: "WS_PONG_WAIT", help: "silence after which a socket is considered dead", field: func(c *Config) any { return &c.WS.PongWait }},
	{name: "WS_WRITE_WAIT", help: "deadline of one socket write", field: func(c *Config) any { return &c.WS.WriteWait }},
	{name: "WS_MESSAGE_RATE", help: "client messages per second per socket", field: func(c *Config) any { return &c.WS.MessageRate }},
	{name: "WS_MESSAGE_BURST", help: "client message burst per socket", field: func(c *Config) any { return &c.WS.MessageBurst }},
	{name: "WS_FLOOD_LIMIT", help: "frames refused by the message rate within WS_FLOOD_WINDOW before the socket closes with 4008", field: func(c *Config) any { return &c.WS.FloodLimit }},
	{name: "WS_FLOOD_WINDOW", help: "window over which WS_FLOOD_LIMIT counts refused frames", field: func(c *Config) any { return &c.WS.FloodWindow }},
	{name: "WS_MAX_PENDING", help: "client commands queued while a session resolves", field: func(c *Config) any { return &c.WS.MaxPending }},
	{name: "WS_HANDSHAKE_WAIT", help: "time allowed for the WebSocket upgrade handshake", field: func(c *Config) any { return &c.WS.HandshakeWait }},
	{name: "WS_REVOCATION_SWEEP", help: "how often open sockets' tokens are re-checked for revocation (bounds a missed revocation event)", field: func(c *Config) any { return &c.WS.RevocationSweep }},
	{name: "SOCKETIO_PING_INTERVAL", help: "Engine.IO server ping period of the Socket.IO gateway", field: func(c *Config) any { return &c.WS.SocketIO.PingInterval }},
	{name: "SOCKETIO_PING_TIMEOUT", help: "Engine.IO wait for a pong before the connection is closed", field: func(c *Config) any { return &c.WS.SocketIO.PingTimeout }},
	{name: "SOCKETIO_MAX_PAYLOAD", help: "largest Socket.IO long-polling body or websocket message in bytes", field: func(c *Config) any { return &c.WS.SocketIO.MaxPayload }},
	{name: "GAME_LAG_CAP", help: "largest lag allowance granted from measured RTT (at most 1s)", field: func(c *Config) any { return &c.Game.LagCap }},
	{name: "GAME_MIN_REACTION", help: "fastest accepted whack after a spawn is seen", field: func(c *Config) any { return &c.Game.MinReaction }},
	{name: "GAME_MAX_WHACKS_PER_SECOND", help: "whack rate above which whacks are rejected and flagged", field: func(c *Config) any { return &c.Game.MaxWhacksPerSecond }},
	{name: "GAME_TICK_INTERVAL", help: "shortest sleep of a session clock; sessions wake at their next spawn or expiry", field: func(c *Config) any { return &c.Game.TickInterval }},
	{name: "GAME_SNAPSHOT_INTERVAL", help: "running session snapshot period", field: func(c *Config) any { return &c.Game.SnapshotInterval }},
	{name: "GAME_IDLE_TIMEOUT", help: "idle time before a finished session actor stops", field: func(c *Config) any { return &c.Game.IdleTimeout }},
	{name: "GAME_WAITING_TIMEOUT", help: "time a match may wait for players, counted from its creation (also across restarts); older lobbies are closed", field: func(c *Config) any { return &c.Game.WaitingTimeout }},
	{name: "GAME_RESUME_WINDOW", help: "longest outage a running game survives; an older snapshot ends the game as aborted", field: func(c *Config) any { return &c.Game.ResumeWindow }},
	{name: "GAME_MAX_STASH", help: "messages a session holds while it loads; overflow answers unavailable", field: func(c *Config) any { return &c.Game.MaxStash }},
	{name: "LEADERBOARD_PUBLISH_INTERVAL", help: "leaderboard:update coalescing period", field: func(c *Config) any { return &c.Board.PublishInterval }},
	{name: "LEADERBOARD_TOP_N", help: "entries in a published top list", field: func(c *Config) any { return &c.Board.TopN }},
	{name: "LEADERBOARD_IDLE_TIMEOUT", help: "idle time before an unused past-period board stops", field: func(c *Config) any { return &c.Board.IdleTimeout }},
	{name: "LEADERBOARD_CATCHUP_INTERVAL", help: "how often a board reads the standings stored since it last looked", field: func(c *Config) any { return &c.Board.CatchUpInterval }},
	{name: "LEADERBOARD_REBUILD_TIMEOUT", help: "bound of one rebuild of a board's rank index from PostgreSQL; a failed one is retried", field: func(c *Config) any { return &c.Board.RebuildTimeout }},
	{name: "LEADERBOARD_MAX_STASH", help: "messages a board holds while it rebuilds; overflow answers queries failed and drops applies (the catch-up recovers them)", field: func(c *Config) any { return &c.Board.MaxStash }},
	{name: "LEADERBOARD_FREEZE_TIMEOUT", help: "bound of freezing one closed period: ranking and hashing its standings, storing them and their root", field: func(c *Config) any { return &c.Board.FreezeTimeout }},
	{name: "ACTOR_IO_TIMEOUT", help: "bound of each store, lookup or chain call an actor makes off its mailbox", field: func(c *Config) any { return &c.Actors.IOTimeout }},
	{name: "FANOUT_PUBLISH_QUEUE", help: "events waiting on a node to be published to the bus; overflow drops and counts", field: func(c *Config) any { return &c.Actors.FanoutQueue }},
	{name: "BADGE_DRAIN_INTERVAL", help: "how often each node's badge worker looks for finished games and frozen periods", field: func(c *Config) any { return &c.Actors.BadgeDrainInterval }},
	{name: "CLUSTER_NAME", help: "cluster name shared by every member", field: func(c *Config) any { return &c.Cluster.Name }},
	{name: "CLUSTER_PROVIDER", help: "membership provider: single, automanaged or etcd", field: func(c *Config) any { return &c.Cluster.Provider }},
	{name: "CLUSTER_ADDR", help: "actor remoting host:port, listened on and advertised to peers", field: func(c *Config) any { return &c.Cluster.Addr }},
	{name: "CLUSTER_REQUEST_TIMEOUT", help: "timeout of one cluster request", field: func(c *Config) any { return &c.Cluster.RequestTimeout }},
	{name: "CLUSTER_DISCOVERY_ADDR", help: "automanaged: this node's discovery host:port", field: func(c *Config) any { return &c.Cluster.DiscoveryAddr }},
	{name: "CLUSTER_PEERS", help: "automanaged: comma list of every member's discovery host:port, this one included", field: func(c *Config) any { return &c.Cluster.Peers }},
	{name: "CLUSTER_PROBE_INTERVAL", help: "automanaged: peer probe period", field: func(c *Config) any { return &c.Cluster.ProbeInterval }},
	{name: "CLUSTER_SUSPECT_AFTER", help: "automanaged: failed probes in a row before a peer leaves the topology", field: func(c *Config) any { return &c.Cluster.SuspectAfter }},
	{name: "CLUSTER_ETCD_ENDPOINTS", help: "etcd: comma list of client URLs", field: func(c *Config) any { return &c.Cluster.EtcdEndpoints }},
	{name: "CLUSTER_ETCD_LEASE_TTL", help: "etcd: how long a member outlives its last keep-alive", field: func(c *Config) any { return &c.Cluster.EtcdLeaseTTL }},
	{name: "CLUSTER_READY_TIMEOUT", help: "longest start waits to learn the cluster topology", field: func(c *Config) any { return &c.Cluster.ReadyTimeout }},
	{name: "SINGLETON_LEASE_TTL", help: "how long a singleton lease (period scheduler) outlives its holder's last renewal", field: func(c *Config) any { return &c.Cluster.SingletonTTL }},
	{name: "SINGLETON_RENEW_INTERVAL", help: "singleton lease renewal period; at most half the TTL", field: func(c *Config) any { return &c.Cluster.SingletonRenew }},
	// Overload protection (issue #12): admission of new games.
	{name: "MAX_ACTIVE_GAMES", help: "games this node's connections may play at once; past it new games get busy; 0: no cap", field: func(c *Config) any { return &c.Admission.MaxActiveGames }},
	{name: "ADMISSION_MAX_OPENING", help: "games admitted whose session has not answered yet; past it new games get busy", field: func(c *Config) any { return &c.Admission.MaxOpening }},
	{name: "ADMISSION_SCHED_LATENCY", help: "Go scheduler p99 run-queue delay at which new games get busy; 0 disables", field: func(c *Config) any { return &c.Admission.SchedLatency }},
	{name: "ADMISSION_POOL_WAIT", help: "PostgreSQL pool mean acquire wait at which new games get busy; 0 disables", field: func(c *Config) any { return &c.Admission.PoolWait }},
	{name: "ADMISSION_RETRY_AFTER", help: "shortest retry hint (`retry_after_ms`) of a busy answer; shed clients get return times paced at the rate the node admits games, to 10×", field: func(c *Config) any { return &c.Admission.RetryAfter }},
	{name: "ADMISSION_INTERVAL", help: "node pressure sampling period", field: func(c *Config) any { return &c.Admission.Interval }},
	{name: "MATCHMAKING_TICK_INTERVAL", help: "how often a mode's matchmaker tries to form matches", field: func(c *Config) any { return &c.Matchmaking.TickInterval }},
	{name: "MATCHMAKING_STATUS_INTERVAL", help: "how often waiting players get matchmaking:status", field: func(c *Config) any { return &c.Matchmaking.StatusInterval }},
	{name: "MATCHMAKING_WINDOW_START", help: "skill window (rating points) of a ticket that has just joined the queue", field: func(c *Config) any { return &c.Matchmaking.WindowStart }},
	{name: "MATCHMAKING_WINDOW_PER_SECOND", help: "rating points the skill window widens by per second of waiting", field: func(c *Config) any { return &c.Matchmaking.WindowPerSecond }},
	{name: "MATCHMAKING_WINDOW_MAX", help: "widest skill window, in rating points", field: func(c *Config) any { return &c.Matchmaking.WindowMax }},
	{name: "MATCHMAKING_MAX_TICKETS", help: "tickets one mode's queue holds; past it joins get busy", field: func(c *Config) any { return &c.Matchmaking.MaxTickets }},
	{name: "MATCHMAKING_READY_TIMEOUT", help: "how long a matched player waits for the match's host to open the session (and twice it for every member to join) before it is queued again", field: func(c *Config) any { return &c.Matchmaking.ReadyTimeout }},
	{name: "CHALLENGE_SECRET", help: "key the daily challenge's rules are derived from (HMAC-SHA256 of the date), so nobody can compute a future day's; at least 32 characters outside development; generated when unset in development and test", secret: true, field: func(c *Config) any { return &c.Challenges.Secret }},
	{name: "REFERRAL_GAMES", help: "finished, unflagged ranked games a referred player plays before both players are rewarded", field: func(c *Config) any { return &c.Referrals.Games }},
	{name: "REFERRAL_DAILY_CAP", help: "referrals accepted per referrer per rolling 24 hours; past it the sign-up succeeds and its referral is refused; 0 means no cap", field: func(c *Config) any { return &c.Referrals.DailyCap }},
	{name: "REFERRAL_IP_WINDOW", help: "a referral whose sign-up comes from an IP the referrer signed in from within this long is refused", field: func(c *Config) any { return &c.Referrals.IPWindow }},
	{name: "REFERRAL_FINGERPRINT_SECRET", help: "key of the anti-farming sign-in fingerprints (HMAC-SHA256 of the device, IP or wallet), shared by every node; at least 32 characters outside development; generated when unset in development and test", secret: true, field: func(c *Config) any { return &c.Referrals.FingerprintSecret }},
	{name: "NOTIFY_ACTIVE_WINDOW", help: "a challenge.started notification is stored for players who signed in or refreshed a session within this long", field: func(c *Config) any { return &c.Notifications.ActiveWindow }},
	{name: "NOTIFY_CONNECT_ALERTS", help: "missed notifications a connecting socket is sent as notification:alert, oldest first; the inbox has the rest", field: func(c *Config) any { return &c.Notifications.ConnectAlerts }},
	{name: "NOTIFY_RECEIPT_QUEUE", help: "delivered alerts waiting on a node to be recorded as alerted; overflow drops and counts (the alert may come again on connect)", field: func(c *Config) any { return &c.Notifications.ReceiptQueue }},
	{name: "CORS_ENABLED", help: "answer cross-origin REST requests from ALLOWED_ORIGINS", field: func(c *Config) any { return &c.HTTP.CORSEnabled }},
	{name: "RATE_LIMIT_WINDOW", help: "window of the REST rate limits", field: func(c *Config) any { return &c.HTTP.RateWindow }},
	{name: "RATE_LIMIT_ANONYMOUS", help: "requests per window per IP without a token", field: func(c *Config) any { return &c.HTTP.RateAnonymous }},
	{name: "RATE_LIMIT_USER", help: "requests per window per signed-in player", field: func(c *Config) any { return &c.HTTP.RateUser }},
	{name: "RATE_LIMIT_AUTH", help: "requests per window per IP on sign-in, registration and recovery routes", field: func(c *Config) any { return &c.HTTP.RateAuth }},
	// REST read path (issue #12).
	{name: "RATE_LIMIT_SYNC_INTERVAL", help: "lifetime of a node's local lease of a rate budget (docs/SECURITY.md tolerance); 0: every request asks Redis", field: func(c *Config) any { return &c.HTTP.RateSyncInterval }},
	{name: "REVOCATION_CACHE_TTL", help: "longest a node trusts a revocation verdict held in memory; 0: every check asks Redis", field: func(c *Config) any { return &c.HTTP.RevocationCacheTTL }},
	{name: "TOKEN_CACHE_SIZE", help: "verified access tokens cached per node; 0: every request verifies the signature", field: func(c *Config) any { return &c.HTTP.TokenCacheSize }},
	{name: "AVATAR_DIR", help: "directory of uploaded avatars", field: func(c *Config) any { return &c.HTTP.AvatarDir }},
	{name: "AVATAR_MAX_BYTES", help: "largest avatar upload in bytes", field: func(c *Config) any { return &c.HTTP.AvatarMaxBytes }},
	{name: "API_DOCS", help: "serve the OpenAPI document at /api/docs/openapi.json and its page at /api/docs; unset: on except in production", field: func(c *Config) any { return &c.HTTP.APIDocs }},
	{name: "PUBLIC_URL", help: "public origin players reach this service at (`https://host[:port]`, no path): mail links and the SEP-53 and SNIP-12 sign-in messages name it; unset: `http://` + HTTP_ADDR, with localhost for an empty or wildcard host", field: func(c *Config) any { return &c.HTTP.PublicURL }},
	{name: "BCRYPT_SALT_ROUNDS", help: "bcrypt cost of password hashes", field: func(c *Config) any { return &c.Auth.BcryptCost }},
	{name: "AUTH_MAX_FAILED_ATTEMPTS", help: "sign-in failures within the window that lock an account", field: func(c *Config) any { return &c.Auth.MaxFailedAttempts }},
	{name: "AUTH_ATTEMPT_WINDOW_SECONDS", help: "window counting sign-in failures, in seconds", field: func(c *Config) any { return seconds{&c.Auth.AttemptWindow} }},
	{name: "AUTH_LOCKOUT_DURATION_SECONDS", help: "how long a locked account stays locked, in seconds", field: func(c *Config) any { return seconds{&c.Auth.LockoutDuration} }},
	{name: "WALLET_NONCE_TTL", help: "lifetime of a wallet sign-in challenge", field: func(c *Config) any { return &c.Auth.WalletNonceTTL }},
	{name: "MAIL_HOST", help: "SMTP server host; empty disables mail", field: func(c *Config) any { return &c.Mail.Host }},
	{name: "MAIL_PORT", help: "SMTP server port", field: func(c *Config) any { return &c.Mail.Port }},
	{name: "MAIL_USER", help: "SMTP user", field: func(c *Config) any { return &c.Mail.User }},
	{name: "MAIL_PASS", help: "SMTP password", secret: true, field: func(c *Config) any { return &c.Mail.Pass }},
	{name: "MAIL_FROM", help: "From address of mails", field: func(c *Config) any { return &c.Mail.From }},
	{name: "MAIL_QUEUE_SIZE", help: "mails waiting for the SMTP server; overflow drops the mail and logs it", field: func(c *Config) any { return &c.Mail.QueueSize }},
	{name: "MAIL_SEND_TIMEOUT", help: "bound of one mail delivery", field: func(c *Config) any { return &c.Mail.SendTimeout }},
	{name: "STARKNET_RPC_URL", help: "StarkNet JSON-RPC endpoint; empty disables StarkNet wallet sign-in", url: true, field: func(c *Config) any { return &c.Chain.StarknetRPCURL }},
	{name: "STARKNET_CHAIN_ID", help: "StarkNet chain id of signed messages and of the node: SN_MAIN or SN_SEPOLIA (or their hex felts); others need STARKNET_CUSTOM_CHAIN", field: func(c *Config) any { return &c.Chain.StarknetChainID }},
	{name: "STARKNET_CUSTOM_CHAIN", help: "accept a STARKNET_CHAIN_ID outside the known chains (a devnet such as Katana's KATANA, an appchain): any Cairo short string of 1..31 ASCII characters or a hex felt", field: func(c *Config) any { return &c.Chain.StarknetCustomChain }},
	{name: "STELLAR_NETWORK_PASSPHRASE", help: "Stellar network passphrase", field: func(c *Config) any { return &c.Chain.StellarNetworkPassphrase }},
	{name: "STARKNET_ACCOUNT_ADDRESS", help: "StarkNet relayer account that mints badges and submits roots", field: func(c *Config) any { return &c.Chain.StarknetAccountAddress }},
	{name: "STARKNET_PRIVATE_KEY", help: "StarkNet relayer private key", secret: true, field: func(c *Config) any { return &c.Chain.StarknetPrivateKey }},
	{name: "MINT_CONTRACT_ADDRESS", help: "StarkNet badge NFT contract", field: func(c *Config) any { return &c.Chain.MintContractAddress }},
	{name: "LEADERBOARD_CONTRACT_ADDRESS", help: "StarkNet leaderboard roots contract", field: func(c *Config) any { return &c.Chain.LeaderboardContractAddress }},
	{name: "MINT_FEE_MULTIPLIER", help: "multiplier on estimated StarkNet fees", field: func(c *Config) any { return &c.Chain.MintFeeMultiplier }},
	{name: "MINT_MAX_FEE", help: "cap on one mint transaction's fee in fri (decimal); empty: no cap", field: func(c *Config) any { return &c.Chain.MintMaxFee }},
	{name: "MINT_BATCH_SIZE", help: "mints per multicall when the queue is deep", field: func(c *Config) any { return &c.Chain.MintBatchSize }},
	{name: "MINT_POLL_INTERVAL", help: "how often a chain writer looks at its queue and its transaction in flight", field: func(c *Config) any { return &c.Chain.MintPollInterval }},
	{name: "STELLAR_RPC_URL", help: "Soroban RPC endpoint for Stellar badge mints", url: true, field: func(c *Config) any { return &c.Chain.StellarRPCURL }},
	{name: "STELLAR_SECRET_KEY", help: "Stellar relayer secret seed", secret: true, field: func(c *Config) any { return &c.Chain.StellarSecretKey }},
	{name: "SOROBAN_BADGE_CONTRACT_ID", help: "Soroban badge contract id", field: func(c *Config) any { return &c.Chain.SorobanBadgeContractID }},
	{name: "STELLAR_MINT_MAX_FEE", help: "cap on one Soroban mint's total fee in stroops; 0: no cap", field: func(c *Config) any { return &c.Chain.StellarMintMaxFee }},
	// Analytics fan-out (issue #16, docs/ANALYTICS.md).
	{name: "ANALYTICS_ENABLED", help: "false turns every analytics provider off; a provider is on when its settings are set", field: func(c *Config) any { return &c.Analytics.Enabled }},
	{name: "ANALYTICS_ID_SECRET", help: "key of the pseudonymous player ids sent to analytics providers (HMAC-SHA256); at least 32 characters outside development; required in production when a provider is on; generated when unset in development and test", secret: true, field: func(c *Config) any { return &c.Analytics.IDSecret }},
	{name: "POSTHOG_API_KEY", help: "PostHog project API key; unset turns PostHog off", secret: true, field: func(c *Config) any { return &c.Analytics.PostHogAPIKey }},
	{name: "POSTHOG_HOST", help: "PostHog base URL (a region, a proxy)", field: func(c *Config) any { return &c.Analytics.PostHogHost }},
	{name: "MIXPANEL_TOKEN", help: "Mixpanel project token; unset turns Mixpanel off", secret: true, field: func(c *Config) any { return &c.Analytics.MixpanelToken }},
	{name: "MIXPANEL_API_HOST", help: "Mixpanel API base URL (https://api-eu.mixpanel.com for EU residency, a proxy)", field: func(c *Config) any { return &c.Analytics.MixpanelAPIHost }},
	{name: "PLAUSIBLE_DOMAIN", help: "Plausible site domain; unset turns Plausible off", field: func(c *Config) any { return &c.Analytics.PlausibleDomain }},
	{name: "PLAUSIBLE_API_HOST", help: "Plausible base URL (self-hosted, a proxy)", field: func(c *Config) any { return &c.Analytics.PlausibleAPIHost }},
	{name: "GA_MEASUREMENT_ID", help: "GA4 measurement id (G-...); with GA_API_SECRET; unset turns GA4 off", field: func(c *Config) any { return &c.Analytics.GAMeasurementID }},
	{name: "GA_API_SECRET", help: "GA4 Measurement Protocol API secret", secret: true, field: func(c *Config) any { return &c.Analytics.GAAPISecret }},
	{name: "GA_API_HOST", help: "GA4 Measurement Protocol base URL (region1 for EU collection, a proxy)", field: func(c *Config) any { return &c.Analytics.GAAPIHost }},
	{name: "ANALYTICS_DRAIN_INTERVAL", help: "how often each analytics provider's worker reads new outbox rows", field: func(c *Config) any { return &c.Analytics.DrainInterval }},
	{name: "ANALYTICS_CLIENT_EVENTS_PER_MINUTE", help: "client analytics events a player may send per minute", field: func(c *Config) any { return &c.Analytics.ClientEventsPerMinute }},
	{name: "ANALYTICS_MAX_CLIENT_EVENTS", help: "most events in one POST /api/v1/analytics/events", field: func(c *Config) any { return &c.Analytics.MaxClientEvents }},
	{name: "SHUTDOWN_TIMEOUT", help: "deadline of the phased shutdown", field: func(c *Config) any { return &c.Shutdown }},
}
