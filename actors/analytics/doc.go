// Package analytics runs the analytics fan-out (issue #16,
// docs/ANALYTICS.md): one Worker per provider drains the outbox through
// its own cursor (persistence.OutboxReader, consumer "analytics.<name>"),
// maps rows to catalogue events (analytics.Mapper), plans requests within
// the provider's limits (analytics.Plan), sends each with retries and
// advances the cursor after it.
//
// # Messages and lifecycle
//
// The Worker is a loop, not a mailbox: Run drains once per value of
// Deps.Ticks (time is a message: tests send the ticks) until its context
// ends or Stop. In a node it runs as a cluster singleton's job (JobProps):
// the job actor starts the loop in Started and stops it, waiting, in
// Stopping, so the singleton never releases the lease while a request of
// this leader may still be in flight. Supervision: the job is restarted by
// the singleton runner on its next renewal if it stops.
//
// # Invariants
//
//   - Every provider has its own cursor and goroutine: one provider down
//     for hours delays only its own events (proofstell_analytics_outbox_lag_seconds).
//   - The cursor moves only after a request is delivered, or refused for
//     good (a 4xx other than 429: counted, logged, passed so the stream is
//     not wedged). Network errors, 429 and 5xx are retried with exponential
//     backoff and full jitter, at least the provider's Retry-After.
//   - The runtime switch (Deps.Enabled, settings features.analytics)
//     pauses delivery: while off a drain reads nothing, one switched off
//     mid-round stops after the request in flight, and the cursor stays
//     where it is, so switching it back on resumes without loss.
//   - Exactly once per provider across crashes: PostHog and Mixpanel
//     deduplicate re-sent events by their ids (uuid, $insert_id); Plausible
//     and GA4 cannot, so their cursor advances after every request (part
//     way through a row when need be), and a crash repeats at most the one
//     request in flight, which such a provider ingests only if it had
//     completed it.
package analytics
