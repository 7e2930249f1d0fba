package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/proofstell/proofstell/actors/badges"
	"github.com/proofstell/proofstell/actors/leaderboard"
	"github.com/proofstell/proofstell/actors/matchmaker"
	"github.com/proofstell/proofstell/actors/notifications"
	"github.com/proofstell/proofstell/actors/party"
	"github.com/proofstell/proofstell/actors/player"
	"github.com/proofstell/proofstell/actors/referrals"
	"github.com/proofstell/proofstell/actors/runtime/fanout"
	"github.com/proofstell/proofstell/actors/runtime/grains"
	"github.com/proofstell/proofstell/actors/runtime/node"
	"github.com/proofstell/proofstell/actors/runtime/singleton"
	"github.com/proofstell/proofstell/actors/scheduler"
	"github.com/proofstell/proofstell/actors/session"
	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/gateway/auth"
	"github.com/proofstell/proofstell/gateway/mail"
	"github.com/proofstell/proofstell/gateway/playpage"
	"github.com/proofstell/proofstell/gateway/rest"
	"github.com/proofstell/proofstell/gateway/ws"
	"github.com/proofstell/proofstell/internal/admission"
	"github.com/proofstell/proofstell/internal/devclock"
	"github.com/proofstell/proofstell/internal/settings"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/batch"
	"github.com/proofstell/proofstell/persistence/postgres"
)

// app is a wired node. Fields are in build order; stop runs in reverse.
type app struct {
	cfg    config.Config
	logger *slog.Logger
	// now is the game clock: time.Now, or DEV_CLOCK_FILE's shifted clock in
	// end-to-end tests. Leases and tokens keep the real clock.
	now func() time.Time

	store     *postgres.Store
	leases    *postgres.LeasePool // singleton leases only: never starved by the main pool
	admission *admission.Controller
	// settings is the node's copy of the runtime settings.
	settings *settings.Holder
	engine   *engine // Redis, or in process on a single node
	node     *node.Node
	hub      *fanout.Hub
	// boardViews lets this node's leaderboard Clients read the grains that
	// serve here without a request (leaderboard.View).
	boardViews *leaderboard.Views
	scheduler  *singleton.Runner
	// chainWriters run one chain writer singleton per configured relayer;
	// closers release relayer clients once the writers stopped.
	chainWriters []*singleton.Runner
	// analytics run one analytics worker singleton per provider that is on.
	analytics    []*singleton.Runner
	closers      []func() error
	leaseMetrics *singleton.Metrics
	mails        *mail.Queue
	badges       *badges.Worker
	notices      *notifications.Worker
	// texts is the node's translations for mails and socket error frames.
	texts       *nodeCatalogue
	snapshots   *session.Flush // last snapshots of stopping sessions
	sessions    *session.Local // session activations on this node, for the hand-off
	writer      *batch.Writer
	snapshotter *batch.SnapshotWriter // running games' snapshots, one statement per tick
	sockets     *ws.Handler
	revocation  *auth.Revocation
	server      *http.Server
	// metrics serves /metrics on METRICS_ADDR; nil when /metrics is on the
	// API listener.
	metrics *http.Server

	workers       sync.WaitGroup
	stopWorkers   context.CancelFunc
	stopPublisher context.CancelFunc
}

func serve(ctx context.Context, getenv func(string) string, stderr io.Writer) error {
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	logger := newLogger(cfg.LogLevel, cfg.LogRateInterval, stderr)
	// Libraries and packages that log through slog.Default (security events
	// among them) go through the same JSON handler and redactor, and so do
	// the libraries with loggers of their own.
	slog.SetDefault(logger)
	routeLibraryLogs(ctx, logger)
	if cfg.Auth.SecretGenerated {
		logger.Warn("JWT_SECRET is not set: using a random secret for this process; tokens die with it")
	}
	if cfg.Challenges.SecretGenerated {
		logger.Warn("CHALLENGE_SECRET is not set: using a random secret for this process to derive daily challenges")
	}
	for _, w := range cfg.Warnings() {
		logger.Warn(w)
	}
	if cfg.Referrals.FingerprintSecretGenerated {
		logger.Warn("REFERRAL_FINGERPRINT_SECRET is not set: using a random secret for this process; " +
			"sign-in fingerprints match only within it")
	}
	a := &app{cfg: cfg, logger: logger, now: time.Now}
	if err := a.openDevClock(ctx); err != nil {
		return err
	}
	if err := a.build(ctx); err != nil {
		a.stop()
		return err
	}
	return a.run(ctx)
}

// build wires every component in dependency order.
func (a *app) build(ctx context.Context) error {
	if err := prepareDatabase(ctx, a.cfg.Database, a.logger); err != nil {
		return err
	}
	store, err := postgres.Open(ctx, a.cfg.Database, a.now)
	if err != nil {
		return fmt.Errorf("open postgres: %w", err)
	}
	a.store = store
	store.WriteGameFacts(a.cfg.Analytics.AnyOn()) // rows only analytics reads
	if err := store.CheckSchema(ctx); err != nil {
		return fmt.Errorf("check schema: %w", err)
	}
	if err := a.openLeasePool(ctx); err != nil {
		return err
	}
	if a.engine, err = openEngine(ctx, a.cfg.Redis, lockoutOf(a.cfg.Auth), a.logger); err != nil {
		return err
	}
	workers, stopWorkers := context.WithCancel(context.WithoutCancel(ctx))
	a.stopWorkers = stopWorkers
	a.writer = batch.NewWriter(store, batch.Options{
		MaxBatch: a.cfg.Database.CommitBatchSize, FlushInterval: a.cfg.Database.CommitFlushInterval,
		QueueSize: a.cfg.Database.CommitQueueSize, Now: a.now,
	})
	a.goWorker(func() { _ = a.writer.Run(workers) })
	a.snapshotter = batch.NewSnapshotWriter(store, batch.SnapshotOptions{
		Interval: a.cfg.Database.SnapshotFlushInterval, MaxBatch: a.cfg.Database.SnapshotBatchSize,
		QueueSize: a.cfg.Database.SnapshotQueueSize, WriteTimeout: a.cfg.Actors.IOTimeout,
	})
	a.goWorker(func() { _ = a.snapshotter.Run(workers) })
	// Modes are cached in memory; every change to game_modes drops the cache.
	a.goWorker(func() {
		store.ListenModes(workers, nil, func(err error) {
			a.logger.Warn("game mode listener dropped, reconnecting", slog.Any("error", err))
		})
	})
	// So are languages and translations; every change drops the catalogue.
	a.goWorker(func() {
		store.ListenTranslations(workers, nil, func(err error) {
			a.logger.Warn("translation listener dropped, reconnecting", slog.Any("error", err))
		})
	})
	if err := a.buildAdmission(workers); err != nil {
		return err
	}
	if err := a.startSettings(ctx, workers); err != nil {
		return err
	}
	if err := a.startActors(workers); err != nil {
		return err
	}
	a.announceMaintenance()
	return a.buildGateway(workers)
}

// startActors joins the cluster with the grain kinds and starts the fan-out.
func (a *app) startActors(workers context.Context) error {
	boardMetrics, err := leaderboard.NewMetrics(prometheus.DefaultRegisterer)
	if err != nil {
		return fmt.Errorf("register leaderboard metrics: %w", err)
	}
	var hub *fanout.Hub
	a.snapshots, a.sessions = &session.Flush{}, &session.Local{}
	a.boardViews = leaderboard.NewViews()
	kinds := func(system *actor.ActorSystem, dir grains.Directory) map[string]*actor.Props {
		hub = fanout.NewHub(a.engine.bus, a.cfg.Actors.FanoutQueue, a.logger)
		boards := leaderboard.NewClient(system.Root, dir, a.boardViews)
		return map[string]*actor.Props{
			grains.KindSession: session.Props(session.Deps{
				Store: a.store, Results: a.writer, Snapshots: a.snapshotter, Boards: boards, Publisher: hub, Config: a.cfg.Game,
				Now: a.now, Seed: session.RandomSeed, NewCode: session.RandomCode,
				Base: workers, IOTimeout: a.cfg.Actors.IOTimeout, MaxStash: a.cfg.Game.MaxStash, Logger: a.logger,
				Flush: a.snapshots, Local: a.sessions,
				Challenges: a.store,
			}),
			grains.KindMatchmaker: matchmaker.Props(matchmaker.Deps{
				Config: a.cfg.Matchmaking, Now: a.now, NewSessionID: newSessionID, Logger: a.logger,
			}),
			grains.KindParty: party.Props(a.logger),
			grains.KindLeaderboard: leaderboard.Props(leaderboard.Deps{
				Standings: a.store, Publisher: hub, Now: a.now, Config: a.cfg.Board,
				Logger: a.logger, Base: workers, RebuildTimeout: a.cfg.Board.RebuildTimeout, StashLimit: a.cfg.Board.MaxStash,
				Metrics: boardMetrics, Views: a.boardViews,
			}),
		}
	}
	n, err := node.Start(workers, a.cfg.Cluster, kinds, a.logger)
	if err != nil {
		return fmt.Errorf("start actor node: %w", err)
	}
	a.node, a.hub = n, hub
	// The hub tells which alerts reached a socket, so a connect does not
	// send them again (actors/notifications.Receipts).
	receipts := notifications.NewReceipts(a.store, a.cfg.Notifications.ReceiptQueue, 500, a.logger)
	hub.OnDelivered(receipts.Observe)
	if err := hub.Start(workers); err != nil {
		return err
	}
	publisher, stopPublisher := context.WithCancel(context.WithoutCancel(workers))
	a.stopPublisher = stopPublisher
	a.goWorker(func() { hub.Run(publisher) })
	a.goWorker(func() { receipts.Run(publisher) })
	a.logger.Info("actor node started", slog.String("cluster", a.cfg.Cluster.Name),
		slog.String("address", n.Address()), slog.Int("members", n.Members()))
	return a.startScheduler(workers)
}

// startScheduler runs the period scheduler under its cluster singleton
// lease: every node competes, one runs it.
func (a *app) startScheduler(workers context.Context) error {
	leaseMetrics, err := singleton.NewMetrics(prometheus.DefaultRegisterer)
	if err != nil {
		return fmt.Errorf("register singleton metrics: %w", err)
	}
	a.leaseMetrics = leaseMetrics
	closeMetrics, err := scheduler.NewMetrics(prometheus.DefaultRegisterer)
	if err != nil {
		return fmt.Errorf("register scheduler metrics: %w", err)
	}
	a.scheduler, err = singleton.NewRunner(a.leases, a.node.System.Root, singleton.Options{
		Name: persistence.SchedulerLease, Holder: a.node.Address() + "/" + uuid.NewString(),
		TTL: a.cfg.Cluster.SingletonTTL, RenewEvery: a.cfg.Cluster.SingletonRenew,
		Metrics: leaseMetrics, Logger: a.logger,
		Job: func(lease persistence.Lease) *actor.Props {
			return scheduler.Props(scheduler.Deps{
				Closer: a.store, Modes: a.store, Standings: a.store, Periods: a.store, Publisher: a.hub, Now: a.now, Base: workers,
				IOTimeout: a.cfg.Actors.IOTimeout, FreezeTimeout: a.cfg.Board.FreezeTimeout, Metrics: closeMetrics, Logger: a.logger,
				Lobbies: a.store, LobbyTimeout: a.cfg.Game.WaitingTimeout,
				Challenges: a.store, ChallengeSecret: []byte(a.cfg.Challenges.Secret),
			}, lease)
		},
	})
	if err != nil {
		return fmt.Errorf("period scheduler: %w", err)
	}
	a.goWorker(func() { _ = a.scheduler.Run(workers) })
	if err := a.startChainWriters(workers); err != nil {
		return err
	}
	if err := a.startAnalytics(workers); err != nil {
		return err
	}
	return a.startBadgeWorker(workers)
}

// startBadgeWorker evaluates badges after committed games (the outbox's
// game.finished rows) on every node: rows are claimed under a lease, so
// nodes share the work and a crash re-evaluates (awards are idempotent).
func (a *app) startBadgeWorker(workers context.Context) error {
	ticker := time.NewTicker(a.cfg.Actors.BadgeDrainInterval)
	a.badges = badges.New(badges.Deps{Store: a.store, Events: a.hub, Ticks: ticker.C, Logger: a.logger,
		Followers: []badges.GameFollower{referrals.NewCounter(a.store, a.hub, a.cfg.Referrals.Games, a.logger).OnlyWhen(a.referralsOn)}})
	a.goWorker(func() {
		defer ticker.Stop()
		a.badges.Run(workers)
	})
	return nil
}

// startNotificationWorker turns the notify.* outbox rows into inbox
// entries, live alerts and mails on every node, at the badge worker's pace
// (rows are leased, so nodes share the work; the inbox is idempotent). It
// starts with the gateway, which builds the mail queue.
func (a *app) startNotificationWorker(workers context.Context, letters *mail.Letters) {
	ticker := time.NewTicker(a.cfg.Actors.BadgeDrainInterval)
	mailer := notificationMailer{letters: letters, queue: a.mails, secret: []byte(a.cfg.Auth.JWTSecret),
		texts: a.texts, logger: a.logger}
	a.notices = notifications.New(notifications.Deps{Store: a.store, Events: a.hub, Mail: mailer, MailOn: a.notificationMailOn,
		Ticks: ticker.C, Logger: a.logger, ActiveWindow: a.cfg.Notifications.ActiveWindow})
	a.goWorker(func() {
		defer ticker.Stop()
		a.notices.Run(workers)
	})
}

// buildGateway wires tokens, the WebSocket handler and the REST router.
func (a *app) buildGateway(workers context.Context) error {
	tokens := auth.NewTokens(a.cfg.Auth, a.store, a.store, time.Now, rand.Reader)
	tokens.CacheVerified(a.cfg.HTTP.TokenCacheSize)
	revocation := auth.NewRevocation(tokens, a.store, a.engine.revocations, a.engine.bus, a.logger)
	a.revocation = revocation
	if a.engine.onServerChange != nil {
		a.engine.onServerChange(revocation.Invalidate)
	}
	a.warmRevocations(workers)
	root := a.node.System.Root
	wsMetrics, err := ws.NewMetrics(prometheus.DefaultRegisterer)
	if err != nil {
		return fmt.Errorf("register websocket metrics: %w", err)
	}
	a.texts = &nodeCatalogue{store: a.store}
	a.sockets = ws.NewHandler(ws.Deps{
		Texts:  a.texts.socketTexts,
		Config: a.cfg.WS, Metrics: wsMetrics, AllowedOrigins: a.cfg.HTTP.AllowedOrigins, Now: time.Now /* token expiry: the real clock */, Logger: a.logger,
		Authenticate: func(token string) (player.Identity, error) {
			c, err := tokens.Verify(token)
			return player.Identity{PlayerID: c.PlayerID, Username: c.Username, Role: c.Role, TokenID: c.TokenID,
				FamilyID: c.SessionID, ExpiresAt: c.ExpiresAt, IssuedAt: c.IssuedAt}, err
		},
		Admit: func(ctx context.Context, token string) error {
			_, err := revocation.CheckToken(ctx, token)
			return err
		},
		Recheck: func(ctx context.Context, id player.Identity) error {
			return revocation.Check(ctx, auth.Claims{PlayerID: id.PlayerID, TokenID: id.TokenID,
				SessionID: id.FamilyID, IssuedAt: id.IssuedAt})
		},
		Attach: &player.Spawner{Root: root, MailboxSize: 4 * a.cfg.WS.MessageBurst, Deps: player.Deps{
			Grains: a.node.Directory, Codes: a.store, Hub: a.hub, NewSessionID: newSessionID,
			Base: workers, LookupTimeout: a.cfg.Actors.IOTimeout, MaxPending: a.cfg.WS.MaxPending, Logger: a.logger,
			Admission: a.admission, Ratings: storeSkill{store: a.store},
			ReadyTimeout: a.cfg.Matchmaking.ReadyTimeout, Modes: a.store,
			Alerts:   notifications.Pending{Store: a.store, Limit: a.cfg.Notifications.ConnectAlerts},
			Settings: a.settings.Current,
		}},
	})
	chainChecks := a.chainNodeChecks()
	if err := a.checkChainNodes(workers, chainChecks); err != nil {
		return err
	}
	wallets := a.walletDeps()
	accounts, err := a.accountDeps(workers)
	if err != nil {
		return err
	}
	a.startNotificationWorker(workers, accounts.Letters)
	playPage, err := playpage.New()
	if err != nil {
		return fmt.Errorf("play page: %w", err)
	}
	router := rest.NewRouter(rest.Deps{
		Config: a.cfg.HTTP, Env: a.cfg.Env, Logger: a.logger, Now: a.now, Tokens: tokens,
		Players: a.store, Sessions: a.store, Modes: a.store,
		Leaderboards: leaderboard.NewClient(root, a.node.Directory, a.boardViews),
		Health:       append(a.healthChecks(), chainChecks...), Pressure: a.admission.State,
		Metrics: a.apiMetrics(), Registerer: prometheus.DefaultRegisterer,
		WebSocket: a.sockets, SocketIO: a.sockets.SocketIO(), Play: playPage, PageCacheTTL: a.cfg.Board.PublishInterval,
		Wallets: wallets, Accounts: accounts, Badges: rest.BadgeDeps{Store: a.store},
		Periods: rest.PeriodDeps{Store: a.store, Trees: buildProofTree}, Mints: rest.MintDeps{Store: a.store},
		Matchmaking: matchmaker.Stats{Root: root, Dir: a.node.Directory, Modes: a.modeNames},
		Security:    rest.SecurityDeps{Revocation: revocation, Limiter: a.engine.limiter, Profiles: a.store, Admin: a.store},
		Challenges:  rest.ChallengeDeps{Store: a.store},
		Referrals: rest.ReferralDeps{Store: a.store, Games: a.cfg.Referrals.Games,
			Policy:            persistence.ReferralPolicy{IPWindow: a.cfg.Referrals.IPWindow, DailyCap: a.cfg.Referrals.DailyCap},
			FingerprintSecret: []byte(a.cfg.Referrals.FingerprintSecret), Enabled: a.referralsOn},
		Translations:  rest.TranslationDeps{Store: a.store},
		Notifications: rest.NotificationDeps{Store: a.store, UnsubscribeSecret: []byte(a.cfg.Auth.JWTSecret)},
		Flags:         rest.FlagDeps{Store: a.store},
		Stats:         rest.StatsDeps{Store: a.store},
		Analytics:     a.analyticsDeps(),
		Audit:         rest.AuditDeps{Log: a.store},
		Settings:      rest.SettingsDeps{Holder: a.settings, Store: a.store},
	})
	listener := ws.NewRevocationListener(a.engine.bus, a.sockets, a.logger)
	if err := listener.Ready(workers); err != nil {
		return err
	}
	if err := revocation.Listen(workers, a.engine.bus, a.cfg.HTTP.RevocationCacheTTL); err != nil {
		return err
	}
	a.goWorker(func() { a.sweepRevocations(workers) })
	a.server = &http.Server{
		Addr: a.cfg.HTTP.Addr, Handler: router, ReadHeaderTimeout: a.cfg.HTTP.ReadHeaderTimeout,
		WriteTimeout: a.cfg.HTTP.WriteTimeout, IdleTimeout: a.cfg.HTTP.IdleTimeout,
	}
	return nil
}

// apiMetrics is the /metrics handler of the API listener: none when
// METRICS_ADDR gives Prometheus its own listener (built here).
func (a *app) apiMetrics() http.Handler {
	h := a.cfg.HTTP
	if h.MetricsAddr == "" {
		if a.cfg.Env == config.EnvProduction {
			a.logger.Warn("/metrics is served on the public API listener: set METRICS_ADDR to a private address")
		}
		return promhttp.Handler()
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.Handler())
	a.metrics = &http.Server{Addr: h.MetricsAddr, Handler: mux, ReadHeaderTimeout: h.ReadHeaderTimeout,
		WriteTimeout: h.WriteTimeout, IdleTimeout: h.IdleTimeout}
	return nil
}

// healthChecks are readiness's checks: no "redis" on a node that runs its
// short-lived state in process.
func (a *app) healthChecks() []rest.HealthCheck {
	checks := []rest.HealthCheck{{Name: "postgres", Check: a.leases.Ping}} // the main pool may be busy, not down
	if a.engine.ping != nil {
		checks = append(checks, rest.HealthCheck{Name: "redis", Check: a.engine.ping})
	}
	return append(checks, rest.HealthCheck{Name: "actors", Check: a.actorsReady})
}

// actorsReady reports whether this member sees itself in the cluster topology.
func (a *app) actorsReady(context.Context) error {
	if len(a.node.Cluster.MemberList.Members().Members()) == 0 {
		return errors.New("cluster topology not known yet")
	}
	return nil
}

// run serves until ctx ends, then shuts down in phases.
func (a *app) run(ctx context.Context) error {
	listener, err := net.Listen("tcp", a.cfg.HTTP.Addr)
	if err != nil {
		a.stop()
		return fmt.Errorf("listen on %s: %w", a.cfg.HTTP.Addr, err)
	}
	a.logger.Info("listening", slog.String("addr", listener.Addr().String()), slog.String("env", string(a.cfg.Env)))
	served := make(chan error, 2)
	go func() { served <- a.server.Serve(listener) }()
	if a.metrics != nil {
		ml, err := net.Listen("tcp", a.metrics.Addr)
		if err != nil {
			_ = listener.Close()
			a.stop()
			return fmt.Errorf("listen for metrics on %s: %w", a.metrics.Addr, err)
		}
		a.logger.Info("serving /metrics", slog.String("addr", ml.Addr().String()))
		go func() { served <- a.metrics.Serve(ml) }()
	}
	select {
	case <-ctx.Done():
	case err = <-served:
		a.stop()
		return fmt.Errorf("http server: %w", err)
	case <-a.node.Evicted():
		// The peers dropped this member for good (it was unreachable); it
		// cannot rejoin under its id, so it exits for its supervisor to
		// restart it as a new member.
		a.logger.Error("evicted from the cluster: shutting down to rejoin as a new member")
		a.stop()
		return errEvicted
	}
	a.logger.Info("shutting down")
	a.stop()
	return nil
}

// errEvicted ends serve when the cluster removed this member.
var errEvicted = errors.New("evicted from the cluster")

// stop shuts down in reverse build order under the shutdown deadline:
// sockets first (close 1001: clients reconnect to another node and resume),
// then HTTP; the node leaves the cluster so peers stop placing grains here,
// then stops its grains (sessions save a last snapshot as they stop, and
// re-activate on a peer at the next message); then the queued results, the
// fan-out and the stores. Safe on a partial build.
func (a *app) stop() {
	ctx, cancel := context.WithTimeout(context.Background(), a.cfg.Shutdown)
	defer cancel()
	if a.sockets != nil {
		if err := a.sockets.Shutdown(ctx); err != nil {
			a.logger.Warn("close sockets", slog.Any("error", err))
		}
	}
	if a.server != nil {
		_ = a.server.Shutdown(ctx)
	}
	if a.metrics != nil {
		_ = a.metrics.Shutdown(ctx)
	}
	if a.scheduler != nil {
		if err := a.scheduler.Stop(ctx); err != nil { // releases the lease: a peer takes over at once
			a.logger.Warn("stop period scheduler", slog.Any("error", err))
		}
	}
	for _, w := range a.chainWriters {
		if err := w.Stop(ctx); err != nil { // releases the lease
			a.logger.Warn("stop chain writer", slog.Any("error", err))
		}
	}
	for _, w := range a.analytics {
		if err := w.Stop(ctx); err != nil { // releases the lease
			a.logger.Warn("stop analytics worker", slog.Any("error", err))
		}
	}
	for _, c := range a.closers {
		if err := c(); err != nil {
			a.logger.Warn("close chain relayer", slog.Any("error", err))
		}
	}
	if a.node != nil {
		a.stopNode(ctx)
	}
	if a.badges != nil {
		if err := a.badges.Stop(ctx); err != nil {
			a.logger.Warn("badge worker", slog.Any("error", err))
		}
	}
	if a.notices != nil {
		if err := a.notices.Stop(ctx); err != nil {
			a.logger.Warn("notification worker", slog.Any("error", err))
		}
	}
	if a.mails != nil {
		if err := a.mails.Stop(ctx); err != nil {
			a.logger.Warn("mail queue", slog.Any("error", err))
		}
	}
	if a.stopWorkers != nil {
		a.stopWorkers() // the writers drain what is queued before returning
	}
	if a.stopPublisher != nil {
		a.stopPublisher()
	}
	a.workers.Wait()
	if a.engine != nil {
		_ = a.engine.close()
	}
	if a.leases != nil {
		a.leases.Close()
	}
	if a.store != nil {
		a.store.Close()
	}
}

// stopNode hands this node's grains to its peers: freeze the games in play
// where they are (their last snapshots written), leave (peers re-activate
// the sessions from those snapshots as players re-attach), stop the grains
// and wait for any last writes.
func (a *app) stopNode(ctx context.Context) {
	handing := a.sessions.Len()
	if err := a.sessions.HandOff(ctx, a.node.System.Root); err != nil {
		a.logger.Warn("hand off sessions", slog.Any("error", err))
	}
	a.logger.Info("sessions handed off", slog.Int("sessions", handing))
	if err := a.node.Leave(ctx); err != nil {
		a.logger.Warn("leave cluster", slog.Any("error", err))
	}
	a.node.Stop()
	if err := a.snapshots.Wait(ctx); err != nil {
		a.logger.Warn("last session snapshots", slog.Any("error", err), slog.Int("pending", a.snapshots.Pending()))
	}
}

// revocationWarmup bounds the start-up copy of revocations into the cache. Not
// a setting: a warm-up cut short only sends the first checks to PostgreSQL,
// which rebuilds Redis itself.
const revocationWarmup = 30 * time.Second

// devClockPoll is how often DEV_CLOCK_FILE is re-read: a test that moves
// the clock waits at most this long for the node to follow.
const devClockPoll = 50 * time.Millisecond

// warmRevocations copies the live revocations from PostgreSQL into Redis
// (and drops expired ones from PostgreSQL) before serving, so the first
// checks take the fast path. Failing is not fatal: checks then read
// PostgreSQL and rebuild Redis themselves.
func (a *app) warmRevocations(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, revocationWarmup)
	defer cancel()
	now := time.Now()
	if n, err := a.store.PruneRevocations(ctx, now.Add(-a.cfg.Auth.AccessTTL-time.Minute), now); err != nil {
		a.logger.Warn("prune expired revocations", slog.Any("error", err))
	} else if n > 0 {
		a.logger.Info("expired revocations pruned", slog.Int64("rows", n))
	}
	if err := a.revocation.Rebuild(ctx); err != nil {
		a.logger.Warn("revocation cache warm-up", slog.Any("error", err))
	}
}

// sweepRevocations re-checks every open socket's token each
// WS_REVOCATION_SWEEP until ctx ends, closing those whose revocation event
// this node missed.
func (a *app) sweepRevocations(ctx context.Context) {
	t := time.NewTicker(a.cfg.WS.RevocationSweep)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			sweep, cancel := context.WithTimeout(ctx, a.cfg.WS.RevocationSweep)
			if err := a.revocation.Repair(sweep); err != nil && ctx.Err() == nil {
				a.logger.Warn("revocation cache repair", slog.Any("error", err))
			}
			n, err := a.sockets.Sweep(sweep)
			cancel()
			if err != nil && ctx.Err() == nil {
				a.logger.Warn("websocket revocation sweep", slog.Any("error", err))
			}
			if n > 0 {
				a.logger.Info("revoked sockets closed by the sweep", slog.Int("sockets", n))
			}
		}
	}
}

func (a *app) goWorker(fn func()) {
	a.workers.Add(1)
	go func() {
		defer a.workers.Done()
		fn()
	}()
}

func newSessionID() string { return uuid.Must(uuid.NewV7()).String() }

// modeNames lists the active modes, whose queues operators see.
func (a *app) modeNames(ctx context.Context) ([]string, error) {
	modes, err := a.store.Modes(ctx)
	if err != nil {
		return nil, fmt.Errorf("list modes: %w", err)
	}
	names := make([]string, len(modes))
	for i, m := range modes {
		names[i] = m.Name
	}
	return names, nil
}

// openDevClock switches the game clock to DEV_CLOCK_FILE's when it is set
// (config refuses it in production) and keeps re-reading the file.
func (a *app) openDevClock(ctx context.Context) error {
	if a.cfg.DevClockFile == "" {
		return nil
	}
	clock, err := devclock.Open(a.cfg.DevClockFile)
	if err != nil {
		return fmt.Errorf("open dev clock: %w", err)
	}
	a.logger.Warn("the game clock follows DEV_CLOCK_FILE: for tests only", "file", a.cfg.DevClockFile, "offset", clock.Offset())
	a.now = clock.Now
	go clock.Watch(ctx, devClockPoll, a.logger)
	return nil
}
