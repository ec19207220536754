package programs

import _ "embed"

// OpenAPI is the service's part of the OpenAPI 3.1 document: its paths and
// the schemas they use. The gateway merges the parts into
// /api/v1/openapi.json.
//
//go:embed openapi.json
var OpenAPI []byte
