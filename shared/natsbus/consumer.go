package natsbus

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/tracing"
)

// Handler processes one event. Returning nil acknowledges it. An error
// wrapping events.ErrMalformed or made with Permanent sends the message to
// the dead-letter stream at once; any other error is taken as transient and
// the message is redelivered after a delay, up to MaxDeliver times.
//
// Handlers must be idempotent: a message can arrive again after a crash or a
// lost acknowledgement.
type Handler func(ctx context.Context, ev events.Envelope) error

// Consumer describes one durable consumer.
type Consumer struct {
	// Service that owns the consumer; defaults to the bus's service. In
	// standalone mode one bus serves every service, so each names itself.
	Service string
	// Name of the handler; the durable consumer is "<Service>-<Name>".
	Name string
	// Stream to read and the subjects within it; no subjects means all.
	Stream   string
	Subjects []string
	// MaxDeliver is how many deliveries a message gets before it is
	// dead-lettered. Default 5.
	MaxDeliver int
	// AckWait is how long the server waits for an answer before it
	// redelivers; long handlers are kept alive with InProgress. Default 30s.
	AckWait time.Duration
	// Backoff gives the delay before delivery n+1 after n failed ones.
	// Default: 200ms doubling, at most 10s.
	Backoff func(delivered int) time.Duration
	// Concurrency is how many messages are handled at once (default 1).
	// The events of one aggregate (the envelope's subject) always go to
	// the same worker, so they are handled one after another in stream
	// order; only events of different aggregates overlap. Use it where
	// handlers touch one aggregate each, like versioned read models.
	Concurrency int
	Handle      Handler
}

type permanentError struct{ err error }

func (p permanentError) Error() string { return p.err.Error() }
func (p permanentError) Unwrap() error { return p.err }

// Permanent marks err as not worth retrying.
func Permanent(err error) error { return permanentError{err} }

func isPermanent(err error) bool {
	var p permanentError
	return errors.As(err, &p) || errors.Is(err, events.ErrMalformed)
}

func defaultBackoff(n int) time.Duration {
	d := 200 * time.Millisecond << min(n-1, 6)
	return min(d, 10*time.Second)
}

// Subscription is a running consumer.
type Subscription struct {
	stream  string
	durable string
	cc      jetstream.ConsumeContext
	workers *workers // nil when messages are handled as they arrive
}

// Stop drains the consumer: no new messages are fetched, and those being
// handled finish.
func (s *Subscription) Stop(ctx context.Context) error {
	s.cc.Drain()
	select {
	case <-s.cc.Closed():
	case <-ctx.Done():
		s.cc.Stop()
		s.workers.stop()
		return fmt.Errorf("drain %s: %w", s.durable, ctx.Err())
	}
	if !s.workers.wait(ctx) {
		return fmt.Errorf("drain %s: %w", s.durable, ctx.Err())
	}
	return nil
}

// workers hand messages to a fixed set of goroutines, each aggregate's to
// the same one.
type workers struct {
	queues  []chan func()
	closing chan struct{}
	done    sync.WaitGroup
	once    sync.Once
}

// workerQueue is how many messages wait for each worker; with the pull
// buffer it bounds what a consumer holds unacknowledged.
const workerQueue = 4

func newWorkers(n int) *workers {
	w := &workers{queues: make([]chan func(), n), closing: make(chan struct{})}
	for i := range w.queues {
		q := make(chan func(), workerQueue)
		w.queues[i] = q
		w.done.Go(func() {
			for {
				select {
				case job := <-q:
					job()
				case <-w.closing:
					// Finish what is queued, then end.
					for {
						select {
						case job := <-q:
							job()
						default:
							return
						}
					}
				}
			}
		})
	}
	return w
}

// run queues job on the worker of key, waiting while that worker is busy.
// Once the workers stop, a job is dropped: its message was not
// acknowledged, so the server delivers it again.
func (w *workers) run(key string, job func()) {
	h := fnv.New32a()
	_, _ = h.Write([]byte(key))
	select {
	case w.queues[h.Sum32()%uint32(len(w.queues))] <- job:
	case <-w.closing:
	}
}

// stop lets the workers finish what is queued and end.
func (w *workers) stop() {
	if w == nil {
		return
	}
	w.once.Do(func() { close(w.closing) })
}

// wait stops the workers and waits for them until ctx ends.
func (w *workers) wait(ctx context.Context) bool {
	if w == nil {
		return true
	}
	w.stop()
	done := make(chan struct{})
	go func() { w.done.Wait(); close(done) }()
	select {
	case <-done:
		return true
	case <-ctx.Done():
		return false
	}
}

// Durable returns the name of the durable consumer, e.g. for lag queries.
func (s *Subscription) Durable() string { return s.durable }

// Consume creates or updates the durable consumer and starts handling
// messages until the bus is closed. Messages are handled one at a time, in
// stream order, unless c.Concurrency says otherwise.
func (b *Bus) Consume(ctx context.Context, c Consumer) (*Subscription, error) {
	if c.Name == "" || c.Stream == "" || c.Handle == nil {
		return nil, errors.New("consumer needs a name, a stream and a handler")
	}
	if c.MaxDeliver <= 0 {
		c.MaxDeliver = 5
	}
	if c.AckWait <= 0 {
		c.AckWait = 30 * time.Second
	}
	if c.Backoff == nil {
		c.Backoff = defaultBackoff
	}
	if c.Service == "" {
		c.Service = b.service
	}
	if err := ownersSubjects(c.Stream, c.Subjects); err != nil {
		return nil, fmt.Errorf("consumer %s-%s: %w", c.Service, c.Name, err)
	}
	durable := c.Service + "-" + c.Name
	cfg := jetstream.ConsumerConfig{
		Durable:       durable,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       c.AckWait,
		DeliverPolicy: jetstream.DeliverAllPolicy,
		// The server redelivers without limit; this package counts
		// deliveries and moves a message to DEADLETTER itself, so a
		// message is never dropped because the dead-letter publish failed.
		MaxDeliver:    -1,
		MaxAckPending: 256,
	}
	switch len(c.Subjects) {
	case 0:
	case 1:
		cfg.FilterSubject = c.Subjects[0]
	default:
		cfg.FilterSubjects = c.Subjects
	}
	cons, err := b.JS.CreateOrUpdateConsumer(ctx, c.Stream, cfg)
	if err != nil {
		return nil, fmt.Errorf("consumer %s: %w", durable, err)
	}
	// Handlers get a context that outlives the caller's start-up context but
	// is cancelled when the process stops.
	hctx := context.WithoutCancel(ctx)
	handle := func(msg jetstream.Msg) {
		ev, err := events.Parse(msg.Data())
		b.handle(hctx, durable, c, msg, ev, err)
	}
	var w *workers
	if c.Concurrency > 1 {
		w = newWorkers(c.Concurrency)
		handle = func(msg jetstream.Msg) {
			ev, err := events.Parse(msg.Data())
			w.run(ev.Subject, func() { b.handle(hctx, durable, c, msg, ev, err) })
		}
	}
	cc, err := cons.Consume(handle,
		// A small pull buffer: messages that wait in it are not kept
		// alive with InProgress, and a slow handler must not let them
		// outlive AckWait and come back as redeliveries.
		jetstream.PullMaxMessages(max(32, 4*c.Concurrency)),
		jetstream.ConsumeErrHandler(func(_ jetstream.ConsumeContext, err error) {
			if !errors.Is(err, jetstream.ErrNoHeartbeat) {
				b.log.Debug("consume", "consumer", durable, "err", err)
			}
		}))
	if err != nil {
		w.stop()
		return nil, fmt.Errorf("consume %s: %w", durable, err)
	}
	sub := &Subscription{stream: c.Stream, durable: durable, cc: cc, workers: w}
	b.mu.Lock()
	b.subs = append(b.subs, sub)
	if b.lagStop == nil {
		b.lagStop, b.lagDone = make(chan struct{}), make(chan struct{})
		go b.watchLag(b.lagStop, b.lagDone)
	}
	b.mu.Unlock()
	return sub, nil
}

// handle runs the handler on one message whose data parsed as ev (or
// failed to, with perr) and acknowledges, retries or dead-letters it.
func (b *Bus) handle(ctx context.Context, durable string, c Consumer, msg jetstream.Msg, ev events.Envelope, perr error) {
	meta, err := msg.Metadata()
	if err != nil {
		// Not a JetStream message; nothing sensible can be acknowledged.
		b.log.Error("message without metadata", "consumer", durable, "err", err)
		return
	}
	delivered := int(meta.NumDelivered)
	subject := msg.Subject()
	if delivered > 1 {
		metricRedelivered.WithLabelValues(durable).Inc()
	}

	err = perr
	if err == nil && ev.Type != subject {
		// Only the stream's owner may publish on subject (shared/natsauth);
		// an envelope claiming another type is not what it says it is.
		err = Permanent(fmt.Errorf("%w: event of type %q published on %s", events.ErrMalformed, ev.Type, subject))
	}
	parent := msg.Headers().Get("traceparent")
	if parent == "" {
		parent = ev.TraceParent
	}
	ctx, span := tracing.Tracer().Start(tracing.WithParent(ctx, parent), "process "+subject,
		trace.WithSpanKind(trace.SpanKindConsumer),
		trace.WithAttributes(attribute.String("messaging.system", "nats"),
			attribute.String("messaging.destination.name", subject),
			attribute.String("messaging.consumer.group.name", durable),
			attribute.String("messaging.message.id", ev.ID),
			attribute.Int("messaging.nats.delivered", delivered)))
	defer span.End()
	if err == nil {
		err = b.run(ctx, c, msg, ev)
	}
	if err != nil {
		span.RecordError(err)
		span.SetStatus(codes.Error, "handler failed")
	}
	log := b.log.With("consumer", durable, "subject", subject, "event_id", ev.ID, "delivered", delivered)
	switch {
	case err == nil:
		if err := msg.Ack(); err != nil {
			log.Warn("ack", "err", err)
		}
		metricConsumed.WithLabelValues(durable, subject, "ok").Inc()
	case isPermanent(err) || delivered >= c.MaxDeliver:
		reason := err.Error()
		if !isPermanent(err) {
			reason = fmt.Sprintf("gave up after %d deliveries: %v", delivered, err)
		}
		if dlErr := b.deadLetter(ctx, durable, msg, meta, reason); dlErr != nil {
			log.Error("dead-letter publish failed; will retry", "err", dlErr)
			_ = msg.NakWithDelay(c.Backoff(delivered))
			return
		}
		log.Warn("dead-lettered", "reason", reason)
		_ = msg.TermWithReason("dead-lettered")
		metricConsumed.WithLabelValues(durable, subject, "deadletter").Inc()
		metricDeadLettered.WithLabelValues(durable, subject).Inc()
	default:
		log.Info("handler failed; will retry", "err", err)
		_ = msg.NakWithDelay(c.Backoff(delivered))
		metricConsumed.WithLabelValues(durable, subject, "retry").Inc()
	}
}

// run calls the handler with a deadline of AckWait, telling the server the
// message is still being worked on while a long handler runs.
func (b *Bus) run(ctx context.Context, c Consumer, msg jetstream.Msg, ev events.Envelope) (err error) {
	ctx, cancel := context.WithTimeout(ctx, c.AckWait)
	defer cancel()
	done := make(chan struct{})
	defer close(done)
	go func() {
		t := time.NewTicker(c.AckWait / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				_ = msg.InProgress()
			}
		}
	}()
	defer func() {
		if r := recover(); r != nil {
			err = Permanent(fmt.Errorf("handler panicked: %v", r))
		}
	}()
	return c.Handle(ctx, ev)
}

// Headers on a dead-lettered message.
const (
	HeaderReason          = "Tb-Reason"
	HeaderConsumer        = "Tb-Consumer"
	HeaderStream          = "Tb-Stream"
	HeaderStreamSeq       = "Tb-Stream-Seq"
	HeaderDelivered       = "Tb-Delivered"
	HeaderOriginalSubject = "Tb-Original-Subject"
)

func (b *Bus) deadLetter(ctx context.Context, durable string, msg jetstream.Msg, meta *jetstream.MsgMetadata, reason string) error {
	h := nats.Header{}
	h.Set(HeaderReason, reason)
	h.Set(HeaderConsumer, durable)
	h.Set(HeaderStream, meta.Stream)
	h.Set(HeaderStreamSeq, strconv.FormatUint(meta.Sequence.Stream, 10))
	h.Set(HeaderDelivered, strconv.FormatUint(meta.NumDelivered, 10))
	h.Set(HeaderOriginalSubject, msg.Subject())
	// One dead letter per consumer and stream position, even if this
	// delivery is retried.
	id := fmt.Sprintf("dl:%s:%s:%d", durable, meta.Stream, meta.Sequence.Stream)
	_, err := b.Publish(ctx, events.DeadLetterPrefix+msg.Subject(), id, msg.Data(), h)
	return err
}

// ownersSubjects checks that a consumer of one of the platform's streams
// filters only on subjects of that stream: a consumer trusts an event only
// from the stream and subject its owner publishes on (shared/natsauth
// gives each stream's subjects to its owner alone). Streams the platform
// does not define (tests') are not checked.
func ownersSubjects(stream string, subjects []string) error {
	known := false
	for _, s := range events.Streams {
		known = known || s.Name == stream
	}
	if !known {
		return nil
	}
	for _, sub := range subjects {
		if events.StreamOf(sub) != stream {
			return fmt.Errorf("subject %s is not one of stream %s's", sub, stream)
		}
	}
	return nil
}
