package mongodb_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/description"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/topology"

	"github.com/talentbridge/platform/shared/mongodb"
)

// TestIsTransient feeds IsTransient the error values the driver hands back
// for a replica set between primaries, and for errors that must not be
// retried, wrapped the way the adapters wrap them.
func TestIsTransient(t *testing.T) {
	wce := func(code int, name string) *mongo.WriteConcernError {
		return &mongo.WriteConcernError{Code: code, Name: name, Message: "write concern: " + name}
	}
	dup := mongo.WriteError{Code: 11000, Message: "E11000 duplicate key error"}
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"not found", mongo.ErrNoDocuments, false},
		{"plain error", errors.New("boom"), false},
		{"deadline", context.DeadlineExceeded, true},
		{"network label", mongo.CommandError{Code: 0, Labels: []string{"NetworkError"}}, true},

		{"NotWritablePrimary", mongo.CommandError{Code: 10107, Name: "NotWritablePrimary"}, true},
		{"NotPrimaryNoSecondaryOk", mongo.CommandError{Code: 13435, Name: "NotPrimaryNoSecondaryOk"}, true},
		{"NotPrimaryOrSecondary", mongo.CommandError{Code: 13436, Name: "NotPrimaryOrSecondary"}, true},
		{"PrimarySteppedDown", mongo.CommandError{Code: 189, Name: "PrimarySteppedDown"}, true},
		{"InterruptedDueToReplStateChange", mongo.CommandError{Code: 11602, Name: "InterruptedDueToReplStateChange"}, true},
		{"InterruptedAtShutdown", mongo.CommandError{Code: 11600, Name: "InterruptedAtShutdown"}, true},
		{"ShutdownInProgress", mongo.CommandError{Code: 91, Name: "ShutdownInProgress"}, true},
		{"HostUnreachable", mongo.CommandError{Code: 6, Name: "HostUnreachable"}, true},
		{"HostNotFound", mongo.CommandError{Code: 7, Name: "HostNotFound"}, true},
		{"NetworkTimeout", mongo.CommandError{Code: 89, Name: "NetworkTimeout"}, true},
		{"RetryableWriteError label only", mongo.CommandError{Code: 999, Labels: []string{"RetryableWriteError"}}, true},
		{"TransientTransactionError label", mongo.CommandError{Code: 251, Labels: []string{"TransientTransactionError"}}, true},
		{"wrapped by an adapter", fmt.Errorf("insert profiles p1: %w", mongo.CommandError{Code: 10107}), true},

		{"write concern stepped down", mongo.WriteException{WriteConcernError: wce(189, "PrimarySteppedDown")}, true},
		{"write concern shutting down", mongo.WriteException{WriteConcernError: wce(91, "ShutdownInProgress")}, true},
		{"write exception retryable label", mongo.WriteException{
			WriteConcernError: wce(64, "WriteConcernFailed"), Labels: []string{"RetryableWriteError"}}, true},
		{"bulk write concern not primary", mongo.BulkWriteException{WriteConcernError: wce(10107, "NotWritablePrimary")}, true},
		{"bulk retryable label", mongo.BulkWriteException{Labels: []string{"RetryableWriteError"}}, true},

		{"duplicate key", mongo.WriteException{WriteErrors: mongo.WriteErrors{dup}}, false},
		{"duplicate key in bulk", mongo.BulkWriteException{WriteErrors: []mongo.BulkWriteError{{WriteError: dup}}}, false},
		{"duplicate key command", mongo.CommandError{Code: 11000, Name: "DuplicateKey"}, false},
		{"duplicate key translated", mongodb.Translate(mongo.WriteException{WriteErrors: mongo.WriteErrors{dup}}), false},
		// A write concern not met in time (the write is on the primary, not
		// yet on a majority) or not satisfiable now (too few members up)
		// is the replica set's trouble, not the request's: 503 and retry.
		{"write concern timeout without label", mongo.WriteException{WriteConcernError: wce(64, "WriteConcernFailed")}, true},
		{"write concern unsatisfiable", mongo.WriteException{WriteConcernError: wce(100, "UnsatisfiableWriteConcern")}, true},
		{"bulk write concern timeout", mongo.BulkWriteException{WriteConcernError: wce(64, "WriteConcernFailed")}, true},
		{"write concern failed as a command error", mongo.CommandError{Code: 64, Name: "WriteConcernFailed"}, true},
		{"server selection", topology.ServerSelectionError{Desc: description.Topology{}, Wrapped: errors.New("no primary")}, true},

		// A write concern the set can never meet is a configuration fault.
		{"unknown write concern mode", mongo.WriteException{WriteConcernError: wce(79, "UnknownReplWriteConcern")}, false},
		{"bad value", mongo.CommandError{Code: 2, Name: "BadValue"}, false},
		{"unauthorized", mongo.CommandError{Code: 13, Name: "Unauthorized"}, false},
		{"other label", mongo.CommandError{Code: 2, Labels: []string{"SomethingElse"}}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := mongodb.IsTransient(tc.err); got != tc.want {
				t.Errorf("IsTransient(%v) = %v, want %v", tc.err, got, tc.want)
			}
		})
	}
}
