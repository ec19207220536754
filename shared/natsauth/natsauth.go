// Package natsauth says who may do what on the platform's NATS server: one
// NATS user per service, allowed to publish only its own events, to answer
// the request–reply subjects it serves and to ask those it needs. The
// embedded server (shared/embedded) builds its users from Users, and
// deployments/nats/nats.conf states the same rules for docker compose
// (services/standalone/compose_test.go compares the two).
//
// Every user is in one account, so the JetStream streams stay shared
// without account exports and imports: the permissions, not accounts, keep
// a service from publishing another's events.
package natsauth

import (
	"net/url"
	"slices"
	"strings"

	"github.com/talentbridge/platform/shared/events"
)

// User is what one NATS user may do beyond what every user may (Common).
type User struct {
	// Events is the subject of the service's own events, e.g.
	// "tb.profiles.v1.>"; empty for a user that publishes none.
	Events string
	// Stream is the stream that stores Events. Its owner alone may delete
	// messages from it (erasure scrubs earlier snapshots).
	Stream string
	// Serves lists the request–reply subjects the service answers.
	Serves []string
	// Asks lists request–reply subjects of other services it sends
	// requests to.
	Asks []string
}

// Platform is the user of a process's own connection where the services
// of one process each connect as themselves (standalone, --infra-only):
// it creates the streams, follows revocations, asks for the signing keys
// and answers OpenAPI requests, and publishes no event.
const Platform = "platform"

// Users is every NATS user, keyed by service name (the name the process
// runs under and connects with). A new service adds one line here.
var Users = map[string]User{
	// The gateway carries the identity service: its events and its
	// request–reply subjects are "identity".
	"gateway": {Events: "tb.identity.v1.>", Stream: "IDENTITY",
		Serves: []string{"tb.rpc.identity.jwks", "tb.rpc.identity.export"},
		Asks:   []string{"tb.rpc.openapi"}},
	// The profiles service also collects a person's export from the others.
	"profiles": {Events: "tb.profiles.v1.>", Stream: "PROFILES",
		Serves: []string{"tb.rpc.profiles.export"}, Asks: []string{"tb.rpc.*.export"}},
	"programs": {Events: "tb.programs.v1.>", Stream: "PROGRAMS", Serves: []string{"tb.rpc.programs.export"}},
	"matching": {Events: "tb.matching.v1.>", Stream: "MATCHING", Serves: []string{"tb.rpc.matching.export"}},
	// Services being added: uncomment when their stream exists.
	"documents":  {Events: "tb.documents.v1.>", Stream: "DOCUMENTS", Serves: []string{"tb.rpc.documents.export"}},
	"placements": {Events: "tb.placements.v1.>", Stream: "PLACEMENTS", Serves: []string{"tb.rpc.placements.export"}},
	Platform:     {},
}

// Names returns the user names in a stable order.
func Names() []string {
	names := make([]string, 0, len(Users))
	for n := range Users {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Common subjects every user may publish to or subscribe on.
var (
	// commonPublish: the JetStream API (minus what Deny takes away),
	// acknowledgements, dead letters, and the signing keys every process
	// verifies tokens with.
	commonPublish = []string{"$JS.API.>", "$JS.ACK.>", events.DeadLetterPrefix + ">", "tb.rpc.identity.jwks"}
	// commonSubscribe: service discovery of nats micro and the OpenAPI
	// request every process answers. Each user's own inbox is added.
	commonSubscribe = []string{"$SRV.>", "tb.rpc.openapi"}
)

// Permissions is one user's allow and deny lists. Replies to requests the
// user received are allowed besides (nats-server's allow_responses), so no
// user needs to publish to another's inbox.
type Permissions struct {
	PublishAllow, PublishDeny, SubscribeAllow []string
}

// For returns the permissions of user, and false for an unknown user.
func For(user string) (Permissions, bool) {
	u, ok := Users[user]
	if !ok {
		return Permissions{}, false
	}
	var p Permissions
	p.PublishAllow = append(p.PublishAllow, commonPublish...)
	if u.Events != "" {
		p.PublishAllow = append(p.PublishAllow, u.Events)
	}
	p.PublishAllow = append(p.PublishAllow, u.Asks...)
	// No stream may be deleted or purged by a service, and only the
	// owner deletes single messages from its stream.
	p.PublishDeny = []string{"$JS.API.STREAM.DELETE.>", "$JS.API.STREAM.PURGE.>"}
	for _, s := range events.Streams {
		if s.Name != u.Stream {
			p.PublishDeny = append(p.PublishDeny, "$JS.API.STREAM.MSG.DELETE."+s.Name)
		}
	}
	p.SubscribeAllow = append(p.SubscribeAllow, InboxPrefix(user)+".>")
	p.SubscribeAllow = append(p.SubscribeAllow, commonSubscribe...)
	p.SubscribeAllow = append(p.SubscribeAllow, u.Serves...)
	return p, true
}

// InboxPrefix is the reply-subject prefix of user's connections: each user
// reads replies only under its own prefix, so no service can read the
// answers another service asked for (exports carry personal data).
func InboxPrefix(user string) string { return "_INBOX_" + user }

// UserOf returns the user name a NATS URL carries ("" for none), the first
// of a comma-separated list that has one. A URL with a name and no password
// holds a token, not a user, and gives "".
func UserOf(natsURL string) string {
	for _, part := range strings.Split(natsURL, ",") {
		u, err := url.Parse(strings.TrimSpace(part))
		if err != nil || u.User == nil {
			continue
		}
		if _, hasPassword := u.User.Password(); hasPassword && u.User.Username() != "" {
			return u.User.Username()
		}
	}
	return ""
}
