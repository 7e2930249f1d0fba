// Package openapi loads docs/openapi.yaml, the OpenAPI 3.1 description of
// the REST API, and checks real HTTP exchanges against it. Its one job is to
// keep the document and the server honest with each other:
//
//   - Load checks the document with kin-openapi (structure, every $ref
//     resolves, schemas and examples are valid) and that every operation
//     names its error codes (x-error-codes) and the codes are known;
//   - Operations lists every documented method and path, so the router
//     tests (gateway/rest) fail when a chi route is undocumented or a
//     documented one is not routed;
//   - CheckExchange and Transport validate a request and its response, so
//     the end-to-end tests check every call they make.
//
// Validation is kin-openapi's openapi3filter, which validates a 3.1
// document's schemas as JSON Schema 2020-12 (type arrays with "null",
// const, contentMediaType).
package openapi
