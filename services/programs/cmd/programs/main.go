// Command programs runs the programs service on its own, against NATS_URL and
// MONGODB_URI.
package main

import (
	"github.com/talentbridge/platform/services/programs"
	"github.com/talentbridge/platform/shared/platform"
)

func main() { platform.Main("programs", programs.New) }
