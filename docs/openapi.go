package docs

import _ "embed" // for go:embed

// OpenAPI is openapi.yaml: the OpenAPI 3.1 description of every REST route
// (gateway/rest). gateway/apidocs serves it as JSON and as a page;
// internal/openapi loads it and validates requests and responses against it.
//
//go:embed openapi.yaml
var OpenAPI []byte
