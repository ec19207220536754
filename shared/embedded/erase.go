package embedded

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Erasure has to reach the disk, not only the API. SQLite, left to its
// defaults, keeps what it deletes in two places: in the free space of the
// database file (a deleted row's bytes stay in its page, a freed page keeps
// its old content on the freelist), and in the write-ahead log, whose old
// frames still hold every earlier version of a changed page until the log is
// overwritten, which may take any time.
//
// The embedded store closes both:
//
//   - Every connection FerretDB opens runs PRAGMA secure_delete=ON
//     (erasePragmas, added to its SQLite URL; FerretDB passes the URL's
//     _pragma parameters to the driver for every database file, and the
//     driver runs them on every new connection). SQLite then overwrites
//     deleted content with zeros, in the page and on the freelist. FAST, the
//     cheaper setting, zeroes only what costs no extra I/O and leaves freed
//     pages' content on the freelist, so it does not do.
//   - walTrimmer checkpoints a database with truncation
//     (PRAGMA wal_checkpoint(TRUNCATE)) shortly after a write that removed
//     or replaced something in it, and once more when the store stops: the
//     zeroed pages reach the database file and the log, with every older
//     version of them, is cut to zero bytes.
//
// Both work per database file, whichever service owns it, so a database a
// new service adds is covered without naming it here.

// secureDelete and trimWAL are on except in the tests and the benchmark
// that show what each is for and what it costs.
var secureDelete, trimWAL = true, true

// erasePragmas is the part of FerretDB's SQLite URL (a query string
// continuation) that makes deletes overwrite their content.
func erasePragmas() string {
	if !secureDelete {
		return ""
	}
	return "&_pragma=secure_delete(on)"
}

// removingCommands are the write commands that can remove or overwrite
// stored content; after one of them the database's log is trimmed. An
// insert or a new collection or index only adds.
var removingCommands = map[string]bool{
	"update": true, "delete": true, "findAndModify": true, "drop": true,
	"dropDatabase": true, "dropIndexes": true, "renameCollection": true,
}

// Timing of walTrimmer: a database is trimmed once it has seen no removing
// write for trimQuiet, or trimMaxDelay after the first one even if the
// writes go on, so that a busy database is trimmed too. trimRetryFor bounds
// one trim's retries while readers still pin old log frames; a trim that
// runs out of it is tried again after trimBackoff, doubled after each
// further failure up to trimBackoffMax. Every attempt sorts the whole log
// (SQLite's walMergesort) while holding the database's write lock: during
// a national import, with a long read pinning a log of tens of MiB,
// attempts back to back took a fifth of the CPU and stalled the writes.
const (
	trimTick       = 250 * time.Millisecond
	trimQuiet      = time.Second
	trimMaxDelay   = 10 * time.Second
	trimRetryFor   = 3 * time.Second
	trimBackoff    = 5 * time.Second
	trimBackoffMax = time.Minute
	trimBusyWait   = 1000 // ms, SQLite busy_timeout of the trimming connection
)

// walTrimmer truncates the write-ahead log of each database after the
// writes that may have left erased content in it. It runs one goroutine;
// trims happen one at a time, each on a connection of its own that is closed
// at once (as idindex.go does, so that a dropped database's file is never
// held open).
type walTrimmer struct {
	dir string
	log *slog.Logger
	// lock, when not nil, returns the serializer's write lock of a
	// database: a trim holds it, so FerretDB is not writing meanwhile.
	lock func(db string) *sync.Mutex

	mu    sync.Mutex
	dirty map[string]dirtySince
	fails map[string]int // trims failed in a row, by database

	stop    chan struct{}
	done    chan struct{}
	closing sync.Once
	// trimmed counts completed trims (tests read it).
	trimmed atomic.Int64
}

type dirtySince struct {
	first, last time.Time
	// notBefore delays the next trim after failed ones.
	notBefore time.Time
}

// newWALTrimmer starts the trimmer for the database files in dir. Files
// already there are trimmed soon: a process that stopped without a trim may
// have left erased content in a log.
func newWALTrimmer(dir string, log *slog.Logger, lock func(string) *sync.Mutex) *walTrimmer {
	if !trimWAL {
		return nil
	}
	w := &walTrimmer{dir: dir, log: log, lock: lock, dirty: map[string]dirtySince{}, fails: map[string]int{},
		stop: make(chan struct{}), done: make(chan struct{})}
	for _, db := range w.databases() {
		w.mark(db)
	}
	go w.run()
	return w
}

// note marks the database of a write command that went through if the
// command may have removed something.
func (w *walTrimmer) note(db string, req []byte) {
	name, err := commandName(req)
	if err != nil || !removingCommands[name] || db == "" {
		return
	}
	w.mark(db)
}

func (w *walTrimmer) mark(db string) {
	now := time.Now()
	w.mu.Lock()
	defer w.mu.Unlock()
	d, ok := w.dirty[db]
	if !ok {
		d.first = now
	}
	d.last = now
	w.dirty[db] = d
}

// retryLater marks db for another trim after a failed one, later the
// more trims have failed in a row.
func (w *walTrimmer) retryLater(db string, now time.Time) {
	w.mark(db)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.fails[db]++
	d := w.dirty[db]
	d.notBefore = now.Add(min(trimBackoffMax, trimBackoff<<min(w.fails[db]-1, 8)))
	w.dirty[db] = d
}

// succeeded forgets db's failed trims.
func (w *walTrimmer) succeeded(db string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.fails, db)
}

// due takes the databases whose trim is due off the dirty list.
func (w *walTrimmer) due(now time.Time) []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var dbs []string
	for db, d := range w.dirty {
		if now.Before(d.notBefore) {
			continue
		}
		if now.Sub(d.last) >= trimQuiet || now.Sub(d.first) >= trimMaxDelay {
			dbs = append(dbs, db)
			delete(w.dirty, db)
		}
	}
	sort.Strings(dbs)
	return dbs
}

func (w *walTrimmer) run() {
	defer close(w.done)
	tick := time.NewTicker(trimTick)
	defer tick.Stop()
	for {
		select {
		case <-w.stop:
			return
		case now := <-tick.C:
			for _, db := range w.due(now) {
				if err := w.trim(db, w.lock); err != nil {
					if errors.Is(err, errStopping) {
						return
					}
					w.log.Warn("embedded ferretdb: trim the write-ahead log; will retry", "db", db, "err", err)
					w.retryLater(db, now)
				} else {
					w.succeeded(db)
				}
			}
		}
	}
}

// close stops the trimmer and trims every database once more. The caller
// has stopped all writes through the serializer; FerretDB may still hold
// idle connections, which do not stand in a checkpoint's way.
func (w *walTrimmer) close() {
	w.closing.Do(func() {
		close(w.stop)
		<-w.done
		var errs []error
		for _, db := range w.databases() {
			errs = append(errs, w.trim(db, nil))
		}
		if err := errors.Join(errs...); err != nil {
			w.log.Warn("embedded ferretdb: trim the write-ahead logs at stop", "err", err)
		}
	})
}

// databases lists the database files in the folder, by database name.
func (w *walTrimmer) databases() []string {
	files, _ := filepath.Glob(filepath.Join(w.dir, "*.sqlite"))
	dbs := make([]string, 0, len(files))
	for _, f := range files {
		dbs = append(dbs, strings.TrimSuffix(filepath.Base(f), ".sqlite"))
	}
	return dbs
}

var errStopping = errors.New("stopping")

// trim checkpoints one database and truncates its log, retrying while
// readers pin old frames, for at most trimRetryFor. A database whose file
// is gone (dropped) needs nothing.
func (w *walTrimmer) trim(db string, lock func(string) *sync.Mutex) error {
	file := filepath.Join(w.dir, db+".sqlite")
	if _, err := os.Stat(file); err != nil {
		return nil
	}
	// mode=rw: a file dropped after the Stat is not made again.
	u := url.URL{Scheme: "file", Path: file, OmitHost: true,
		RawQuery: fmt.Sprintf("mode=rw&_pragma=busy_timeout(%d)", trimBusyWait)}
	conn, err := sql.Open("sqlite", u.String())
	if err != nil {
		return fmt.Errorf("trim %s: %w", db, err)
	}
	defer conn.Close()
	deadline := time.Now().Add(trimRetryFor)
	pause := 50 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := checkpoint(conn, db, lock)
		if err == nil {
			w.trimmed.Add(1)
			return nil
		}
		if _, statErr := os.Stat(file); statErr != nil {
			return nil // dropped meanwhile
		}
		if time.Now().Add(pause).After(deadline) {
			return fmt.Errorf("trim %s: %d attempts: %w", db, attempt, err)
		}
		select {
		case <-w.stop:
			if lock != nil { // the final pass in close goes on
				return errStopping
			}
		default:
		}
		time.Sleep(pause)
		pause = min(2*pause, time.Second)
	}
}

// errPinned says a checkpoint could not finish because readers still used
// the log's frames.
var errPinned = errors.New("readers still use the write-ahead log")

func checkpoint(conn *sql.DB, db string, lock func(string) *sync.Mutex) error {
	if lock != nil {
		l := lock(db)
		l.Lock()
		defer l.Unlock()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// busy is 1 when the checkpoint could not complete; the other two
	// columns are the frames in the log and those copied back.
	var busy, frames, copied int
	if err := conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &frames, &copied); err != nil {
		return err
	}
	if busy != 0 {
		return errPinned
	}
	return nil
}
