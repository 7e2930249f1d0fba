package jsonstr_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/internal/jsonstr"
)

func FuzzAppend(f *testing.F) {
	for _, s := range []string{"", "plain", "<script>&amp;", "\"\\\b\f\n\r\t\x00\x1f\x7f", "\u2028\u2029é漢", "\xff\xfe", "a\xc3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		require.NoError(t, err)
		require.Equal(t, string(want), string(jsonstr.Append([]byte("x"), s))[1:], "appends after what is there")
	})
}
