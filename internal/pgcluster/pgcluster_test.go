package pgcluster

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// fakeServerDir makes dir hold the named (empty) files.
func fakeServerDir(t *testing.T, dir string, names ...string) string {
	t.Helper()
	require.NoError(t, os.MkdirAll(dir, 0o750))
	for _, n := range names {
		require.NoError(t, os.WriteFile(filepath.Join(dir, n), nil, 0o755)) // #nosec G306 -- test executables
	}
	return dir
}

func TestFindBinaries(t *testing.T) {
	root := t.TempDir()
	onPath := fakeServerDir(t, filepath.Join(root, "path"), "initdb", "pg_ctl")
	clientOnly := fakeServerDir(t, filepath.Join(root, "client"), "initdb") // no pg_ctl
	fakeServerDir(t, filepath.Join(root, "lib/9/bin"), "initdb", "pg_ctl")
	v15 := fakeServerDir(t, filepath.Join(root, "lib/15/bin"), "initdb", "pg_ctl")
	fakeServerDir(t, filepath.Join(root, "lib/16/bin"), "initdb") // incomplete
	versions := filepath.Join(root, "lib/*/bin")

	lookIn := func(dir string) func(string) (string, error) {
		return func(name string) (string, error) { return filepath.Join(dir, name), nil }
	}
	notFound := func(string) (string, error) { return "", exec.ErrNotFound }
	tests := []struct {
		name     string
		lookPath func(string) (string, error)
		dirs     []string
		want     string
		wantErr  error
	}{
		{"PATH first", lookIn(onPath), []string{versions}, onPath, nil},
		{"PATH without pg_ctl falls back", lookIn(clientOnly), []string{versions}, v15, nil},
		{"highest complete version", notFound, []string{versions}, v15, nil},
		{"nothing", notFound, []string{filepath.Join(root, "none/*")}, "", ErrNotInstalled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FindBinaries(tt.lookPath, tt.dirs)
			require.ErrorIs(t, err, tt.wantErr)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestLastNumber(t *testing.T) {
	require.Equal(t, 15, lastNumber("/usr/lib/postgresql/15/bin"))
	require.Equal(t, 16, lastNumber("/opt/homebrew/opt/postgresql@16/bin"))
	require.Equal(t, 9, lastNumber("/tmp/Test123/lib/9/bin"))
	require.Equal(t, -1, lastNumber("/opt/homebrew/bin"))
}
