package rest

import "github.com/go-chi/chi/v5"

// WalletDeps is what the StarkNet and Stellar wallet sign-in and linking routes need.
type WalletDeps struct{}

// walletPublicRoutes registers the public StarkNet and Stellar wallet sign-in and linking routes.
func (a *api) walletPublicRoutes(chi.Router) {}

// walletRoutes registers the signed-in StarkNet and Stellar wallet sign-in and linking routes.
func (a *api) walletRoutes(chi.Router) {}
