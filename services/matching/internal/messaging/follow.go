package messaging

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/talentbridge/platform/services/matching/internal/app"
	"github.com/talentbridge/platform/shared/events"
)

// Follower keeps one replica's recommendations (app.Directory) current: an
// ordered consumer of its own on each of the PROFILES and PROGRAMS streams
// hands every profile and program event to the directory, whichever
// replica's durable consumer writes it to the read model. It is the one
// path by which the directory changes after its load.
type Follower struct {
	ccs []jetstream.ConsumeContext
}

// feed is one stream the directory follows.
type feed struct {
	stream   string
	durable  string // the read-model consumer of the same events
	subjects []string
	apply    func(events.Envelope) error
}

// Follow loads the directory from the read models and starts following the
// events from a point the load already contains: before the load it reads
// how far the read-model consumers have acknowledged (everything up to
// there is in the read models), and follows from the next stream sequence.
// What the load also holds comes again and changes nothing.
func Follow(ctx context.Context, js jetstream.JetStream, dir *app.Directory, src app.Snapshot, log *slog.Logger) (*Follower, error) {
	feeds := []feed{
		{stream: ProfilesStream, durable: Service + "-" + ProfilesConsumer, subjects: profileSubjects,
			apply: func(ev events.Envelope) error {
				p, err := profileEntry(ev)
				if err != nil {
					return err
				}
				return dir.ApplyProfile(p)
			}},
		{stream: ProgramsStream, durable: Service + "-" + ProgramsConsumer, subjects: programSubjects,
			apply: func(ev events.Envelope) error {
				p, err := programEntry(ev)
				if err != nil {
					return err
				}
				return dir.ApplyProgram(p)
			}},
	}
	from := make([]uint64, len(feeds))
	for i, f := range feeds {
		acked, err := ackedThrough(ctx, js, f.stream, f.durable)
		if err != nil {
			return nil, err
		}
		from[i] = acked + 1
	}
	if err := dir.Load(ctx, src); err != nil {
		return nil, fmt.Errorf("load recommendations: %w", err)
	}
	fl := &Follower{}
	for i, f := range feeds {
		cc, err := f.follow(ctx, js, from[i], log)
		if err != nil {
			fl.Stop()
			return nil, err
		}
		fl.ccs = append(fl.ccs, cc)
	}
	return fl, nil
}

// ackedThrough returns the stream sequence up to which the durable consumer
// has acknowledged every message: zero when it does not exist yet.
func ackedThrough(ctx context.Context, js jetstream.JetStream, stream, durable string) (uint64, error) {
	c, err := js.Consumer(ctx, stream, durable)
	if errors.Is(err, jetstream.ErrConsumerNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("consumer %s: %w", durable, err)
	}
	info, err := c.Info(ctx)
	if err != nil {
		return 0, fmt.Errorf("consumer %s: %w", durable, err)
	}
	return info.AckFloor.Stream, nil
}

// follow starts the ordered consumer of f at stream sequence from.
func (f feed) follow(ctx context.Context, js jetstream.JetStream, from uint64, log *slog.Logger) (jetstream.ConsumeContext, error) {
	cfg := jetstream.OrderedConsumerConfig{FilterSubjects: f.subjects, DeliverPolicy: jetstream.DeliverAllPolicy}
	if from > 1 {
		cfg.DeliverPolicy, cfg.OptStartSeq = jetstream.DeliverByStartSequencePolicy, from
	}
	cons, err := js.OrderedConsumer(ctx, f.stream, cfg)
	if err != nil {
		return nil, fmt.Errorf("follow %s: %w", f.stream, err)
	}
	cc, err := cons.Consume(func(m jetstream.Msg) {
		ev, err := events.Parse(m.Data())
		if err == nil {
			err = f.apply(ev)
		}
		switch {
		case errors.Is(err, events.ErrMalformed):
			// The read-model consumer dead-letters it, with the
			// reason; the directory only skips it.
			log.Debug("recommendations skip a malformed event", "stream", f.stream, "subject", m.Subject(), "err", err)
		case err != nil:
			log.Warn("update recommendations", "stream", f.stream, "subject", m.Subject(), "err", err)
		}
	}, jetstream.ConsumeErrHandler(func(_ jetstream.ConsumeContext, err error) {
		if !errors.Is(err, jetstream.ErrNoHeartbeat) {
			log.Debug("follow", "stream", f.stream, "err", err)
		}
	}))
	if err != nil {
		return nil, fmt.Errorf("follow %s: %w", f.stream, err)
	}
	return cc, nil
}

// Stop ends the ordered consumers.
func (fl *Follower) Stop() {
	for _, cc := range fl.ccs {
		cc.Stop()
	}
}
