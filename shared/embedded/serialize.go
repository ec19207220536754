package embedded

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// FerretDB v1 applies an update by querying the matching document and then
// writing the changed one, without a transaction around the two. Two clients
// updating one document at once can therefore both "match" and the later
// write wins: a conditional update is not atomic, and an $inc can be lost.
// MongoDB guarantees single-document atomicity, and the platform's outbox,
// leases and read models rely on it.
//
// serializer restores it for the embedded store: a proxy in front of FerretDB
// that reads whole MongoDB wire-protocol messages and lets only one write
// command per database be in flight at a time. FerretDB keeps each database
// in its own SQLite file, which takes one writer at a time anyway, so little
// throughput is lost.
//
// Reads are never held back. A read cursor can keep an SQLite read
// transaction open between its batches; if its next batch had to wait for a
// write that itself waits for SQLite, neither would move.
type serializer struct {
	ln      net.Listener
	backend string
	log     *slog.Logger

	// ids adds the _id index FerretDB lacks to each new collection
	// (idindex.go); narrow turns conditional writes on one _id into writes
	// SQLite can look up (pushdown.go), and narrowed counts them.
	ids      *idIndexer
	narrow   bool
	narrowed atomic.Int64
	// wal trims each database's write-ahead log after removing writes
	// (erase.go).
	wal *walTrimmer
	// cursors closes cursors left idle (cursors.go).
	cursors *cursorReaper

	dbMu  sync.Mutex
	locks map[string]*sync.Mutex

	mu    sync.Mutex
	conns map[net.Conn]struct{}
	wg    sync.WaitGroup
}

// newSerializer listens on the Unix socket path (mode 0600) and forwards to
// FerretDB's socket backend.
func newSerializer(path, backend string, log *slog.Logger, ids *idIndexer, narrow bool, cursorIdle time.Duration) (*serializer, error) {
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, err
	}
	s := &serializer{ln: ln, backend: backend, log: log, ids: ids, narrow: narrow,
		conns: map[net.Conn]struct{}{}, locks: map[string]*sync.Mutex{}}
	if ids != nil {
		s.wal = newWALTrimmer(ids.dir, log, s.lockFor)
	}
	s.cursors = newCursorReaper(backend, cursorIdle, log)
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

func (s *serializer) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.serve(c)
		}()
	}
}

// close stops accepting, closes every connection and waits for them.
func (s *serializer) close() {
	s.ln.Close()
	s.mu.Lock()
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
	if s.wal != nil {
		s.wal.close()
	}
	s.cursors.close()
}

func (s *serializer) track(c net.Conn, add bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if add {
		s.conns[c] = struct{}{}
	} else {
		delete(s.conns, c)
	}
	return true
}

// Wire protocol constants (MongoDB OP_MSG).
const (
	opMsg          = 2013
	flagMoreToCome = 1 << 1
	maxMessageSize = 48 << 20
)

// writeCommands change data or metadata; they run one at a time.
var writeCommands = map[string]bool{
	"insert": true, "update": true, "delete": true, "findAndModify": true,
	"create": true, "createIndexes": true, "drop": true, "dropDatabase": true,
	"dropIndexes": true, "renameCollection": true,
}

func (s *serializer) serve(client net.Conn) {
	s.track(client, true)
	defer s.track(client, false)
	defer client.Close()
	server, err := net.Dial("unix", s.backend)
	if err != nil {
		s.log.Warn("embedded ferretdb: dial backend", "err", err)
		return
	}
	s.track(server, true)
	// FerretDB ends the cursors a connection opened when that connection
	// closes, though the driver reads them on any of its connections: a
	// backend connection with open cursors outlives its client until they
	// end (cursors.go).
	defer s.cursors.release(server, func() {
		server.Close()
		s.track(server, false)
	})
	for {
		req, err := readMessage(client)
		if err != nil {
			return
		}
		db, write := writeTarget(req)
		if !write {
			if s.narrow {
				var changed bool
				if req, changed = narrowRead(req); changed {
					s.narrowed.Add(1)
				}
			}
			began := time.Now()
			if err := s.roundTrip(client, server, req, func(resp []byte) { s.cursors.observe(server, req, resp) }); err != nil {
				return
			}
			s.noteSlow(req, began)
			continue
		}
		lock := s.lockFor(db)
		lock.Lock()
		began := time.Now()
		if s.narrow {
			var n int
			req, n = narrowWrites(server, db, req)
			s.narrowed.Add(int64(n))
		}
		// The index of a new collection is made before the client hears
		// that its write went through.
		done := func([]byte) {
			if s.ids != nil {
				s.afterWrite(db, req)
			}
			if s.wal != nil {
				s.wal.note(db, req)
			}
		}
		if resp, split, perr := updateInParts(server, req); split {
			err = perr
			if err == nil {
				done(resp)
				if resp != nil {
					_, err = client.Write(resp)
				}
			}
		} else {
			err = s.roundTrip(client, server, req, done)
		}
		lock.Unlock()
		if err != nil {
			return
		}
		s.noteSlow(req, began)
	}
}

// slowCommand is how long a command may take before the proxy logs it
// (at info level): the command, database, collection and the names, never
// the values, of its filter's fields, so an operator can see which query
// reads a whole collection.
const slowCommand = 250 * time.Millisecond

func (s *serializer) noteSlow(req []byte, began time.Time) {
	took := time.Since(began)
	if took < slowCommand {
		return
	}
	body, first, err := commandOf(req)
	if err != nil {
		return
	}
	coll, _ := first.Value().StringValueOK()
	db, _ := body.Lookup("$db").StringValueOK()
	var keys []string
	filter, ok := body.Lookup("filter").DocumentOK()
	if !ok {
		filter, ok = body.Lookup("query").DocumentOK()
	}
	if !ok {
		if m, err := parseOpMsg(req); err == nil {
			for _, field := range []string{"updates", "deletes"} {
				if st, _ := m.statements(field); len(st) > 0 {
					filter, ok = st[0].Lookup("q").DocumentOK()
				}
			}
		}
	}
	if ok {
		elems, _ := filter.Elements()
		for _, e := range elems {
			keys = append(keys, e.Key())
		}
	}
	s.log.Info("embedded ferretdb: slow command", "command", first.Key(), "db", db, "collection", coll,
		"filter_fields", strings.Join(keys, ","), "took_ms", took.Milliseconds())
}

// lockFor returns the write lock of one database.
func (s *serializer) lockFor(db string) *sync.Mutex {
	s.dbMu.Lock()
	defer s.dbMu.Unlock()
	l, ok := s.locks[db]
	if !ok {
		l = &sync.Mutex{}
		s.locks[db] = l
	}
	return l
}

// roundTrip forwards one request and every response message it causes.
// done, unless nil, runs once the server has answered in full (with the
// last message of the answer, or nil when none was asked for) and before
// that message goes to the client.
func (s *serializer) roundTrip(client, server net.Conn, req []byte, done func(last []byte)) error {
	if _, err := server.Write(req); err != nil {
		return err
	}
	if moreToCome(req) {
		if done != nil {
			done(nil)
		}
		return nil // the client asked for no reply
	}
	for {
		resp, err := readMessage(server)
		if err != nil {
			return err
		}
		if done != nil && !moreToCome(resp) {
			done(resp)
		}
		if _, err := client.Write(resp); err != nil {
			return err
		}
		if !moreToCome(resp) {
			return nil
		}
	}
}

func readMessage(r io.Reader) ([]byte, error) {
	var hdr [16]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, err
	}
	n := int(int32(binary.LittleEndian.Uint32(hdr[:4])))
	if n < 16 || n > maxMessageSize {
		return nil, fmt.Errorf("wire message of %d bytes", n)
	}
	msg := make([]byte, n)
	copy(msg, hdr[:])
	if _, err := io.ReadFull(r, msg[16:]); err != nil {
		return nil, err
	}
	return msg, nil
}

func opCode(msg []byte) int32 { return int32(binary.LittleEndian.Uint32(msg[12:16])) }

func moreToCome(msg []byte) bool {
	return opCode(msg) == opMsg && len(msg) >= 20 && binary.LittleEndian.Uint32(msg[16:20])&flagMoreToCome != 0
}

// writeTarget reports whether an OP_MSG request's command (the first key of
// its body section) changes data, and in which database ($db). A message it
// cannot read counts as a write to an unnamed database, the safe side.
func writeTarget(msg []byte) (db string, write bool) {
	body, err := commandBody(msg)
	if err != nil {
		return "", opCode(msg) == opMsg
	}
	first, err := body.IndexErr(0)
	if err != nil || !writeCommands[first.Key()] {
		return "", err != nil
	}
	if v, err := body.LookupErr("$db"); err == nil {
		db, _ = v.StringValueOK()
	}
	return db, true
}

func commandName(msg []byte) (string, error) {
	_, first, err := commandOf(msg)
	if err != nil {
		return "", err
	}
	return first.Key(), nil
}

// commandOf returns an OP_MSG's command document and its first element,
// whose key names the command and whose value is usually the collection.
func commandOf(msg []byte) (bson.Raw, bson.RawElement, error) {
	body, err := commandBody(msg)
	if err != nil {
		return nil, nil, err
	}
	first, err := body.IndexErr(0)
	if err != nil {
		return nil, nil, err
	}
	return body, first, nil
}

// commandBody returns the kind-0 section of an OP_MSG: the command document.
func commandBody(msg []byte) (bson.Raw, error) {
	var body bson.Raw
	err := sections(msg, func(kind byte, sec []byte) (bool, error) {
		if kind != 0 {
			return true, nil
		}
		body = sec
		return false, body.Validate()
	})
	if err != nil {
		return nil, err
	}
	if body == nil {
		return nil, errors.New("no body section")
	}
	return body, nil
}

// sections calls fn with the kind and bytes of each section of an OP_MSG
// (header(16), flags(4), then sections, then an optional checksum) until fn
// says to stop or fails.
func sections(msg []byte, fn func(kind byte, sec []byte) (more bool, err error)) error {
	if len(msg) < 20 || opCode(msg) != opMsg {
		return errors.New("not OP_MSG")
	}
	b := msg[20:]
	if binary.LittleEndian.Uint32(msg[16:20])&flagChecksum != 0 {
		if len(b) < 4 {
			return errors.New("short checksum")
		}
		b = b[:len(b)-4]
	}
	for len(b) > 0 {
		kind := b[0]
		b = b[1:]
		if len(b) < 4 {
			return errors.New("short section")
		}
		size := int(int32(binary.LittleEndian.Uint32(b[:4])))
		if size < 5 || size > len(b) {
			return errors.New("bad section size")
		}
		more, err := fn(kind, b[:size])
		if err != nil || !more {
			return err
		}
		b = b[size:]
	}
	return nil
}

// afterWrite keeps the _id indexes in step with a write command that went
// through: a collection it may have created gets its index, and one it
// dropped or renamed is forgotten. The database's write lock is held.
func (s *serializer) afterWrite(db string, req []byte) {
	body, first, err := commandOf(req)
	if err != nil {
		return
	}
	coll, _ := first.Value().StringValueOK()
	switch first.Key() {
	case "drop":
		s.ids.forget(db, coll)
	case "dropDatabase":
		s.ids.forget(db, "")
	case "renameCollection":
		// Both names are full namespaces ("db.collection").
		for _, ns := range []string{coll, body.Lookup("to").StringValue()} {
			if d, c, ok := strings.Cut(ns, "."); ok {
				s.ids.forget(d, c)
			}
		}
	default:
		if err := s.ids.ensure(context.Background(), db, coll); err != nil {
			s.log.Warn("embedded ferretdb: _id index", "db", db, "collection", coll, "err", err)
		}
	}
}
