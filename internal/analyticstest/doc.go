// Package analyticstest runs protocol-faithful fakes of the four
// analytics providers for tests: real HTTP servers that check each
// provider's request shape and limits strictly, deduplicate where the
// real service does (PostHog uuid, Mixpanel $insert_id), and take
// injectable faults: down (the connection is closed unanswered), a
// status with Retry-After (429, 5xx), and hold (a request waits until
// released).
//
// An event counts as ingested only when its request completes: a held
// request whose client went away (a killed node) ingests nothing, as a
// provider that never completed it would not. The fakes listen on real
// ports, so the end-to-end tests point the real binary at them
// (test/e2e/analytics_test.go).
package analyticstest
