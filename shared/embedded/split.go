package embedded

import (
	"net"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/x/bsonx/bsoncore"
)

// FerretDB v1 runs the statements of one update command in a loop whose
// query iterators are closed only when the whole command ends (a deferred
// Close inside the loop, handler/msg_update.go). A single-document update
// stops reading after the first match, so its SQLite rows, and the pooled
// connection under them, stay open until then. The pool has 100 connections
// per database: an update command with more statements than that which
// match waits for a connection it holds itself and never ends (a bulk write
// of 300 updates by _id hangs; seen as "99 of 932 approved" in the national
// round of issue 18). mongod has no such limit.
//
// The proxy therefore sends a long update command on in parts of at most
// updatePart statements, one after another, and answers the client once
// with the parts' results put together: counts added up; each upserted id
// at its statement's index when a part upserted every statement that asked
// to (FerretDB itself numbers upserts among themselves, and that numbering
// is kept otherwise); and the first write error, at the index of the first
// statement of its part (FerretDB reports index 0 and no counts for it),
// after which no further part is sent. FerretDB v1 stops an update command
// at its first failing statement whether or not it is ordered, and so does
// the proxy.
const updatePart = 50

// updateInParts sends req on to server in parts when it is an update command
// with more than updatePart statements. split reports whether it did; resp
// is the merged answer (nil when the client asked for none). On a command
// error (ok: 0) that part's answer is returned as the whole one.
func updateInParts(server net.Conn, req []byte) (resp []byte, split bool, err error) {
	m, err := parseOpMsg(req)
	if err != nil {
		return nil, false, nil
	}
	first, err := m.body.IndexErr(0)
	if err != nil || first.Key() != "update" {
		return nil, false, nil
	}
	stmts, inBody := m.statements("updates")
	if len(stmts) <= updatePart {
		return nil, false, nil
	}
	noReply := m.flags&flagMoreToCome != 0
	var (
		n, modified int64
		upserted    [][]byte
		writeErrs   [][]byte
		concernErr  bson.Raw
	)
	for from := 0; from < len(stmts); from += updatePart {
		to := min(len(stmts), from+updatePart)
		part := &wireMsg{requestID: probeSeq.Add(1), flags: m.flags &^ flagChecksum, body: m.body,
			seqs: append([]docSeq(nil), m.seqs...)}
		part.setStatements("updates", stmts[from:to], inBody)
		if _, err := server.Write(part.encode()); err != nil {
			return nil, true, err
		}
		if noReply {
			continue
		}
		raw, err := readMessage(server)
		if err != nil {
			return nil, true, err
		}
		body, err := commandBody(raw)
		if err != nil {
			return nil, true, err
		}
		if ok, _ := body.Lookup("ok").AsFloat64OK(); ok != 1 {
			return answer(m.requestID, body), true, nil
		}
		n += asInt(body.Lookup("n"))
		modified += asInt(body.Lookup("nModified"))
		var asked []int // the statements of the part that may upsert
		for i, st := range stmts[from:to] {
			if up, _ := st.Lookup("upsert").BooleanOK(); up {
				asked = append(asked, from+i)
			}
		}
		ups := documents(body.Lookup("upserted"))
		for k, u := range ups {
			at := len(upserted) // FerretDB's own numbering
			if len(ups) == len(asked) {
				at = asked[k]
			}
			upserted = append(upserted, withIndex(u, at))
		}
		if c, ok := body.Lookup("writeConcernError").DocumentOK(); ok && concernErr == nil {
			concernErr = c
		}
		if errs := documents(body.Lookup("writeErrors")); len(errs) > 0 {
			writeErrs = append(writeErrs, withIndex(errs[0], from))
			break
		}
	}
	if noReply {
		return nil, true, nil
	}
	elems := [][]byte{
		bsoncore.AppendInt32Element(nil, "n", int32(n)),
		bsoncore.AppendInt32Element(nil, "nModified", int32(modified)),
	}
	if len(upserted) > 0 {
		elems = append(elems, bsoncore.AppendArrayElement(nil, "upserted", arrayOf(upserted...)))
	}
	if len(writeErrs) > 0 {
		elems = append(elems, bsoncore.AppendArrayElement(nil, "writeErrors", arrayOf(writeErrs...)))
	}
	if concernErr != nil {
		elems = append(elems, bsoncore.AppendDocumentElement(nil, "writeConcernError", concernErr))
	}
	elems = append(elems, bsoncore.AppendDoubleElement(nil, "ok", 1))
	return answer(m.requestID, docOf(elems...)), true, nil
}

// answer is the reply to request id with body.
func answer(to int32, body bson.Raw) []byte {
	return (&wireMsg{requestID: probeSeq.Add(1), responseTo: to, body: body}).encode()
}

func asInt(v bson.RawValue) int64 {
	if n, ok := v.AsInt64OK(); ok {
		return n
	}
	return 0
}

// documents returns the documents of an array value (upserted,
// writeErrors).
func documents(v bson.RawValue) []bson.Raw {
	arr, ok := v.ArrayOK()
	if !ok {
		return nil
	}
	vals, err := arr.Values()
	if err != nil {
		return nil
	}
	out := make([]bson.Raw, 0, len(vals))
	for _, val := range vals {
		if d, ok := val.DocumentOK(); ok {
			out = append(out, d)
		}
	}
	return out
}

// withIndex returns d with its index set to i.
func withIndex(d bson.Raw, i int) []byte {
	return withField(d, "index", bsoncore.TypeInt32, bsoncore.AppendInt32(nil, int32(i)))
}
