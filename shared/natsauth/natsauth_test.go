package natsauth

import (
	"slices"
	"strings"
	"testing"

	"github.com/talentbridge/platform/shared/events"
)

// matches reports whether a NATS subject pattern (with * and >) covers
// subject.
func matches(pattern, subject string) bool {
	p, s := strings.Split(pattern, "."), strings.Split(subject, ".")
	for i, tok := range p {
		if tok == ">" {
			return len(s) > i
		}
		if i >= len(s) || (tok != "*" && tok != s[i]) {
			return false
		}
	}
	return len(p) == len(s)
}

func TestMatches(t *testing.T) {
	for _, c := range []struct {
		p, s string
		want bool
	}{{"tb.profiles.v1.>", "tb.profiles.v1.profile.created", true}, {"tb.profiles.v1.>", "tb.profiles.v1", false},
		{"tb.rpc.*.export", "tb.rpc.identity.export", true}, {"tb.rpc.*.export", "tb.rpc.a.b.export", false}} {
		if matches(c.p, c.s) != c.want {
			t.Errorf("matches(%q, %q) != %v", c.p, c.s, c.want)
		}
	}
}

// TestEachStreamHasOneWriter: the subjects of every event stream may be
// published by its owner alone, so a consumer that reads a stream reads
// only what its owner wrote.
func TestEachStreamHasOneWriter(t *testing.T) {
	owned := 0
	for _, s := range events.Streams {
		if s.Name == "DEADLETTER" {
			continue
		}
		for _, subject := range s.Subjects {
			var writers []string
			for _, name := range Names() {
				p, _ := For(name)
				if slices.ContainsFunc(p.PublishAllow, func(a string) bool { return matches(a, subject) }) &&
					!slices.ContainsFunc(p.PublishDeny, func(d string) bool { return matches(d, subject) }) {
					writers = append(writers, name)
				}
			}
			if len(writers) != 1 || Users[writers[0]].Stream != s.Name {
				t.Errorf("%s (stream %s) may be published by %v, want only the stream's owner", subject, s.Name, writers)
			} else {
				owned++
			}
		}
	}
	if owned == 0 {
		t.Fatal("no stream subjects checked")
	}
}

// TestUsersReadOnlyTheirOwnReplies: no user may subscribe to another's
// inbox or the plain _INBOX prefix.
func TestUsersReadOnlyTheirOwnReplies(t *testing.T) {
	for _, name := range Names() {
		p, ok := For(name)
		if !ok {
			t.Fatal(name)
		}
		for _, other := range append(Names(), "") {
			inbox := "_INBOX.x"
			if other != "" {
				inbox = InboxPrefix(other) + ".x"
			}
			may := slices.ContainsFunc(p.SubscribeAllow, func(a string) bool { return matches(a, inbox) })
			if may != (other == name) {
				t.Errorf("%s may subscribe to %s: %v", name, inbox, may)
			}
		}
	}
	if _, ok := For("nobody"); ok {
		t.Error("an unknown user has permissions")
	}
}

func TestUserOf(t *testing.T) {
	for url, want := range map[string]string{
		"nats://profiles:pw@127.0.0.1:4222":                   "profiles",
		"nats://127.0.0.1:4222":                               "",
		"nats://a:4222, nats://gateway:pw@b:4222":             "gateway",
		"nats://s3cr3t-token@127.0.0.1:4222":                  "",
		"tls://matching:p%40ss@nats.nats.svc.cluster.local:1": "matching",
	} {
		if got := UserOf(url); got != want {
			t.Errorf("UserOf(%q) = %q, want %q", url, got, want)
		}
	}
}
