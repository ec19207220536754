package messaging

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"

	"github.com/talentbridge/platform/services/matching/internal/app"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	"github.com/talentbridge/platform/shared/natsbus"
)

// maxUserIDLen bounds the ids an export request may carry.
const maxUserIDLen = 200

// ExportSubject is where the service answers "what do you hold about this
// user?" (tb.rpc.matching.export, the convention of shared/events/profiles).
var ExportSubject = profilesev.ExportSubject(profilesev.ServiceMatching)

// ExportEndpoint answers export requests. The queue group, named after the
// service, makes one replica answer each.
func ExportEndpoint(svc *app.Service, log *slog.Logger) natsbus.Endpoint {
	return natsbus.Endpoint{Name: "export", Subject: ExportSubject, Queue: Service,
		Handle: func(data []byte) (any, *natsbus.RPCError) {
			part, code := exportPart(svc, log, data)
			if part.Error != "" {
				return part, &natsbus.RPCError{Code: code, Description: part.Error}
			}
			return part, nil
		}}
}

// exportPart builds the reply and, when it fails, the error code.
func exportPart(svc *app.Service, log *slog.Logger, data []byte) (profilesev.ExportPart, string) {
	part := profilesev.ExportPart{Service: profilesev.ServiceMatching}
	var req profilesev.ExportRequest
	if err := json.Unmarshal(data, &req); err != nil || strings.TrimSpace(req.UserID) == "" || len(req.UserID) > maxUserIDLen {
		part.Error = `the request must be {"userId": "<id>"}`
		return part, "400"
	}
	ctx, cancel := context.WithTimeout(context.Background(), profilesev.ExportTimeout)
	defer cancel()
	x, err := svc.Export(ctx, req.UserID)
	if err != nil {
		log.Error("export part", "err", err)
		part.Error = "the matching store could not be read; try again"
		return part, "503"
	}
	raw, err := json.Marshal(x)
	if err != nil {
		part.Error = "the matching data could not be encoded"
		return part, "500"
	}
	part.Data = raw
	return part, ""
}
