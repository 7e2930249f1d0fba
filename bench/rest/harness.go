package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/proofstell/proofstell/bench/internal/stats"
)

// load is the shape of one measurement: the same for the real server and the
// bare baseline, so their requests/s compare.
type load struct {
	Workers  int
	Warmup   time.Duration
	Duration time.Duration
}

// result is what one measurement observed in its timed phase.
type result struct {
	Requests int64
	Errors   int64
	Bytes    int64
	Elapsed  time.Duration
	Latency  stats.Summary
}

// RPS is successful requests per second.
func (r result) RPS() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// newClient builds the harness's HTTP client: keep-alive with one idle
// connection per worker, no compression, no proxy.
func newClient(workers int) *http.Client {
	return &http.Client{
		Timeout: 10 * time.Second,
		Transport: &http.Transport{
			Proxy:               nil,
			MaxIdleConns:        workers,
			MaxIdleConnsPerHost: workers,
			MaxConnsPerHost:     workers,
			DisableCompression:  true,
			IdleConnTimeout:     time.Minute,
		},
	}
}

// measure drives url with l.Workers closed-loop workers: a warm-up phase
// (connections opened, caches filled) that is not counted, then a timed phase.
// With tokens, worker i sends tokens[i % len(tokens)] as its bearer token.
func measure(ctx context.Context, client *http.Client, url string, l load, tokens ...string) (result, error) {
	if err := probe(ctx, client, url, workerToken(tokens, 0)); err != nil {
		return result{}, err
	}
	if l.Warmup > 0 {
		hammer(ctx, client, url, tokens, l.Workers, time.Now().Add(l.Warmup), nil)
	}
	var tally counts
	began := time.Now()
	hammer(ctx, client, url, tokens, l.Workers, began.Add(l.Duration), &tally)
	elapsed := time.Since(began)
	if err := ctx.Err(); err != nil {
		return result{}, fmt.Errorf("measure %s: %w", url, err)
	}
	return result{
		Requests: tally.ok.Load(),
		Errors:   tally.failed.Load(),
		Bytes:    tally.bytes.Load(),
		Elapsed:  elapsed,
		Latency:  tally.latency.Summary(),
	}, nil
}

// counts is filled by the workers of a timed phase.
type counts struct {
	ok, failed, bytes atomic.Int64
	latency           stats.Recorder
}

// workerToken is worker i's bearer token; "" without tokens.
func workerToken(tokens []string, i int) string {
	if len(tokens) == 0 {
		return ""
	}
	return tokens[i%len(tokens)]
}

// hammer runs workers until the deadline; c nil means do not count.
func hammer(ctx context.Context, client *http.Client, url string, tokens []string, workers int, until time.Time, c *counts) {
	ctx, cancel := context.WithDeadline(ctx, until)
	defer cancel()
	var wg sync.WaitGroup
	for i := range workers {
		token := workerToken(tokens, i)
		wg.Go(func() {
			for ctx.Err() == nil {
				began := time.Now()
				n, err := fetch(ctx, client, url, token)
				if c == nil || ctx.Err() != nil {
					continue // requests cut by the deadline are not counted
				}
				c.record(n, time.Since(began), err)
			}
		})
	}
	wg.Wait()
}

func (c *counts) record(n int64, d time.Duration, err error) {
	if err != nil {
		c.failed.Add(1)
		return
	}
	c.ok.Add(1)
	c.bytes.Add(n)
	c.latency.Add(d)
}

// errStatus reports a response other than 200.
var errStatus = errors.New("unexpected status")

// fetch GETs url (with token as bearer unless empty) and reads the whole
// body, so keep-alive reuses the connection; it returns the body size.
func fetch(ctx context.Context, client *http.Client, url, token string) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, fmt.Errorf("build request: %w", err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("get %s: %w", url, err)
	}
	defer func() { _ = resp.Body.Close() }()
	n, err := io.Copy(io.Discard, resp.Body)
	if err != nil {
		return n, fmt.Errorf("read %s: %w", url, err)
	}
	if resp.StatusCode != http.StatusOK {
		return n, fmt.Errorf("get %s: %w %d", url, errStatus, resp.StatusCode)
	}
	return n, nil
}

// probe checks the endpoint answers before a run, so a wrong address fails
// fast instead of producing a run of errors.
func probe(ctx context.Context, client *http.Client, url, token string) error {
	_, err := fetch(ctx, client, url, token)
	return err
}

// fetchBody returns the body of one GET, for the baseline to serve.
func fetchBody(ctx context.Context, client *http.Client, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", url, err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", url, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("get %s: %w %d", url, errStatus, resp.StatusCode)
	}
	return body, nil
}
