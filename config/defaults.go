package config

import "time"

// Default returns the configuration `make run` starts with: a development node
// on port 3000 against local PostgreSQL in a single-member cluster, its
// short-lived state in process (no Redis).
func Default() Config {
	return Config{
		Env:             EnvDevelopment,
		LogLevel:        "info",
		LogRateInterval: 10 * time.Second,
		HTTP: HTTP{
			Addr:              ":3000", // PublicURL follows it unless PUBLIC_URL is set
			ReadHeaderTimeout: 5 * time.Second,
			WriteTimeout:      15 * time.Second,
			IdleTimeout:       60 * time.Second,
			MaxBodyBytes:      64 << 10,
			AllowedOrigins:    []string{"http://localhost:3000", "http://localhost:5173"},
			RequestTimeout:    5 * time.Second,
			CORSEnabled:       true,
			RateWindow:        time.Minute,
			RateAnonymous:     10,
			RateUser:          600,
			RateAuth:          5,
			AvatarDir:         "data/avatars",
			AvatarMaxBytes:    2 << 20,
			PublicURL:         LocalOrigin(":3000"),
			APIDocs:           true, // Load turns it off in production unless API_DOCS is set

			// REST read path (issue #12).
			RateSyncInterval:   time.Second,
			RevocationCacheTTL: 500 * time.Millisecond,
			TokenCacheSize:     16384,
		},
		Database: Database{
			URL:                 "postgres://postgres@127.0.0.1:5432/proofstell?sslmode=disable",
			MaxConns:            16,
			CreateIfMissing:     true,
			CommitBatchSize:     500,
			CommitFlushInterval: 5 * time.Millisecond,
			CommitQueueSize:     20000,
			// Snapshot writer (issue #12, writes).
			SnapshotFlushInterval: 10 * time.Millisecond,
			SnapshotBatchSize:     1000,
			SnapshotQueueSize:     20000,
		},
		Redis: Redis{
			URL:            "", // the in-process engine: a single node needs no Redis
			Prefix:         "ps:",
			SubscribeQueue: 1024,
		},
		Auth: Auth{
			Issuer:            "proofstell",
			Audience:          "proofstell-players",
			AccessTTL:         15 * time.Minute,
			RefreshTTL:        7 * 24 * time.Hour,
			BcryptCost:        12,
			MaxFailedAttempts: 5,
			AttemptWindow:     900 * time.Second,
			LockoutDuration:   900 * time.Second,
			WalletNonceTTL:    5 * time.Minute,
		},
		WS: WebSocket{
			SendQueue:       256,
			DropLimit:       32,
			ReadLimit:       4 << 10,
			PingInterval:    5 * time.Second,
			PongWait:        15 * time.Second,
			WriteWait:       5 * time.Second,
			MessageRate:     30,
			MessageBurst:    60,
			FloodLimit:      150,
			FloodWindow:     10 * time.Second,
			MaxPending:      64,
			HandshakeWait:   10 * time.Second,
			RevocationSweep: 30 * time.Second,
			// The reference server's defaults, which socket.io-client expects.
			SocketIO: SocketIO{PingInterval: 25 * time.Second, PingTimeout: 20 * time.Second, MaxPayload: 1_000_000},
		},
		Game: Game{
			LagCap:             150 * time.Millisecond,
			MinReaction:        80 * time.Millisecond,
			MaxWhacksPerSecond: 15,
			TickInterval:       5 * time.Millisecond,
			SnapshotInterval:   time.Second,
			IdleTimeout:        2 * time.Minute,
			WaitingTimeout:     10 * time.Minute,
			ResumeWindow:       30 * time.Second,
			MaxStash:           1024,
		},
		Board: Leaderboard{
			PublishInterval: 250 * time.Millisecond,
			TopN:            10,
			IdleTimeout:     30 * time.Minute,
			CatchUpInterval: 2 * time.Second,
			RebuildTimeout:  time.Minute,
			MaxStash:        10_000,
			FreezeTimeout:   2 * time.Minute,
		},
		Actors: Actors{
			IOTimeout:          5 * time.Second,
			FanoutQueue:        4096,
			BadgeDrainInterval: time.Second,
		},
		Cluster: Cluster{
			Name:           "proofstell",
			Provider:       "single",
			Addr:           "127.0.0.1:0",
			RequestTimeout: 5 * time.Second,
			DiscoveryAddr:  "127.0.0.1:7946",
			ProbeInterval:  250 * time.Millisecond,
			SuspectAfter:   2,
			EtcdLeaseTTL:   2 * time.Second,
			ReadyTimeout:   30 * time.Second,
			SingletonTTL:   3 * time.Second,
			SingletonRenew: time.Second,
		},
		Mail: Mail{Port: 587, From: "ProofStell <no-reply@proofstell.local>", QueueSize: 256, SendTimeout: 30 * time.Second},
		Chain: Chain{
			StarknetChainID:          "SN_SEPOLIA",
			StellarNetworkPassphrase: "Test SDF Network ; September 2015",
			MintFeeMultiplier:        1.5,
			MintBatchSize:            10,
			MintPollInterval:         2 * time.Second,
		},
		Shutdown:      20 * time.Second,
		Admission:     defaultAdmission(),
		Matchmaking:   defaultMatchmaking(),
		Referrals:     defaultReferrals(),
		Analytics:     defaultAnalytics(),
		Notifications: defaultNotifications(),
	}
}
