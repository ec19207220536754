package mongostore_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/talentbridge/platform/services/documents/internal/domain"
	"github.com/talentbridge/platform/services/documents/internal/mongostore"
	"github.com/talentbridge/platform/shared/mongotest"
)

// GridFS against the embedded FerretDB: a file of many chunks goes in and
// comes back byte for byte, the driver's indexes exist, an aborted upload
// and a removed file leave no chunk.
func TestGridFSOnTheEmbeddedStore(t *testing.T) {
	db := mongotest.DB(t)
	files := mongostore.NewFiles(db)
	ctx := context.Background()
	data := make([]byte, 3<<20+17) // 13 chunks, the last one short
	_, _ = rand.Read(data)

	w, err := files.Create(ctx, "doc-1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(w, bytes.NewReader(data)); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	rc, err := files.Open(ctx, "doc-1")
	if err != nil {
		t.Fatal(err)
	}
	back, err := io.ReadAll(rc)
	rc.Close()
	if err != nil || !bytes.Equal(back, data) {
		t.Fatalf("read back %d bytes (err %v), want the %d written", len(back), err, len(data))
	}
	chunks := db.Collection(mongostore.Bucket + ".chunks")
	if n, _ := chunks.CountDocuments(ctx, bson.D{}); n != int64((len(data)+mongostore.ChunkSize-1)/mongostore.ChunkSize) {
		t.Errorf("chunks = %d, want %d", n, (len(data)+mongostore.ChunkSize-1)/mongostore.ChunkSize)
	}
	specs, err := chunks.Indexes().ListSpecifications(ctx)
	if err != nil {
		t.Fatal(err)
	}
	unique := false
	for _, s := range specs {
		if s.Unique != nil && *s.Unique && bytes.Contains(s.KeysDocument, []byte("files_id")) {
			unique = true
		}
	}
	if !unique {
		t.Errorf("fs.chunks indexes = %v, want the unique {files_id, n}", specs)
	}

	// An aborted upload leaves nothing.
	w, err = files.Create(ctx, "doc-2")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data[:1<<20]); err != nil {
		t.Fatal(err)
	}
	if err := w.Abort(); err != nil {
		t.Fatal(err)
	}
	if n, _ := chunks.CountDocuments(ctx, bson.D{{Key: "files_id", Value: "doc-2"}}); n != 0 {
		t.Errorf("chunks of an aborted upload = %d, want 0", n)
	}
	if _, err := files.Open(ctx, "doc-2"); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("Open(aborted) = %v, want ErrNotFound", err)
	}

	if err := files.Remove(ctx, "doc-1"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{".files", ".chunks"} {
		if n, _ := db.Collection(mongostore.Bucket+c).CountDocuments(ctx, bson.D{}); n != 0 {
			t.Errorf("%s after Remove = %d documents, want 0", c, n)
		}
	}
	// Removing again is no error.
	if err := files.Remove(ctx, "doc-1"); err != nil {
		t.Errorf("Remove twice = %v, want nil", err)
	}
}
