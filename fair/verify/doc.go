// Package verify checks a finished game's public replay (GET
// /api/v1/sessions/{id}/replay, docs/FAIRNESS.md §6) without the server: it
// recomputes the moles from the revealed seed, checks the seed commitment,
// judges every logged whack again and recomputes the results, and names the
// first thing that does not hold.
//
// It is an independent implementation written from docs/FAIRNESS.md and the
// judging rules of actors/session/game/doc.go: it imports neither the game
// actor nor the pure game package (its own stream, schedule, canonical
// encoder and judge), so a bug in the server's rules is not repeated here.
// The tests cross-check it against the game package on random games and on
// testdata/schedule_vectors.json, and against the TypeScript SDK's verifier
// (sdk/typescript/src/fair), which implements the same checks in the same
// order with the same report shape.
//
// Checks, in order (the first failure is reported as a Divergence):
//
//  1. encoding: the replay is proofstell/replay/v1;
//  2. hash: replayHash is SHA-256 of the canonical bytes;
//  3. canonical: the JSON fields encode to exactly those bytes (so every
//     later check, made on the JSON, is a check of the hashed content);
//  4. rules: the rules, limits, players and inputs are within the game's
//     bounds (nothing to recompute otherwise);
//  5. commitment: seedCommitment = Commitment(sessionId, seed);
//  6. input i: each whack's judgement and mole, re-judged in log order;
//  7. result i: each line of the ranked results; then flagged.
//
// Two checks are weakened by a documented gap of the log (FAIRNESS.md §6):
// a resume after an outage is not marked, so a `stale` judgement is
// accepted where the verifier judges too_fast or rate_limited, and a whack
// the verifier finds over the rate (counted on the game's timeline, which a
// resume's pause compresses) may carry the judgement the other rules give.
// A truncated log (inputsTruncated) cannot account for the results: they
// are not checked and the report says so.
package verify
