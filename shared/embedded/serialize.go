package embedded

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
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
// command be in flight at a time (reads share). SQLite allows one writer at a
// time anyway, so little throughput is lost.
type serializer struct {
	ln      net.Listener
	backend string
	log     *slog.Logger
	lock    sync.RWMutex

	mu    sync.Mutex
	conns map[net.Conn]struct{}
	wg    sync.WaitGroup
}

func newSerializer(addr, backend string, log *slog.Logger) (*serializer, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &serializer{ln: ln, backend: backend, log: log, conns: map[net.Conn]struct{}{}}
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
		write := isWrite(req)
		if write {
			s.lock.Lock()
		} else {
			s.lock.RLock()
		}
		err = s.roundTrip(client, server, req)
		if write {
			s.lock.Unlock()
		} else {
			s.lock.RUnlock()
		}
		if err != nil {
			return
		}
	}
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

// isWrite reports whether an OP_MSG request's command (the first key of its
// body section) changes data. Anything it cannot read counts as a write,
// which is the safe side.
func isWrite(msg []byte) bool {
	name, err := commandName(msg)
	if err != nil {
		return opCode(msg) == opMsg
	}
	return writeCommands[name]
}

func commandName(msg []byte) (string, error) {
	if opCode(msg) != opMsg {
		return "", errors.New("not OP_MSG")
	}
	// header(16) flags(4) then sections; the body is the kind-0 section.
	b := msg[20:]
	for len(b) > 0 {
		kind := b[0]
		b = b[1:]
		if len(b) < 4 {
			return "", errors.New("short section")
		}
		size := int(int32(binary.LittleEndian.Uint32(b[:4])))
		if size < 5 || size > len(b) {
			return "", errors.New("bad section size")
		}
		if kind == 0 {
			doc := b[4:size]
			if len(doc) < 2 {
				return "", errors.New("empty body")
			}
			// doc[0] is the first element's type; its name follows.
			end := bytes.IndexByte(doc[1:], 0)
			if end < 0 {
				return "", errors.New("unterminated name")
			}
			return string(doc[1 : 1+end]), nil
		}
		b = b[size:]
	}
	return "", errors.New("no body section")
}
