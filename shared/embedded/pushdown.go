package embedded

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync/atomic"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/x/bsonx/bsoncore"
)

// FerretDB v1 hands a filter to SQLite only when it is exactly {_id: <string
// or ObjectID>}. Any other filter, even {_id: "x", version: {$lt: 3}}, reads
// and decodes every document of the collection, and the conditional writes
// the platform relies on (versioned read models, revisions, leases, the
// outbox's tombstones) all look like that: their cost grows with the
// collection.
//
// The serializer holds a database's write lock around each write command,
// so nothing else can change a document between two commands it sends
// while holding it. narrowWrites uses that: for each statement of an
// update, delete or findAndModify whose filter names one _id and more, it
// first asks FerretDB whether that one document matches the whole filter:
//
//	aggregate [{$match: {_id: X}}, {$match: <the rest>}, {$limit: 1}, {$project: {_id: 1}}]
//
// (FerretDB pushes a leading {_id} $match down to SQLite and evaluates the
// rest on the one document it finds, with the same matcher a find uses).
// Then it forwards the statement with the filter {_id: X} when the document
// matches, or with {_id: <a new ObjectID>}, which matches nothing, when it
// does not. Either way the result is what the original filter gives, at the
// cost of two lookups by _id instead of a scan.
//
// Statements it leaves alone: an upsert whose filter matched nothing (the
// new document is built from the filter's equality conditions), an update
// that uses the positional operator "$" (its meaning depends on the
// filter), and any statement it cannot read.

// probeSeq numbers the requests the proxy sends on its own.
var probeSeq atomic.Int32

func init() { probeSeq.Store(1 << 30) }

// narrowWrites returns req with the filters of its conditional write
// statements on one _id narrowed as above, and how many it narrowed. It
// must be called with the database's write lock held. On any error it
// returns req unchanged.
func narrowWrites(server net.Conn, db string, req []byte) ([]byte, int) {
	m, err := parseOpMsg(req)
	if err != nil || m.flags&flagChecksum != 0 {
		return req, 0
	}
	first, err := m.body.IndexErr(0)
	if err != nil {
		return req, 0
	}
	coll, ok := first.Value().StringValueOK()
	if !ok {
		return req, 0
	}
	p := prober{conn: server, db: db, coll: coll}
	narrowed := 0
	switch first.Key() {
	case "update", "delete":
		field := map[string]string{"update": "updates", "delete": "deletes"}[first.Key()]
		stmts, inBody := m.statements(field)
		changed := false
		for i, st := range stmts {
			filter, upsert, upd := statementParts(first.Key(), st)
			if nf := p.narrow(filter, upsert, upd); nf != nil {
				stmts[i] = withField(st, "q", bsoncore.TypeEmbeddedDocument, nf)
				changed = true
				narrowed++
			}
		}
		if !changed {
			return req, 0
		}
		m.setStatements(field, stmts, inBody)
	case "findAndModify":
		filter := lookupDoc(m.body, "query")
		upsert, _ := m.body.Lookup("upsert").BooleanOK()
		upd := m.body.Lookup("update")
		if hasPositional(lookupDoc(m.body, "fields")) {
			return req, 0
		}
		nf := p.narrow(filter, upsert, upd)
		if nf == nil {
			return req, 0
		}
		m.body = withField(m.body, "query", bsoncore.TypeEmbeddedDocument, nf)
		narrowed = 1
	default:
		return req, 0
	}
	return m.encode(), narrowed
}

// statementParts returns a statement's filter, upsert flag and update.
func statementParts(cmd string, st bson.Raw) (filter bson.Raw, upsert bool, upd bson.RawValue) {
	filter = lookupDoc(st, "q")
	if cmd == "update" {
		upsert, _ = st.Lookup("upsert").BooleanOK()
		upd = st.Lookup("u")
	}
	return filter, upsert, upd
}

func lookupDoc(doc bson.Raw, key string) bson.Raw {
	d, _ := doc.Lookup(key).DocumentOK()
	return d
}

// prober asks FerretDB about single documents of one collection.
type prober struct {
	conn     net.Conn
	db, coll string
}

// narrow returns the filter to send in place of filter, or nil to keep it.
func (p prober) narrow(filter bson.Raw, upsert bool, upd bson.RawValue) bson.Raw {
	id, rest, ok := splitID(filter)
	if !ok {
		return nil
	}
	if upd.Type == bson.TypeArray { // an update pipeline: leave it to FerretDB
		return nil
	}
	if doc, isDoc := upd.DocumentOK(); isDoc && hasPositional(doc) {
		return nil
	}
	matched, err := p.matches(id, rest)
	if err != nil {
		return nil
	}
	switch {
	case matched:
		return docOf(id)
	case upsert:
		// The upsert inserts. When no document has this _id and the
		// inserted document takes nothing from the rest of the filter,
		// the filter {_id} alone inserts the same document, and FerretDB
		// looks the _id up instead of reading the whole collection (a
		// read model's versioned upsert of a new entry did that for every
		// entry, so imports slowed as the collection grew).
		if takesFromFilter(rest, upd) {
			return nil
		}
		exists, err := p.matches(id, docOf())
		if err != nil || exists {
			return nil // a duplicate _id: FerretDB reports it as before
		}
		return docOf(id)
	default:
		none := bson.NewObjectID()
		return docOf(bsoncore.AppendObjectIDElement(nil, "_id", none))
	}
}

// takesFromFilter reports whether a document an upsert inserts may take
// fields from the filter besides _id: an update with operators ($set, ...)
// copies the filter's equality conditions into it, a replacement does not.
// A filter of operator conditions only ({version: {$lt: 3}}) gives nothing;
// anything else, a top-level $and or $or included, counts as giving.
func takesFromFilter(rest bson.Raw, upd bson.RawValue) bool {
	doc, ok := upd.DocumentOK()
	if !ok {
		return true
	}
	first, err := doc.IndexErr(0)
	if err != nil || !strings.HasPrefix(first.Key(), "$") {
		return err != nil // a replacement takes only the _id
	}
	elems, err := rest.Elements()
	if err != nil {
		return true
	}
	for _, e := range elems {
		if strings.HasPrefix(e.Key(), "$") {
			return true
		}
		cond, ok := e.Value().DocumentOK()
		if !ok {
			return true
		}
		ops, err := cond.Elements()
		if err != nil || len(ops) == 0 {
			return true
		}
		for _, op := range ops {
			if !strings.HasPrefix(op.Key(), "$") || op.Key() == "$eq" {
				return true
			}
		}
	}
	return false
}

// splitID splits a filter into its _id element, when that is a plain string
// or ObjectID, and a document of everything else, which must not be empty.
func splitID(filter bson.Raw) (id bsoncore.Element, rest bson.Raw, ok bool) {
	if filter == nil {
		return nil, nil, false
	}
	elems, err := bsoncore.Document(filter).Elements()
	if err != nil {
		return nil, nil, false
	}
	var others []bsoncore.Element
	for _, e := range elems {
		if e.Key() == "_id" {
			switch e.Value().Type {
			case bsoncore.TypeString, bsoncore.TypeObjectID:
				id = e
				continue
			default:
				return nil, nil, false
			}
		}
		others = append(others, e)
	}
	if id == nil || len(others) == 0 {
		return nil, nil, false
	}
	raw := make([][]byte, len(others))
	for i, e := range others {
		raw[i] = e
	}
	return id, docOf(raw...), true
}

// hasPositional reports whether an update document (or projection) uses the
// positional operator "$" in a field path.
func hasPositional(doc bson.Raw) bool {
	if doc == nil {
		return false
	}
	elems, err := doc.Elements()
	if err != nil {
		return true
	}
	for _, e := range elems {
		if positional(e.Key()) {
			return true
		}
		if sub, ok := e.Value().DocumentOK(); ok && strings.HasPrefix(e.Key(), "$") && hasPositional(sub) {
			return true
		}
	}
	return false
}

func positional(path string) bool {
	for _, part := range strings.Split(path, ".") {
		if part == "$" {
			return true
		}
	}
	return false
}

// matches reports whether the document with the given _id matches rest.
func (p prober) matches(id bsoncore.Element, rest bson.Raw) (bool, error) {
	pipeline := arrayOf(
		stage("$match", docOf(id)),
		stage("$match", rest),
		docOf(bsoncore.AppendInt32Element(nil, "$limit", 1)),
		stage("$project", docOf(bsoncore.AppendInt32Element(nil, "_id", 1))),
	)
	cmd := docOf(
		bsoncore.AppendStringElement(nil, "aggregate", p.coll),
		bsoncore.AppendArrayElement(nil, "pipeline", pipeline),
		bsoncore.AppendDocumentElement(nil, "cursor", docOf()),
		bsoncore.AppendStringElement(nil, "$db", p.db),
	)
	req := (&wireMsg{requestID: probeSeq.Add(1), body: cmd}).encode()
	if _, err := p.conn.Write(req); err != nil {
		return false, err
	}
	resp, err := readMessage(p.conn)
	if err != nil {
		return false, err
	}
	body, err := commandBody(resp)
	if err != nil {
		return false, err
	}
	if ok, _ := body.Lookup("ok").AsFloat64OK(); ok != 1 {
		return false, fmt.Errorf("probe failed: %s", body)
	}
	batch, ok := body.Lookup("cursor", "firstBatch").ArrayOK()
	if !ok {
		return false, errors.New("probe: no cursor in the answer")
	}
	vals, err := batch.Values()
	if err != nil {
		return false, err
	}
	return len(vals) > 0, nil
}

// stage builds the aggregation stage {key: v}.
func stage(key string, v []byte) []byte {
	return docOf(bsoncore.AppendDocumentElement(nil, key, v))
}

// docOf builds a document from elements.
func docOf(elems ...[]byte) bson.Raw {
	idx, b := bsoncore.AppendDocumentStart(nil)
	for _, e := range elems {
		b = append(b, e...)
	}
	b, _ = bsoncore.AppendDocumentEnd(b, idx)
	return b
}

// arrayOf builds an array of documents.
func arrayOf(docs ...[]byte) []byte {
	idx, b := bsoncore.AppendArrayStart(nil)
	for i, d := range docs {
		b = bsoncore.AppendDocumentElement(b, fmt.Sprint(i), d)
	}
	b, _ = bsoncore.AppendArrayEnd(b, idx)
	return b
}

// withField returns doc with the value of key replaced.
func withField(doc bson.Raw, key string, t bsoncore.Type, value []byte) bson.Raw {
	elems, _ := bsoncore.Document(doc).Elements()
	out := make([][]byte, 0, len(elems))
	for _, e := range elems {
		if e.Key() == key {
			out = append(out, bsoncore.AppendValueElement(nil, key, bsoncore.Value{Type: t, Data: value}))
			continue
		}
		out = append(out, e)
	}
	return docOf(out...)
}

// Wire protocol: an OP_MSG taken apart and put together again.

const flagChecksum = 1 << 0

type wireMsg struct {
	requestID  int32
	responseTo int32
	flags      uint32
	body       bson.Raw
	seqs       []docSeq
}

// docSeq is a kind-1 section: a named sequence of documents (the driver
// sends the statements of an insert, update or delete this way).
type docSeq struct {
	id   string
	docs []bson.Raw
}

func parseOpMsg(msg []byte) (*wireMsg, error) {
	if len(msg) < 21 || opCode(msg) != opMsg {
		return nil, errors.New("not OP_MSG")
	}
	m := &wireMsg{
		requestID:  int32(binary.LittleEndian.Uint32(msg[4:8])),
		responseTo: int32(binary.LittleEndian.Uint32(msg[8:12])),
		flags:      binary.LittleEndian.Uint32(msg[16:20]),
	}
	err := sections(msg, func(kind byte, sec []byte) (bool, error) {
		switch kind {
		case 0:
			doc := bson.Raw(sec)
			if err := doc.Validate(); err != nil {
				return false, err
			}
			m.body = doc
		case 1:
			rest := sec[4:]
			end := bytes.IndexByte(rest, 0)
			if end < 0 {
				return false, errors.New("bad sequence name")
			}
			seq := docSeq{id: string(rest[:end])}
			rest = rest[end+1:]
			for len(rest) > 0 {
				doc, r, ok := bsoncore.ReadDocument(rest)
				if !ok {
					return false, errors.New("bad document in sequence")
				}
				seq.docs = append(seq.docs, bson.Raw(doc))
				rest = r
			}
			m.seqs = append(m.seqs, seq)
		default:
			return false, fmt.Errorf("section kind %d", kind)
		}
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	if m.body == nil {
		return nil, errors.New("no body section")
	}
	return m, nil
}

// encode writes the message without a checksum.
func (m *wireMsg) encode() []byte {
	b := make([]byte, 20, 20+len(m.body)+1)
	binary.LittleEndian.PutUint32(b[4:8], uint32(m.requestID))
	binary.LittleEndian.PutUint32(b[8:12], uint32(m.responseTo))
	binary.LittleEndian.PutUint32(b[12:16], opMsg)
	binary.LittleEndian.PutUint32(b[16:20], m.flags&^flagChecksum)
	b = append(b, 0)
	b = append(b, m.body...)
	for _, s := range m.seqs {
		b = append(b, 1)
		start := len(b)
		b = append(b, 0, 0, 0, 0)
		b = append(b, s.id...)
		b = append(b, 0)
		for _, d := range s.docs {
			b = append(b, d...)
		}
		binary.LittleEndian.PutUint32(b[start:], uint32(len(b)-start))
	}
	binary.LittleEndian.PutUint32(b[0:4], uint32(len(b)))
	return b
}

// statements returns the documents of a command's statement list, from its
// kind-1 section if it has one, else from the body's array; inBody says
// which.
func (m *wireMsg) statements(field string) (docs []bson.Raw, inBody bool) {
	for _, s := range m.seqs {
		if s.id == field {
			return append([]bson.Raw(nil), s.docs...), false
		}
	}
	arr, ok := m.body.Lookup(field).ArrayOK()
	if !ok {
		return nil, true
	}
	vals, err := arr.Values()
	if err != nil {
		return nil, true
	}
	for _, v := range vals {
		d, ok := v.DocumentOK()
		if !ok {
			return nil, true
		}
		docs = append(docs, d)
	}
	return docs, true
}

func (m *wireMsg) setStatements(field string, docs []bson.Raw, inBody bool) {
	if !inBody {
		for i := range m.seqs {
			if m.seqs[i].id == field {
				m.seqs[i].docs = docs
			}
		}
		return
	}
	raw := make([][]byte, len(docs))
	for i, d := range docs {
		raw[i] = d
	}
	m.body = withField(m.body, field, bsoncore.TypeArray, arrayOf(raw...))
}

// Reads need no probe: a find whose filter names one _id and more becomes
// the aggregation [{$match: {_id: X}}, {$match: <the rest>}, ...], whose
// leading stage FerretDB hands to SQLite, and an aggregation whose first
// $match is such a filter is split the same way. Both answer with the same
// cursor document a find does.

// findKeys are the find options narrowRead can carry over; a find with any
// other option is left alone.
var findKeys = map[string]bool{
	"find": true, "filter": true, "projection": true, "sort": true, "skip": true, "limit": true,
	"batchSize": true, "singleBatch": true, "maxTimeMS": true, "comment": true,
	"lsid": true, "$db": true, "$readPreference": true, "$clusterTime": true, "readConcern": true,
}

// narrowRead returns req with a filter on one _id and more split as above,
// and whether it changed it.
func narrowRead(req []byte) ([]byte, bool) {
	m, err := parseOpMsg(req)
	if err != nil || m.flags&flagChecksum != 0 || len(m.seqs) > 0 {
		return req, false
	}
	first, err := m.body.IndexErr(0)
	if err != nil {
		return req, false
	}
	switch first.Key() {
	case "find":
		body, ok := findAsAggregate(m.body)
		if !ok {
			return req, false
		}
		m.body = body
	case "aggregate":
		body, ok := splitFirstMatch(m.body)
		if !ok {
			return req, false
		}
		m.body = body
	default:
		return req, false
	}
	return m.encode(), true
}

func findAsAggregate(body bson.Raw) (bson.Raw, bool) {
	elems, err := body.Elements()
	if err != nil {
		return nil, false
	}
	var id bsoncore.Element
	var rest bson.Raw
	var coll string
	var skip, limit int64
	var projection bson.Raw
	var keep [][]byte // options that carry over as they are
	cursor := docOf()
	for _, e := range elems {
		k := e.Key()
		if !findKeys[k] {
			return nil, false
		}
		v := e.Value()
		switch k {
		case "find":
			s, ok := v.StringValueOK()
			if !ok {
				return nil, false
			}
			coll = s
		case "filter":
			d, ok := v.DocumentOK()
			if !ok {
				return nil, false
			}
			if id, rest, ok = splitID(d); !ok {
				return nil, false
			}
		case "projection":
			d, ok := v.DocumentOK()
			if !ok || !plainProjection(d) {
				return nil, false
			}
			if len(d) > 5 {
				projection = d
			}
		case "sort", "singleBatch":
			// At most one document matches, so order does not matter, and
			// it always fits the first batch.
		case "skip", "limit":
			n, ok := v.AsInt64OK()
			if !ok {
				return nil, false
			}
			if n < 0 {
				n = -n
			}
			if k == "skip" {
				skip = n
			} else {
				limit = n
			}
		case "batchSize":
			n, ok := v.AsInt64OK()
			if !ok {
				return nil, false
			}
			cursor = docOf(bsoncore.AppendInt64Element(nil, "batchSize", n))
		default:
			keep = append(keep, []byte(e))
		}
	}
	if coll == "" || id == nil {
		return nil, false
	}
	stages := [][]byte{stage("$match", docOf(id)), stage("$match", rest)}
	if skip > 0 {
		stages = append(stages, docOf(bsoncore.AppendInt64Element(nil, "$skip", skip)))
	}
	if limit > 0 {
		stages = append(stages, docOf(bsoncore.AppendInt64Element(nil, "$limit", limit)))
	}
	if projection != nil {
		stages = append(stages, stage("$project", projection))
	}
	out := [][]byte{
		bsoncore.AppendStringElement(nil, "aggregate", coll),
		bsoncore.AppendArrayElement(nil, "pipeline", arrayOf(stages...)),
		bsoncore.AppendDocumentElement(nil, "cursor", cursor),
	}
	return docOf(append(out, keep...)...), true
}

// plainProjection reports whether a projection only includes or excludes
// fields (no operators, no positional "$"), which $project reads the same.
func plainProjection(d bson.Raw) bool {
	elems, err := d.Elements()
	if err != nil {
		return false
	}
	for _, e := range elems {
		if strings.HasPrefix(e.Key(), "$") || positional(e.Key()) {
			return false
		}
		switch e.Value().Type {
		case bson.TypeInt32, bson.TypeInt64, bson.TypeDouble, bson.TypeBoolean:
		default:
			return false
		}
	}
	return true
}

// splitFirstMatch splits an aggregation's leading {$match: {_id: X, ...}}
// in two.
func splitFirstMatch(body bson.Raw) (bson.Raw, bool) {
	pipeline, ok := body.Lookup("pipeline").ArrayOK()
	if !ok {
		return nil, false
	}
	stages, err := pipeline.Values()
	if err != nil || len(stages) == 0 {
		return nil, false
	}
	first, ok := stages[0].DocumentOK()
	if !ok {
		return nil, false
	}
	elems, err := first.Elements()
	if err != nil || len(elems) != 1 || elems[0].Key() != "$match" {
		return nil, false
	}
	match, ok := elems[0].Value().DocumentOK()
	if !ok {
		return nil, false
	}
	id, rest, ok := splitID(match)
	if !ok {
		return nil, false
	}
	out := [][]byte{stage("$match", docOf(id)), stage("$match", rest)}
	for _, s := range stages[1:] {
		d, ok := s.DocumentOK()
		if !ok {
			return nil, false
		}
		out = append(out, d)
	}
	return withField(body, "pipeline", bsoncore.TypeArray, arrayOf(out...)), true
}
