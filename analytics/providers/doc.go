// Package providers holds what the analytics provider senders share: one
// HTTP exchange with its outcome classified (Post), so a worker retries
// exactly what is worth retrying. Each provider's encoder and sender is a
// subpackage (posthog, mixpanel, plausible, ga4) speaking only net/http.
package providers
