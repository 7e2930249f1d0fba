package openapi

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// The embedded document loads: it is valid OpenAPI 3.1 and every operation
// names its error codes.
func TestEmbedded(t *testing.T) {
	t.Parallel()
	doc, err := Embedded(t.Context())
	require.NoError(t, err)
	require.NotEmpty(t, doc.Operations())
}
