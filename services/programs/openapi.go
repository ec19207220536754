package programs

import _ "embed"

// OpenAPI is the service's part of the OpenAPI 3.1 document: its paths and
// the schemas they use. The gateway merges the parts into
// /api/v1/openapi.json.
//
//go:embed openapi.json
var OpenAPI []byte

// OpenAPI returns the service's hand-written part, which the platform lays
// over the part generated from its access tables.
func (s *Service) OpenAPI() []byte { return OpenAPI }
