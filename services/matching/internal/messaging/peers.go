package messaging

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"

	"github.com/talentbridge/platform/services/matching/internal/app"
)

// PeersSubject carries the replicas' announcements of the read-model
// entries each of them wrote, so that every replica's recommendations
// follow at once (app.Directory). It is plain NATS, in no stream: an
// announcement that is lost costs only freshness, which the directory's
// periodic sync restores.
const PeersSubject = "tb.matching.internal.directory"

// maxAnnounced bounds the ids one announcement may name.
const maxAnnounced = 1000

type announcement struct {
	Replica  string   `json:"replica"`
	Profiles []string `json:"profiles,omitempty"`
	Programs []string `json:"programs,omitempty"`
}

// Peers links the directory of this replica with those of the others.
type Peers struct {
	nc  *nats.Conn
	id  string
	dir *app.Directory
	log *slog.Logger
	sub *nats.Subscription
}

// StartPeers subscribes to the other replicas' announcements and makes the
// directory announce its own.
func StartPeers(nc *nats.Conn, dir *app.Directory, log *slog.Logger) (*Peers, error) {
	p := &Peers{nc: nc, id: uuid.NewString(), dir: dir, log: log}
	sub, err := nc.Subscribe(PeersSubject, p.receive)
	if err != nil {
		return nil, err
	}
	p.sub = sub
	dir.SetAnnounce(p.announce)
	return p, nil
}

func (p *Peers) announce(profiles, programs []string) {
	for len(profiles)+len(programs) > 0 {
		a := announcement{Replica: p.id}
		n := min(len(profiles), maxAnnounced)
		a.Profiles, profiles = profiles[:n], profiles[n:]
		m := min(len(programs), maxAnnounced-n)
		a.Programs, programs = programs[:m], programs[m:]
		data, err := json.Marshal(a)
		if err == nil {
			err = p.nc.Publish(PeersSubject, data)
		}
		if err != nil {
			p.log.Debug("announce read-model entries", "err", err)
			return
		}
	}
}

// parseAnnouncement reads an announcement, refusing one that names too
// many or empty ids.
func parseAnnouncement(data []byte) (announcement, error) {
	var a announcement
	if err := json.Unmarshal(data, &a); err != nil {
		return announcement{}, err
	}
	if a.Replica == "" {
		return announcement{}, errors.New("announcement without a replica")
	}
	if len(a.Profiles)+len(a.Programs) > maxAnnounced {
		return announcement{}, fmt.Errorf("announcement of %d ids, at most %d", len(a.Profiles)+len(a.Programs), maxAnnounced)
	}
	for _, id := range append(slices.Clip(a.Profiles), a.Programs...) {
		if id == "" || len(id) > maxUserIDLen {
			return announcement{}, errors.New("announcement with an empty or overlong id")
		}
	}
	return a, nil
}

func (p *Peers) receive(m *nats.Msg) {
	a, err := parseAnnouncement(m.Data)
	if err != nil {
		p.log.Warn("unreadable read-model announcement", "bytes", len(m.Data), "err", err)
		return
	}
	if a.Replica == p.id {
		return
	}
	p.dir.PeerSeen()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := p.dir.Refresh(ctx, a.Profiles, a.Programs); err != nil {
		p.log.Warn("apply announced read-model entries", "err", err)
		p.dir.Kick()
	}
}

// Stop ends the subscription.
func (p *Peers) Stop() error {
	err := p.sub.Unsubscribe()
	if errors.Is(err, nats.ErrConnectionClosed) || errors.Is(err, nats.ErrBadSubscription) {
		return nil
	}
	return err
}
