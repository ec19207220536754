// Package natsbus is the platform's JetStream plumbing: connecting with
// reconnects, creating the streams of DESIGN.md §2, publishing with
// Nats-Msg-Id, and running durable consumers with retries and a dead-letter
// stream.
package natsbus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/natsauth"
)

// DuplicateWindow is how long JetStream remembers message ids. An outbox
// relay that crashes after publishing republishes within this window, and the
// copy is dropped.
const DuplicateWindow = 15 * time.Minute

// RequestTimeout bounds a publish acknowledgement or a request–reply call.
const RequestTimeout = 5 * time.Second

// Bus is a connection to NATS with JetStream, owned by one service.
type Bus struct {
	NC      *nats.Conn
	JS      jetstream.JetStream
	service string
	log     *slog.Logger

	mu       sync.Mutex
	subs     []*Subscription
	lagStop  chan struct{}
	lagDone  chan struct{}
	lagEvery time.Duration
}

// Connect dials NATS. The connection reconnects forever once established;
// the first dial must succeed so a wrong URL fails at start-up. The URL
// carries the credentials (nats://user:password@host:port); with a user
// in it, replies come under that user's own inbox prefix, the only one its
// permissions let it read (shared/natsauth).
func Connect(ctx context.Context, url, service string, log *slog.Logger) (*Bus, error) {
	var extra []nats.Option
	if user := natsauth.UserOf(url); user != "" {
		extra = append(extra, nats.CustomInboxPrefix(natsauth.InboxPrefix(user)))
	}
	nc, err := nats.Connect(url, append(extra,
		nats.Name(service),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(250*time.Millisecond),
		nats.ReconnectJitter(100*time.Millisecond, time.Second),
		nats.Timeout(5*time.Second),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			log.Warn("nats disconnected", "err", err)
		}),
		nats.ReconnectHandler(func(c *nats.Conn) {
			log.Info("nats reconnected", "url", c.ConnectedUrlRedacted())
		}),
		nats.ErrorHandler(asyncErrorLogger(log)),
	)...)
	if err != nil {
		return nil, fmt.Errorf("connect nats: %w", err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("jetstream: %w", err)
	}
	return &Bus{NC: nc, JS: js, service: service, log: log, lagEvery: 5 * time.Second}, nil
}

// EnsureStreams creates or updates every stream of the platform with file
// storage, the duplicate window and the given number of replicas (1 on one
// machine, 3 in production).
func (b *Bus) EnsureStreams(ctx context.Context, replicas int) error {
	if replicas < 1 {
		replicas = 1
	}
	for _, s := range events.Streams {
		cfg := jetstream.StreamConfig{
			Name:       s.Name,
			Subjects:   s.Subjects,
			Storage:    jetstream.FileStorage,
			Retention:  jetstream.LimitsPolicy,
			Duplicates: DuplicateWindow,
			Replicas:   replicas,
		}
		if err := ensureStream(ctx, b.JS, cfg, b.log); err != nil {
			return fmt.Errorf("stream %s: %w", s.Name, err)
		}
	}
	return nil
}

// Publish sends data to subject with msgID as Nats-Msg-Id and waits for the
// stream's acknowledgement. It reports whether JetStream had already stored a
// message with that id (and so dropped this one).
func (b *Bus) Publish(ctx context.Context, subject, msgID string, data []byte, header nats.Header) (duplicate bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, RequestTimeout)
	defer cancel()
	msg := &nats.Msg{Subject: subject, Data: data, Header: header}
	ack, err := b.JS.PublishMsg(ctx, msg, jetstream.WithMsgID(msgID))
	if err != nil {
		return false, fmt.Errorf("publish %s: %w", subject, err)
	}
	metricPublished.WithLabelValues(subject, fmt.Sprint(ack.Duplicate)).Inc()
	return ack.Duplicate, nil
}

// PublishEvent publishes an envelope on its type's subject.
func (b *Bus) PublishEvent(ctx context.Context, ev events.Envelope) error {
	data, err := ev.Marshal()
	if err != nil {
		return fmt.Errorf("encode event %s: %w", ev.ID, err)
	}
	_, err = b.Publish(ctx, ev.Type, ev.ID, data, traceHeader(ev.TraceParent))
	return err
}

func traceHeader(traceparent string) nats.Header {
	if traceparent == "" {
		return nil
	}
	return nats.Header{"traceparent": []string{traceparent}}
}

// Check reports whether NATS and JetStream answer, for /readyz.
func (b *Bus) Check(ctx context.Context) error {
	if !b.NC.IsConnected() {
		return fmt.Errorf("nats: %s", b.NC.Status())
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if _, err := b.JS.AccountInfo(ctx); err != nil {
		return fmt.Errorf("jetstream: %w", err)
	}
	return nil
}

// Close drains every consumer started through this bus, then the
// connection, waiting at most until ctx ends.
func (b *Bus) Close(ctx context.Context) error {
	b.mu.Lock()
	subs := b.subs
	b.subs = nil
	if b.lagStop != nil {
		close(b.lagStop)
		<-b.lagDone
		b.lagStop = nil
	}
	b.mu.Unlock()
	var errs []error
	for _, s := range subs {
		errs = append(errs, s.Stop(ctx))
	}
	if err := b.NC.Drain(); err != nil && !errors.Is(err, nats.ErrConnectionClosed) {
		errs = append(errs, err)
	}
	for b.NC.IsDraining() {
		select {
		case <-ctx.Done():
			b.NC.Close()
			return errors.Join(append(errs, ctx.Err())...)
		case <-time.After(10 * time.Millisecond):
		}
	}
	b.NC.Close()
	return errors.Join(errs...)
}

// Lag returns, for each consumer started through this bus, how many
// messages it has not acknowledged yet (pending plus in flight).
func (b *Bus) Lag(ctx context.Context) (map[string]uint64, error) {
	b.mu.Lock()
	subs := append([]*Subscription(nil), b.subs...)
	b.mu.Unlock()
	out := make(map[string]uint64, len(subs))
	for _, s := range subs {
		c, err := b.JS.Consumer(ctx, s.stream, s.durable)
		if err != nil {
			return out, fmt.Errorf("consumer %s: %w", s.durable, err)
		}
		info, err := c.Info(ctx)
		if err != nil {
			return out, fmt.Errorf("consumer %s: %w", s.durable, err)
		}
		out[s.durable] = info.NumPending + uint64(info.NumAckPending)
	}
	return out, nil
}

// watchLag refreshes the tb_consumer_lag gauge until the bus closes.
func (b *Bus) watchLag(stop, done chan struct{}) {
	defer close(done)
	t := time.NewTicker(b.lagEvery)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		lag, _ := b.Lag(ctx)
		cancel()
		for name, n := range lag {
			metricLag.WithLabelValues(name).Set(float64(n))
		}
	}
}
