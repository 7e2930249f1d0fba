package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os/user"
	"strings"
	"time"

	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
)

// errNoAccount: `proofstell admin grant` named no existing account (exit 3).
var errNoAccount = errors.New("no such account")

// adminUsage is printed for bad arguments.
const adminUsage = `usage: proofstell admin grant (--email EMAIL | --player ID) --role admin|moderator|player
  sets an account's role directly in the database, with the node's
  configuration (DATABASE_URL, ...). No node needs to run: like serve, it
  creates the database when allowed and applies pending migrations first.
  The change is in the audit log (actor "cli", the OS user's name).
  Exit 0 when done (or already so), 1 when the database fails, 2 for bad
  arguments, 3 when no account matches.
`

// grantRequest is a parsed `admin grant`.
type grantRequest struct {
	email, playerID string
	role            persistence.Role
}

// adminCommand runs `proofstell admin <subcommand>`.
func adminCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "grant" {
		_, _ = io.WriteString(stderr, adminUsage)
		return fmt.Errorf("%w: admin takes the grant subcommand", errUsage)
	}
	req, err := parseGrant(args[1:], stderr)
	if err != nil {
		return err
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	if err := prepareDatabase(ctx, cfg.Database, newLogger(cfg.LogLevel, cfg.LogRateInterval, stderr)); err != nil {
		return err
	}
	store, err := postgres.Open(ctx, cfg.Database, nil)
	if err != nil {
		return fmt.Errorf("open postgres: %w", err)
	}
	defer store.Close()
	if err := store.CheckSchema(ctx); err != nil {
		return fmt.Errorf("check schema: %w", err)
	}
	return grantRole(ctx, store, req, persistence.CLIActor(osUser(getenv)), time.Now(), stdout)
}

// parseGrant reads grant's flags: exactly one of --email and --player,
// and a known role.
func parseGrant(args []string, stderr io.Writer) (grantRequest, error) {
	fs := flag.NewFlagSet("admin grant", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var req grantRequest
	var role string
	fs.StringVar(&req.email, "email", "", "the account's email")
	fs.StringVar(&req.playerID, "player", "", "the player id")
	fs.StringVar(&role, "role", "", "admin, moderator or player")
	problem := ""
	if err := fs.Parse(args); err != nil {
		problem = err.Error()
	}
	req.email, req.playerID = strings.TrimSpace(req.email), strings.TrimSpace(req.playerID)
	req.role = persistence.Role(role)
	switch {
	case problem != "":
	case fs.NArg() > 0:
		problem = fmt.Sprintf("unexpected argument %q", fs.Arg(0))
	case (req.email == "") == (req.playerID == ""):
		problem = "give exactly one of --email and --player"
	case !req.role.Valid():
		problem = fmt.Sprintf("--role must be admin, moderator or player, not %q", role)
	}
	if problem != "" {
		_, _ = fmt.Fprintf(stderr, "proofstell admin grant: %s\n%s", problem, adminUsage)
		return req, fmt.Errorf("%w: %s", errUsage, problem)
	}
	return req, nil
}

// grantStore is what grantRole needs of the store.
type grantStore interface {
	persistence.AdminPlayers
	persistence.RevocationLedger
	AccountByEmail(ctx context.Context, email string) (persistence.Account, error)
	AccountByPlayer(ctx context.Context, playerID string) (persistence.Account, error)
	Player(ctx context.Context, id string) (persistence.Player, error)
	RevokePlayer(ctx context.Context, playerID string, now time.Time) error
}

// grantRole finds the account, sets its role (audited as by) and prints
// what changed. A changed role also revokes the player's sessions in
// PostgreSQL, so an old token cannot keep the old role past a node's next
// look at the ledger.
func grantRole(ctx context.Context, store grantStore, req grantRequest, by persistence.AuditActor, now time.Time,
	stdout io.Writer) error {
	p, label, err := findAccount(ctx, store, req)
	if err != nil {
		return err
	}
	updated, err := store.AdminUpdate(ctx, by, p.ID, persistence.AdminUpdate{Role: &req.role}, now)
	if err != nil {
		return fmt.Errorf("grant %s to player %s: %w", req.role, p.ID, err)
	}
	if updated.Role == p.Role {
		_, err = fmt.Fprintf(stdout, "player %s (%s): role %s unchanged\n", p.ID, label, p.Role)
		return err
	}
	if err := store.RecordNotBefore(ctx, persistence.Watermark{PlayerID: p.ID, At: now}); err != nil {
		return fmt.Errorf("revoke the sessions of %s: %w", p.ID, err)
	}
	if err := store.RevokePlayer(ctx, p.ID, now); err != nil {
		return fmt.Errorf("revoke the sessions of %s: %w", p.ID, err)
	}
	_, err = fmt.Fprintf(stdout, "player %s (%s): role %s -> %s\n", p.ID, label, p.Role, updated.Role)
	return err
}

// findAccount resolves the request to a player and how to name it: its
// email, or its username for a guest.
func findAccount(ctx context.Context, store grantStore, req grantRequest) (persistence.Player, string, error) {
	if req.email != "" {
		a, err := store.AccountByEmail(ctx, req.email)
		if errors.Is(err, persistence.ErrNotFound) {
			return persistence.Player{}, "", fmt.Errorf("%w: no account has the email %q", errNoAccount, req.email)
		}
		if err != nil {
			return persistence.Player{}, "", fmt.Errorf("find account: %w", err)
		}
		return a.Player, a.Email, nil
	}
	p, err := store.Player(ctx, req.playerID)
	if errors.Is(err, persistence.ErrNotFound) {
		return p, "", fmt.Errorf("%w: no player has the id %q", errNoAccount, req.playerID)
	}
	if err != nil {
		return p, "", fmt.Errorf("find player: %w", err)
	}
	a, err := store.AccountByPlayer(ctx, p.ID)
	switch {
	case errors.Is(err, persistence.ErrNotFound):
		return p, "guest " + p.Username, nil
	case err != nil:
		return p, "", fmt.Errorf("find account: %w", err)
	}
	return p, a.Email, nil
}

// osUser names who ran the command for the audit log: the login name, and
// the invoking user under sudo.
func osUser(getenv func(string) string) string {
	name := getenv("USER")
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = u.Username
	}
	if name == "" {
		name = "unknown"
	}
	if sudo := getenv("SUDO_USER"); sudo != "" && sudo != name {
		name += " (sudo from " + sudo + ")"
	}
	return name
}
