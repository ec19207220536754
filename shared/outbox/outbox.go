// Package outbox makes "change the data and publish an event" safe without
// transactions. The events a change causes are stored inside the changed
// document, in the same single-document write (two documents are never
// atomic on FerretDB or a standalone mongod). A Relay then publishes them
// with their id as Nats-Msg-Id, waits for the stream's acknowledgement, and
// only then removes them from the document.
//
// A crash before the publish leaves the events in the document, and the next
// sweep publishes them. A crash after the publish but before the removal
// publishes them again, and JetStream drops the copy because it remembers the
// id. Either way each event reaches the stream exactly once.
//
// A store owns the relay of the collections it writes: it encodes its
// events with the relay's Encode, which tells the relay which documents to
// look up, and wakes it with Kick once the write has landed.
package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/tracing"
)

// Field is the name of the array that holds pending events in an aggregate
// document. Documents embed it as a field Outbox []outbox.Event with the bson name "outbox".
const Field = "outbox"

// TombstoneField marks a document that only exists to carry its last events
// (an erased profile, say). The relay deletes it once they are published.
const TombstoneField = "tombstone"

// Event is one pending event as stored in a document.
type Event struct {
	ID          string `bson:"id"`
	Subject     string `bson:"subject"`
	Data        []byte `bson:"data"`
	TraceParent string `bson:"traceparent,omitempty"`
}

// Encode encodes envelopes for a document of the relay's collections, to
// be stored with the change that caused them (Push, or the document's
// Outbox field). An envelope without a traceparent gets the one of the span
// in ctx, so the trace of the request that caused a change continues
// through the relay into every consumer.
//
// The relay then awaits each encoded event: a kick looks up the documents
// of their aggregates by _id until it has seen each one published (or
// missTTL has passed), instead of scanning the collections (a scan reads
// every document on the embedded store; a lookup by _id costs the same at
// any size). An aggregate's id (the envelope's Subject) must therefore be
// the _id of the document that carries its events. The store that writes
// the events calls Kick once its write has landed.
func (r *Relay) Encode(ctx context.Context, evs ...events.Envelope) ([]Event, error) {
	out := make([]Event, 0, len(evs))
	tp := tracing.TraceParent(ctx)
	for _, ev := range evs {
		if ev.TraceParent == "" {
			ev.TraceParent = tp
		}
		r.touch(ev.Subject, ev.ID)
		data, err := ev.Marshal()
		if err != nil {
			return nil, fmt.Errorf("outbox: encode %s: %w", ev.Type, err)
		}
		out = append(out, Event{ID: ev.ID, Subject: ev.Type, Data: data, TraceParent: ev.TraceParent})
	}
	return out, nil
}

// Push returns the update operator that appends evs to a document's outbox,
// to be merged into the same update as the change itself.
func Push(evs []Event) bson.E {
	return bson.E{Key: "$push", Value: bson.D{{Key: Field, Value: bson.D{{Key: "$each", Value: evs}}}}}
}

// Publisher is what the relay needs from the bus.
type Publisher interface {
	Publish(ctx context.Context, subject, msgID string, data []byte, header nats.Header) (bool, error)
}

var (
	metricRelayed = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tb_outbox_relayed_total",
		Help: "Outbox events published and removed from their documents.",
	}, []string{"collection"})
	metricBacklog = promauto.NewGaugeVec(prometheus.GaugeOpts{
		Name: "tb_outbox_backlog",
		Help: "Documents with unpublished events seen by the last sweep.",
	}, []string{"collection"})
	metricAwaited = promauto.NewGaugeVec(prometheus.GaugeOpts{
		Name: "tb_outbox_awaited",
		Help: "Aggregates whose encoded events the relay (named by its collections) has not seen published yet.",
	}, []string{"relay"})
	metricSweeping = promauto.NewGauge(prometheus.GaugeOpts{
		Name: "tb_outbox_sweeping",
		Help: "Full outbox sweeps under way (each reads every document of a collection).",
	})
)

// DefaultSweepInterval is the period of a relay's full sweep. The writes of
// its store reach it by kicks; the sweep is there for what a process that
// crashed between its write and its kick left behind (another replica's,
// say), which the restarted process's first sweep also finds. On the
// embedded store a sweep reads every document of its collections, so it
// should be rare.
const DefaultSweepInterval = time.Minute

// relayWorkers is how many documents a relay publishes at once. Each
// document's events stay in order; documents are independent, and waiting
// for one stream acknowledgement at a time would cap the rate at one event
// per round trip.
const relayWorkers = 8

// Relay publishes the outbox events of a set of collections. The store
// that writes those collections owns it (see the package comment).
type Relay struct {
	pub      Publisher
	log      *slog.Logger
	colls    []*mongo.Collection
	interval time.Duration
	kick     chan struct{}
	// fail exits the process at a failpoint; a no-op unless built with the
	// failpoints tag (failpoint_on.go).
	fail failpoint

	// awaited holds, by aggregate id, the events Encode encoded that this
	// relay has not seen published yet.
	idsMu   sync.Mutex
	awaited map[string]*awaited
	missTTL time.Duration // missTTL but in tests
	name    string        // its collections, for the metrics

	paused atomic.Int32 // Pause calls not yet resumed
}

// awaited are the events of one aggregate a relay waits for.
type awaited struct {
	since  time.Time // when Encode recorded the latest of them
	looked time.Time // when the latest lookup of the document began
	events []string  // usually one or two
}

// Config is how a relay publishes.
type Config struct {
	// Publisher is the bus; a relay that is never run (a store under
	// test) may go without.
	Publisher Publisher
	Log       *slog.Logger
	// Interval is the period of the full sweep that catches anything a
	// kick missed (after a crash, say); zero means DefaultSweepInterval.
	Interval time.Duration
}

// NewRelay returns the relay of colls, the collections whose documents
// carry the events its owner encodes.
func NewRelay(c Config, colls ...*mongo.Collection) *Relay {
	if c.Interval <= 0 {
		c.Interval = DefaultSweepInterval
	}
	if c.Log == nil {
		c.Log = slog.Default()
	}
	names := make([]string, len(colls))
	for i, c := range colls {
		names[i] = c.Name()
	}
	return &Relay{pub: c.Publisher, log: c.Log, colls: colls, interval: c.Interval,
		kick: make(chan struct{}, 1), fail: newFailpoint(), awaited: map[string]*awaited{},
		missTTL: missTTL, name: strings.Join(names, "+")}
}

func (r *Relay) touch(id, eventID string) {
	r.idsMu.Lock()
	defer r.idsMu.Unlock()
	w, ok := r.awaited[id]
	if !ok {
		w = &awaited{}
		r.awaited[id] = w
	}
	w.since = time.Now()
	if !slices.Contains(w.events, eventID) {
		w.events = append(w.events, eventID)
	}
}

// awaitedIDs returns the aggregates with events still awaited, forgetting
// those that a lookup begun more than missTTL after their latest Encode
// did not find published. An aggregate not looked up since, because the
// relay is behind (a national import writes a million events in
// minutes), is kept: left to the full sweep, its events would wait for it.
func (r *Relay) awaitedIDs() []string {
	r.idsMu.Lock()
	defer r.idsMu.Unlock()
	ids := make([]string, 0, len(r.awaited))
	for id, w := range r.awaited {
		if w.looked.Sub(w.since) > r.missTTL {
			delete(r.awaited, id)
			continue
		}
		ids = append(ids, id)
	}
	metricAwaited.WithLabelValues(r.name).Set(float64(len(r.awaited)))
	return ids
}

// lookedUp records that a lookup of the aggregate's document began at
// began.
func (r *Relay) lookedUp(id string, began time.Time) {
	r.idsMu.Lock()
	defer r.idsMu.Unlock()
	if w, ok := r.awaited[id]; ok {
		w.looked = began
	}
}

// published records events that reached the stream.
func (r *Relay) published(docID any, eventIDs []string) {
	id, ok := docID.(string)
	if !ok {
		return
	}
	r.idsMu.Lock()
	defer r.idsMu.Unlock()
	w, ok := r.awaited[id]
	if !ok {
		return
	}
	w.events = slices.DeleteFunc(w.events, func(e string) bool { return slices.Contains(eventIDs, e) })
	if len(w.events) == 0 {
		delete(r.awaited, id)
	}
}

// missTTL is how long the events Encode encoded are looked for: Encode runs
// before the store's write lands, so a lookup can come too early, and a
// slow write can take a while (up to a request's deadline). Events that a
// lookup begun this long after their Encode does not find (their write
// failed, or landed later still) are left to the full sweep.
const missTTL = 30 * time.Second

// Kick asks the relay to look up the documents of the events it awaits
// now. The owning store calls it after every write that added events, so
// they leave within milliseconds rather than at the next full sweep.
func (r *Relay) Kick() {
	select {
	case r.kick <- struct{}{}:
	default:
	}
}

// Pause holds back the relay's lookups of awaited events until resume is
// called (once is enough; later calls do nothing). A store that writes
// many documents with events in a row, as a national round's run stores
// tens of thousands of proposals, keeps the database's one writer for its
// own writes that way, instead of sharing it with the relay's "mark sent"
// of what it has just written; resume kicks the relay, and the events
// follow at once. Full sweeps go on regardless.
func (r *Relay) Pause() (resume func()) {
	r.paused.Add(1)
	return sync.OnceFunc(func() {
		r.paused.Add(-1)
		r.Kick()
	})
}

// Run sweeps every interval, and first at once, until ctx ends. A kick
// looks up only the documents of awaited events, by _id, however many they
// are: a lookup by _id costs the same whatever the collection's size, a
// sweep grows with it.
//
// A full sweep reads every document of the relay's collections on the
// embedded store (no index on the outbox field): with 400,000 applications
// one took half a minute, and once a minute it kept a core busy and made a
// national round's lease writes time out. So the next full sweep waits at
// least sweepSpacing times as long as the last one took.
func (r *Relay) Run(ctx context.Context) {
	next := time.NewTimer(r.interval)
	defer next.Stop()
	full := true // the first sweep recovers what a crash left
	for {
		var err error
		if full {
			began := time.Now()
			_, err = r.Sweep(ctx)
			next.Reset(max(r.interval, sweepSpacing*time.Since(began)))
		} else if r.paused.Load() == 0 {
			_, err = r.sweepIDs(ctx, r.awaitedIDs())
		}
		if err != nil && ctx.Err() == nil {
			r.log.Warn("outbox sweep", "err", err)
		}
		r.fail.arm()
		select {
		case <-ctx.Done():
			return
		case <-next.C:
			full = true
		case <-r.kick:
			full = false
		}
	}
}

// sweepReadTimeout bounds a full sweep's read of one collection.
const sweepReadTimeout = 10 * time.Minute

// sweepSpacing is how many times as long as a full sweep took the relay
// waits before the next one (see Run).
const sweepSpacing = 20

// sweepIDs publishes the pending events of the documents with these ids.
// Events that are still awaited afterwards (their write has not landed
// yet) are looked for again shortly. The ids go markChunk at a time: each
// document is looked up and published on its own, and the chunk's
// documents are then marked sent in one bulk write per collection.
func (r *Relay) sweepIDs(ctx context.Context, ids []string) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	total := 0
	var errs []error
	for from := 0; from < len(ids) && ctx.Err() == nil && r.paused.Load() == 0; from += markChunk {
		chunk := ids[from:min(len(ids), from+markChunk)]
		var mu sync.Mutex
		found := make([][]sentDoc, len(r.colls))
		r.each(ctx, len(chunk), func(yield func(func() int)) {
			for _, id := range chunk {
				yield(func() int {
					began := time.Now()
					k, d, err := r.relayID(ctx, id)
					r.lookedUp(id, began)
					mu.Lock()
					defer mu.Unlock()
					if err != nil {
						errs = append(errs, err)
					}
					if k >= 0 {
						found[k] = append(found[k], d)
					}
					return 0
				})
			}
		})
		for k, c := range r.colls {
			total += r.markSent(ctx, c, found[k])
		}
	}
	r.idsMu.Lock()
	waiting := len(r.awaited) > 0
	metricAwaited.WithLabelValues(r.name).Set(float64(len(r.awaited)))
	r.idsMu.Unlock()
	if waiting {
		// Look again shortly even if no write kicks us; the writer's own
		// kick after its write comes sooner when it can.
		time.AfterFunc(200*time.Millisecond, r.Kick)
	}
	if len(errs) > 0 {
		// Whatever failed is found by the next full sweep.
		return total, errors.Join(errs...)
	}
	return total, nil
}

// markChunk is how many documents one bulk write marks sent. A national
// rank import stores a million application events; one write per event
// held the embedded store's single writer so long that the relay managed
// about 170 events a second.
const markChunk = 256

// relayID publishes the pending events of the document with this id, in
// whichever of the relay's collections holds it, looking no further once
// one does. It returns that collection's index and what went out, or -1
// when there was nothing to publish.
func (r *Relay) relayID(ctx context.Context, id string) (int, sentDoc, error) {
	proj := options.FindOne().SetProjection(bson.D{{Key: Field, Value: 1}, {Key: TombstoneField, Value: 1}})
	var err error
	for k, c := range r.colls {
		var d pendingDoc
		ferr := c.FindOne(ctx, bson.D{{Key: "_id", Value: id}}, proj).Decode(&d)
		if errors.Is(ferr, mongo.ErrNoDocuments) {
			continue
		}
		if ferr != nil {
			err = errors.Join(err, fmt.Errorf("outbox %s: find %s: %w", c.Name(), id, ferr))
			continue
		}
		// An aggregate's document is in one collection only: the others
		// need not be asked (a national rank import's application events
		// each cost three needless look-ups in matching's four).
		if len(d.Outbox) == 0 {
			return -1, sentDoc{}, err
		}
		return k, r.publishDoc(ctx, d), err
	}
	return -1, sentDoc{}, err
}

// each runs the jobs that jobs yields, relayWorkers at a time, and adds up
// what they return.
func (r *Relay) each(ctx context.Context, n int, jobs func(yield func(func() int))) int {
	var total atomic.Int64
	sem := make(chan struct{}, min(relayWorkers, max(n, 1)))
	var wg sync.WaitGroup
	jobs(func(job func() int) {
		if ctx.Err() != nil {
			return
		}
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			total.Add(int64(job()))
		})
	})
	wg.Wait()
	return int(total.Load())
}

// Sweep publishes every pending event once and reports how many it
// published.
func (r *Relay) Sweep(ctx context.Context) (int, error) {
	total := 0
	var errs []error
	for _, c := range r.colls {
		n, err := r.sweep(ctx, c)
		total += n
		if err != nil {
			errs = append(errs, err)
		}
	}
	return total, errors.Join(errs...)
}

type pendingDoc struct {
	ID        any        `bson:"_id"`
	Outbox    []bson.Raw `bson:"outbox"`
	Tombstone bool       `bson:"tombstone"`
}

func (r *Relay) sweep(ctx context.Context, c *mongo.Collection) (int, error) {
	metricSweeping.Inc()
	defer metricSweeping.Dec()
	filter := bson.D{{Key: Field + ".0", Value: bson.D{{Key: "$exists", Value: true}}}}
	proj := options.Find().SetProjection(bson.D{{Key: Field, Value: 1}, {Key: TombstoneField, Value: 1}}).SetBatchSize(200)
	// The read gets a deadline of its own, longer than the client's
	// per-operation one: on the embedded store the first batch comes only
	// after every document before the first pending one has been read,
	// and behind a million applications that took longer than 10 s, so
	// the sweep failed again and again and the events waited.
	rctx, cancel := context.WithTimeout(ctx, sweepReadTimeout)
	defer cancel()
	cur, err := c.Find(rctx, filter, proj)
	if err != nil {
		return 0, fmt.Errorf("outbox %s: find: %w", c.Name(), err)
	}
	var docs []pendingDoc
	if err := cur.All(rctx, &docs); err != nil {
		return 0, fmt.Errorf("outbox %s: read: %w", c.Name(), err)
	}
	metricBacklog.WithLabelValues(c.Name()).Set(float64(len(docs)))
	return r.relay(ctx, c, docs)
}

// relay publishes the pending events of docs and marks them sent,
// markChunk documents at a time.
func (r *Relay) relay(ctx context.Context, c *mongo.Collection, docs []pendingDoc) (int, error) {
	total := 0
	for from := 0; from < len(docs) && ctx.Err() == nil; from += markChunk {
		chunk := docs[from:min(len(docs), from+markChunk)]
		sent := make([]sentDoc, len(chunk))
		r.each(ctx, len(chunk), func(yield func(func() int)) {
			for i, d := range chunk {
				yield(func() int { sent[i] = r.publishDoc(ctx, d); return 0 })
			}
		})
		total += r.markSent(ctx, c, sent)
	}
	return total, ctx.Err()
}

// sentDoc is what publishing one document's events did: the stored
// entries that went out, in order, and the failure that stopped the rest.
type sentDoc struct {
	id        any
	sent      bson.A
	tombstone bool
	err       error
}

// markSent removes from each document exactly the stored entries that went
// out, never "the first n": a write that appended meanwhile, or a second
// relay, loses nothing. It deletes a tombstone with nothing left, and
// returns how many events it marked. Everything else is left for a later
// sweep, which publishes it again (the stream drops the copies by their
// Nats-Msg-Id), and logged. Documents are found by _id, which the embedded
// store looks up directly.
func (r *Relay) markSent(ctx context.Context, c *mongo.Collection, docs []sentDoc) int {
	var models []mongo.WriteModel
	var at []int // models[j] marks docs[at[j]]
	for i, d := range docs {
		if len(d.sent) > 0 {
			models = append(models, mongo.NewUpdateOneModel().SetFilter(bson.D{{Key: "_id", Value: d.id}}).
				SetUpdate(bson.D{{Key: "$pullAll", Value: bson.D{{Key: Field, Value: d.sent}}}}))
			at = append(at, i)
		}
	}
	marked := make([]bool, len(docs))
	total := 0
	var errs []error
	if len(models) > 0 {
		_, err := c.BulkWrite(ctx, models, options.BulkWrite().SetOrdered(false))
		failed := map[int]bool{}
		if err != nil {
			errs = append(errs, fmt.Errorf("outbox %s: mark sent: %w", c.Name(), err))
			var bwe mongo.BulkWriteException
			if errors.As(err, &bwe) && bwe.WriteConcernError == nil && len(bwe.WriteErrors) > 0 {
				for _, we := range bwe.WriteErrors {
					failed[we.Index] = true
				}
			} else {
				for j := range models {
					failed[j] = true
				}
			}
		}
		for j, i := range at {
			if !failed[j] {
				marked[i] = true
				total += len(docs[i].sent)
			}
		}
	}
	for i, d := range docs {
		if d.err != nil {
			errs = append(errs, fmt.Errorf("outbox %s: doc %v: %w", c.Name(), d.id, d.err))
			continue
		}
		if !d.tombstone || (len(d.sent) > 0 && !marked[i]) {
			continue
		}
		del := bson.D{{Key: "_id", Value: d.id}, {Key: TombstoneField, Value: true},
			{Key: Field, Value: bson.D{{Key: "$size", Value: 0}}}}
		if _, err := c.DeleteOne(ctx, del); err != nil {
			errs = append(errs, fmt.Errorf("outbox %s: delete tombstone %v: %w", c.Name(), d.id, err))
		}
	}
	if err := errors.Join(errs...); err != nil && ctx.Err() == nil {
		// A document's later events wait for its first failure to be
		// retried; other documents go on.
		r.log.Warn("outbox relay", "collection", c.Name(), "err", err)
	}
	metricRelayed.WithLabelValues(c.Name()).Add(float64(total))
	return total
}

// publishDoc publishes a document's pending events in order, stopping at
// the first failure, and notes those that went out as published.
func (r *Relay) publishDoc(ctx context.Context, d pendingDoc) sentDoc {
	out := sentDoc{id: d.ID, tombstone: d.Tombstone}
	var ids []string
	for _, raw := range d.Outbox {
		var ev Event
		if err := bson.Unmarshal(raw, &ev); err != nil {
			out.err = fmt.Errorf("decode outbox entry: %w", err)
			break
		}
		r.fail.at(r.log, FailpointBeforePublish, ev.ID)
		if err := r.publish(ctx, ev); err != nil {
			out.err = err
			break
		}
		r.fail.at(r.log, FailpointAfterPublish, ev.ID)
		out.sent = append(out.sent, raw)
		ids = append(ids, ev.ID)
	}
	r.published(d.ID, ids)
	return out
}

// publish sends one event inside a producer span that continues the trace of
// the request that stored it; the span's own traceparent travels in the
// message header for the consumer to continue.
func (r *Relay) publish(ctx context.Context, ev Event) error {
	ctx, span := tracing.Tracer().Start(tracing.WithParent(ctx, ev.TraceParent), "publish "+ev.Subject,
		trace.WithSpanKind(trace.SpanKindProducer),
		trace.WithAttributes(attribute.String("messaging.system", "nats"),
			attribute.String("messaging.destination.name", ev.Subject),
			attribute.String("messaging.message.id", ev.ID)))
	defer span.End()
	var h nats.Header
	if tp := tracing.TraceParent(ctx); tp != "" {
		h = nats.Header{"traceparent": []string{tp}}
	}
	if _, err := r.pub.Publish(ctx, ev.Subject, ev.ID, ev.Data, h); err != nil {
		span.RecordError(err)
		span.SetStatus(codes.Error, "publish failed")
		return err
	}
	return nil
}
