package config

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// valid returns a development config that passes Validate.
func valid() Config {
	c := Default()
	c.Auth.JWTSecret = "dev"
	c.Referrals.FingerprintSecret = prodSecret
	return c
}

func TestConfig_Validate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		mutate func(c *Config)
		want   []string // the variables named, in order
	}{
		{name: "defaults with a secret", mutate: func(*Config) {}},
		{name: "short secret is fine in development", mutate: func(c *Config) { c.Auth.JWTSecret = "x" }},
		{name: "missing secret", mutate: func(c *Config) { c.Auth.JWTSecret = "" }, want: []string{"JWT_SECRET"}},
		{name: "short secrets outside development", mutate: func(c *Config) {
			c.Env = EnvTest
			c.Auth.JWTSecretPrevious = "old"
		}, want: []string{"JWT_SECRET", "JWT_SECRET_PREVIOUS"}},
		{name: "production rules", mutate: func(c *Config) {
			c.Env = EnvProduction
			c.Auth.JWTSecret, c.Auth.SecretGenerated = prodSecret, true
			c.Challenges.Secret, c.Challenges.SecretGenerated = prodSecret, true
			c.Referrals.FingerprintSecret, c.Referrals.FingerprintSecretGenerated = prodSecret, true
			c.HTTP.AllowedOrigins = []string{"https://play.example.com", "*"}
		}, want: []string{"ALLOWED_ORIGINS", "JWT_SECRET", "CHALLENGE_SECRET", "REFERRAL_FINGERPRINT_SECRET"}},
		{name: "production needs the challenge secret", mutate: func(c *Config) {
			c.Env = EnvProduction
			c.Auth.JWTSecret, c.Referrals.FingerprintSecret = prodSecret, prodSecret
			c.HTTP.AllowedOrigins = []string{"https://play.example.com"}
		}, want: []string{"CHALLENGE_SECRET"}},
		{name: "production needs the fingerprint secret", mutate: func(c *Config) {
			c.Env = EnvProduction
			c.Auth.JWTSecret, c.Challenges.Secret, c.Referrals.FingerprintSecret = prodSecret, prodSecret, ""
			c.HTTP.AllowedOrigins = []string{"https://play.example.com"}
		}, want: []string{"REFERRAL_FINGERPRINT_SECRET"}},
		{name: "short fingerprint secret outside development", mutate: func(c *Config) {
			c.Env = EnvTest
			c.Auth.JWTSecret, c.Challenges.Secret = prodSecret, prodSecret
			c.Referrals.FingerprintSecret = "short"
		}, want: []string{"REFERRAL_FINGERPRINT_SECRET"}},
		{name: "short challenge secret outside development", mutate: func(c *Config) {
			c.Env = EnvTest
			c.Auth.JWTSecret = prodSecret
			c.Challenges.Secret = "short"
		}, want: []string{"CHALLENGE_SECRET"}},
		{name: "a dev clock in a test node", mutate: func(c *Config) { c.DevClockFile = "/tmp/clock" }},
		{name: "no dev clock in production", mutate: func(c *Config) {
			c.Env = EnvProduction
			c.Auth.JWTSecret = prodSecret
			c.Challenges.Secret = prodSecret
			c.HTTP.AllowedOrigins = []string{"https://play.example.com"}
			c.DevClockFile = "/tmp/clock"
		}, want: []string{"DEV_CLOCK_FILE"}},
		{name: "production needs origins", mutate: func(c *Config) {
			c.Env = EnvProduction
			c.Auth.JWTSecret = prodSecret
			c.Challenges.Secret = prodSecret
			c.HTTP.AllowedOrigins = nil
		}, want: []string{"ALLOWED_ORIGINS"}},
		{name: "bad origins", mutate: func(c *Config) {
			c.HTTP.AllowedOrigins = []string{"https://ok.example.com", "ftp://x", "https://x.example.com/path", "localhost"}
		}, want: []string{"ALLOWED_ORIGINS", "ALLOWED_ORIGINS", "ALLOWED_ORIGINS"}},
		{name: "known chain by hex felt", mutate: func(c *Config) { c.Chain.StarknetChainID = "0x534E5F4D41494E" }},
		{name: "mainnet", mutate: func(c *Config) { c.Chain.StarknetChainID = "SN_MAIN" }},
		{name: "unknown chain", mutate: func(c *Config) { c.Chain.StarknetChainID = "SN_SEPOLA" }, want: []string{"STARKNET_CHAIN_ID"}},
		{name: "unknown hex chain", mutate: func(c *Config) { c.Chain.StarknetChainID = "0x4b4154414e41" }, want: []string{"STARKNET_CHAIN_ID"}},
		{name: "lower-case name is another chain", mutate: func(c *Config) { c.Chain.StarknetChainID = "sn_sepolia" }, want: []string{"STARKNET_CHAIN_ID"}},
		{name: "custom devnet chain", mutate: func(c *Config) {
			c.Chain.StarknetChainID, c.Chain.StarknetCustomChain = "KATANA", true
		}},
		{name: "custom hex chain", mutate: func(c *Config) {
			c.Chain.StarknetChainID, c.Chain.StarknetCustomChain = "0x4b4154414e41", true
		}},
		{name: "custom chain must be a short string", mutate: func(c *Config) {
			c.Chain.StarknetChainID, c.Chain.StarknetCustomChain = strings.Repeat("X", 32), true
		}, want: []string{"STARKNET_CHAIN_ID"}},
		{name: "empty chain", mutate: func(c *Config) { c.Chain.StarknetChainID = "" }, want: []string{"STARKNET_CHAIN_ID"}},
		{name: "public origin", mutate: func(c *Config) { c.HTTP.PublicURL = "https://play.example.com:8443" }},
		{name: "public origins with more than an origin", mutate: func(c *Config) {
			c.HTTP.PublicURL = "https://play.example.com/"
		}, want: []string{"PUBLIC_URL"}},
		{name: "public origin needs http(s) and a host", mutate: func(c *Config) {
			c.HTTP.PublicURL = "play.example.com"
		}, want: []string{"PUBLIC_URL"}},
		{name: "public origin without query", mutate: func(c *Config) {
			c.HTTP.PublicURL = "https://play.example.com?x=1"
		}, want: []string{"PUBLIC_URL"}},
		{name: "url schemes", mutate: func(c *Config) {
			c.Database.URL = "mysql://db/x"
			c.Redis.URL = "redis://"
		}, want: []string{"DATABASE_URL", "REDIS_URL"}},
		{name: "postgresql and rediss schemes", mutate: func(c *Config) {
			c.Database.URL = "postgresql://u:p@db:5432/x"
			c.Redis.URL = "rediss://cache:6380/1"
		}},
		{name: "game ranges", mutate: func(c *Config) {
			c.Game.LagCap = 2 * time.Second
			c.Game.MinReaction = 0
			c.Game.MaxWhacksPerSecond = 0
			c.Game.TickInterval = -time.Millisecond
		}, want: []string{"GAME_LAG_CAP", "GAME_MIN_REACTION", "GAME_MAX_WHACKS_PER_SECOND", "GAME_TICK_INTERVAL"}},
		{name: "zero lag cap is allowed", mutate: func(c *Config) { c.Game.LagCap = 0 }},
		{name: "socket timing", mutate: func(c *Config) {
			c.WS.PingInterval = 20 * time.Second
			c.WS.SendQueue = 0
			c.WS.MessageRate = 0
		}, want: []string{"WS_SEND_QUEUE", "WS_PONG_WAIT", "WS_MESSAGE_RATE"}},
		{name: "flood guard", mutate: func(c *Config) {
			c.WS.FloodLimit = 0
			c.WS.FloodWindow = time.Millisecond
		}, want: []string{"WS_FLOOD_LIMIT", "WS_FLOOD_WINDOW"}},
		{name: "socket.io heartbeat and payload", mutate: func(c *Config) {
			c.WS.SocketIO.PingInterval = 0
			c.WS.SocketIO.PingTimeout = time.Hour
			c.WS.SocketIO.MaxPayload = 10
		}, want: []string{"SOCKETIO_PING_INTERVAL", "SOCKETIO_PING_TIMEOUT", "SOCKETIO_MAX_PAYLOAD"}},
		{name: "queues and batches", mutate: func(c *Config) {
			c.Database.CommitBatchSize = 100
			c.Database.CommitQueueSize = 50
			c.Redis.Prefix = ""
		}, want: []string{"COMMIT_QUEUE_SIZE", "REDIS_PREFIX"}},
		{name: "snapshot writer", mutate: func(c *Config) {
			c.Database.SnapshotFlushInterval = 0
			c.Database.SnapshotBatchSize = 100
			c.Database.SnapshotQueueSize = 50
		}, want: []string{"SNAPSHOT_FLUSH_INTERVAL", "SNAPSHOT_QUEUE_SIZE"}},
		{name: "addresses and names", mutate: func(c *Config) {
			c.HTTP.Addr = "3000"
			c.Cluster.Addr = "127.0.0.1:99999"
			c.Cluster.Provider = "consul"
			c.Cluster.Name = " "
			c.Env = "staging"
			c.LogLevel = "verbose"
			c.LogRateInterval = -time.Second
			// An unknown environment gets the strict secret rules.
		}, want: []string{"NODE_ENV", "LOG_LEVEL", "LOG_RATE_INTERVAL", "HTTP_ADDR", "JWT_SECRET", "CLUSTER_NAME", "CLUSTER_PROVIDER", "CLUSTER_ADDR"}},
		{name: "automanaged needs peers that include this node", mutate: func(c *Config) {
			c.Cluster.Provider = "automanaged"
			c.Redis.URL = "redis://cache:6379/0"
			c.Cluster.Addr = "127.0.0.1:0"
			c.Cluster.DiscoveryAddr = "127.0.0.1:7001"
			c.Cluster.Peers = []string{"127.0.0.1:7002", "nope"}
		}, want: []string{"CLUSTER_PEERS", "CLUSTER_PEERS", "CLUSTER_ADDR"}},
		{name: "automanaged with a full peer list", mutate: func(c *Config) {
			c.Cluster.Provider = "automanaged"
			c.Redis.URL = "redis://cache:6379/0"
			c.Cluster.Addr = "127.0.0.1:6001"
			c.Cluster.DiscoveryAddr = "127.0.0.1:7001"
			c.Cluster.Peers = []string{"127.0.0.1:7001", "127.0.0.1:7002"}
		}},
		{name: "etcd needs endpoints", mutate: func(c *Config) {
			c.Cluster.Provider = "etcd"
			c.Redis.URL = "redis://cache:6379/0"
			c.Cluster.ProbeInterval = 0
		}, want: []string{"CLUSTER_PROBE_INTERVAL", "CLUSTER_ETCD_ENDPOINTS"}},
		{name: "etcd endpoints are URLs", mutate: func(c *Config) {
			c.Cluster.Provider = "etcd"
			c.Redis.URL = "redis://cache:6379/0"
			c.Cluster.EtcdEndpoints = []string{"http://127.0.0.1:2379", "127.0.0.1:2379"}
		}, want: []string{"CLUSTER_ETCD_ENDPOINTS"}},
		{name: "a single node runs without Redis", mutate: func(c *Config) { c.Redis.URL = "" }},
		{name: "a single node may use Redis", mutate: func(c *Config) { c.Redis.URL = "redis://cache:6379/0" }},
		{name: "automanaged refuses to start without Redis", mutate: func(c *Config) {
			c.Cluster.Provider = "automanaged"
			c.Cluster.Addr = "127.0.0.1:6001"
			c.Cluster.DiscoveryAddr = "127.0.0.1:7001"
			c.Cluster.Peers = []string{"127.0.0.1:7001", "127.0.0.1:7002"}
		}, want: []string{"REDIS_URL"}},
		{name: "etcd refuses to start without Redis", mutate: func(c *Config) {
			c.Cluster.Provider = "etcd"
			c.Cluster.EtcdEndpoints = []string{"http://127.0.0.1:2379"}
		}, want: []string{"REDIS_URL"}},
		{name: "singleton renewal must leave room before expiry", mutate: func(c *Config) {
			c.Cluster.SingletonTTL = 2 * time.Second
			c.Cluster.SingletonRenew = 1500 * time.Millisecond
		}, want: []string{"SINGLETON_RENEW_INTERVAL"}},
		{name: "security settings", mutate: func(c *Config) {
			c.Auth.BcryptCost = 3
			c.Auth.AttemptWindow = 0
			c.HTTP.RateAuth = 0
			c.Mail.Host = "smtp.example.com"
			c.Mail.Port = 0
			c.Chain.StarknetRPCURL = "ftp://node"
		}, want: []string{"BCRYPT_SALT_ROUNDS", "AUTH_ATTEMPT_WINDOW_SECONDS", "RATE_LIMIT_AUTH", "MAIL_PORT", "STARKNET_RPC_URL"}},
		{name: "half a relayer", mutate: func(c *Config) {
			c.Chain.StarknetAccountAddress = "0x1"
			c.Chain.MintFeeMultiplier = 0.5
			c.Chain.MintMaxFee = "lots"
		}, want: []string{"MINT_FEE_MULTIPLIER", "MINT_MAX_FEE", "STARKNET_ACCOUNT_ADDRESS"}},
		{name: "metrics on the API address", mutate: func(c *Config) { c.HTTP.MetricsAddr = c.HTTP.Addr },
			want: []string{"METRICS_ADDR"}},
		{name: "a proxy that is not an address", mutate: func(c *Config) { c.HTTP.TrustedProxies = []string{"10.0.0.0/8", "proxy.local"} },
			want: []string{"TRUSTED_PROXIES"}},
		{name: "leaderboard without a relayer, half a Stellar relayer", mutate: func(c *Config) {
			c.Chain.LeaderboardContractAddress = "0x2"
			c.Chain.StellarSecretKey = "S..."
			c.Chain.StellarMintMaxFee = -1
		}, want: []string{"LEADERBOARD_CONTRACT_ADDRESS", "STELLAR_RPC_URL", "STELLAR_MINT_MAX_FEE"}},
		{name: "actor queues and timeouts too small", mutate: func(c *Config) {
			c.Game.MaxStash = 0
			c.Board.RebuildTimeout = 0
			c.Board.MaxStash = 0
			c.Board.FreezeTimeout = time.Millisecond
			c.Actors.IOTimeout = time.Millisecond
			c.Actors.FanoutQueue = 0
			c.Actors.BadgeDrainInterval = 0
		}, want: []string{"GAME_MAX_STASH", "LEADERBOARD_REBUILD_TIMEOUT", "LEADERBOARD_MAX_STASH",
			"LEADERBOARD_FREEZE_TIMEOUT", "ACTOR_IO_TIMEOUT", "FANOUT_PUBLISH_QUEUE", "BADGE_DRAIN_INTERVAL"}},
		{name: "actor queues and timeouts too large", mutate: func(c *Config) {
			c.Game.MaxStash = 1<<20 + 1
			c.Board.RebuildTimeout = 2 * time.Hour
			c.Board.MaxStash = 1<<24 + 1
			c.Board.FreezeTimeout = 2 * time.Hour
			c.Actors.IOTimeout = 6 * time.Minute
			c.Actors.FanoutQueue = 1_000_001
			c.Actors.BadgeDrainInterval = 11 * time.Minute
		}, want: []string{"GAME_MAX_STASH", "LEADERBOARD_REBUILD_TIMEOUT", "LEADERBOARD_MAX_STASH",
			"LEADERBOARD_FREEZE_TIMEOUT", "ACTOR_IO_TIMEOUT", "FANOUT_PUBLISH_QUEUE", "BADGE_DRAIN_INTERVAL"}},
		{name: "actor queues and timeouts at their bounds", mutate: func(c *Config) {
			c.Game.MaxStash = 1
			c.Board.RebuildTimeout, c.Board.MaxStash, c.Board.FreezeTimeout = time.Hour, 1<<24, time.Second
			c.Actors.IOTimeout, c.Actors.FanoutQueue, c.Actors.BadgeDrainInterval = 10*time.Millisecond, 1_000_000, 10*time.Minute
			c.Mail.QueueSize, c.Mail.SendTimeout = 1, 10*time.Minute
			c.Chain.MintPollInterval = 100 * time.Millisecond
		}},
		{name: "referral settings out of range", mutate: func(c *Config) {
			c.Referrals.Games = 0
			c.Referrals.DailyCap = -1
			c.Referrals.IPWindow = -time.Second
		}, want: []string{"REFERRAL_GAMES", "REFERRAL_DAILY_CAP", "REFERRAL_IP_WINDOW"}},
		{name: "referral settings at their bounds", mutate: func(c *Config) {
			c.Referrals.Games, c.Referrals.DailyCap, c.Referrals.IPWindow = 1000, 0, 0
		}},
		{name: "analytics hosts, limits and a half-set GA4", mutate: func(c *Config) {
			c.Analytics.PostHogHost, c.Analytics.GAAPIHost = "ftp://x", ""
			c.Analytics.GAMeasurementID = "G-1"
			c.Analytics.DrainInterval, c.Analytics.MaxClientEvents = 0, 101
		}, want: []string{"POSTHOG_HOST", "GA_API_HOST", "GA_API_SECRET", "ANALYTICS_DRAIN_INTERVAL", "ANALYTICS_MAX_CLIENT_EVENTS"}},
		{name: "a short analytics id secret outside development", mutate: func(c *Config) {
			c.Env, c.Auth.JWTSecret, c.Challenges.Secret = EnvTest, strings.Repeat("j", 40), strings.Repeat("c", 40)
			c.Analytics.PostHogAPIKey, c.Analytics.IDSecret = "phc", "short"
		}, want: []string{"ANALYTICS_ID_SECRET"}},
		{name: "notification settings out of range", mutate: func(c *Config) {
			c.Notifications.ActiveWindow, c.Notifications.ConnectAlerts, c.Notifications.ReceiptQueue = time.Minute, 0, 0
		}, want: []string{"NOTIFY_ACTIVE_WINDOW", "NOTIFY_CONNECT_ALERTS", "NOTIFY_RECEIPT_QUEUE"}},
		{name: "notification settings at their bounds", mutate: func(c *Config) {
			c.Notifications.ActiveWindow, c.Notifications.ConnectAlerts, c.Notifications.ReceiptQueue = time.Hour, 1000, 1
		}},
		{name: "mail queue is checked without a mail host", mutate: func(c *Config) {
			c.Mail.QueueSize = 0
			c.Mail.SendTimeout = 0
		}, want: []string{"MAIL_QUEUE_SIZE", "MAIL_SEND_TIMEOUT"}},
		{name: "chain writer poll", mutate: func(c *Config) { c.Chain.MintPollInterval = 0 },
			want: []string{"MINT_POLL_INTERVAL"}},
		{name: "token lifetimes", mutate: func(c *Config) {
			c.Auth.AccessTTL = time.Hour
			c.Auth.RefreshTTL = 30 * time.Minute
			c.Auth.Issuer = ""
		}, want: []string{"JWT_ISSUER", "JWT_REFRESH_TTL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := valid()
			tt.mutate(&c)
			err := c.Validate()
			if len(tt.want) == 0 {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			require.Equal(t, tt.want, problemNames(err.Error()), err.Error())
		})
	}
}

func TestConfig_Validate_neverEchoesSecrets(t *testing.T) {
	t.Parallel()
	c := valid()
	c.Env = EnvProduction
	c.Auth.JWTSecret = "hunter2-short"
	c.Database.URL = "mysql://admin:topsecret@db/x"
	err := c.Validate()
	require.Error(t, err)
	require.NotContains(t, err.Error(), "hunter2")
	require.NotContains(t, err.Error(), "topsecret")
}

// problemNames returns the variable each line of a joined error names.
func problemNames(msg string) []string {
	var names []string
	for _, line := range strings.Split(msg, "\n") {
		name, _, _ := strings.Cut(line, ":")
		names = append(names, name)
	}
	return names
}

// TestConfig_Validate_redisRequiredSaysWhy: the refusal names the provider
// and what nodes share through Redis, so the operator knows what to fix.
func TestConfig_Validate_redisRequiredSaysWhy(t *testing.T) {
	t.Parallel()
	c := valid()
	c.Cluster.Provider = "etcd"
	c.Cluster.EtcdEndpoints = []string{"http://127.0.0.1:2379"}
	require.EqualError(t, c.Validate(), "REDIS_URL: required when CLUSTER_PROVIDER=etcd: "+
		"nodes share rate limits, nonces, revocation and fan-out through Redis")
}
