// Command gateway runs the gateway service on its own, against NATS_URL and
// MONGODB_URI.
package main

import (
	"github.com/talentbridge/platform/services/gateway"
	"github.com/talentbridge/platform/shared/platform"
)

func main() { platform.Main("gateway", gateway.New) }
