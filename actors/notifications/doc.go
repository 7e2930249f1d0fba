// Package notifications is the notification worker: it drains the notify.*
// outbox topics into the players' inboxes (persistence.NotificationStore)
// and delivers each new notification live as notification:alert
// {"id","kind","title","body","data","createdAt"} on the player's fan-out
// topic "player:<id>" (every socket of the player, on any node, both
// gateways).
//
// Topics, each written in the transaction of the event it announces:
//
//   - "notify.badge.awarded" (persistence.TopicNotifyBadge): one per new
//     award (BadgeStore.AwardBadge); kind badge.awarded, source key
//     "badge:<badgeId>".
//   - "notify.challenge.ended" (TopicNotifyChallengeEnded): one per ended
//     challenge (ChallengeJobs.MarkEnded) with its final standings; every
//     player with a standing gets kind challenge.ended with their rank,
//     source key "challenge.ended:<challengeId>".
//   - "notify.broadcast" (TopicNotifyBroadcast): an admin broadcast
//     (POST /api/v1/admin/notifications); stored for its segment in
//     bounded batches of Deps.Batch players, source key
//     "broadcast:<broadcastId>".
//   - "notify.mint.status" (TopicNotifyMint): one per mint request that
//     reached a final status (accepted or failed) in the chain writer's
//     mark or settle transaction; kind mint.status, source key
//     "mint:<requestId>:<status>". A request sent back to pending (split,
//     dropped) is no news.
//   - "notify.challenge.started" (TopicNotifyChallengeStarted): written by
//     ChallengeJobs.MarkStarted the one time it records the start; kind
//     challenge.started, source key "challenge.started:<challengeId>",
//     stored like a broadcast for the players who signed in or refreshed a
//     session within Deps.ActiveWindow (NOTIFY_ACTIVE_WINDOW) and did not
//     mute the kind. Not everyone: a challenge lasts a day or so, and
//     dormant accounts would only pile up expired offers; everyone online
//     hears challenge:started live from the scheduler anyway.
//   - "notify.period.closed" (TopicNotifyPeriodClosed): written by
//     PeriodStore.SavePeriodRoot with the frozen standings; each player
//     with a standing gets kind rank.final with their rank, source key
//     "rank.final:<mode>/<board>/<period>", read in bounded batches of
//     Deps.Batch ranks. A challenge's board is skipped: its challenge.ended
//     notification already says the rank.
//   - "referral.reward" (persistence.TopicReferralRewarded): written where
//     a referral is rewarded; both players get kind referral.reward, source
//     key "referral:<referralId>".
//   - "notify.match.found" (TopicNotifyMatchFound): written by
//     SessionStore.CreateSession when the host of a formed match creates
//     its session (the members ride on protos.CreateSession), so the
//     notification exists exactly when the match's session does; each
//     member gets kind match.found, source key "match:<sessionId>". The
//     queued sockets hear matchmaking:matched live at once; the stored
//     entry is for the player's other devices and the record. A match
//     that never got its session (the host failed) announces nothing.
//
// Texts: each notification's title and body are English texts (render.go)
// filled with its data's fields, and data.text names them, so the inbox
// the mails and the alerts (gateway/notices; gateway/ws renders each
// alert in its connection's language) render them again in the reader's
// language (a mail: the player's last sign-in's) from the
// "notifications" translations namespace (TextNamespace; migration 026
// seeds English and Spanish).
// Exactly once in the inbox: a row is completed only after its
// notifications are stored, and the inbox is unique on (player, source
// key), so a crash between the two replays the row once its lease ends and
// stores nothing twice. Only notifications the store reports as new are
// published, so the live alert is at most once.
//
// Missed alerts: a node's hub reports each notification:alert it queued on
// a local socket (fanout.Hub.OnDelivered) to Receipts, which records it
// alerted (notifications.alerted_at, migration 026) in batches off a
// bounded queue (NOTIFY_RECEIPT_QUEUE, overflow drop). A connecting
// player's actor asks Pending (player.Alerts), off its mailbox, for the
// unread notifications never alerted, oldest first, at most
// NOTIFY_CONNECT_ALERTS; the store marks them alerted in the statement that
// reads them, so of two connections (any nodes) only one gets each. One
// stored while the player connects may come both live and on connect, with
// the same id; a lost receipt means it may come again on the next connect.
// The inbox over REST (GET /api/v1/notifications) stays the truth.
//
// Preferences: a kind the player turned off in-app (PUT
// /api/v1/notifications/preferences) is not stored, hence not alerted
// (the store filters it); admin broadcasts cannot be muted. A kind opted
// into email is also mailed (Deps.Mail; cmd: gateway/mail's letter with a
// one-click unsubscribe link on the bounded mail queue) to players with a
// verified address, at most once like the alert.
//
// A payload that does not decode is completed and counted as malformed,
// since it never will. proofstell_notification_outbox_processed_total counts rows by
// topic and outcome.
//
// Time is a message: Run drains every topic once per value on Deps.Ticks.
package notifications
