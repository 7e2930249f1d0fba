// Package leaderboard is the leaderboard grain (kind grains.KindLeaderboard,
// identity "<board>/<period>", e.g. "daily/2026-11-24") and the Client that
// request handlers use to query it. The ranking rules live in the pure
// package standings; this package only shells them.
//
// # Messages taken
//
//   - *cluster.ClusterInit (cluster or grains.LocalDirectory, right after
//     Started): learns board and period, starts the rebuild.
//   - *protos.ApplyStandings (session commit path, via Client.Apply): offers
//     each entry; the index keeps each player's best. No reply: the fast
//     path, which may be lost (see catch-up below).
//   - *protos.TopQuery → *protos.TopReply, *protos.RankQuery →
//     *protos.RankReply, *protos.AroundQuery → *protos.AroundReply (Client,
//     REST handlers). *protos.QueryFailed when the grain cannot serve.
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
//   - Publisher.Publish("leaderboard:<board>", ClientEvent{leaderboard:update})
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
//     (ticks and retries do not count as activity).
//
// # Supervision
//
// Default (restart by the parent). A restarted instance would never see
// ClusterInit again, so on Restarting the grain stops itself and the next
// request activates a fresh one that rebuilds from Postgres.
package leaderboard
