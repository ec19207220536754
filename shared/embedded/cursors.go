package embedded

import (
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/x/bsonx/bsoncore"
)

// FerretDB v1 keeps a cursor open, and with it one of the SQLite pool's
// connections for that database (an open sql.Rows), until the client reads
// it to the end, kills it, or closes the connection it came on. It has no
// idle timeout (mongod closes a cursor after cursorTimeoutMillis, 10
// minutes by default).
//
// The Go driver (v2) keeps a connection whose operation ran out of time in
// its pool and drains the late answer on the next use, so a find that times
// out leaves its cursor open on a connection that lives on, and nobody ever
// learns the cursor's id. Under load, when many reads give up at once, such
// cursors pile up until every pooled SQLite connection of a database is held
// by one and that database stops (seen in the national round of issue 18:
// 100 idle cursors, 47 queries waiting).
//
// cursorReaper gives the embedded store the timeout mongod has: the proxy
// notes each cursor an answer opens and each use of it, and closes (with
// killCursors on its own connection) those idle for longer than idle. The
// platform reads its cursors straight through, so a cursor idle that long
// has been abandoned.
type cursorReaper struct {
	backend string
	idle    time.Duration
	log     *slog.Logger

	mu   sync.Mutex
	open map[int64]*openCursor
	// parked are backend connections whose client has gone but whose
	// cursors have not: each is closed (by its func) once they end.
	parked map[net.Conn]func()

	reaped atomic.Int64
	stop   chan struct{}
	done   chan struct{}
	once   sync.Once
}

type openCursor struct {
	db, coll string
	last     time.Time
	conn     net.Conn // the backend connection that opened it
}

// DefaultCursorIdleTimeout is how long an embedded-store cursor may sit
// unused before the proxy closes it: shorter than mongod's 10 minutes, as
// each open cursor holds one of its database's pooled SQLite connections,
// long enough that a reader doing work between batches keeps its cursor.
const DefaultCursorIdleTimeout = 2 * time.Minute

func newCursorReaper(backend string, idle time.Duration, log *slog.Logger) *cursorReaper {
	if idle <= 0 {
		idle = DefaultCursorIdleTimeout
	}
	r := &cursorReaper{backend: backend, idle: idle, log: log, open: map[int64]*openCursor{}, parked: map[net.Conn]func(){},
		stop: make(chan struct{}), done: make(chan struct{})}
	go r.run()
	return r
}

// cursorCommands open or continue a cursor on a collection's documents
// (listCollections and listIndexes answer in one batch).
var cursorCommands = map[string]bool{"find": true, "aggregate": true, "getMore": true}

// observe notes what a read request sent on server and its (last) answer
// did to cursors.
func (r *cursorReaper) observe(server net.Conn, req, resp []byte) {
	body, first, err := commandOf(req)
	if err != nil {
		return
	}
	cmd := first.Key()
	if cmd == "killCursors" {
		ids, _ := body.Lookup("cursors").ArrayOK()
		vals, _ := ids.Values()
		r.mu.Lock()
		for _, v := range vals {
			if id, ok := v.AsInt64OK(); ok {
				r.forget(id)
			}
		}
		r.mu.Unlock()
		return
	}
	if !cursorCommands[cmd] {
		return
	}
	answer, err := commandBody(resp)
	if err != nil {
		return
	}
	id, _ := answer.Lookup("cursor", "id").AsInt64OK()
	now := time.Now()
	r.mu.Lock()
	defer r.mu.Unlock()
	if cmd == "getMore" {
		asked, _ := first.Value().AsInt64OK()
		if id == 0 {
			r.forget(asked) // read to the end, or an error
		} else if c, ok := r.open[asked]; ok {
			c.last = now
		}
		return
	}
	if id == 0 {
		return
	}
	db, _ := body.Lookup("$db").StringValueOK()
	coll, _ := first.Value().StringValueOK()
	if ns, ok := answer.Lookup("cursor", "ns").StringValueOK(); ok {
		if _, c, found := strings.Cut(ns, "."); found {
			coll = c
		}
	}
	r.open[id] = &openCursor{db: db, coll: coll, last: now, conn: server}
}

// forget drops a cursor that ended and closes its connection if that was
// parked and has no other cursor left. r.mu must be held.
func (r *cursorReaper) forget(id int64) {
	c, ok := r.open[id]
	if !ok {
		return
	}
	delete(r.open, id)
	closeConn, parked := r.parked[c.conn]
	if !parked {
		return
	}
	for _, o := range r.open {
		if o.conn == c.conn {
			return
		}
	}
	delete(r.parked, c.conn)
	go closeConn()
}

// release is called when the client of a backend connection has gone: it
// closes the connection at once (closeConn) unless cursors it opened are
// still open, in which case it does so when the last of them ends (read to
// the end, killed, or closed for idleness).
func (r *cursorReaper) release(server net.Conn, closeConn func()) {
	r.mu.Lock()
	for _, c := range r.open {
		if c.conn == server {
			r.parked[server] = closeConn
			r.mu.Unlock()
			return
		}
	}
	r.mu.Unlock()
	closeConn()
}

func (r *cursorReaper) run() {
	defer close(r.done)
	t := time.NewTicker(max(r.idle/4, 10*time.Millisecond))
	defer t.Stop()
	for {
		select {
		case <-r.stop:
			return
		case now := <-t.C:
			r.reap(now)
		}
	}
}

// reap kills the cursors idle since before now-idle, one killCursors per
// collection.
func (r *cursorReaper) reap(now time.Time) {
	type ns struct{ db, coll string }
	stale := map[ns][]int64{}
	r.mu.Lock()
	var ended []int64
	for id, c := range r.open {
		if now.Sub(c.last) > r.idle {
			stale[ns{c.db, c.coll}] = append(stale[ns{c.db, c.coll}], id)
			ended = append(ended, id)
		}
	}
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		for _, id := range ended {
			r.forget(id)
		}
	}()
	if len(stale) == 0 {
		return
	}
	conn, err := net.DialTimeout("unix", r.backend, 5*time.Second)
	if err != nil {
		r.log.Warn("embedded ferretdb: close idle cursors", "err", err)
		return
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	for n, ids := range stale {
		if err := killCursors(conn, n.db, n.coll, ids); err != nil {
			r.log.Warn("embedded ferretdb: close idle cursors", "db", n.db, "collection", n.coll, "err", err)
			continue
		}
		r.reaped.Add(int64(len(ids)))
		r.log.Info("embedded ferretdb: closed idle cursors", "db", n.db, "collection", n.coll,
			"cursors", len(ids), "idle", r.idle.String())
	}
}

// openCount is how many cursors the proxy knows to be open.
func (r *cursorReaper) openCount() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.open)
}

// close stops the reaper; a second call does nothing.
func (r *cursorReaper) close() {
	r.once.Do(func() { close(r.stop) })
	<-r.done
}

// killCursors sends {killCursors: coll, cursors: ids} and reads the answer.
func killCursors(conn net.Conn, db, coll string, ids []int64) error {
	idx, arr := bsoncore.AppendArrayStart(nil)
	for i, id := range ids {
		arr = bsoncore.AppendInt64Element(arr, fmt.Sprint(i), id)
	}
	arr, _ = bsoncore.AppendArrayEnd(arr, idx)
	cmd := docOf(
		bsoncore.AppendStringElement(nil, "killCursors", coll),
		bsoncore.AppendArrayElement(nil, "cursors", arr),
		bsoncore.AppendStringElement(nil, "$db", db),
	)
	if _, err := conn.Write((&wireMsg{requestID: probeSeq.Add(1), body: cmd}).encode()); err != nil {
		return err
	}
	resp, err := readMessage(conn)
	if err != nil {
		return err
	}
	body, err := commandBody(resp)
	if err != nil {
		return err
	}
	if ok, _ := body.Lookup("ok").AsFloat64OK(); ok != 1 {
		return fmt.Errorf("killCursors: %s", bson.Raw(body))
	}
	return nil
}
