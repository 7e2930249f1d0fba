package placeholders_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/internal/placeholders"
)

func TestFill(t *testing.T) {
	t.Parallel()
	params := placeholders.Params([]byte(`{"name":"Centurión","rank":3,"score":1000000,"won":true,"nested":{"a":1}}`))
	for _, tc := range []struct{ template, want string }{
		{"plain", "plain"},
		{"Badge {name}", "Badge Centurión"},
		{"#{rank} with {score} points", "#3 with 1000000 points"},
		{"{won} {missing} {nested}", "true {missing} {nested}"},
	} {
		require.Equal(t, tc.want, placeholders.Fill(tc.template, params), tc.template)
	}
	require.Empty(t, placeholders.Params([]byte(`[1]`)))
}
