// Package leaderboard is the leaderboard grain (kind grains.KindLeaderboard,
// identity "<mode>/<board>/<period>", e.g. "classic/daily/2026-11-24":
// standings.Key, one board period of one ranked mode) and the Client that
// request handlers use to query it. The ranking rules live in the pure
// package standings; this package only shells them.
//
// # Reads: the node-local view, or a request
//
// A serving grain publishes a View of its index in the node's Views
// registry (Deps.Views; the same registry is given to the node's Clients).
// Client.Top, Rank and Around read a board whose grain serves on this node
// from that view in the caller's goroutine: no request, no future, no turn
// of the mailbox (under 64 closed-loop clients on one core the request's
// wait for the grain's turn made around-me's p99 two to three times
// top-100's; bench/results/2026-12-06-around-me.md). A board whose grain
// is not serving here (another member holds it, or it is not active yet)
// is asked through a request, which also activates it; the view appears
// once the rebuild is done.
//
// Freshness is the grain's own: the view is the grain's index, not a copy
// (the grain writes it under the view's lock, one Offer at a time; readers
// hold it shared for one query), so a view read sees every apply the grain
// has processed. A read that starts after a local Client.Apply returned
// sees that apply: local applies are counted until the grain has offered
// them, and while any is pending reads take the request path, behind them
// in the FIFO mailbox. The grain withdraws its view when it stops
// (passivation, shutdown, Restarting, or disthash poisoning it because the
// topology moved it), so a moved board is read from its new owner.
//
// # Messages taken
//
//   - *cluster.ClusterInit (cluster or grains.LocalDirectory, right after
//     Started): learns board and period, starts the rebuild.
//   - *protos.ApplyStandings (session commit path, via Client.Apply): offers
//     each entry; the index keeps each player's best. No reply: the fast
//     path, which may be lost (see catch-up below).
//   - localApply (Client.Apply on the grain's own node, sent straight to the
//     PID in its View; never crosses the wire): an ApplyStandings that also
//     lowers the view's pending count once offered.
//   - *protos.TopQuery → *protos.TopReply, *protos.RankQuery →
//     *protos.RankReply, *protos.AroundQuery → *protos.AroundReply (Client
//     of another member, or of this one before the view is published; REST
//     handlers). *protos.QueryFailed when the grain cannot serve.
//   - *PublishTick (own timer every Config.PublishInterval; tests send it),
//     *RetryTick (own backoff timer after a failed rebuild; tests send it),
//     *actor.ReceiveTimeout (passivation of past periods).
//   - *CatchUpTick (own timer every Config.CatchUpInterval; tests send it):
//     reads the standings stored since the grain's high-water mark.
//   - rebuilt, caughtUp (unexported, from the grain's own goroutines).
//
// # Messages emitted
//
//   - Replies above, to ctx.Sender() or, for stashed work, the saved sender.
//   - Publisher.Publish(Topic(key): "leaderboard:<board>" for classic,
//     "leaderboard:<mode>/<board>" otherwise, ClientEvent{leaderboard:update})
//     with the top Config.TopN, at most once per PublishInterval and only
//     while the index changed and the period is the board's current one.
//
// # Phases (Behavior.Become)
//
// awaitingInit → rebuilding → serving; rebuilding → failed → (RetryTick,
// exponential backoff from Deps.RetryBackoff to MaxRetryBackoff) →
// rebuilding. A bad identity goes to invalid, which refuses every query.
//
// # Invariants
//
//   - The mailbox never blocks: the rebuild reads Postgres in a goroutine
//     bounded by Deps.RebuildTimeout under Deps.Base, which touches no grain
//     field and reports by message; results of superseded rebuilds are
//     ignored (generation number).
//   - Work arriving while rebuilding is stashed with its sender, in order,
//     bounded by Deps.StashLimit. Overflow policy: reject — queries get
//     QueryFailed at once, applies are dropped; both are counted. Dropped
//     applies are safe: results are committed to Postgres before they are
//     applied, so the next rebuild contains them.
//   - The index is a cache of Postgres: a grain may be dropped or moved at
//     any time and rebuilds on activation.
//   - Convergence: the rebuild and every catch-up read return a high-water
//     mark (persistence.StandingChanges); each catch-up offers every entry
//     stored since the last mark, one read at a time. Offer applies the
//     store's own rule (best score, earlier on ties), so re-read entries and
//     entries older than an apply that overtook the read change nothing.
//     Whatever applies were lost, a serving grain holds exactly the stored
//     standings within one Config.CatchUpInterval plus one read after they
//     were committed.
//   - Only the current period publishes and sets the index size gauge; a
//     past period stops after Config.IdleTimeout without client messages
//     or view reads (ticks and retries do not count as activity; a period
//     read only through its view stops one to two IdleTimeouts after the
//     last read).
//   - The grain is the only writer of its index, and writes it only under
//     the view's write lock once the view exists; its own reads take no
//     lock. The view is published only while serving and withdrawn in
//     Stopping.
//
// # Supervision
//
// Default (restart by the parent). A restarted instance would never see
// ClusterInit again, so on Restarting the grain stops itself and the next
// request activates a fresh one that rebuilds from Postgres.
package leaderboard
