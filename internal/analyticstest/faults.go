package analyticstest

import "time"

// SetDown makes the fake hang up on every request (true) or serve again.
func (f *Fake) SetDown(down bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.down = down
}

// Fail answers the next n valid requests (n < 0: all) with status and a
// Retry-After of after (whole seconds), ingesting nothing.
func (f *Fake) Fail(n, status int, after time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failN, f.failCode, f.failAfter = n, status, after
}

// Hold makes valid requests wait, each announced on Held, until Release.
func (f *Fake) Hold() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.hold == nil {
		f.hold = make(chan struct{})
	}
}

// Held receives once per request that starts waiting on a Hold.
func (f *Fake) Held() <-chan struct{} { return f.held }

// Release lets held requests complete and stops holding new ones.
func (f *Fake) Release() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.hold != nil {
		close(f.hold)
		f.hold = nil
	}
}

// Events are the distinct events ingested, in arrival order.
func (f *Fake) Events() []Ingested {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Ingested(nil), f.events...)
}

// Stats are a fake's counters.
type Stats struct {
	// Requests counts requests read (valid or not; not hung-up ones).
	Requests int
	// Duplicates counts events ingested again under a seen key and
	// dropped, as the provider deduplicates them.
	Duplicates int
	// Cut counts held requests whose client went away.
	Cut int
	// BatchSizes are the event counts of completed requests.
	BatchSizes []int
	// Problems are the protocol violations seen (answered 400).
	Problems []string
}

// Stats returns a copy of the counters.
func (f *Fake) Stats() Stats {
	f.mu.Lock()
	defer f.mu.Unlock()
	return Stats{Requests: f.requests, Duplicates: f.dupes, Cut: f.cut,
		BatchSizes: append([]int(nil), f.sizes...), Problems: append([]string(nil), f.problems...)}
}
