package members

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// process is one run of a member binary.
type process struct {
	cmd     *exec.Cmd
	logPath string
	done    chan struct{}
}

// startProcess execs "proofstell serve" for member i, its output appended
// to the member's log file.
func startProcess(opts Options, i int, env []string) (*process, error) {
	logPath := filepath.Join(opts.LogDir, fmt.Sprintf("member-%d.log", i))
	log, err := os.OpenFile(logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600) //nolint:gosec // G304: our log dir
	if err != nil {
		return nil, fmt.Errorf("open member log: %w", err)
	}
	argv := []string{opts.Bin, "serve"}
	if opts.CPU >= 0 {
		argv = append([]string{"taskset", "-c", strconv.Itoa(opts.CPU)}, argv...)
	}
	cmd := exec.Command(argv[0], argv[1:]...) //nolint:gosec // G204: the binary we built
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		_ = log.Close()
		return nil, fmt.Errorf("start member %d: %w", i, err)
	}
	p := &process{cmd: cmd, logPath: logPath, done: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		_ = log.Close()
		close(p.done)
	}()
	return p, nil
}

func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// kill sends SIGKILL and waits for the exit.
func (p *process) kill() error {
	if p.exited() {
		return errors.New("member already exited")
	}
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		return fmt.Errorf("kill member: %w", err)
	}
	<-p.done
	return nil
}

// stop sends SIGTERM, waits up to grace, then SIGKILL.
func (p *process) stop(grace time.Duration) {
	if p.exited() {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(grace):
		_ = p.cmd.Process.Signal(syscall.SIGKILL)
		<-p.done
	}
}

// awaitReady polls the member's readiness endpoint until it answers 200,
// the process exits, or readyTimeout passes.
func awaitReady(ctx context.Context, base string, p *process) error {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		if ready(ctx, base+"/api/v1/health/ready") {
			return nil
		}
		select {
		case <-p.done:
			return errors.New("exited before it was ready")
		case <-ctx.Done():
			return fmt.Errorf("not ready: %w", ctx.Err())
		case <-tick.C:
		}
	}
}

var probeClient = &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{Proxy: nil}}

func ready(ctx context.Context, url string) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return false
	}
	resp, err := probeClient.Do(req)
	if err != nil {
		return false
	}
	_ = resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}
