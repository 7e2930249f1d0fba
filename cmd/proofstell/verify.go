package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/proofstell/proofstell/fair/verify"
)

// Errors of `proofstell verify` besides errUsage: errUnreadable (exit 2)
// when there is no replay to check, errDiverged (exit 1) when it does not
// hold.
var (
	errUnreadable = errors.New("unreadable replay")
	errDiverged   = errors.New("the replay does not hold")
)

// Bounds of fetching a replay: a full game's JSON is a few MiB at most.
const (
	maxReplayJSON = 32 << 20
	fetchTimeout  = 30 * time.Second
)

// verifyUsage is printed for bad arguments.
const verifyUsage = `usage: proofstell verify <file|url>
  checks a finished game's replay (a file, or an http(s) URL such as
  https://node/api/v1/sessions/{id}/replay): the seed commitment, every mole
  recomputed from the seed, every whack judged again, the results and the hash.
  Exit 0 when it holds, 1 at the first divergence, 2 when there is no replay to read.
`

// verifyReplay runs `proofstell verify <file|url>`.
func verifyReplay(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) != 1 || strings.HasPrefix(args[0], "-") {
		_, _ = io.WriteString(stderr, verifyUsage)
		return fmt.Errorf("%w: verify takes one file or URL", errUsage)
	}
	data, err := readReplay(ctx, args[0])
	if err != nil {
		return fmt.Errorf("%w: %w", errUnreadable, err)
	}
	replay, err := verify.Parse(data)
	if err != nil {
		return fmt.Errorf("%w: %w", errUnreadable, err)
	}
	report, err := verify.Verify(replay)
	if err != nil {
		return fmt.Errorf("%w: %w", errUnreadable, err)
	}
	printReport(stdout, report)
	if !report.OK {
		return errDiverged
	}
	return nil
}

// readReplay reads a file, or GETs an http(s) URL.
func readReplay(ctx context.Context, source string) ([]byte, error) {
	if !strings.HasPrefix(source, "http://") && !strings.HasPrefix(source, "https://") {
		f, err := os.Open(source) //nolint:gosec // reading the file the user named is the point
		if err != nil {
			return nil, err // the path is in the error
		}
		defer func() { _ = f.Close() }()
		return readAtMost(f)
	}
	ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	// Fetching the URL the user typed is the command's job, not a forged request.
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, source, nil) //nolint:gosec // G704: see above
	if err != nil {
		return nil, fmt.Errorf("url %q: %w", source, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req) //nolint:gosec // G704: the user's own URL
	if err != nil {
		return nil, fmt.Errorf("fetch: %w", err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", source, resp.Status)
	}
	return readAtMost(resp.Body)
}

func readAtMost(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxReplayJSON+1))
	if err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	if len(data) > maxReplayJSON {
		return nil, fmt.Errorf("larger than %d bytes", maxReplayJSON)
	}
	return data, nil
}

// printReport writes the verdict: a summary of what was checked, or the
// first divergence.
func printReport(w io.Writer, r verify.Report) {
	if !r.OK {
		_, _ = fmt.Fprintf(w, "FAIL session %s: the replay does not hold\nfirst divergence: %s\n", r.SessionID, r.Divergence)
		return
	}
	results := "results and flag recomputed"
	if !r.ResultsChecked {
		results = "results not checked: the input log is truncated"
	}
	_, _ = fmt.Fprintf(w, "OK session %s: the replay holds\n"+
		"replayHash %s\n"+
		"seed commitment checked; %d moles (%d golden, %d bombs) recomputed from the seed\n"+
		"%d whacks judged again; %s\n",
		r.SessionID, r.ReplayHash, r.Moles, r.Golden, r.Bombs, r.Inputs, results)
}
