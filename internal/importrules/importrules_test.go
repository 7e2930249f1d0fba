package importrules_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// rejection is one depguard issue a fixture must produce.
type rejection struct {
	file string // fixture file name
	rule string // depguard rule name in .golangci.yml
	pkg  string // the import path rejected
}

// fixtures maps each fixture directory (under testdata, mirroring the
// module's tree) to exactly the issues it must produce: an import a rule
// allows, such as a test file's, must produce none.
var fixtures = []struct {
	dir  string
	want []rejection
}{
	{dir: "gateway/chainimport", want: []rejection{
		// chainimport_test.go imports chain/chaintest: allowed, tests are exempt.
		{file: "chainimport.go", rule: "gateway-imports-no-chain", pkg: "github.com/proofstell/proofstell/chain/merkle"},
	}},
	{dir: "actors/session/game/impure", want: []rejection{
		{file: "impure.go", rule: "actor-rules-are-pure", pkg: "github.com/asynkron/protoactor-go/actor"},
		{file: "impure.go", rule: "actor-rules-are-pure", pkg: "github.com/proofstell/proofstell/persistence"},
	}},
	{dir: "actors/runtime/kindimport", want: []rejection{
		{file: "kindimport.go", rule: "runtime-imports-no-actor-kind", pkg: "github.com/proofstell/proofstell/actors/session"},
	}},
}

const fixtureRoot = "internal/importrules/testdata"

// TestDepguard_RejectsFixtures runs the pinned golangci-lint, with the
// project's .golangci.yml, once over every fixture and requires each
// fixture's rejections and no others.
func TestDepguard_RejectsFixtures(t *testing.T) {
	if testing.Short() {
		t.Skip("runs golangci-lint over the fixtures; skipped with -short")
	}
	root := moduleRoot(t)
	lint := pinnedLinter(t, root)
	dirs := make([]string, len(fixtures))
	for i, f := range fixtures {
		dirs[i] = "./" + fixtureRoot + "/" + f.dir
	}
	got, failed, err := runDepguard(t, lint, root, dirs)
	require.NoError(t, err)
	rejected := false
	for _, f := range fixtures {
		rejected = rejected || len(f.want) > 0
		t.Run(f.dir, func(t *testing.T) {
			want := make([]string, len(f.want))
			for i, r := range f.want {
				want[i] = fmt.Sprintf("%s: import '%s' is not allowed from list '%s'", r.file, r.pkg, r.rule)
			}
			require.ElementsMatch(t, want, got[f.dir], "depguard issues of fixture %s", f.dir)
		})
	}
	require.Equal(t, rejected, failed, "a rejected import must fail the lint (exit code 1)")
}

// moduleRoot is the directory holding go.mod, found upwards from the
// package directory the test runs in.
func moduleRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		require.NotEqual(t, dir, parent, "no go.mod above the test directory")
		dir = parent
	}
}

// pinnedLinter is the golangci-lint the Makefile installs ($(BIN) is
// <module root>/bin), or $GOLANGCI_LINT. The test skips, saying why, when
// it is absent or not the pinned version: another version may judge the
// configuration differently, and CI runs `make lint` (which installs the
// pinned one) before the tests.
func pinnedLinter(t testing.TB, root string) string {
	t.Helper()
	lint := os.Getenv("GOLANGCI_LINT")
	if lint == "" {
		lint = filepath.Join(root, "bin", "golangci-lint")
	}
	if _, err := os.Stat(lint); err != nil { //nolint:gosec // G703: the developer's own tool path
		t.Skipf("golangci-lint not found at %s: run `make lint-tool` or set GOLANGCI_LINT to run the depguard fixtures", lint)
	}
	pinned := pinnedVersion(t, root)
	out, err := exec.CommandContext(t.Context(), lint, "version").CombinedOutput() //nolint:gosec // G702: runs the developer's own linter
	require.NoError(t, err, "%s version: %s", lint, out)
	if !strings.Contains(string(out), "version "+pinned+" ") {
		t.Skipf("%s is not the pinned golangci-lint %s (%s): run `make lint-tool`", lint, pinned, bytes.TrimSpace(out))
	}
	return lint
}

// pinnedVersion reads GOLANGCI_LINT_VERSION from the Makefile, without its "v".
func pinnedVersion(t testing.TB, root string) string {
	t.Helper()
	makefile, err := os.ReadFile(filepath.Join(root, "Makefile"))
	require.NoError(t, err)
	m := regexp.MustCompile(`(?m)^GOLANGCI_LINT_VERSION\s*:=\s*v(\S+)`).FindSubmatch(makefile)
	require.NotNil(t, m, "GOLANGCI_LINT_VERSION in the Makefile")
	return string(m[1])
}

// lintReport is the part of golangci-lint's JSON output the test reads.
type lintReport struct {
	Issues []struct {
		FromLinter string
		Text       string
		Pos        struct{ Filename string }
	}
}

// runDepguard lints dirs with depguard alone and returns its issues by
// fixture directory, each as "<file>: <message without description>", and
// whether the lint failed on them (exit code 1; any other but 0 is an error).
func runDepguard(t testing.TB, lint, root string, dirs []string) (map[string][]string, bool, error) {
	t.Helper()
	args := append([]string{"run", "--config", filepath.Join(root, ".golangci.yml"), "--enable-only", "depguard",
		"--allow-serial-runners", "--show-stats=false", "--output.json.path", "stdout"}, dirs...)
	cmd := exec.CommandContext(t.Context(), lint, args...)
	cmd.Dir = root
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	failed := errors.As(err, &exit) && exit.ExitCode() == 1
	if err != nil && !failed {
		return nil, false, fmt.Errorf("golangci-lint: %w: %s", err, stderr.String())
	}
	var report lintReport
	if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
		return nil, false, fmt.Errorf("golangci-lint output %q: %w", stdout.String(), err)
	}
	got := map[string][]string{}
	for _, is := range report.Issues {
		if is.FromLinter != "depguard" {
			return nil, false, fmt.Errorf("unexpected %s issue: %s", is.FromLinter, is.Text)
		}
		file := is.Pos.Filename
		if !filepath.IsAbs(file) {
			file = filepath.Join(root, file)
		}
		rel, err := filepath.Rel(filepath.Join(root, fixtureRoot), file)
		if err != nil || strings.HasPrefix(rel, "..") {
			return nil, false, fmt.Errorf("issue outside the fixtures: %s: %s", is.Pos.Filename, is.Text)
		}
		text, _, _ := strings.Cut(is.Text, ": ")
		dir := filepath.ToSlash(filepath.Dir(rel))
		got[dir] = append(got[dir], filepath.Base(rel)+": "+text)
	}
	return got, failed, nil
}
