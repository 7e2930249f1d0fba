// Package cluster drives several real proofstell processes that form one
// protoactor cluster, the way production runs them, and plays games across
// them over HTTP and WebSocket. Members are killed, stopped and restarted to
// check that games survive the loss of the node hosting them.
package cluster

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/internal/testbin"
	"github.com/proofstell/proofstell/internal/testports"
)

// Deadlines of the harness. Every wait polls a condition or waits for a
// frame; these only bound how long before the test gives up.
const (
	readyWithin   = 30 * time.Second
	stopWithin    = 30 * time.Second
	topologyTick  = 50 * time.Millisecond
	jwtSecret     = "cluster-test-secret-that-is-long-enough-for-hs256-0123456789"
	logTailOnFail = 48 << 10
)

// syncBuffer collects a member's output across its restarts.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// tail is the last n bytes written, without the access log (the harness's
// own polling would drown everything else).
func (b *syncBuffer) tail(n int) string {
	b.mu.Lock()
	lines := strings.SplitAfter(b.buf.String(), "\n")
	b.mu.Unlock()
	var kept strings.Builder
	for _, line := range lines {
		if !strings.Contains(line, `"msg":"http request"`) {
			kept.WriteString(line)
		}
	}
	s := kept.String()
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// process is one run of a member's binary.
type process struct {
	cmd  *exec.Cmd
	done chan struct{} // closed when the process exited
	err  error         // its exit status, read after done
}

func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// member is one cluster node: fixed ports kept across restarts, so peers
// and clients find a restarted member where it was.
type member struct {
	t    testing.TB
	name string
	env  func(*member) []string
	// Ports: HTTP (REST, /ws, /metrics), actor remoting, automanaged discovery.
	httpPort, remotePort, discoveryPort int
	base                                string
	logs                                *syncBuffer

	mu   sync.Mutex
	proc *process
	runs int
}

func newMember(t testing.TB, name string, env func(*member) []string) *member {
	m := &member{t: t, name: name, env: env, logs: &syncBuffer{},
		httpPort: testports.Free(t), remotePort: testports.Free(t), discoveryPort: testports.Free(t)}
	m.base = fmt.Sprintf("http://127.0.0.1:%d", m.httpPort)
	return m
}

func (m *member) discoveryAddr() string { return fmt.Sprintf("127.0.0.1:%d", m.discoveryPort) }

// launch starts a new process of the member without waiting for it.
func (m *member) launch() {
	t := m.t
	t.Helper()
	m.mu.Lock()
	defer m.mu.Unlock()
	require.True(t, m.proc == nil || m.proc.exited(), "%s is already running", m.name)
	m.runs++
	_, _ = fmt.Fprintf(m.logs, "===== %s run %d at %s =====\n", m.name, m.runs, time.Now().Format(time.RFC3339Nano))
	cmd := exec.Command(testbin.Require(t), "serve")
	cmd.Env = append(os.Environ(), m.env(m)...)
	cmd.Stdout, cmd.Stderr = m.logs, m.logs
	require.NoError(t, cmd.Start(), "start %s", m.name)
	p := &process{cmd: cmd, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	m.proc = p
}

func (m *member) current() *process {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.proc
}

// running reports whether the member's process is alive.
func (m *member) running() bool {
	p := m.current()
	return p != nil && !p.exited()
}

// ready reports whether the member answers /api/v1/health/ready with 200.
func (m *member) ready() bool {
	resp, err := http.Get(m.base + "/api/v1/health/ready")
	if err != nil {
		return false
	}
	_ = resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// waitReady fails the test if the member exits or is not ready in time.
func (m *member) waitReady() {
	t := m.t
	t.Helper()
	p := m.current()
	eventually(t, readyWithin, m.name+" ready", func() (bool, error) {
		if p.exited() {
			return false, fmt.Errorf("%s exited while starting: %w", m.name, p.err)
		}
		return m.ready(), nil
	})
}

// kill is kill -9: no shutdown, no goodbye to the peers.
func (m *member) kill() {
	p := m.current()
	if p == nil || p.exited() {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// stop sends SIGTERM and waits for the process to exit; it returns the
// exit status (nil for a clean shutdown).
func (m *member) stop() error {
	p := m.current()
	if p == nil || p.exited() {
		return fmt.Errorf("%s is not running", m.name)
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return fmt.Errorf("signal %s: %w", m.name, err)
	}
	select {
	case <-p.done:
		return p.err
	case <-time.After(stopWithin):
		return fmt.Errorf("%s did not stop %s after SIGTERM", m.name, stopWithin)
	}
}

// eventually polls cond on the calling goroutine every topologyTick until it
// holds, fails the test when cond errs or within passes. (testify's
// Eventually runs cond on another goroutine, where require may not be used.)
func eventually(t testing.TB, within time.Duration, what string, cond func() (bool, error)) {
	t.Helper()
	deadline := time.Now().Add(within)
	tick := time.NewTicker(topologyTick)
	defer tick.Stop()
	for {
		ok, err := cond()
		require.NoError(t, err, "waiting for %s", what)
		if ok {
			return
		}
		require.False(t, time.Now().After(deadline), "%s: not reached within %s", what, within)
		<-tick.C
	}
}
