// Package mongotest gives tests a real MongoDB wire-protocol server: one
// embedded FerretDB on SQLite per test binary, and a fresh database (or set of
// databases) per test, dropped when the test ends. With TB_TEST_MONGODB_URI
// set, tests run against that server instead, for example a real mongod or
// a replica set (mongodb://h1,h2,h3/?replicaSet=rs0: the clients then write
// with the majority write concern, as the services do; see
// docs/OPERATIONS.md).
package mongotest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/talentbridge/platform/shared/embedded"
	"github.com/talentbridge/platform/shared/mongodb"
)

// EnvURI names the variable that points tests at an outside server.
const EnvURI = "TB_TEST_MONGODB_URI"

var (
	once      sync.Once
	sharedURI string
	startErr  error
)

// URI returns the URI of the server shared by this test binary, starting the
// embedded FerretDB on first use. Its files live in a temporary folder that
// is removed when the process exits normally.
func URI(t testing.TB) string {
	t.Helper()
	once.Do(func() {
		if u := os.Getenv(EnvURI); u != "" {
			sharedURI = u
			return
		}
		dir, err := os.MkdirTemp("", "tb-ferret-*")
		if err != nil {
			startErr = err
			return
		}
		f, err := embedded.StartFerret(embedded.FerretOptions{Dir: dir})
		if err != nil {
			startErr = err
			return
		}
		sharedURI = f.URI()
	})
	if startErr != nil {
		t.Fatalf("start ferretdb: %v", startErr)
	}
	return sharedURI
}

// Client returns a client connected to the shared server, disconnected when
// the test ends.
func Client(t testing.TB) *mongo.Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := mongodb.Connect(ctx, URI(t), "test")
	if err != nil {
		if os.Getenv(EnvURI) != "" {
			t.Fatalf("connect to the server of %s: %v", EnvURI, err)
		}
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { _ = c.Disconnect(context.Background()) })
	return c
}

// Prefix returns a database-name prefix unique to this test. Every database
// whose name starts with it is dropped when the test ends.
func Prefix(t testing.TB) string {
	t.Helper()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	prefix := "t" + hex.EncodeToString(b) + "_"
	uri := URI(t)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := mongodb.Connect(ctx, uri, "test-cleanup")
		if err != nil {
			return
		}
		defer c.Disconnect(ctx)
		names, err := c.ListDatabaseNames(ctx, bson.D{})
		if err != nil {
			return
		}
		for _, n := range names {
			if strings.HasPrefix(n, prefix) {
				_ = c.Database(n).Drop(ctx)
			}
		}
	})
	return prefix
}

// DB returns a fresh database for this test.
func DB(t testing.TB) *mongo.Database {
	t.Helper()
	return Client(t).Database(Prefix(t) + "db")
}
