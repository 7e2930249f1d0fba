// Command proofstell runs a ProofStell game-server node.
//
//	proofstell [serve]      start a node (default): create the database if
//	                        missing, apply migrations, serve HTTP and WebSocket
//	proofstell migrate      apply pending migrations and exit
//	proofstell check-config validate the configuration and exit
//	proofstell version      print the version
//	proofstell play [--url http://127.0.0.1:3000] [--mode classic] [--device ID]
//	                        play one solo game against a node as a guest,
//	                        printing each event, the result and the daily rank
//	proofstell verify <file|url>
//	                        check a finished game's replay (docs/FAIRNESS.md):
//	                        exit 0 when it holds, 1 at the first divergence,
//	                        2 when there is no replay to read
//	proofstell admin grant (--email E | --player ID) --role admin|moderator|player
//	                        set an account's role in the database, audited
//	                        (the first admin of a fresh install; no node
//	                        needs to run): exit 1 when the database fails,
//	                        2 for bad arguments, 3 when no account matches
//
// Configuration comes from the environment; a .env file in the working
// directory is read first when present (real environment variables win).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/proofstell/proofstell/config"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// run is main without process globals, so tests can drive it.
func run(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	command := "serve"
	if len(args) > 0 {
		command = args[0]
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	getenv = config.WithDotEnv(getenv, ".env")
	var err error
	switch command {
	case "serve":
		err = serve(ctx, getenv, stderr)
	case "migrate":
		err = migrate(ctx, getenv, stderr)
	case "check-config":
		err = checkConfig(getenv, stdout)
	case "version":
		_, err = fmt.Fprintln(stdout, "proofstell", version)
	case "play":
		err = play(ctx, args[1:], stdout, stderr)
	case "verify":
		err = verifyReplay(ctx, args[1:], stdout, stderr)
	case "admin":
		err = adminCommand(ctx, args[1:], getenv, stdout, stderr)
	default:
		_, _ = fmt.Fprintf(stderr, "unknown command %q (serve, migrate, check-config, version, play, verify, admin)\n", command)
		return 2
	}
	switch {
	case errors.Is(err, errUsage):
		return 2 // the usage is printed
	case errors.Is(err, errUnreadable):
		_, _ = fmt.Fprintln(stderr, "proofstell:", err)
		return 2
	case errors.Is(err, errNoAccount):
		_, _ = fmt.Fprintln(stderr, "proofstell:", err)
		return 3
	}
	if err != nil {
		_, _ = fmt.Fprintln(stderr, "proofstell:", err)
		return 1
	}
	return 0
}
