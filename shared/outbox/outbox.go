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
		watchers.touch(ev.Type, ev.Subject)
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

func (g *registry) touch(subject, id string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, r := range g.relays {
		for _, p := range r.prefixes {
			if strings.HasPrefix(subject, p) {
				r.touch(id)
				break
			}
		}
	}
}

// maxTargeted is the most documents a kick looks up one by one; more than
// that and a full sweep is cheaper.
const maxTargeted = 64

// Relay publishes the outbox events of a set of collections.
type Relay struct {
	pub      Publisher
	log      *slog.Logger
	colls    []*mongo.Collection
	interval time.Duration
	kick     chan struct{}
	failOnce sync.Once
	// recovered is set once the first sweep has finished.
	recovered bool
	failpoint string

	// prefixes are the event subjects this relay publishes (Watch); ids
	// are the aggregates touched since the last targeted sweep.
	prefixes []string
	idsMu    sync.Mutex
	ids      map[string]time.Time // id → when From first recorded it
}

// NewRelay watches colls. interval is the period of the full sweep that
// catches anything a kick missed (after a crash, say); zero means 2s.
func NewRelay(pub Publisher, log *slog.Logger, interval time.Duration, colls ...*mongo.Collection) *Relay {
	if interval <= 0 {
		interval = 2 * time.Second
	}
	return &Relay{pub: pub, log: log, colls: colls, interval: interval, kick: make(chan struct{}, 1),
		failpoint: os.Getenv(FailpointEnv)}
}

// Watch makes kicks targeted: the aggregate ids of events on subjects with
// one of prefixes, encoded by From in this process, are remembered, and a
// kick looks up just those documents by _id instead of scanning the
// collections (a full scan costs ~0.5 s per 10,000 documents on the
// embedded store; a lookup by _id, milliseconds). The full sweep still runs
// every interval, for what other processes left behind. An aggregate's id
// must be the _id of the document that carries its events.
func (r *Relay) Watch(prefixes ...string) *Relay {
	r.prefixes = append(r.prefixes, prefixes...)
	r.ids = map[string]time.Time{}
	watchers.add(r)
	return r
}

func (r *Relay) touch(id string) {
	r.idsMu.Lock()
	if _, ok := r.ids[id]; !ok {
		r.ids[id] = time.Now()
	}
	r.idsMu.Unlock()
}

func (r *Relay) takeIDs() map[string]time.Time {
	r.idsMu.Lock()
	defer r.idsMu.Unlock()
	out := r.ids
	r.ids = make(map[string]time.Time, len(out))
	return out
}

// missTTL is how long an id whose document had nothing pending is looked
// at again: From records an id before the store's write lands, so a sweep
// can look too early, and a slow write can take a while. Later than that,
// the full sweep covers it.
const missTTL = 2 * time.Second

// missed puts back ids whose documents had nothing pending.
func (r *Relay) missed(ids map[string]time.Time) {
	r.idsMu.Lock()
	defer r.idsMu.Unlock()
	for id, at := range ids {
		if _, again := r.ids[id]; !again && time.Since(at) < missTTL {
			r.ids[id] = at
		}
	}
}

// Kick asks for a sweep now. Stores call it after every write that added
// events, so events leave within milliseconds rather than at the next tick.
func (r *Relay) Kick() {
	select {
	case r.kick <- struct{}{}:
	default:
	}
}

// Run sweeps on every kick and every interval until ctx ends. A watching
// relay's kick looks up only the touched documents.
func (r *Relay) Run(ctx context.Context) {
	defer watchers.remove(r)
	t := time.NewTicker(r.interval)
	defer t.Stop()
	full := true // the first sweep recovers what a crash left
	for {
		var err error
		if full || r.prefixes == nil {
			_, err = r.Sweep(ctx)
		} else if ids := r.takeIDs(); len(ids) > maxTargeted {
			// After a bulk write (an import), one scan beats a lookup per
			// document.
			_, err = r.Sweep(ctx)
		} else {
			_, err = r.sweepIDs(ctx, ids)
		}
		if err != nil && ctx.Err() == nil {
			r.log.Warn("outbox sweep", "err", err)
		}
		r.recovered = true
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
func (r *Relay) sweepIDs(ctx context.Context, ids map[string]time.Time) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	total := 0
	var errs []error
	misses := make(map[string]time.Time, len(ids))
	for id, n := range ids {
		misses[id] = n
	}
	for _, c := range r.colls {
		var docs []pendingDoc
		for id := range ids {
			var d pendingDoc
			err := c.FindOne(ctx, bson.D{{Key: "_id", Value: id}}, options.FindOne().SetProjection(
				bson.D{{Key: Field, Value: 1}, {Key: TombstoneField, Value: 1}})).Decode(&d)
			if err == nil && len(d.Outbox) > 0 {
				docs = append(docs, d)
				delete(misses, id)
			} else if err != nil && !errors.Is(err, mongo.ErrNoDocuments) {
				errs = append(errs, err)
			}
		}
		n, err := r.relay(ctx, c, docs)
		total += n
		if err != nil {
			errs = append(errs, err)
		}
	}
	if len(misses) > 0 {
		r.missed(misses)
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
	total := 0
	for _, d := range docs {
		sent, err := r.publishDoc(ctx, d)
		if len(sent) > 0 {
			// Remove exactly the stored entries that went out, never "the
			// first n": a write that appended meanwhile, or a second relay,
			// loses nothing. By _id, which the embedded store looks up
			// directly.
			upd := bson.D{{Key: "$pullAll", Value: bson.D{{Key: Field, Value: sent}}}}
			if _, uerr := c.UpdateOne(ctx, bson.D{{Key: "_id", Value: d.ID}}, upd); uerr != nil {
				err = errors.Join(err, fmt.Errorf("mark sent: %w", uerr))
			} else {
				total += len(sent)
			}
		}
		if err == nil && d.Tombstone {
			del := bson.D{{Key: "_id", Value: d.ID}, {Key: TombstoneField, Value: true},
				{Key: Field, Value: bson.D{{Key: "$size", Value: 0}}}}
			if _, derr := c.DeleteOne(ctx, del); derr != nil {
				err = fmt.Errorf("delete tombstone: %w", derr)
			}
		}
		if err != nil {
			// Keep the order of one document's events: stop at its first
			// failure, but let other documents go on.
			r.log.Warn("outbox relay", "collection", c.Name(), "doc", d.ID, "err", err)
			if ctx.Err() != nil {
				return total, ctx.Err()
			}
		}
	}
	metricRelayed.WithLabelValues(c.Name()).Add(float64(total))
	return total, nil
}

// publishDoc publishes a document's pending events in order and returns the
// stored entries that went out, stopping at the first failure.
func (r *Relay) publishDoc(ctx context.Context, d pendingDoc) (bson.A, error) {
	var sent bson.A
	for _, raw := range d.Outbox {
		var ev Event
		if err := bson.Unmarshal(raw, &ev); err != nil {
			return sent, fmt.Errorf("decode outbox entry: %w", err)
		}
		r.fail(FailpointBeforePublish, ev.ID)
		if err := r.publish(ctx, ev); err != nil {
			return sent, err
		}
		r.fail(FailpointAfterPublish, ev.ID)
		sent = append(sent, raw)
	}
	return sent, nil
}

// fail exits the process when the failpoint named point is set, once, and
// not before the first sweep has recovered what an earlier crash left.
func (r *Relay) fail(point, eventID string) {
	if r.failpoint != point || !r.recovered {
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
