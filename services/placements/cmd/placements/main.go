// Command placements runs the placements service on its own, against
// NATS_URL and MONGODB_URI.
package main

import (
	"github.com/talentbridge/platform/services/placements"
	"github.com/talentbridge/platform/shared/platform"
)

func main() { platform.Main("placements", placements.New) }
