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
package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
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

// From encodes envelopes for storage. An envelope without a traceparent
// gets the one of the span in ctx, so the trace of the request that caused
// a change continues through the relay into every consumer. The aggregate
// ids are handed to the relays that watch the events' subjects (Watch), so
// their next kick looks up just those documents.
func From(ctx context.Context, evs ...events.Envelope) ([]Event, error) {
	out := make([]Event, 0, len(evs))
	tp := tracing.TraceParent(ctx)
	for _, ev := range evs {
		if ev.TraceParent == "" {
			ev.TraceParent = tp
		}
		watchers.touch(ev.Type, ev.Subject, ev.ID)
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

// FailpointEnv names a fault for reliability tests to inject:
//
//   - FailpointBeforePublish: the process exits right before publishing an
//     event, as if killed between the store write and the publish;
//   - FailpointAfterPublish: it exits right after the stream acknowledged an
//     event, before the event is marked sent.
//
// Either fires once, and never during the first sweep after start, which is
// the recovery of what an earlier crash left: a test can crash a service
// again and again and still see every event come out.
const (
	FailpointEnv           = "TB_FAILPOINT"
	FailpointBeforePublish = "outbox-before-publish"
	FailpointAfterPublish  = "outbox-after-publish"
)

var (
	metricRelayed = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tb_outbox_relayed_total",
		Help: "Outbox events published and removed from their documents.",
	}, []string{"collection"})
	metricBacklog = promauto.NewGaugeVec(prometheus.GaugeOpts{
		Name: "tb_outbox_backlog",
		Help: "Documents with unpublished events seen by the last sweep.",
	}, []string{"collection"})
)

// watchers routes the aggregate ids of encoded events to the relays that
// publish them.
var watchers = &registry{}

type registry struct {
	mu     sync.Mutex
	relays []*Relay
}

func (g *registry) add(r *Relay) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.relays = append(g.relays, r)
}

func (g *registry) remove(r *Relay) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for i, x := range g.relays {
		if x == r {
			g.relays = append(g.relays[:i], g.relays[i+1:]...)
			return
		}
	}
}

func (g *registry) touch(subject, id, eventID string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, r := range g.relays {
		for _, p := range r.prefixes {
			if strings.HasPrefix(subject, p) {
				r.touch(id, eventID)
				break
			}
		}
	}
}

// DefaultSweepInterval is the period of a watching relay's full sweep.
// Its own writes reach it by kicks; the sweep is there for what a process
// that crashed between its write and its kick left behind, which the
// restarted process's first sweep also finds. On the embedded store a
// sweep reads every document of its collections, so it should be rare.
const DefaultSweepInterval = time.Minute

// relayWorkers is how many documents a relay publishes at once. Each
// document's events stay in order; documents are independent, and waiting
// for one stream acknowledgement at a time would cap the rate at one event
// per round trip.
const relayWorkers = 8

// Relay publishes the outbox events of a set of collections.
type Relay struct {
	pub      Publisher
	log      *slog.Logger
	colls    []*mongo.Collection
	interval time.Duration
	kick     chan struct{}
	failOnce sync.Once
	// recovered is set once the first sweep has finished.
	recovered atomic.Bool
	failpoint string

	// prefixes are the event subjects this relay publishes (Watch);
	// awaited holds, by aggregate id, the events From encoded that this
	// relay has not seen published yet.
	prefixes []string
	idsMu    sync.Mutex
	awaited  map[string]*awaited
}

// awaited are the events of one aggregate a watching relay waits for.
type awaited struct {
	since  time.Time // when From recorded the latest of them
	events map[string]bool
}

// NewRelay watches colls. interval is the period of the full sweep that
// catches anything a kick missed (after a crash, say); zero means
// DefaultSweepInterval.
func NewRelay(pub Publisher, log *slog.Logger, interval time.Duration, colls ...*mongo.Collection) *Relay {
	if interval <= 0 {
		interval = DefaultSweepInterval
	}
	return &Relay{pub: pub, log: log, colls: colls, interval: interval, kick: make(chan struct{}, 1),
		failpoint: os.Getenv(FailpointEnv)}
}

// Watch makes kicks targeted: the events on subjects with one of prefixes
// that From encodes in this process are awaited, and a kick looks up just
// the documents of their aggregates by _id, until each awaited event has
// been published (or missTTL has passed), instead of scanning the
// collections (a scan reads every document on the embedded store; a lookup
// by _id costs the same at any size). The full sweep still runs every
// interval, for what other processes left behind. An aggregate's id must be
// the _id of the document that carries its events.
func (r *Relay) Watch(prefixes ...string) *Relay {
	r.prefixes = append(r.prefixes, prefixes...)
	r.awaited = map[string]*awaited{}
	watchers.add(r)
	return r
}

func (r *Relay) touch(id, eventID string) {
	r.idsMu.Lock()
	defer r.idsMu.Unlock()
	w, ok := r.awaited[id]
	if !ok {
		w = &awaited{events: map[string]bool{}}
		r.awaited[id] = w
	}
	w.since = time.Now()
	w.events[eventID] = true
}

// awaitedIDs returns the aggregates with events still awaited, forgetting
// those whose latest event was encoded longer than missTTL ago.
func (r *Relay) awaitedIDs() []string {
	r.idsMu.Lock()
	defer r.idsMu.Unlock()
	ids := make([]string, 0, len(r.awaited))
	for id, w := range r.awaited {
		if time.Since(w.since) > missTTL {
			delete(r.awaited, id)
			continue
		}
		ids = append(ids, id)
	}
	return ids
}

// published records events that reached the stream.
func (r *Relay) published(docID any, eventIDs []string) {
	id, ok := docID.(string)
	if !ok || r.prefixes == nil {
		return
	}
	r.idsMu.Lock()
	defer r.idsMu.Unlock()
	w, ok := r.awaited[id]
	if !ok {
		return
	}
	for _, e := range eventIDs {
		delete(w.events, e)
	}
	if len(w.events) == 0 {
		delete(r.awaited, id)
	}
}

// missTTL is how long the events From encoded are looked for: From runs
// before the store's write lands, so a lookup can come too early, and a
// slow write can take a while (up to a request's deadline). Events whose
// write failed are given up after it; a write slower than that is left to
// the full sweep.
const missTTL = 30 * time.Second

// Kick asks for a sweep now. Stores call it after every write that added
// events, so events leave within milliseconds rather than at the next tick.
func (r *Relay) Kick() {
	select {
	case r.kick <- struct{}{}:
	default:
	}
}

// Run sweeps on every kick and every interval until ctx ends. A watching
// relay's kick looks up only the touched documents, by _id, however many
// they are: a lookup by _id costs the same whatever the collection's size,
// a sweep grows with it.
func (r *Relay) Run(ctx context.Context) {
	defer watchers.remove(r)
	t := time.NewTicker(r.interval)
	defer t.Stop()
	full := true // the first sweep recovers what a crash left
	for {
		var err error
		if full || r.prefixes == nil {
			_, err = r.Sweep(ctx)
		} else {
			_, err = r.sweepIDs(ctx, r.awaitedIDs())
		}
		if err != nil && ctx.Err() == nil {
			r.log.Warn("outbox sweep", "err", err)
		}
		r.recovered.Store(true)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			full = true
		case <-r.kick:
			full = false
		}
	}
}

// sweepIDs publishes the pending events of the documents with these ids.
// Events that are still awaited afterwards (their write has not landed
// yet) are looked for again shortly.
func (r *Relay) sweepIDs(ctx context.Context, ids []string) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	var (
		mu   sync.Mutex
		errs []error
	)
	total := r.each(ctx, len(ids), func(yield func(func() int)) {
		for _, id := range ids {
			yield(func() int {
				n, err := r.relayID(ctx, id)
				if err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
				return n
			})
		}
	})
	r.idsMu.Lock()
	waiting := len(r.awaited) > 0
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

// relayID publishes the pending events of the document with this id, in
// whichever of the relay's collections holds it.
func (r *Relay) relayID(ctx context.Context, id string) (n int, err error) {
	proj := options.FindOne().SetProjection(bson.D{{Key: Field, Value: 1}, {Key: TombstoneField, Value: 1}})
	for _, c := range r.colls {
		var d pendingDoc
		ferr := c.FindOne(ctx, bson.D{{Key: "_id", Value: id}}, proj).Decode(&d)
		if errors.Is(ferr, mongo.ErrNoDocuments) {
			continue
		}
		if ferr != nil {
			err = errors.Join(err, fmt.Errorf("outbox %s: find %s: %w", c.Name(), id, ferr))
			continue
		}
		if len(d.Outbox) > 0 {
			n += r.relayDoc(ctx, c, d)
		}
	}
	return n, err
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
	filter := bson.D{{Key: Field + ".0", Value: bson.D{{Key: "$exists", Value: true}}}}
	proj := options.Find().SetProjection(bson.D{{Key: Field, Value: 1}, {Key: TombstoneField, Value: 1}}).SetBatchSize(200)
	cur, err := c.Find(ctx, filter, proj)
	if err != nil {
		return 0, fmt.Errorf("outbox %s: find: %w", c.Name(), err)
	}
	var docs []pendingDoc
	if err := cur.All(ctx, &docs); err != nil {
		return 0, fmt.Errorf("outbox %s: read: %w", c.Name(), err)
	}
	metricBacklog.WithLabelValues(c.Name()).Set(float64(len(docs)))
	return r.relay(ctx, c, docs)
}

// relay publishes the pending events of docs and marks them sent.
func (r *Relay) relay(ctx context.Context, c *mongo.Collection, docs []pendingDoc) (int, error) {
	total := r.each(ctx, len(docs), func(yield func(func() int)) {
		for _, d := range docs {
			yield(func() int { return r.relayDoc(ctx, c, d) })
		}
	})
	if ctx.Err() != nil {
		return total, ctx.Err()
	}
	return total, nil
}

// relayDoc publishes one document's pending events in order, marks those
// that went out as sent, deletes the document when it is a tombstone with
// nothing left, and returns how many it published. A failure is logged and
// left for a later sweep.
func (r *Relay) relayDoc(ctx context.Context, c *mongo.Collection, d pendingDoc) int {
	total := 0
	sent, sentIDs, err := r.publishDoc(ctx, d)
	r.published(d.ID, sentIDs)
	if len(sent) > 0 {
		// Remove exactly the stored entries that went out, never "the
		// first n": a write that appended meanwhile, or a second relay,
		// loses nothing. By _id, which the embedded store looks up
		// directly.
		upd := bson.D{{Key: "$pullAll", Value: bson.D{{Key: Field, Value: sent}}}}
		if _, uerr := c.UpdateOne(ctx, bson.D{{Key: "_id", Value: d.ID}}, upd); uerr != nil {
			err = errors.Join(err, fmt.Errorf("mark sent: %w", uerr))
		} else {
			total = len(sent)
		}
	}
	if err == nil && d.Tombstone {
		del := bson.D{{Key: "_id", Value: d.ID}, {Key: TombstoneField, Value: true},
			{Key: Field, Value: bson.D{{Key: "$size", Value: 0}}}}
		if _, derr := c.DeleteOne(ctx, del); derr != nil {
			err = fmt.Errorf("delete tombstone: %w", derr)
		}
	}
	if err != nil && ctx.Err() == nil {
		// The document's later events wait for its first failure to be
		// retried; other documents go on.
		r.log.Warn("outbox relay", "collection", c.Name(), "doc", d.ID, "err", err)
	}
	metricRelayed.WithLabelValues(c.Name()).Add(float64(total))
	return total
}

// publishDoc publishes a document's pending events in order and returns
// the stored entries that went out, and their event ids, stopping at the
// first failure.
func (r *Relay) publishDoc(ctx context.Context, d pendingDoc) (bson.A, []string, error) {
	var sent bson.A
	var ids []string
	for _, raw := range d.Outbox {
		var ev Event
		if err := bson.Unmarshal(raw, &ev); err != nil {
			return sent, ids, fmt.Errorf("decode outbox entry: %w", err)
		}
		r.fail(FailpointBeforePublish, ev.ID)
		if err := r.publish(ctx, ev); err != nil {
			return sent, ids, err
		}
		r.fail(FailpointAfterPublish, ev.ID)
		sent = append(sent, raw)
		ids = append(ids, ev.ID)
	}
	return sent, ids, nil
}

// fail exits the process when the failpoint named point is set, once, and
// not before the first sweep has recovered what an earlier crash left.
func (r *Relay) fail(point, eventID string) {
	if r.failpoint != point || !r.recovered.Load() {
		return
	}
	r.failOnce.Do(func() {
		r.log.Warn("failpoint: exiting", "failpoint", point, "event_id", eventID)
		os.Exit(3)
	})
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
