// Package standings is the pure leaderboard core: the in-memory rank index,
// the board periods and the pagination cursor. It imports no protoactor and
// does no I/O, so the leaderboard grain stays a thin shell around it and the
// ordering rules are tested on their own.
//
// Order: score descending, then AchievedAt ascending (who got there first
// wins a tie), then PlayerID ascending so the order is total and every rank
// is unique and stable across rebuilds.
package standings
