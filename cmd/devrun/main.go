// Command devrun is what `make run` starts: it runs a development node (the
// command after --) against PostgreSQL, bringing one up when there is none.
//
//	devrun [-dir .dev/postgres] -- bin/proofstell serve
//
// When something answers at DATABASE_URL (from the environment, then .env,
// then the node's default), the node uses it as it always has. When nothing
// does and PostgreSQL's server binaries are installed (Debian's postgresql,
// Homebrew's postgresql@N), devrun initializes a private cluster in -dir (a
// git-ignored folder of the checkout) on a free loopback port, points the
// node's DATABASE_URL at it, and stops it when the node exits; the next run
// reuses the cluster, its data and, when still free, its port. Without the
// binaries it prints the one install command per platform and exits 1.
//
// Development only: the private cluster trusts every local connection.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/internal/pgcluster"
)

// probeTimeout bounds the check whether a server answers at DATABASE_URL.
const probeTimeout = time.Second

func main() {
	os.Exit(run(os.Args[1:], environment{getenv: os.Getenv, lookPath: exec.LookPath, searchDirs: pgcluster.SearchDirs},
		os.Stderr))
}

// environment is what run reads from the machine, injectable in tests.
type environment struct {
	getenv     func(string) string
	lookPath   func(string) (string, error)
	searchDirs []string
}

// run is main without process globals; it returns the exit code: the
// node's own, or 1 when devrun could not start it, 2 on bad usage.
func run(args []string, env environment, stderr io.Writer) int {
	flags := flag.NewFlagSet("devrun", flag.ContinueOnError)
	flags.SetOutput(stderr)
	dir := flags.String("dir", ".dev/postgres", "where the private cluster lives")
	if err := flags.Parse(args); err != nil || flags.NArg() == 0 {
		_, _ = fmt.Fprintln(stderr, "usage: devrun [-dir DIR] -- command [args...]")
		return 2
	}
	logf := func(format string, a ...any) { _, _ = fmt.Fprintf(stderr, "devrun: "+format+"\n", a...) }
	target := databaseURL(config.WithDotEnv(env.getenv, ".env"))
	address, err := hostPort(target)
	if err != nil {
		logf("DATABASE_URL: %v", err)
		return 1
	}
	if answers(address) {
		logf("using PostgreSQL at %s", address)
		return runNode(flags.Args(), nil, logf)
	}
	bin, err := pgcluster.FindBinaries(env.lookPath, env.searchDirs)
	if errors.Is(err, pgcluster.ErrNotInstalled) {
		logf("nothing answers at %s (DATABASE_URL) and %v;\n%s", address, err, pgcluster.InstallHint)
		return 1
	}
	cluster, err := startPrivate(*dir, bin, logf)
	if err != nil {
		logf("private PostgreSQL: %v", err)
		return 1
	}
	defer func() {
		if err := cluster.Stop(); err != nil {
			logf("stop private PostgreSQL: %v", err)
		}
	}()
	privateURL := cluster.URL(databaseName(target))
	logf("nothing answers at %s: using the private PostgreSQL in %s (%s)", address, *dir, privateURL)
	return runNode(flags.Args(), []string{"DATABASE_URL=" + privateURL}, logf)
}

// databaseURL is the node's DATABASE_URL: set, or the node's default.
func databaseURL(getenv func(string) string) string {
	if u := getenv("DATABASE_URL"); u != "" {
		return u
	}
	return config.Default().Database.URL
}

// hostPort is the TCP address a postgres:// URL names (port 5432 by default).
func hostPort(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("parse: %w", err)
	}
	host, port := u.Hostname(), u.Port()
	if host == "" {
		host = "127.0.0.1"
	}
	if port == "" {
		port = "5432"
	}
	return net.JoinHostPort(host, port), nil
}

// databaseName is the database a URL names ("proofstell" when it names none).
func databaseName(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || strings.Trim(u.Path, "/") == "" {
		return "proofstell"
	}
	return strings.Trim(u.Path, "/")
}

// answers says whether something accepts TCP connections at address.
func answers(address string) bool {
	conn, err := net.DialTimeout("tcp", address, probeTimeout)
	if err != nil {
		return false
	}
	_ = conn.Close()
	return true
}

// startPrivate starts the private cluster in dir: initialized on first use,
// on the port of its last run when that is still free.
func startPrivate(dir, bin string, logf func(string, ...any)) (*pgcluster.Cluster, error) {
	portFile := dir + "/port"
	port, err := choosePort(portFile)
	if err != nil {
		return nil, err
	}
	cluster, err := pgcluster.New(dir, bin, port)
	if err != nil {
		return nil, err
	}
	if cluster.Running() {
		// A run that was killed left it up: take it over on its own port.
		cluster.Port, err = readPort(portFile)
		return cluster, err
	}
	if !cluster.Initialized() {
		logf("initializing a private PostgreSQL cluster in %s (first run)", dir)
		if err := cluster.Init(); err != nil {
			return nil, err
		}
	}
	if err := cluster.Start(); err != nil {
		return nil, err
	}
	return cluster, os.WriteFile(portFile, []byte(strconv.Itoa(port)), 0o600)
}

// choosePort is the port recorded in portFile when it is free, else a new
// free loopback port.
func choosePort(portFile string) (int, error) {
	if port, err := readPort(portFile); err == nil && free(port) {
		return port, nil
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	_ = l.Close()
	return port, nil
}

// readPort reads the port a previous run recorded.
func readPort(portFile string) (int, error) {
	raw, err := os.ReadFile(portFile) // #nosec G304 -- our own file in the cluster's folder
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", portFile, err)
	}
	port, err := strconv.Atoi(strings.TrimSpace(string(raw)))
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", portFile, err)
	}
	return port, nil
}

// free says whether nothing listens on the loopback port.
func free(port int) bool {
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return false
	}
	_ = l.Close()
	return true
}

// runNode runs the node with extra environment variables, passes SIGINT
// and SIGTERM on to it, and returns its exit code.
func runNode(argv, extraEnv []string, logf func(string, ...any)) int {
	cmd := exec.Command(argv[0], argv[1:]...) // #nosec G204 -- the developer's own command line
	cmd.Env = append(os.Environ(), extraEnv...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(signals)
	if err := cmd.Start(); err != nil {
		logf("start %s: %v", argv[0], err)
		return 1
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	for {
		select {
		case sig := <-signals:
			_ = cmd.Process.Signal(sig)
		case err := <-done:
			var exit *exec.ExitError
			if errors.As(err, &exit) {
				return max(exit.ExitCode(), 1) // -1: ended by a signal
			}
			if err != nil {
				logf("%s: %v", argv[0], err)
				return 1
			}
			return 0
		}
	}
}
