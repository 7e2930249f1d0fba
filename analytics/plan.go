package analytics

import "github.com/proofstell/proofstell/persistence"

// Limits are what one provider request may carry.
type Limits struct {
	// MaxEvents is the most events per request (at least 1).
	MaxEvents int
	// OnePlayer: every event of a request must be of one player (GA4
	// takes one client_id per request).
	OnePlayer bool
}

// Request is one provider request of a plan: its events, and the cursor
// its consumer advances to once it is delivered (or given up).
type Request struct {
	Events []Event
	// After is the position once this request is done: every row before
	// it done, and of its row either all (Part 0) or its first Part events.
	After persistence.OutboxCursor
}

// MappedRow is an outbox row's position and its events (Mapper.Map; none
// for a malformed row, which is counted and passed).
type MappedRow struct {
	At     persistence.OutboxCursor
	Events []Event
}

// Plan splits rows, read after cursor, into requests within limits, in
// row and event order. The first row's first cursor.Part events are
// already done when cursor is part-way through it. A request may end
// inside a row (limits reached); its After then records how far. Rows
// without events ride along with the request around them; only rows
// without events make one empty request that just moves the cursor.
func Plan(rows []MappedRow, cursor persistence.OutboxCursor, lim Limits) []Request {
	lim.MaxEvents = max(lim.MaxEvents, 1)
	var (
		out []Request
		cur *Request
	)
	flush := func() {
		if cur != nil {
			out = append(out, *cur)
			cur = nil
		}
	}
	for _, r := range rows {
		skip := 0
		if r.At.Tx == cursor.Tx && r.At.ID == cursor.ID {
			skip = cursor.Part
		}
		if skip >= len(r.Events) && cur == nil {
			cur = &Request{}
		}
		for i := skip; i < len(r.Events); i++ {
			e := r.Events[i]
			if cur != nil && len(cur.Events) > 0 && (len(cur.Events) >= lim.MaxEvents || lim.OnePlayer && cur.Events[0].Player != e.Player) {
				flush()
			}
			if cur == nil {
				cur = &Request{}
			}
			cur.Events = append(cur.Events, e)
			cur.After = persistence.OutboxCursor{Tx: r.At.Tx, ID: r.At.ID, Part: i + 1}
		}
		cur.After = persistence.OutboxCursor{Tx: r.At.Tx, ID: r.At.ID}
	}
	flush()
	return out
}
