package rest

import "github.com/go-chi/chi/v5"

// SecurityDeps is what revocation, profile and administration routes need.
type SecurityDeps struct{}

// securityRoutes registers the signed-in revocation, profile and admin routes.
func (a *api) securityRoutes(chi.Router) {}
