package analytics

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
)

func ev(id, player string) Event { return Event{ID: id, Player: player} }

func row(id int64, events ...Event) MappedRow {
	return MappedRow{At: persistence.OutboxCursor{Tx: 10, ID: id}, Events: events}
}

// shape is each request's event ids and its After cursor (ID, Part).
type shape struct {
	ids  []string
	id   int64
	part int
}

func shapes(reqs []Request) []shape {
	out := []shape{}
	for _, r := range reqs {
		s := shape{ids: []string{}, id: r.After.ID, part: r.After.Part}
		for _, e := range r.Events {
			s.ids = append(s.ids, e.ID)
		}
		out = append(out, s)
	}
	return out
}

func TestPlan(t *testing.T) {
	t.Parallel()
	a1, a2, b1 := ev("a1", "p"), ev("a2", "q"), ev("b1", "p")
	tests := []struct {
		name   string
		rows   []MappedRow
		cursor persistence.OutboxCursor
		lim    Limits
		want   []shape
	}{
		{name: "nothing", want: []shape{}},
		{name: "one request holds rows within the limit", rows: []MappedRow{row(1, a1, a2), row(2, b1)},
			lim: Limits{MaxEvents: 3}, want: []shape{{[]string{"a1", "a2", "b1"}, 2, 0}}},
		{name: "a full request ends inside a row", rows: []MappedRow{row(1, a1, a2), row(2, b1)},
			lim: Limits{MaxEvents: 1}, want: []shape{{[]string{"a1"}, 1, 1}, {[]string{"a2"}, 1, 0}, {[]string{"b1"}, 2, 0}}},
		{name: "one player per request", rows: []MappedRow{row(1, a1, a2), row(2, b1)},
			lim: Limits{MaxEvents: 25, OnePlayer: true}, want: []shape{{[]string{"a1"}, 1, 1}, {[]string{"a2"}, 1, 0}, {[]string{"b1"}, 2, 0}}},
		{name: "a row part-way done resumes after its done events", rows: []MappedRow{row(1, a1, a2), row(2, b1)},
			cursor: persistence.OutboxCursor{Tx: 10, ID: 1, Part: 1}, lim: Limits{MaxEvents: 5},
			want: []shape{{[]string{"a2", "b1"}, 2, 0}}},
		{name: "rows without events only move the cursor", rows: []MappedRow{row(1), row(2, b1), row(3)},
			lim: Limits{MaxEvents: 1}, want: []shape{{[]string{"b1"}, 3, 0}}},
		{name: "only rows without events make an empty request", rows: []MappedRow{row(1), row(2)},
			lim: Limits{MaxEvents: 1}, want: []shape{{[]string{}, 2, 0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Plan(tt.rows, tt.cursor, tt.lim)
			require.Equal(t, tt.want, shapes(got))
			for _, r := range got {
				require.LessOrEqual(t, len(r.Events), max(tt.lim.MaxEvents, 1))
			}
		})
	}
}
