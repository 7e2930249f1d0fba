package pgtest

import (
	"errors"
	"os"
	"os/exec"
	"sync"
	"testing"

	"github.com/proofstell/proofstell/internal/pgcluster"
	"github.com/proofstell/proofstell/internal/testports"
	"github.com/proofstell/proofstell/persistence/postgres"
)

// serverDatabase is the migrated database of a throwaway Server.
const serverDatabase = "proofstell"

// testSettings trade durability for speed: a throwaway cluster's data
// matters only while its test runs.
var testSettings = []string{"fsync=off", "synchronous_commit=off", "full_page_writes=off"}

// Server is a throwaway PostgreSQL cluster of its own (internal/pgcluster)
// on a free loopback port, for tests that must stop the database. The
// shared server of NewDatabase is never touched. Safe for concurrent use.
type Server struct {
	t       testing.TB
	cluster *pgcluster.Cluster

	mu      sync.Mutex
	running bool
}

// StartServer initializes a cluster in a temporary directory, starts it,
// creates and migrates its database, and stops and removes it in t.Cleanup.
// It skips the test when the server binaries are not installed. As root,
// the cluster runs as the "postgres" user (PostgreSQL refuses to run as
// root).
func StartServer(t testing.TB) *Server {
	t.Helper()
	bin, err := pgcluster.FindBinaries(exec.LookPath, pgcluster.SearchDirs)
	if errors.Is(err, pgcluster.ErrNotInstalled) {
		t.Skipf("pgtest: %v", err)
	}
	dir, err := os.MkdirTemp("", "pgtest-")
	if err != nil {
		t.Fatalf("pgtest: temp dir: %v", err)
	}
	cluster, err := pgcluster.New(dir, bin, testports.Free(t))
	if err == nil {
		err = cluster.Init()
	}
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	s := &Server{t: t, cluster: cluster}
	t.Cleanup(func() {
		s.Stop()
		_ = os.RemoveAll(dir)
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
func (s *Server) URL() string { return s.cluster.URL(serverDatabase) }

// Stop shuts the server down (fast mode: sessions are terminated, as in an
// operator's restart) and waits for it. Stopping a stopped server is a no-op.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.running {
		return
	}
	if err := s.cluster.Stop(); err != nil {
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
	if err := s.cluster.Start(testSettings...); err != nil {
		s.t.Fatalf("pgtest: start: %v", err)
	}
	s.running = true
}
