package placements

import (
	_ "embed"

	"github.com/talentbridge/platform/shared/platform"
)

// OpenAPI is the service's hand-written part of the OpenAPI document: what
// the access table cannot say, such as the list's query parameters.
//
//go:embed openapi.json
var OpenAPI []byte

// OpenAPI returns the service's hand-written part, which the platform lays
// over the part generated from its access table.
func (s *Service) OpenAPI() []byte { return OpenAPI }

var _ platform.Documented = (*Service)(nil)
