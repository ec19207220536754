package mongostore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/talentbridge/platform/services/documents/internal/app"
	"github.com/talentbridge/platform/services/documents/internal/domain"
)

// Bucket is the GridFS bucket name: collections fs.files and fs.chunks.
const Bucket = "fs"

// ChunkSize of stored files: GridFS's default, 255 KiB, which keeps
// every chunk document far below the 16 MiB limit of both stores.
const ChunkSize = 255 << 10

// Files keeps file bytes in GridFS. A file's GridFS id and name are the
// document id, so fs.files holds no personal strings.
//
// Checked against the embedded FerretDB v1.24 (SQLite): uploads, ranged
// reads by chunk, Delete (files document then chunks) and the driver's
// index creation on fs.files {filename, uploadDate} and the unique
// fs.chunks {files_id, n} all work; see files_test.go and
// docs/OPERATIONS.md.
type Files struct {
	bucket *mongo.GridFSBucket
}

var _ app.Files = (*Files)(nil)

// NewFiles returns the file store of db.
func NewFiles(db *mongo.Database) *Files {
	return &Files{bucket: db.GridFSBucket(options.GridFSBucket().SetName(Bucket).SetChunkSizeBytes(ChunkSize))}
}

// Create implements app.Files.
func (f *Files) Create(ctx context.Context, id string) (app.FileWriter, error) {
	us, err := f.bucket.OpenUploadStreamWithID(ctx, id, id)
	if err != nil {
		return nil, fmt.Errorf("open upload: %w", err)
	}
	return &upload{us: us, files: f, ctx: ctx, id: id}, nil
}

type upload struct {
	us    *mongo.GridFSUploadStream
	files *Files
	ctx   context.Context
	id    string
}

func (u *upload) Write(p []byte) (int, error) { return u.us.Write(p) }

// Commit writes the last chunk and the files document.
func (u *upload) Commit() error {
	if err := u.us.Close(); err != nil {
		return fmt.Errorf("store file: %w", err)
	}
	return nil
}

// Abort deletes whatever of the file was written: the chunks, and the
// files document if a failed Commit got that far. It runs on even when the
// request's context has ended (the client went away mid-upload), so that
// no chunk stays behind.
func (u *upload) Abort() error {
	_ = u.us.Abort() // needs the request's context, which may be over
	ctx, cancel := context.WithTimeout(context.WithoutCancel(u.ctx), 30*time.Second)
	defer cancel()
	return u.files.purge(ctx, u.id)
}

// purge deletes a file's files document and chunks, whichever exist.
func (f *Files) purge(ctx context.Context, id string) error {
	_, err1 := f.bucket.GetFilesCollection().DeleteOne(ctx, bson.D{{Key: "_id", Value: id}})
	_, err2 := f.bucket.GetChunksCollection().DeleteMany(ctx, bson.D{{Key: "files_id", Value: id}})
	if err := errors.Join(err1, err2); err != nil {
		return fmt.Errorf("delete file %s: %w", id, err)
	}
	return nil
}

// Open implements app.Files.
func (f *Files) Open(ctx context.Context, id string) (io.ReadCloser, error) {
	ds, err := f.bucket.OpenDownloadStream(ctx, id)
	if errors.Is(err, mongo.ErrFileNotFound) {
		return nil, domain.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("open file: %w", err)
	}
	return ds, nil
}

// Remove implements app.Files: the files document and every chunk, also
// those of an upload that died before its files document was written.
func (f *Files) Remove(ctx context.Context, id string) error { return f.purge(ctx, id) }
