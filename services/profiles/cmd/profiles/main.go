// Command profiles runs the profiles service on its own, against NATS_URL and
// MONGODB_URI.
package main

import (
	"github.com/talentbridge/platform/services/profiles"
	"github.com/talentbridge/platform/shared/platform"
)

func main() { platform.Main("profiles", profiles.New) }
