package matching

import _ "embed"

// OpenAPI is the service's part of the OpenAPI 3.1 document: its paths and
// the schemas they use, for the gateway to merge into /api/v1/openapi.json.
//
//go:embed openapi.json
var OpenAPI []byte
