// Command matching runs the matching service on its own, against NATS_URL and
// MONGODB_URI.
package main

import (
	"github.com/talentbridge/platform/services/matching"
	"github.com/talentbridge/platform/shared/platform"
)

func main() { platform.Main("matching", matching.New) }
