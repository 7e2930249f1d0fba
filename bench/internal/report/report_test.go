package report

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestEmit_WritesStdoutAndFile(t *testing.T) {
	var stdout bytes.Buffer
	path := filepath.Join(t.TempDir(), "r.md")
	write := func(w io.Writer) error { _, err := io.WriteString(w, "# report\n"); return err }
	require.NoError(t, Emit(&stdout, path, write))
	require.Equal(t, "# report\n", stdout.String())
	got, err := os.ReadFile(path) //nolint:gosec // test file
	require.NoError(t, err)
	require.Equal(t, "# report\n", string(got))

	failing := func(io.Writer) error { return errors.New("boom") }
	require.Error(t, Emit(&stdout, "", failing))
	require.Error(t, Emit(&stdout, filepath.Join(t.TempDir(), "missing", "r.md"), write))
}
