package profiles

import (
	"encoding/json"
	"strings"
	"time"
)

// Data export over NATS request–reply.
//
// When a person asks for everything the platform holds about them
// (GET /api/v1/profiles/me/export), the profiles service sends an
// ExportRequest to every other service and puts the answers in one document.
//
// Convention, for every service that holds personal data:
//
//   - Subscribe to ExportSubject(<your service>), i.e. "tb.rpc.<service>.export"
//     (for example tb.rpc.identity.export, tb.rpc.programs.export,
//     tb.rpc.matching.export), in a queue group named after the service so
//     that exactly one instance answers.
//   - The request body is an ExportRequest as JSON: {"userId": "…"}.
//   - Reply within ExportTimeout with an ExportPart as JSON:
//     {"service": "<service>", "data": {…}}. Data is whatever the service
//     holds about the user, as a JSON object with self-explaining names
//     (an empty object when it holds nothing). On failure reply
//     {"service": "<service>", "error": "…"} without personal data.
//   - Answer from your own database only; never call another service.
//
// A service that does not answer in time is listed as unavailable in the
// export; the export itself does not fail. These subjects are under tb.rpc.*
// and never captured by a stream.
const (
	// ExportTimeout is how long the collector waits for each service.
	ExportTimeout = 2 * time.Second

	exportPrefix = "tb.rpc."
	exportSuffix = ".export"
)

// Services whose part the profiles service collects, besides its own.
const (
	ServiceIdentity   = "identity"
	ServicePrograms   = "programs"
	ServiceMatching   = "matching"
	ServiceProfiles   = "profiles"
	ServiceDocuments  = "documents"
	ServicePlacements = "placements"
)

// ExportServices are the services asked for their part of an export.
var ExportServices = []string{ServiceIdentity, ServicePrograms, ServiceMatching, ServiceDocuments, ServicePlacements}

// ExportSubject returns the request–reply subject on which service answers
// export requests: "tb.rpc.<service>.export".
func ExportSubject(service string) string { return exportPrefix + service + exportSuffix }

// ServiceOfExportSubject returns the service an export subject belongs to.
func ServiceOfExportSubject(subject string) (string, bool) {
	if !strings.HasPrefix(subject, exportPrefix) || !strings.HasSuffix(subject, exportSuffix) {
		return "", false
	}
	s := strings.TrimSuffix(strings.TrimPrefix(subject, exportPrefix), exportSuffix)
	return s, s != "" && !strings.Contains(s, ".")
}

// ExportRequest asks a service for what it holds about one user.
type ExportRequest struct {
	UserID string `json:"userId"`
}

// ExportPart is one service's answer.
type ExportPart struct {
	Service string          `json:"service"`
	Data    json.RawMessage `json:"data,omitempty"`
	Error   string          `json:"error,omitempty"`
}
