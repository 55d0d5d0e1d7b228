package server

import (
	"net/http"

	"agglo/internal/store"
)

// capabilities says which analyses this build offers; the dashboard shows
// a "not yet available" note for the others.
type capabilities struct {
	Diagnosis bool `json:"diagnosis"`
	Strategy  bool `json:"strategy"`
	Report    bool `json:"report"`
}

func currentCapabilities() capabilities {
	return capabilities{Diagnosis: true, Strategy: true, Report: true}
}

type statusJSON struct {
	Version      string       `json:"version"`
	Schema       int          `json:"schema"`
	AuthRequired bool         `json:"auth_required"`
	Capabilities capabilities `json:"capabilities"`
	Lang         string       `json:"lang"`
}

func (s *Server) status(w http.ResponseWriter, r *http.Request) {
	s.ok(w, statusJSON{Version: s.cfg.Version, Schema: storeSchema(), AuthRequired: s.cfg.Token != "", Capabilities: currentCapabilities(), Lang: lang(r)})
}

func storeSchema() int { return store.SchemaVersion() }
