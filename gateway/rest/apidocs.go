package rest

import (
	"log/slog"
	"sync"

	"github.com/go-chi/chi/v5"

	"github.com/proofstell/proofstell/docs"
	"github.com/proofstell/proofstell/gateway/apidocs"
)

// API docs routes; the document describes them too.
const (
	apiDocsPage     = "/api/docs"
	apiDocsDocument = "/api/docs/openapi.json"
)

// apiDocs is the handler of docs/openapi.yaml, built once per process: the
// JSON conversion and the page rendering happen at most once.
var apiDocs = sync.OnceValues(func() (*apidocs.Handler, error) { return apidocs.New(docs.OpenAPI) })

// mountAPIDocs serves the OpenAPI document and its page when
// config.HTTP.APIDocs is on (config.Load: outside production, or
// API_DOCS=true). They are public and rate limited like any route. A
// document that does not parse (the tests load it) leaves them unmounted.
func (a *api) mountAPIDocs(r chi.Router) {
	if !a.Config.APIDocs {
		return
	}
	h, err := apiDocs()
	if err != nil {
		a.logger.Error("api docs not served", slog.Any("error", err))
		return
	}
	r.Get(apiDocsPage, h.Page)
	r.Get(apiDocsDocument, h.Document)
}
