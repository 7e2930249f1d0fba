package migrations

import (
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"
)

func TestAll(t *testing.T) {
	t.Parallel()
	all, err := All()
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(all), 2)
	for i, m := range all {
		require.Equal(t, i+1, m.Version)
		require.NotEmpty(t, m.SQL)
	}
}

func TestHash(t *testing.T) {
	t.Parallel()
	a, err := Hash()
	require.NoError(t, err)
	b, err := Hash()
	require.NoError(t, err)
	require.Equal(t, a, b)
	require.Len(t, a, 64)
}

func TestLoad(t *testing.T) {
	t.Parallel()
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	tests := []struct {
		name    string
		files   fstest.MapFS
		want    []int
		wantErr string
	}{
		{name: "ordered", files: fstest.MapFS{"002_b.sql": file("b"), "001_a.sql": file("a")}, want: []int{1, 2}},
		{name: "gap", files: fstest.MapFS{"001_a.sql": file("a"), "003_c.sql": file("c")}, wantErr: "expected version 2"},
		{name: "duplicate", files: fstest.MapFS{"001_a.sql": file("a"), "001_b.sql": file("b")}, wantErr: "expected version 2"},
		{name: "no underscore", files: fstest.MapFS{"001.sql": file("a")}, wantErr: "NNN_description"},
		{name: "bad prefix", files: fstest.MapFS{"x_a.sql": file("a")}, wantErr: "bad version"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := load(tc.files)
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			versions := make([]int, len(got))
			for i, m := range got {
				versions[i] = m.Version
			}
			require.Equal(t, tc.want, versions)
		})
	}
}
