// Package mongodb connects to MongoDB (or FerretDB), creates indexes at
// start-up and translates driver errors into the few the services act on.
//
// Only features that FerretDB v1 and a standalone mongod both support are
// used anywhere in the platform: no transactions, no change streams, no
// $lookup or $facet, no text, TTL or partial indexes.
package mongodb

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/writeconcern"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/topology"
)

// Errors the adapters return in place of driver errors.
var (
	ErrNotFound  = errors.New("not found")
	ErrDuplicate = errors.New("already exists")
)

// OpTimeout bounds every single operation the client sends; a caller's
// shorter context deadline still wins.
const OpTimeout = 10 * time.Second

// Connect opens a client and pings the server once, so a wrong URI fails at
// start-up rather than on the first request.
func Connect(ctx context.Context, uri, appName string) (*mongo.Client, error) {
	c, err := mongo.Connect(ClientOptions(uri, appName))
	if err != nil {
		return nil, fmt.Errorf("connect mongodb: %w", err)
	}
	if err := Ping(ctx, c); err != nil {
		_ = c.Disconnect(context.Background())
		return nil, err
	}
	return c, nil
}

// ClientOptions are the options Connect uses: bounded connect, server
// selection and operations, and — when the URI names a replica set
// (replicaSet=…) and does not choose a write concern itself (w=…) — the
// majority write concern on every write, so an acknowledged write survives
// the loss of the primary that took it. Without a replica set the server's
// default applies (FerretDB and a standalone mongod have no one else to
// wait for).
func ClientOptions(uri, appName string) *options.ClientOptions {
	opts := options.Client().ApplyURI(uri).
		SetAppName(appName).
		SetTimeout(OpTimeout).
		SetConnectTimeout(5 * time.Second).
		SetServerSelectionTimeout(5 * time.Second)
	if opts.ReplicaSet != nil && *opts.ReplicaSet != "" && opts.WriteConcern == nil {
		opts.SetWriteConcern(writeconcern.Majority())
	}
	return opts
}

// Ping checks that the server answers, within two seconds.
func Ping(ctx context.Context, c *mongo.Client) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := c.Ping(ctx, nil); err != nil {
		return fmt.Errorf("ping mongodb: %w", err)
	}
	return nil
}

// Index describes one index a service needs.
type Index struct {
	Collection string
	Keys       bson.D
	Unique     bool
}

// EnsureIndexes creates the indexes; an index that already exists is left as
// it is.
func EnsureIndexes(ctx context.Context, db *mongo.Database, idx []Index) error {
	for _, ix := range idx {
		m := mongo.IndexModel{Keys: ix.Keys, Options: options.Index().SetUnique(ix.Unique)}
		if _, err := db.Collection(ix.Collection).Indexes().CreateOne(ctx, m); err != nil {
			return fmt.Errorf("create index on %s.%s %v: %w", db.Name(), ix.Collection, ix.Keys, err)
		}
	}
	return nil
}

// Translate maps driver errors to ErrNotFound and ErrDuplicate (wrapping the
// original) and passes anything else through.
func Translate(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, mongo.ErrNoDocuments):
		return fmt.Errorf("%w: %v", ErrNotFound, err)
	case mongo.IsDuplicateKeyError(err):
		return fmt.Errorf("%w: %v", ErrDuplicate, err)
	}
	return err
}

// IsDuplicate reports whether err is a duplicate-key error.
func IsDuplicate(err error) bool {
	return errors.Is(err, ErrDuplicate) || mongo.IsDuplicateKeyError(err)
}

// BulkDuplicates returns the indexes, within the batch, of the documents an
// unordered bulk insert refused as duplicate keys, and whether those were
// its only errors. For any other error (or none) it returns false.
func BulkDuplicates(err error) (map[int]bool, bool) {
	var bwe mongo.BulkWriteException
	if !errors.As(err, &bwe) || bwe.WriteConcernError != nil || len(bwe.WriteErrors) == 0 {
		return nil, false
	}
	out := make(map[int]bool, len(bwe.WriteErrors))
	for _, we := range bwe.WriteErrors {
		if we.Code != 11000 {
			return nil, false
		}
		out[we.Index] = true
	}
	return out, true
}

// transientCodes are the server error codes that say "not now" rather than
// "no": the node lost or is losing its primary role in an election, is
// shutting down, or could not reach another member in time. The same
// operation sent again after the replica set settles succeeds. The list is
// the one the driver itself retries writes on (the retryable writes
// specification), under the server's names, plus the two write-concern
// failures a replica set gives while members are away: the write is on the
// primary but not yet on a majority, or a majority is not there to take it.
// Neither is the client's fault; the answer is 503 and a retry, which the
// outbox, version checks and natural keys make safe (a retried create
// answers 409 if the first one had landed after all).
var transientCodes = []int{
	6,     // HostUnreachable
	7,     // HostNotFound
	89,    // NetworkTimeout
	91,    // ShutdownInProgress
	189,   // PrimarySteppedDown
	262,   // ExceededTimeLimit
	64,    // WriteConcernFailed: not on a majority in time (wtimeout)
	100,   // UnsatisfiableWriteConcern: too few members up for it
	9001,  // SocketException
	10107, // NotWritablePrimary
	11600, // InterruptedAtShutdown
	11602, // InterruptedDueToReplStateChange
	13435, // NotPrimaryNoSecondaryOk
	13436, // NotPrimaryOrSecondary
}

// transientLabels are the error labels the server (or the driver) puts on
// an error to say the operation may be tried again as it is.
var transientLabels = []string{"RetryableWriteError", "TransientTransactionError"}

// IsTransient reports whether err is worth retrying: network trouble,
// timeouts, server selection failures, and a replica set between primaries
// (an election or a step-down), whether the server says so with an error
// code, on the write concern, or with a retryable label. A write the server
// refused for what it contains, such as a duplicate key, is not transient.
func IsTransient(err error) bool {
	if err == nil {
		return false
	}
	if mongo.IsNetworkError(err) || mongo.IsTimeout(err) ||
		errors.Is(err, context.DeadlineExceeded) ||
		errors.As(err, new(topology.ServerSelectionError)) {
		return true
	}
	var se mongo.ServerError
	if !errors.As(err, &se) {
		return false
	}
	for _, l := range transientLabels {
		if se.HasErrorLabel(l) {
			return true
		}
	}
	for _, c := range transientCodes {
		if se.HasErrorCode(c) {
			return true
		}
	}
	return false
}

// UpsertVersioned writes doc as the document with the given id unless the
// stored one already has a version at or above version. It reports whether
// the write happened. This is how read models stay idempotent: a repeated
// or older event finds a newer stored version and changes nothing.
//
// It looks the document up by _id first, so that a repeat costs one read;
// a new document is inserted (a racing insert shows as a duplicate key and
// the look-up is repeated); an older one is replaced under the condition
// that it still has the version read, so two writers cannot interleave.
// Every step filters on _id, which every store answers from its index.
func UpsertVersioned(ctx context.Context, coll *mongo.Collection, id any, version int64, versionField string, doc any) (bool, error) {
	const attempts = 5
	proj := options.FindOne().SetProjection(bson.D{{Key: versionField, Value: 1}})
	for range attempts {
		var cur bson.Raw
		err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: id}}, proj).Decode(&cur)
		if errors.Is(err, mongo.ErrNoDocuments) {
			_, err := coll.InsertOne(ctx, doc)
			if mongo.IsDuplicateKeyError(err) {
				continue
			}
			if err != nil {
				return false, fmt.Errorf("insert %s %v: %w", coll.Name(), id, err)
			}
			return true, nil
		}
		if err != nil {
			return false, fmt.Errorf("load %s %v: %w", coll.Name(), id, err)
		}
		stored, ok := cur.Lookup(versionField).AsInt64OK()
		if ok && stored >= version {
			return false, nil
		}
		filter := bson.D{{Key: "_id", Value: id}, {Key: versionField, Value: cur.Lookup(versionField)}}
		if !ok {
			filter = bson.D{{Key: "_id", Value: id}, {Key: versionField, Value: bson.D{{Key: "$exists", Value: false}}}}
		}
		res, err := coll.ReplaceOne(ctx, filter, doc)
		if err != nil {
			return false, fmt.Errorf("replace %s %v: %w", coll.Name(), id, err)
		}
		if res.MatchedCount == 1 {
			return true, nil
		}
	}
	return false, fmt.Errorf("upsert %s %v: the document kept changing", coll.Name(), id)
}
