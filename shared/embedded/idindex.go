package embedded

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // the driver FerretDB itself uses, registered as "sqlite"
)

// FerretDB v1.24 keeps each collection in an SQLite table with one JSON
// column and gives it a unique index on the expression
// _ferretdb_sjson->"_id". Its finds, updates and deletes by _id, though,
// filter on _ferretdb_sjson->'$._id'. SQLite matches an expression index
// only to the same expression, so none of them uses the index: each reads
// and parses every document of the collection (EXPLAIN QUERY PLAN: SCAN).
//
// idIndexer adds an index on the expression FerretDB queries by to every
// collection table, once per table: at start-up for the tables already on
// disk, and after the first write to a collection this process has not seen
// yet. The index is invisible to MongoDB clients (listIndexes reads
// FerretDB's own metadata) and goes with its table when the collection or
// database is dropped.
type idIndexer struct {
	dir string

	mu    sync.Mutex
	known map[string]bool // "db\x00collection" → its table has the index
}

// idExpr is the expression FerretDB's SQLite backend looks documents up by
// (metadata.IDColumn in FerretDB v1.24).
const idExpr = `_ferretdb_sjson->'$._id'`

// idIndexSuffix names the extra index: "<table>" + idIndexSuffix. FerretDB
// names its own indexes "<table>_<index name>", and a MongoDB index name
// cannot contain "$".
const idIndexSuffix = "_$tb_id"

func newIDIndexer(dir string) *idIndexer {
	return &idIndexer{dir: dir, known: map[string]bool{}}
}

// all indexes every collection of every database file in the folder.
func (x *idIndexer) all(ctx context.Context) error {
	files, err := filepath.Glob(filepath.Join(x.dir, "*.sqlite"))
	if err != nil {
		return err
	}
	var errs []error
	for _, f := range files {
		db := strings.TrimSuffix(filepath.Base(f), ".sqlite")
		if err := x.index(ctx, db, ""); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// ensure indexes one collection unless it is known to be indexed already.
// The caller holds the database's write lock, so FerretDB is not writing to
// the file meanwhile.
func (x *idIndexer) ensure(ctx context.Context, db, coll string) error {
	if db == "" || coll == "" {
		return nil
	}
	x.mu.Lock()
	done := x.known[db+"\x00"+coll]
	x.mu.Unlock()
	if done {
		return nil
	}
	return x.index(ctx, db, coll)
}

// forget drops what is known of a collection (or, with coll "", of a whole
// database) after it was dropped or renamed, so that a collection created
// again under the name gets its index too.
func (x *idIndexer) forget(db, coll string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if coll != "" {
		delete(x.known, db+"\x00"+coll)
		return
	}
	for k := range x.known {
		if strings.HasPrefix(k, db+"\x00") {
			delete(x.known, k)
		}
	}
}

// index creates the index on the tables of one collection (coll) or of
// every collection (coll "") of a database. A database or collection that
// does not exist yet is left for a later write.
func (x *idIndexer) index(ctx context.Context, db, coll string) error {
	file := filepath.Join(x.dir, db+".sqlite")
	if _, err := os.Stat(file); err != nil {
		return nil // FerretDB creates the file on the first write
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	// A handle of its own, closed at once: a database dropped later takes
	// its file with it, and a cached handle would point at the old one.
	conn, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("id index %s: %w", db, err)
	}
	defer conn.Close()
	q := `SELECT name, table_name FROM _ferretdb_collections`
	var args []any
	if coll != "" {
		q += ` WHERE name = ?`
		args = append(args, coll)
	}
	rows, err := conn.QueryContext(ctx, q, args...)
	if err != nil {
		if strings.Contains(err.Error(), "no such table") {
			return nil
		}
		return fmt.Errorf("id index %s: %w", db, err)
	}
	type table struct{ coll, name string }
	var tables []table
	for rows.Next() {
		var t table
		if err := rows.Scan(&t.coll, &t.name); err != nil {
			rows.Close()
			return fmt.Errorf("id index %s: %w", db, err)
		}
		tables = append(tables, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("id index %s: %w", db, err)
	}
	for _, t := range tables {
		stmt := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %s ON %s (%s)`,
			quoteIdent(t.name+idIndexSuffix), quoteIdent(t.name), idExpr)
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("id index %s.%s: %w", db, t.coll, err)
		}
		x.mu.Lock()
		x.known[db+"\x00"+t.coll] = true
		x.mu.Unlock()
	}
	return nil
}

// quoteIdent quotes an SQLite identifier.
func quoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}
