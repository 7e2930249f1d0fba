// Package playbot plays one solo game against a ProofStell node the way a
// person would, for `proofstell play`: it signs in as a guest, starts a game
// over /ws, whacks each mole after a human reaction time, prints every event
// as a readable line and finally the player's rank on the daily board.
//
// The decisions are pure and table-tested: Player turns each server frame
// into a Step (a line to print, a whack to make after a delay, the end of
// the game), Reflex picks the reaction time from injected randomness, and
// the format functions render events. Run is the thin shell that wires them
// to gateway/ws/wsclient, real timers and an io.Writer.
package playbot
