// Package pgcluster runs a private PostgreSQL cluster from the server
// binaries installed on the machine (initdb, pg_ctl): one data directory,
// one loopback port, trust authentication for the "postgres" role.
//
// Two users share it: `make run` (cmd/devrun), which brings one up when
// nothing answers at DATABASE_URL, and the tests that must stop a database
// (persistence/postgres/pgtest), which never touch the shared server.
//
// PostgreSQL refuses to run as root, so as root every cluster command runs
// as the "postgres" system user and the directory is handed to it.
package pgcluster

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
)

// ErrNotInstalled is returned by FindBinaries when no directory holds both
// initdb and pg_ctl.
var ErrNotInstalled = errors.New("PostgreSQL server binaries (initdb, pg_ctl) are not installed")

// InstallHint is the one command per platform that installs the server
// binaries, printed when they are missing.
const InstallHint = `install PostgreSQL's server binaries, then run again:
  Debian/Ubuntu: sudo apt-get install -y postgresql
  macOS:         brew install postgresql@16`

// SearchDirs are the places server binaries live besides PATH: Debian's
// versioned directories and Homebrew's (Apple silicon and Intel) kegs.
// Globs; within each, the highest version wins.
var SearchDirs = []string{
	"/usr/lib/postgresql/*/bin",
	"/opt/homebrew/opt/postgresql@*/bin",
	"/usr/local/opt/postgresql@*/bin",
	"/opt/homebrew/bin",
	"/usr/local/opt/postgresql/bin",
}

// FindBinaries returns the directory holding initdb and pg_ctl: the one on
// PATH first (lookPath is exec.LookPath outside tests), else the first of
// dirs that has both, the highest version of a glob first.
func FindBinaries(lookPath func(string) (string, error), dirs []string) (string, error) {
	if initdb, err := lookPath("initdb"); err == nil {
		if dir := filepath.Dir(initdb); hasServer(dir) {
			return dir, nil
		}
	}
	for _, pattern := range dirs {
		matches, _ := filepath.Glob(pattern)
		sort.Sort(sort.Reverse(byVersion(matches)))
		for _, dir := range matches {
			if hasServer(dir) {
				return dir, nil
			}
		}
	}
	return "", ErrNotInstalled
}

// hasServer says whether dir holds both binaries a cluster needs.
func hasServer(dir string) bool {
	for _, name := range []string{"initdb", "pg_ctl"} {
		if info, err := os.Stat(filepath.Join(dir, name)); err != nil || info.IsDir() {
			return false
		}
	}
	return true
}

// byVersion orders paths by the last number in them ("…/9/bin" before
// "…/15/bin", "postgresql@14" before "postgresql@16"), then by name.
type byVersion []string

func (v byVersion) Len() int      { return len(v) }
func (v byVersion) Swap(i, j int) { v[i], v[j] = v[j], v[i] }
func (v byVersion) Less(i, j int) bool {
	a, b := lastNumber(v[i]), lastNumber(v[j])
	if a != b {
		return a < b
	}
	return v[i] < v[j]
}

// lastNumber is the last run of digits in s, or -1.
func lastNumber(s string) int {
	end := strings.LastIndexAny(s, "0123456789")
	if end < 0 {
		return -1
	}
	start := end
	for start > 0 && s[start-1] >= '0' && s[start-1] <= '9' {
		start--
	}
	n, _ := strconv.Atoi(s[start : end+1])
	return n
}

// Cluster is one private cluster: its directory (data/ and server.log in
// it) and the binaries that run it. It does not remember whether it runs:
// pg_ctl answers that from the data directory.
type Cluster struct {
	Dir  string // holds data/ and server.log
	Port int
	bin  string
	cred *syscall.Credential
}

// New returns the cluster at dir served by the binaries in bin, on port. It
// creates dir (and, as root, hands it to the postgres user) but initializes
// nothing yet: see Init.
func New(dir, bin string, port int) (*Cluster, error) {
	// The server resolves relative paths from its data directory: use none.
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("pgcluster: %w", err)
	}
	// Parents stay traversable: as root the server runs as another user.
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil { // #nosec G301 -- parents of the private directory
		return nil, fmt.Errorf("pgcluster: create %s: %w", filepath.Dir(dir), err)
	}
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("pgcluster: create %s: %w", dir, err)
	}
	c := &Cluster{Dir: dir, Port: port, bin: bin}
	if os.Geteuid() == 0 {
		if err := c.runAsPostgres(); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// DataDir is the cluster's data directory.
func (c *Cluster) DataDir() string { return filepath.Join(c.Dir, "data") }

// Initialized says whether Init has already created the data directory.
func (c *Cluster) Initialized() bool {
	_, err := os.Stat(filepath.Join(c.DataDir(), "PG_VERSION"))
	return err == nil
}

// Init creates the cluster's data directory: role postgres, trust
// authentication (loopback only, see Start), UTF-8, C locale.
func (c *Cluster) Init() error {
	return c.run("initdb", "-D", c.DataDir(), "-U", "postgres", "--auth=trust", "--no-sync",
		"-E", "UTF8", "--locale=C")
}

// Start starts the server on 127.0.0.1:Port (its socket in Dir) and waits
// until it accepts connections. settings are extra "-c name=value" server
// settings. Starting a running cluster is an error from pg_ctl.
func (c *Cluster) Start(settings ...string) error {
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1", c.Port, c.Dir)
	for _, s := range settings {
		opts += " -c " + s
	}
	log := filepath.Join(c.Dir, "server.log")
	if err := c.run("pg_ctl", "start", "-D", c.DataDir(), "-w", "-l", log, "-o", opts); err != nil {
		tail, _ := os.ReadFile(log) // #nosec G304 -- our own log file
		return fmt.Errorf("%w\n%s", err, lastLines(string(tail), 20))
	}
	return nil
}

// Running says whether a server runs on the data directory.
func (c *Cluster) Running() bool {
	return c.run("pg_ctl", "status", "-D", c.DataDir()) == nil
}

// Stop shuts the server down (fast: sessions are ended, as in an operator's
// restart) and waits. Stopping a stopped cluster does nothing.
func (c *Cluster) Stop() error {
	if !c.Running() {
		return nil
	}
	return c.run("pg_ctl", "stop", "-D", c.DataDir(), "-m", "fast", "-w")
}

// URL is the URL of database on this cluster.
func (c *Cluster) URL(database string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.Port, database)
}

// runAsPostgres makes the cluster's commands run as the "postgres" user and
// hands it the directory.
func (c *Cluster) runAsPostgres() error {
	u, err := user.Lookup("postgres")
	if err != nil {
		return fmt.Errorf("pgcluster: running as root needs a postgres user: %w", err)
	}
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return fmt.Errorf("pgcluster: postgres uid: %w", err)
	}
	gid, err := strconv.ParseUint(u.Gid, 10, 32)
	if err != nil {
		return fmt.Errorf("pgcluster: postgres gid: %w", err)
	}
	c.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	if err := os.Chown(c.Dir, int(uid), int(gid)); err != nil {
		return fmt.Errorf("pgcluster: chown %s: %w", c.Dir, err)
	}
	return nil
}

// run executes one cluster command as the cluster's user.
func (c *Cluster) run(name string, args ...string) error {
	cmd := exec.Command(filepath.Join(c.bin, name), args...) // #nosec G204 -- fixed binaries, our own arguments
	if c.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("pgcluster: %s %s: %w: %s", name, strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}

// lastLines is the last n lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
