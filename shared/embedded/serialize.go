package embedded

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"

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

	dbMu  sync.Mutex
	locks map[string]*sync.Mutex

	mu    sync.Mutex
	conns map[net.Conn]struct{}
	wg    sync.WaitGroup
}

func newSerializer(addr, backend string, log *slog.Logger) (*serializer, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &serializer{ln: ln, backend: backend, log: log, conns: map[net.Conn]struct{}{}, locks: map[string]*sync.Mutex{}}
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

func (s *serializer) addr() string { return s.ln.Addr().String() }

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
	server, err := net.Dial("tcp", s.backend)
	if err != nil {
		s.log.Warn("embedded ferretdb: dial backend", "err", err)
		return
	}
	s.track(server, true)
	defer s.track(server, false)
	defer server.Close()
	for {
		req, err := readMessage(client)
		if err != nil {
			return
		}
		var lock *sync.Mutex
		if db, write := writeTarget(req); write {
			lock = s.lockFor(db)
			lock.Lock()
		}
		err = s.roundTrip(client, server, req)
		if lock != nil {
			lock.Unlock()
		}
		if err != nil {
			return
		}
	}
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
func (s *serializer) roundTrip(client, server net.Conn, req []byte) error {
	if _, err := server.Write(req); err != nil {
		return err
	}
	if moreToCome(req) {
		return nil // the client asked for no reply
	}
	for {
		resp, err := readMessage(server)
		if err != nil {
			return err
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
	body, err := commandBody(msg)
	if err != nil {
		return "", err
	}
	first, err := body.IndexErr(0)
	if err != nil {
		return "", err
	}
	return first.Key(), nil
}

// commandBody returns the kind-0 section of an OP_MSG: the command document.
func commandBody(msg []byte) (bson.Raw, error) {
	if opCode(msg) != opMsg {
		return nil, errors.New("not OP_MSG")
	}
	// header(16) flags(4) then sections; the body is the kind-0 section.
	b := msg[20:]
	for len(b) > 0 {
		kind := b[0]
		b = b[1:]
		if len(b) < 4 {
			return nil, errors.New("short section")
		}
		size := int(int32(binary.LittleEndian.Uint32(b[:4])))
		if size < 5 || size > len(b) {
			return nil, errors.New("bad section size")
		}
		if kind == 0 {
			doc := bson.Raw(b[:size])
			if err := doc.Validate(); err != nil {
				return nil, err
			}
			return doc, nil
		}
		b = b[size:]
	}
	return nil, errors.New("no body section")
}
