package verify

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
)

// Check names what a Divergence is about. The TypeScript SDK's verifier
// uses the same names.
type Check string

// Checks, in the order Verify makes them (doc.go).
const (
	CheckEncoding   Check = "encoding"
	CheckHash       Check = "hash"
	CheckCanonical  Check = "canonical"
	CheckRules      Check = "rules"
	CheckCommitment Check = "commitment"
	CheckInput      Check = "input"
	CheckResult     Check = "result"
	CheckFlagged    Check = "flagged"
)

// ErrBadReplay reports a replay Verify cannot read at all (not base64, a
// seed that is not 64 hex digits); a readable replay that does not hold is
// a Report with a Divergence instead.
var ErrBadReplay = errors.New("unreadable replay")

// Divergence is the first thing that does not hold. Index is the input's
// position in the log (CheckInput) or the result's rank position
// (CheckResult), 0 otherwise.
type Divergence struct {
	Check    Check  `json:"check"`
	Index    int    `json:"index"`
	Expected string `json:"expected"`
	Got      string `json:"got"`
}

func (d *Divergence) String() string {
	where := string(d.Check)
	if d.Check == CheckInput || d.Check == CheckResult {
		where = fmt.Sprintf("%s %d", d.Check, d.Index)
	}
	return fmt.Sprintf("%s: expected %s, got %s", where, d.Expected, d.Got)
}

// Report is what Verify found. OK is true when every check held; otherwise
// Divergence is the first that did not. The counts describe what was
// checked.
type Report struct {
	OK         bool        `json:"ok"`
	Divergence *Divergence `json:"divergence,omitempty"`
	SessionID  string      `json:"sessionId"`
	ReplayHash string      `json:"replayHash"`
	Moles      int         `json:"moles"`
	Golden     int         `json:"golden"`
	Bombs      int         `json:"bombs"`
	Inputs     int         `json:"inputs"`
	// ResultsChecked is false when the log is truncated (inputsTruncated):
	// whacks past it count in the results but are not in the log.
	ResultsChecked bool `json:"resultsChecked"`
}

// Verify checks a replay (doc.go lists the checks). The error is for a
// replay it cannot read; everything else is in the Report.
func Verify(r Replay) (Report, error) {
	rep := Report{SessionID: r.SessionID, ReplayHash: r.ReplayHash, Inputs: len(r.Inputs)}
	if r.Encoding != Encoding {
		return rep.diverge(&Divergence{Check: CheckEncoding, Expected: Encoding, Got: r.Encoding}), nil
	}
	canonical, err := r.canonicalBytes()
	if err != nil {
		return rep, fmt.Errorf("%w: %w", ErrBadReplay, err)
	}
	seed, err := hex.DecodeString(r.Seed)
	if err != nil || len(seed) != 32 {
		return rep, fmt.Errorf("%w: seed %q is not 64 hex digits", ErrBadReplay, r.Seed)
	}
	if d := checkBytes(r, canonical, seed); d != nil {
		return rep.diverge(d), nil
	}
	if got := commitment(r.SessionID, seed); got != r.SeedCommitment {
		return rep.diverge(&Divergence{Check: CheckCommitment, Expected: got, Got: r.SeedCommitment}), nil
	}
	moles := Schedule(seed, r.Rules)
	rep.count(moles)
	rep = rep.diverge(judgeAll(r, moles))
	rep.ResultsChecked = rep.OK && !r.InputsTruncated
	return rep, nil
}

// checkBytes makes the hash, canonical and rules checks.
func checkBytes(r Replay, canonical, seed []byte) *Divergence {
	sum := sha256.Sum256(canonical)
	if h := hex.EncodeToString(sum[:]); h != r.ReplayHash {
		return &Divergence{Check: CheckHash, Expected: h, Got: r.ReplayHash}
	}
	if enc := r.encode(seed); enc == nil || !bytes.Equal(enc, canonical) {
		at := firstDifference(enc, canonical)
		return &Divergence{Check: CheckCanonical, Expected: fmt.Sprintf("canonical bytes from byte %d", at),
			Got: fmt.Sprintf("JSON fields that encode differently from byte %d", at)}
	}
	if problem := checkRules(r); problem != "" {
		return &Divergence{Check: CheckRules, Expected: "rules within the game's bounds", Got: problem}
	}
	return nil
}

func firstDifference(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// judgeAll re-judges the log, then checks the results and the flag.
func judgeAll(r Replay, moles []Mole) *Divergence {
	j := newJudge(r, moles)
	for i, in := range r.Inputs {
		if d := j.input(i, in); d != nil {
			return d
		}
	}
	if r.InputsTruncated {
		return nil
	}
	want := j.ranked()
	if len(want) != len(r.Results) {
		return &Divergence{Check: CheckResult, Index: len(r.Results),
			Expected: fmt.Sprintf("%d results", len(want)), Got: fmt.Sprintf("%d", len(r.Results))}
	}
	flagged := false
	for i, w := range want {
		if w != r.Results[i] {
			return &Divergence{Check: CheckResult, Index: i, Expected: w.String(), Got: r.Results[i].String()}
		}
		flagged = flagged || w.Flags > 0
	}
	if flagged != r.Flagged {
		return &Divergence{Check: CheckFlagged, Expected: fmt.Sprint(flagged), Got: fmt.Sprint(r.Flagged)}
	}
	return nil
}

func (r Result) String() string {
	return fmt.Sprintf("player %d score %d hits %d misses %d bombs %d bestCombo %d flags %d",
		r.Player, r.Score, r.Hits, r.Misses, r.Bombs, r.BestCombo, r.Flags)
}

func (rep Report) diverge(d *Divergence) Report {
	rep.Divergence = d
	rep.OK = d == nil
	return rep
}

func (rep *Report) count(moles []Mole) {
	rep.Moles = len(moles)
	for _, m := range moles {
		switch m.Kind {
		case kindGolden:
			rep.Golden++
		case kindBomb:
			rep.Bombs++
		}
	}
}
