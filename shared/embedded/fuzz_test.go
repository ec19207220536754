package embedded

import (
	"bytes"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// FuzzWireMessage feeds the proxy's message handling what any client on
// the loopback port could send: it must never panic, and whatever it
// rewrites must still be a message it can read back.
func FuzzWireMessage(f *testing.F) {
	msg := func(doc bson.D) []byte {
		body, _ := bson.Marshal(doc)
		return (&wireMsg{requestID: 1, body: body}).encode()
	}
	f.Add(msg(bson.D{{Key: "find", Value: "docs"}, {Key: "filter", Value: bson.D{{Key: "_id", Value: "a"}, {Key: "v", Value: 1}}},
		{Key: "projection", Value: bson.D{{Key: "outbox", Value: 0}}}, {Key: "limit", Value: int64(1)}, {Key: "$db", Value: "x"}}))
	f.Add(msg(bson.D{{Key: "aggregate", Value: "docs"}, {Key: "pipeline", Value: bson.A{
		bson.D{{Key: "$match", Value: bson.D{{Key: "_id", Value: "a"}, {Key: "n", Value: bson.D{{Key: "$gt", Value: 1}}}}}},
		bson.D{{Key: "$group", Value: bson.D{{Key: "_id", Value: 1}}}}}}, {Key: "cursor", Value: bson.D{}}, {Key: "$db", Value: "x"}}))
	f.Add(msg(bson.D{{Key: "update", Value: "docs"}, {Key: "updates", Value: bson.A{bson.D{{Key: "q", Value: bson.D{{Key: "_id", Value: "a"}}}}}}, {Key: "$db", Value: "x"}}))
	st, _ := bson.Marshal(bson.D{{Key: "q", Value: bson.D{{Key: "_id", Value: "a"}}}})
	f.Add((&wireMsg{requestID: 2, flags: flagChecksum, body: st, seqs: []docSeq{{id: "updates", docs: []bson.Raw{st}}}}).encode())
	f.Add([]byte{16, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0xDD, 0x07, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = commandName(data)
		_, _ = writeTarget(data)
		m, err := parseOpMsg(data)
		if err == nil {
			again, err := parseOpMsg(m.encode())
			if err != nil {
				t.Fatalf("a message read once does not read again: %v", err)
			}
			if !bytes.Equal(again.body, m.body) || len(again.seqs) != len(m.seqs) {
				t.Fatalf("re-encoding changed the message: %+v, then %+v", m, again)
			}
		}
		out, changed := narrowRead(data)
		if changed {
			if _, err := parseOpMsg(out); err != nil {
				t.Fatalf("narrowRead wrote a message it cannot read: %v", err)
			}
		} else if !bytes.Equal(out, data) {
			t.Fatal("narrowRead changed a message it says it left alone")
		}
	})
}
