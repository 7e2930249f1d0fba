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
//
// Exactly once in the inbox: a row is completed only after its
// notifications are stored, and the inbox is unique on (player, source
// key), so a crash between the two replays the row once its lease ends and
// stores nothing twice. Only notifications the store reports as new are
// published, so the live alert is at most once; a player who was offline
// (or missed it) reads the inbox over REST (GET /api/v1/notifications),
// which is the truth. No push of unread entries happens on connect.
//
// Preferences: a kind the player turned off in-app (PUT
// /api/v1/notifications/preferences) is not stored, hence not alerted
// (the store filters it); admin broadcasts cannot be muted. A kind opted
// into email is also mailed (Deps.Mail; cmd: gateway/mail's letter with a
// one-click unsubscribe link on the bounded mail queue) to players with a
// verified address, at most once like the alert.
//
// A payload that does not decode is completed and counted as malformed,
// since it never will. notification_outbox_processed_total counts rows by
// topic and outcome.
//
// Time is a message: Run drains every topic once per value on Deps.Ticks.
package notifications
