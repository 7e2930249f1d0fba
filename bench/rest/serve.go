package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/proofstell/proofstell/bench/internal/loopback"
	"github.com/proofstell/proofstell/gateway/rest/restbench"
)

// runServe serves the bare baseline with the real endpoint's body.
func runServe(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("rest serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:3100", "baseline listen host:port (loopback only)")
	from := fs.String("body-from", "http://127.0.0.1:3000", "real server whose top-N body is served")
	path := fs.String("path", defaultPath, "endpoint path and query")
	lifetime := fs.Duration("lifetime", 10*time.Minute, "stop after this long even if never interrupted")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("parse flags: %w", err)
	}
	if err := checkTargets(ctx, *listen, *from); err != nil {
		return err
	}
	body, err := fetchBody(ctx, newClient(1), *from+*path)
	if err != nil {
		return fmt.Errorf("fetch baseline body: %w", err)
	}
	logf(stderr, "serving a %d-byte body (%d entries) on %s", len(body), entries(body), *listen)
	ctx, cancel := context.WithTimeout(ctx, *lifetime)
	defer cancel()
	return serveUntil(ctx, *listen, restbench.NewBaseline(body))
}

// serveUntil runs an HTTP server on addr until ctx ends.
func serveUntil(ctx context.Context, addr string, h http.Handler) error {
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", addr, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, IdleTimeout: time.Minute}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	<-ctx.Done()
	shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fmt.Errorf("shut down baseline: %w", err)
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve baseline: %w", err)
	}
	return nil
}

// checkTargets applies the loopback rule to host:port values and URLs.
func checkTargets(ctx context.Context, targets ...string) error {
	for _, t := range targets {
		hostport, err := hostPort(t)
		if err != nil {
			return err
		}
		if err := loopback.Check(ctx, net.DefaultResolver, hostport); err != nil {
			return fmt.Errorf("check target: %w", err)
		}
	}
	return nil
}
