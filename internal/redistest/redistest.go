// Package redistest starts throwaway redis-server processes for tests that
// must lose, stop or restart Redis. The shared Redis on 127.0.0.1:6379 is
// never touched: each Server is its own process on its own port, with no
// persistence, so a restart comes back empty exactly like a real Redis that
// lost its data.
package redistest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/proofstell/proofstell/internal/testports"
)

// readyTimeout bounds how long a started server may take to answer PING.
const readyTimeout = 10 * time.Second

// pollInterval is the pause between readiness probes.
const pollInterval = 20 * time.Millisecond

// Server is one throwaway redis-server. Safe for concurrent use.
type Server struct {
	t    testing.TB
	port int

	mu     sync.Mutex
	cmd    *exec.Cmd
	exited <-chan struct{} // closed once cmd has exited and been waited for
}

// Start runs a fresh redis-server on a free loopback port and stops it in
// t.Cleanup. It skips the test when redis-server is not installed.
func Start(t testing.TB) *Server {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("redistest: redis-server not installed")
	}
	s := &Server{t: t, port: testports.Free(t)}
	if err := s.start(); err != nil {
		t.Fatalf("redistest: %v", err)
	}
	t.Cleanup(s.Stop)
	return s
}

// Addr is host:port of the server, stable across restarts.
func (s *Server) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)) }

// URL is the redis:// URL of the server, as config.Redis.URL takes it.
func (s *Server) URL() string { return "redis://" + s.Addr() + "/0" }

// Stop kills the server (SIGKILL: nothing is saved anyway) and waits for it
// to exit. Stopping a stopped server is a no-op.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	<-s.exited
	s.cmd, s.exited = nil, nil
}

// Restart stops the server and starts an empty one on the same port, the
// way a Redis without persistence comes back from a crash.
func (s *Server) Restart() {
	s.t.Helper()
	s.Stop()
	if err := s.start(); err != nil {
		s.t.Fatalf("redistest: restart: %v", err)
	}
}

// Flush empties every database (FLUSHALL), leaving the process running.
func (s *Server) Flush() {
	s.t.Helper()
	if err := command(s.Addr(), "FLUSHALL"); err != nil {
		s.t.Fatalf("redistest: flushall: %v", err)
	}
}

// Command sends one inline command and checks for a non-error reply; tests
// use it to poke the server without a client library.
func (s *Server) Command(args ...string) error {
	_, err := reply(s.Addr(), args...)
	return err
}

// Reply sends one inline command and returns the first line of its reply
// without the trailing CRLF (":1" for an integer, "$-1" for a nil bulk).
func (s *Server) Reply(args ...string) (string, error) { return reply(s.Addr(), args...) }

func (s *Server) start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	deadline := time.Now().Add(readyTimeout)
	for {
		cmd, exited, out, err := s.spawn()
		if err != nil {
			return err
		}
		ready, err := waitReady(s.Addr(), exited, deadline)
		switch {
		case ready:
			s.cmd, s.exited = cmd, exited
			return nil
		case err != nil:
			_ = cmd.Process.Kill()
			<-exited
			return fmt.Errorf("redis-server on %s: %w; it printed: %s", s.Addr(), err, out.String())
		}
		// It died before serving (a bind lost to a process that took the
		// port while it was free): start again on the same port, which the
		// clients of a restarted server expect.
		time.Sleep(pollInterval)
	}
}

// waitReady polls PING until the server answers (true), its process exits
// (false, nil) or the deadline passes (an error).
func waitReady(addr string, exited <-chan struct{}, deadline time.Time) (bool, error) {
	for command(addr, "PING") != nil {
		select {
		case <-exited:
			if time.Now().After(deadline) {
				return false, fmt.Errorf("exited, not ready after %s", readyTimeout)
			}
			return false, nil
		default:
		}
		if time.Now().After(deadline) {
			return false, fmt.Errorf("not ready after %s", readyTimeout)
		}
		time.Sleep(pollInterval)
	}
	return true, nil
}

// spawn starts one redis-server process; exited closes when it has exited
// (and been waited for), out collects what it printed.
func (s *Server) spawn() (*exec.Cmd, <-chan struct{}, *lockedBuffer, error) {
	out := &lockedBuffer{}
	cmd := exec.Command("redis-server", //nolint:gosec // G204: fixed binary, our own arguments
		"--port", strconv.Itoa(s.port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--protected-mode", "no")
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		return nil, nil, nil, fmt.Errorf("start redis-server: %w", err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()
	return cmd, exited, out, nil
}

// lockedBuffer is a bytes.Buffer safe for the process's writes and our reads.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.buf.Len() > 8<<10 {
		return len(p), nil // enough to explain a failure
	}
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// command sends one inline command and discards its reply.
func command(addr string, args ...string) error {
	_, err := reply(addr, args...)
	return err
}

// reply sends one inline command over a raw connection and reads one reply
// line, failing on a connection error or an error reply.
func reply(addr string, args ...string) (string, error) {
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return "", fmt.Errorf("dial %s: %w", addr, err)
	}
	defer func() { _ = conn.Close() }()
	_ = conn.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := fmt.Fprintf(conn, "%s\r\n", strings.Join(args, " ")); err != nil {
		return "", fmt.Errorf("send %s: %w", args[0], err)
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return "", fmt.Errorf("read %s reply: %w", args[0], err)
	}
	line = strings.TrimRight(line, "\r\n")
	if strings.HasPrefix(line, "-") {
		return "", errors.New(line[1:])
	}
	return line, nil
}

// DataCalls is how many commands the server has run, leaving out the
// introspection and connection set-up a client or a test sends (INFO,
// CONFIG, HELLO, CLIENT, PING, SELECT): tests use it to prove a path made
// no Redis round trip.
func (s *Server) DataCalls() (int64, error) {
	info, err := bulkReply(s.Addr(), "INFO commandstats")
	if err != nil {
		return 0, err
	}
	var n int64
	for _, m := range cmdstat.FindAllStringSubmatch(info, -1) {
		switch m[1] {
		case "info", "config", "hello", "client", "ping", "select":
			continue
		}
		calls, err := strconv.ParseInt(m[2], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("commandstats %q: %w", m[0], err)
		}
		n += calls
	}
	return n, nil
}

var cmdstat = regexp.MustCompile(`cmdstat_([a-z|]+):calls=(\d+)`)

// bulkReply sends one inline command whose reply is a bulk string and
// returns that string.
func bulkReply(addr, command string) (string, error) {
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return "", fmt.Errorf("dial %s: %w", addr, err)
	}
	defer func() { _ = conn.Close() }()
	_ = conn.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := fmt.Fprintf(conn, "%s\r\n", command); err != nil {
		return "", fmt.Errorf("send %s: %w", command, err)
	}
	r := bufio.NewReader(conn)
	head, err := r.ReadString('\n')
	if err != nil {
		return "", fmt.Errorf("read %s reply: %w", command, err)
	}
	size, err := strconv.Atoi(strings.TrimPrefix(strings.TrimRight(head, "\r\n"), "$"))
	if err != nil || size < 0 {
		return "", fmt.Errorf("%s: not a bulk reply: %q", command, head)
	}
	body := make([]byte, size)
	if _, err := io.ReadFull(r, body); err != nil {
		return "", fmt.Errorf("read %s reply: %w", command, err)
	}
	return string(body), nil
}
