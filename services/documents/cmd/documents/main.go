// Command documents runs the documents service on its own, against
// NATS_URL and MONGODB_URI.
package main

import (
	"github.com/talentbridge/platform/services/documents"
	"github.com/talentbridge/platform/shared/platform"
)

func main() { platform.Main("documents", documents.New) }
