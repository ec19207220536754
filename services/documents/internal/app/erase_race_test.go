package app_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/talentbridge/platform/services/documents/internal/app"
	"github.com/talentbridge/platform/services/documents/internal/domain"
	"github.com/talentbridge/platform/services/documents/internal/mongostore"
	apidocs "github.com/talentbridge/platform/shared/api/documents"
	"github.com/talentbridge/platform/shared/mongotest"
	"github.com/talentbridge/platform/shared/outbox"
)

// pausingReader hands out data and, once half of it is read, runs mid
// (the erasure) before handing out the rest: the upload is in the middle
// of storing the bytes when its owner is erased.
type pausingReader struct {
	data []byte
	off  int
	mid  func()
}

func (r *pausingReader) Read(p []byte) (int, error) {
	half := len(r.data) / 2
	if r.off >= half && r.mid != nil {
		r.mid()
		r.mid = nil
	}
	if r.off >= len(r.data) {
		return 0, io.EOF
	}
	end := len(r.data)
	if r.off < half {
		end = half // never read past the middle in one go
	}
	n := copy(p, r.data[r.off:end])
	r.off += n
	return n, nil
}

func newService(t *testing.T) (*app.Service, func() (docs, files, chunks int64)) {
	t.Helper()
	db := mongotest.DB(t)
	store := mongostore.New(db, outbox.Config{})
	svc := app.New(app.Options{Files: mongostore.NewFiles(db), Documents: store, References: store, Models: store})
	count := func() (docs, files, chunks int64) {
		ctx := context.Background()
		var err1, err2, err3 error
		docs, err1 = db.Collection(mongostore.DocumentsCollection).CountDocuments(ctx, bson.D{})
		files, err2 = db.Collection(mongostore.Bucket+".files").CountDocuments(ctx, bson.D{})
		chunks, err3 = db.Collection(mongostore.Bucket+".chunks").CountDocuments(ctx, bson.D{})
		if err := errors.Join(err1, err2, err3); err != nil {
			t.Fatal(err)
		}
		return docs, files, chunks
	}
	return svc, count
}

func pdf(padding int) []byte {
	head := "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
	tail := "\ntrailer\n<< /Root 1 0 R >>\nstartxref\n9\n%%EOF\n"
	return append(append([]byte(head), bytes.Repeat([]byte{' '}, padding)...), tail...)
}

// An upload whose bytes are still arriving when its owner is erased does
// not survive the erasure, nor does a letter a referee sends meanwhile;
// an upload after the erasure is refused before anything is stored.
func TestAnUploadDuringErasureDoesNotSurviveIt(t *testing.T) {
	svc, count := newService(t)
	ctx := context.Background()
	owner := "applicant-erased-mid-upload"
	if _, err := svc.Upload(ctx, owner, domain.Upload{Kind: apidocs.KindCV, Title: "CV"}, bytes.NewReader(pdf(10))); err != nil {
		t.Fatal(err)
	}
	erased := false
	r := &pausingReader{data: pdf(1 << 20), mid: func() {
		if err := svc.Erase(ctx, owner); err != nil {
			t.Errorf("erase: %v", err)
		}
		erased = true
	}}
	d, err := svc.Upload(ctx, owner, domain.Upload{Kind: apidocs.KindTranscript, Title: "Late transcript"}, r)
	if !erased {
		t.Fatal("the erasure did not run while the upload was being read")
	}
	if !errors.Is(err, domain.ErrOwnerErased) {
		t.Fatalf("upload finished after the erasure = %+v, %v; want ErrOwnerErased", d, err)
	}
	if docs, files, chunks := count(); docs != 0 || files != 0 || chunks != 0 {
		t.Fatalf("after the erasure: %d documents, %d GridFS files, %d chunks; want none", docs, files, chunks)
	}
	_, err = svc.Upload(ctx, owner, domain.Upload{Kind: apidocs.KindCV, Title: "CV again"}, bytes.NewReader(pdf(10)))
	if !errors.Is(err, domain.ErrOwnerErased) {
		t.Fatalf("upload after the erasure: %v, want ErrOwnerErased", err)
	}
	if docs, files, chunks := count(); docs != 0 || files != 0 || chunks != 0 {
		t.Fatalf("after a refused upload: %d documents, %d GridFS files, %d chunks; want none", docs, files, chunks)
	}
	// Someone else is not affected.
	if _, err := svc.Upload(ctx, "someone-else", domain.Upload{Kind: apidocs.KindCV, Title: "CV"}, bytes.NewReader(pdf(10))); err != nil {
		t.Fatalf("another applicant's upload: %v", err)
	}
}
