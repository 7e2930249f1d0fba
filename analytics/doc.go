// Package analytics is the pure part of the analytics fan-out (issue #16,
// docs/ANALYTICS.md): the event catalogue, the mapping from outbox rows to
// catalogue events, the pseudonymous player identity, and the planning of
// provider requests over a cursor. It does no I/O; the provider encoders
// and senders live in analytics/providers/..., the per-provider workers in
// actors/analytics.
//
// Events are derived from outbox rows the server already writes in the
// transaction of the fact they record, so an event exists exactly when its
// fact committed. Each event has a deterministic UUID derived from its row
// (topic, key), its name and its player: a re-send after a crash carries
// the same id, which PostHog (uuid) and Mixpanel ($insert_id) deduplicate.
package analytics
