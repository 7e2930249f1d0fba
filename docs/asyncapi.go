// Package docs embeds the project's machine-readable documents, so tests and
// tools read the very bytes that are published next to the prose.
package docs

import _ "embed" // for go:embed

// AsyncAPI is asyncapi.yaml: the AsyncAPI 3.0 description of both realtime
// gateways (native /ws and Socket.IO /realtime). internal/asyncapi loads it
// and validates frames against it.
//
//go:embed asyncapi.yaml
var AsyncAPI []byte
