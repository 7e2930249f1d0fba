package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/proofstell/proofstell/actors/runtime/node"
)

// runHost is the host member: it serves rank grains until its standard
// input closes (the caller exited or closed the pipe) or ctx ends.
func runHost(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("grainreq host", flag.ContinueOnError)
	fs.SetOutput(stderr)
	name := fs.String("cluster", "grainreq", "cluster name")
	var self memberSpec
	fs.StringVar(&self.Addr, "addr", "", "actor remoting host:port")
	fs.StringVar(&self.Discovery, "discovery", "", "discovery host:port")
	peers := fs.String("peers", "", "comma list of every member's discovery host:port")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("parse flags: %w", err)
	}
	n, err := node.Start(ctx, clusterConfig(*name, self, strings.Split(*peers, ",")), hostKinds, warnLogger(stderr))
	if err != nil {
		return fmt.Errorf("start host member: %w", err)
	}
	defer n.Stop()
	if _, err := fmt.Fprintln(stdout, "ready", n.Address()); err != nil {
		return fmt.Errorf("announce readiness: %w", err)
	}
	closed := make(chan struct{})
	go func() { _, _ = io.Copy(io.Discard, os.Stdin); close(closed) }()
	select {
	case <-closed:
	case <-ctx.Done():
	}
	return nil
}

// hostProcess is the host member started by the caller.
type hostProcess struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
}

// startHost re-executes this program as the host, pinned to cpu when
// cpu ≥ 0, and waits until it has joined.
func startHost(ctx context.Context, name string, self memberSpec, peers []string, cpu int, stderr io.Writer) (*hostProcess, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find own executable: %w", err)
	}
	argv := []string{exe, "host", "-cluster", name, "-addr", self.Addr, "-discovery", self.Discovery, "-peers", strings.Join(peers, ",")}
	if cpu >= 0 {
		argv = append([]string{"taskset", "-c", strconv.Itoa(cpu)}, argv...)
	}
	cmd := exec.Command(argv[0], argv[1:]...) //nolint:gosec // G204: our own executable with our own flags
	cmd.Stderr = stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("host stdin: %w", err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("host stdout: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start host: %w", err)
	}
	h := &hostProcess{cmd: cmd, stdin: stdin}
	if err := awaitReady(ctx, stdout); err != nil {
		h.stop()
		return nil, err
	}
	return h, nil
}

// awaitReady reads the host's "ready" line, bounded by 30 s.
func awaitReady(ctx context.Context, stdout io.Reader) error {
	line := make(chan string, 1)
	go func() {
		s := bufio.NewScanner(stdout)
		if s.Scan() {
			line <- s.Text()
		}
		close(line)
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case l := <-line:
		if !strings.HasPrefix(l, "ready") {
			return fmt.Errorf("host did not start (said %q)", l)
		}
		return nil
	case <-time.After(30 * time.Second):
		return fmt.Errorf("host not ready after 30s")
	case <-ctx.Done():
		return fmt.Errorf("wait for host: %w", ctx.Err())
	}
}

// stop closes the host's standard input (it leaves and exits) and waits
// for it; after 10 s it is killed.
func (h *hostProcess) stop() {
	_ = h.stdin.Close()
	done := make(chan struct{})
	go func() { _ = h.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = h.cmd.Process.Kill()
		<-done
	}
}
