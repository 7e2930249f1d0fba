package rest

import "github.com/go-chi/chi/v5"

// AccountDeps is what the email and password accounts: registration, sign-in, verification and reset routes need.
type AccountDeps struct{}

// accountPublicRoutes registers the public email and password accounts: registration, sign-in, verification and reset routes.
func (a *api) accountPublicRoutes(chi.Router) {}

// accountRoutes registers the signed-in email and password accounts: registration, sign-in, verification and reset routes.
func (a *api) accountRoutes(chi.Router) {}
