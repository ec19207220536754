package embedded

import (
	"bufio"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/natsauth"
)

func startNATS(t *testing.T, dir string) *NATS {
	t.Helper()
	n, err := StartNATS(NATSOptions{StoreDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(n.Stop)
	return n
}

// rawNATS speaks the client protocol by hand, as an outsider with no
// credentials would, and returns the server's first answer after INFO.
func rawNATS(t *testing.T, addr, connect string) string {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	r := bufio.NewReader(c)
	info, err := r.ReadString('\n')
	if err != nil || !strings.HasPrefix(info, "INFO ") {
		t.Fatalf("first line %q, %v", info, err)
	}
	if _, err := c.Write([]byte("CONNECT " + connect + "\r\nPING\r\n")); err != nil {
		t.Fatal(err)
	}
	line, err := r.ReadString('\n')
	if err != nil {
		t.Fatalf("no answer to CONNECT: %v", err)
	}
	return strings.TrimSpace(line)
}

func TestNATSRefusesClientsWithoutCredentials(t *testing.T) {
	n := startNATS(t, t.TempDir())
	for _, connect := range []string{`{}`, `{"verbose":false,"pedantic":false}`, `{"user":"profiles","pass":"guess"}`, `{"user":"tester","pass":""}`} {
		if got := rawNATS(t, n.Addr(), connect); !strings.HasPrefix(got, "-ERR 'Authorization Violation'") {
			t.Errorf("CONNECT %s + PING answered %q, want -ERR 'Authorization Violation'", connect, got)
		}
	}
	if nc, err := nats.Connect("nats://"+n.Addr(), nats.MaxReconnects(0)); err == nil {
		nc.Close()
		t.Error("nats.go connected without credentials")
	}
	// The platform's own users get in.
	for _, user := range natsauth.Names() {
		nc, err := nats.Connect(n.URLFor(user))
		if err != nil {
			t.Fatalf("%s: %v", user, err)
		}
		nc.Close()
	}
	if n.URLFor(TestUser) != "" {
		t.Error("a server without TestUser knows the test user")
	}
}

func TestNATSCredentialsAreMadeOnceAndKeptPrivate(t *testing.T) {
	dir := t.TempDir()
	n := startNATS(t, dir)
	first := n.URLFor("profiles")
	n.Stop()
	fi, err := os.Stat(filepath.Join(dir, CredentialsFile))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("%s mode %v, want 0600", CredentialsFile, fi.Mode().Perm())
	}
	if di, _ := os.Stat(dir); di.Mode().Perm() != 0o700 {
		t.Errorf("store dir mode %v, want 0700", di.Mode().Perm())
	}
	// A file made looser by hand is tightened again at the next start.
	if err := os.Chmod(filepath.Join(dir, CredentialsFile), 0o644); err != nil {
		t.Fatal(err)
	}
	again, err := StartNATS(NATSOptions{StoreDir: dir, Addr: n.Addr()})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Stop()
	if got := again.URLFor("profiles"); got != first {
		t.Errorf("after a restart profiles' URL is %q, want the same %q", got, first)
	}
	if fi, _ := os.Stat(filepath.Join(dir, CredentialsFile)); fi.Mode().Perm() != 0o600 {
		t.Errorf("after a restart the file mode is %v", fi.Mode().Perm())
	}
	nc, err := nats.Connect(first)
	if err != nil {
		t.Fatalf("the URL kept from before the restart: %v", err)
	}
	nc.Close()
}

// violations connects as user and collects the permission errors the
// server reports.
func violations(t *testing.T, n *NATS, user string) (*nats.Conn, chan error) {
	t.Helper()
	errs := make(chan error, 16)
	nc, err := nats.Connect(n.URLFor(user), nats.CustomInboxPrefix(natsauth.InboxPrefix(user)),
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) { errs <- err }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	return nc, errs
}

func expectViolation(t *testing.T, errs chan error, what string) {
	t.Helper()
	select {
	case err := <-errs:
		if !strings.Contains(strings.ToLower(err.Error()), "permissions violation") {
			t.Errorf("%s: %v, want a permissions violation", what, err)
		}
	case <-time.After(3 * time.Second):
		t.Errorf("%s was not refused", what)
	}
}

// TestServicesPublishOnlyTheirOwnEvents is the guarantee consumers rely
// on: an event on a stream's subject can only come from the service that
// owns the stream. Every other service's publish is refused and nothing
// reaches the stream; the owner's is stored.
func TestServicesPublishOnlyTheirOwnEvents(t *testing.T) {
	n := startNATS(t, t.TempDir())
	admin, err := nats.Connect(n.URLFor(natsauth.Platform), nats.CustomInboxPrefix(natsauth.InboxPrefix(natsauth.Platform)))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	js, err := jetstream.New(admin)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, s := range events.Streams {
		if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: s.Name, Subjects: s.Subjects}); err != nil {
			t.Fatal(err)
		}
	}
	count := func(stream string) uint64 {
		st, err := js.Stream(ctx, stream)
		if err != nil {
			t.Fatal(err)
		}
		info, err := st.Info(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return info.State.Msgs
	}
	owners := 0
	for _, user := range natsauth.Names() {
		nc, errs := violations(t, n, user)
		own := natsauth.Users[user].Stream
		for _, s := range events.Streams {
			if s.Name == "DEADLETTER" || s.Name == own {
				continue
			}
			before := count(s.Name)
			if err := nc.Publish(s.Subjects[0], []byte(`{"forged":true}`)); err != nil {
				t.Fatal(err)
			}
			_ = nc.Flush()
			expectViolation(t, errs, user+" publishing "+s.Subjects[0])
			if after := count(s.Name); after != before {
				t.Errorf("%s's forged %s reached %s (%d → %d messages)", user, s.Subjects[0], s.Name, before, after)
			}
		}
		if own == "" {
			continue
		}
		owners++
		ownJS, err := jetstream.New(nc)
		if err != nil {
			t.Fatal(err)
		}
		var subject string
		for _, s := range events.Streams {
			if s.Name == own {
				subject = s.Subjects[0]
			}
		}
		before := count(own)
		if _, err := ownJS.Publish(ctx, subject, []byte(`{}`)); err != nil {
			t.Errorf("%s publishing its own %s: %v", user, subject, err)
		}
		if count(own) != before+1 {
			t.Errorf("%s's own event was not stored in %s", user, own)
		}
		// It may not delete another stream's messages or any stream.
		for _, api := range []string{"$JS.API.STREAM.MSG.DELETE." + otherStream(own), "$JS.API.STREAM.DELETE." + own, "$JS.API.STREAM.PURGE." + own} {
			if err := nc.Publish(api, []byte(`{"seq":1}`)); err != nil {
				t.Fatal(err)
			}
			_ = nc.Flush()
			expectViolation(t, errs, user+" publishing "+api)
		}
	}
	if owners < 4 {
		t.Errorf("%d users own a stream, want at least gateway, profiles, programs and matching", owners)
	}
}

func otherStream(own string) string {
	if own == "IDENTITY" {
		return "PROFILES"
	}
	return "IDENTITY"
}

// TestServicesCannotAnswerOrOverhearOthers: a service cannot take over
// another's request–reply subject, read another's replies, or ask what it
// has no business asking.
func TestServicesCannotAnswerOrOverhearOthers(t *testing.T) {
	n := startNATS(t, t.TempDir())
	nc, errs := violations(t, n, "matching")
	for _, subject := range []string{"tb.rpc.profiles.export", "tb.rpc.identity.jwks", natsauth.InboxPrefix("profiles") + ".>", "_INBOX.>", "tb.profiles.v1.>"} {
		if _, err := nc.SubscribeSync(subject); err != nil {
			t.Fatal(err)
		}
		_ = nc.Flush()
		expectViolation(t, errs, "matching subscribing to "+subject)
	}
	if err := nc.Publish("tb.rpc.profiles.export", []byte(`{"userId":"u1"}`)); err != nil {
		t.Fatal(err)
	}
	_ = nc.Flush()
	expectViolation(t, errs, "matching asking tb.rpc.profiles.export")

	// What it serves works end to end: profiles asks, matching answers
	// on the reply subject it was given.
	sub, err := nc.Subscribe("tb.rpc.matching.export", func(m *nats.Msg) { _ = m.Respond([]byte(`{"ok":true}`)) })
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Unsubscribe()
	_ = nc.Flush()
	asker, askErrs := violations(t, n, "profiles")
	reply, err := asker.Request("tb.rpc.matching.export", []byte(`{"userId":"u1"}`), 3*time.Second)
	if err != nil {
		t.Fatalf("profiles asking matching: %v", err)
	}
	if string(reply.Data) != `{"ok":true}` || !strings.HasPrefix(reply.Subject, natsauth.InboxPrefix("profiles")+".") {
		t.Errorf("reply %q on %s", reply.Data, reply.Subject)
	}
	select {
	case err := <-askErrs:
		t.Errorf("profiles: %v", err)
	case err := <-errs:
		t.Errorf("matching: %v", err)
	default:
	}
}

func TestFerretListensOnlyOnAPrivateSocket(t *testing.T) {
	dir := t.TempDir()
	f, err := StartFerret(FerretOptions{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Stop()
	if !strings.HasPrefix(f.URI(), "mongodb://%2F") {
		t.Errorf("URI %s is not a socket", f.URI())
	}
	if uri, err := MongoURI(dir); err != nil || uri != f.URI() {
		t.Errorf("MongoURI(dir) = %q, %v; want %q", uri, err, f.URI())
	}
	sockets, _ := socketDir(dir)
	if fi, err := os.Stat(sockets); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("socket folder: %v, %v; want mode 0700", fi.Mode(), err)
	}
	for _, s := range []string{backendSock, proxySock} {
		fi, err := os.Lstat(filepath.Join(sockets, s))
		if err != nil || fi.Mode()&os.ModeSocket == 0 || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, %v; want a socket with mode 0600", s, fi.Mode(), err)
		}
	}
	writeAndRead(t, f.URI(), "first")
}

// TestFerretSocketPathFitsALongDir: a store deep in a long folder still
// gets a socket path under the kernel's limit, the same one after a
// restart, and keeps its data.
func TestFerretSocketPathFitsALongDir(t *testing.T) {
	dir := t.TempDir()
	for len(dir) < 160 {
		dir = filepath.Join(dir, "a-rather-long-folder-name")
	}
	f, err := StartFerret(FerretOptions{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	sockets, _ := socketDir(dir)
	if p := filepath.Join(sockets, proxySock); len(p) > maxSocketPath {
		t.Errorf("socket path %s is %d bytes", p, len(p))
	}
	t.Cleanup(func() { _ = os.RemoveAll(sockets) })
	writeAndRead(t, f.URI(), "before")
	first := f.URI()
	f.Stop()
	f2, err := StartFerret(FerretOptions{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer f2.Stop()
	if f2.URI() != first {
		t.Errorf("after a restart the URI is %s, was %s", f2.URI(), first)
	}
	c := client(t, f2.URI())
	n, err := c.Database("sock").Collection("docs").CountDocuments(context.Background(), bson.D{{Key: "_id", Value: "before"}})
	if err != nil || n != 1 {
		t.Errorf("after a restart: %d documents, %v", n, err)
	}
}

func client(t *testing.T, uri string) *mongo.Client {
	t.Helper()
	c, err := mongo.Connect(options.Client().ApplyURI(uri).SetServerSelectionTimeout(10 * time.Second))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Disconnect(context.Background()) })
	return c
}

func writeAndRead(t *testing.T, uri, id string) {
	t.Helper()
	ctx := context.Background()
	coll := client(t, uri).Database("sock").Collection("docs")
	if _, err := coll.InsertOne(ctx, bson.D{{Key: "_id", Value: id}}); err != nil {
		t.Fatal(err)
	}
	if n, err := coll.CountDocuments(ctx, bson.D{{Key: "_id", Value: id}}); err != nil || n != 1 {
		t.Errorf("read back %d, %v", n, err)
	}
}
