package pgtest

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"

	"github.com/proofstell/proofstell/internal/testports"
	"github.com/proofstell/proofstell/persistence/postgres"
)

// serverDatabase is the migrated database of a throwaway Server.
const serverDatabase = "proofstell"

// Server is a throwaway PostgreSQL cluster of its own (initdb + pg_ctl) on a
// free loopback port, for tests that must stop the database. The shared
// server of NewDatabase is never touched. Safe for concurrent use.
type Server struct {
	t    testing.TB
	dir  string
	port int
	cred *syscall.Credential

	mu      sync.Mutex
	running bool
}

// StartServer initializes a cluster in a temporary directory, starts it,
// creates and migrates its database, and stops and removes it in t.Cleanup.
// It skips the test when initdb or pg_ctl is not installed. As root, the
// cluster runs as the "postgres" user (PostgreSQL refuses to run as root).
func StartServer(t testing.TB) *Server {
	t.Helper()
	for _, bin := range []string{"initdb", "pg_ctl"} {
		if _, err := exec.LookPath(bin); err != nil {
			t.Skipf("pgtest: %s not installed", bin)
		}
	}
	s := &Server{t: t, port: testports.Free(t)}
	if err := s.init(); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() {
		s.Stop()
		_ = os.RemoveAll(s.dir)
	})
	s.Start()
	ctx, cancel := setupContext(t)
	defer cancel()
	if err := postgres.EnsureDatabase(ctx, s.URL()); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	if _, err := postgres.Migrate(ctx, s.URL()); err != nil {
		t.Fatalf("pgtest: migrate: %v", err)
	}
	return s
}

// URL is the migrated database's URL; it stays valid across Stop and Start.
func (s *Server) URL() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", s.port, serverDatabase)
}

// Stop shuts the server down (fast mode: sessions are terminated, as in an
// operator's restart) and waits for it. Stopping a stopped server is a no-op.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.running {
		return
	}
	if err := s.run("pg_ctl", "stop", "-D", s.dataDir(), "-m", "fast", "-w"); err != nil {
		s.t.Errorf("pgtest: stop: %v", err)
	}
	s.running = false
}

// Start starts a stopped server again on the same port, with its data.
func (s *Server) Start() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.running {
		return
	}
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off "+
		"-c synchronous_commit=off -c full_page_writes=off", s.port, s.dir)
	err := s.run("pg_ctl", "start", "-D", s.dataDir(), "-w", "-l", filepath.Join(s.dir, "server.log"), "-o", opts)
	if err != nil {
		log, _ := os.ReadFile(filepath.Join(s.dir, "server.log"))
		s.t.Fatalf("pgtest: start: %v\n%s", err, log)
	}
	s.running = true
}

func (s *Server) dataDir() string { return filepath.Join(s.dir, "data") }

// init creates the directory (owned by the server's user) and the cluster.
func (s *Server) init() error {
	dir, err := os.MkdirTemp("", "pgtest-")
	if err != nil {
		return fmt.Errorf("temp dir: %w", err)
	}
	s.dir = dir
	if os.Geteuid() == 0 {
		if err := s.runAsPostgres(); err != nil {
			return err
		}
	}
	return s.run("initdb", "-D", s.dataDir(), "-U", "postgres", "--auth=trust", "--no-sync",
		"-E", "UTF8", "--locale=C")
}

// runAsPostgres makes the cluster's commands run as the "postgres" user and
// hands it the directory.
func (s *Server) runAsPostgres() error {
	u, err := user.Lookup("postgres")
	if err != nil {
		return fmt.Errorf("running as root needs a postgres user: %w", err)
	}
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return fmt.Errorf("postgres uid: %w", err)
	}
	gid, err := strconv.ParseUint(u.Gid, 10, 32)
	if err != nil {
		return fmt.Errorf("postgres gid: %w", err)
	}
	s.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	if err := os.Chown(s.dir, int(uid), int(gid)); err != nil {
		return fmt.Errorf("chown %s: %w", s.dir, err)
	}
	return nil
}

// run executes one cluster command as the server's user.
func (s *Server) run(name string, args ...string) error {
	cmd := exec.Command(name, args...) //nolint:gosec // G204: fixed binaries, our own arguments
	if s.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %v: %w: %s", name, args, err, out)
	}
	return nil
}
