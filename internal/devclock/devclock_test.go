package devclock

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestClock_ReadsTheOffset(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "clock")

	c, err := Open(path)
	require.NoError(t, err, "a missing file is no offset")
	require.Zero(t, c.Offset())

	require.NoError(t, os.WriteFile(path, []byte("36h\n"), 0o600))
	require.NoError(t, c.reload())
	require.Equal(t, 36*time.Hour, c.Offset())
	require.WithinDuration(t, time.Now().Add(36*time.Hour), c.Now(), time.Minute)

	require.NoError(t, os.WriteFile(path, []byte("-90s"), 0o600))
	require.NoError(t, c.reload())
	require.Equal(t, -90*time.Second, c.Offset())

	require.NoError(t, os.WriteFile(path, []byte("tomorrow"), 0o600))
	require.Error(t, c.reload(), "a malformed offset is refused")
	require.Equal(t, -90*time.Second, c.Offset(), "and the previous one kept")

	require.NoError(t, os.WriteFile(path, []byte(""), 0o600))
	require.NoError(t, c.reload())
	require.Zero(t, c.Offset())

	_, err = Open(filepath.Join(dir, "missing-dir", "clock"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, []byte("1h"+string(make([]byte, 80))), 0o600))
	_, err = Open(path)
	require.Error(t, err, "an oversized file is refused")
}
