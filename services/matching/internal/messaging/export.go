package messaging

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"

	"github.com/nats-io/nats.go"

	"github.com/talentbridge/platform/services/matching/internal/app"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
)

// maxUserIDLen bounds the ids an export request may carry.
const maxUserIDLen = 200

// ExportSubject is where the service answers "what do you hold about this
// user?" (tb.rpc.matching.export, the convention of shared/events/profiles).
var ExportSubject = profilesev.ExportSubject(profilesev.ServiceMatching)

// ServeExport answers export requests until the subscription ends. The
// queue group, named after the service, makes one replica answer each.
func ServeExport(nc *nats.Conn, svc *app.Service, log *slog.Logger) (*nats.Subscription, error) {
	return nc.QueueSubscribe(ExportSubject, Service, func(m *nats.Msg) {
		part := exportPart(svc, log, m.Data)
		body, err := json.Marshal(part)
		if err == nil {
			err = m.Respond(body)
		}
		if err != nil && !errors.Is(err, nats.ErrMsgNoReply) {
			log.Warn("answer export", "err", err)
		}
	})
}

func exportPart(svc *app.Service, log *slog.Logger, data []byte) profilesev.ExportPart {
	part := profilesev.ExportPart{Service: profilesev.ServiceMatching}
	var req profilesev.ExportRequest
	if err := json.Unmarshal(data, &req); err != nil || strings.TrimSpace(req.UserID) == "" || len(req.UserID) > maxUserIDLen {
		part.Error = `the request must be {"userId": "<id>"}`
		return part
	}
	ctx, cancel := context.WithTimeout(context.Background(), profilesev.ExportTimeout)
	defer cancel()
	x, err := svc.Export(ctx, req.UserID)
	if err != nil {
		log.Error("export part", "err", err)
		part.Error = "the matching store could not be read; try again"
		return part
	}
	raw, err := json.Marshal(x)
	if err != nil {
		part.Error = "the matching data could not be encoded"
		return part
	}
	part.Data = raw
	return part
}
