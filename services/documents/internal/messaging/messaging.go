// Package messaging connects the documents service to NATS: the durable
// consumers that keep the programs and applications read models and erase
// a person's files, and the responder of the data export.
package messaging

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"

	"github.com/talentbridge/platform/services/documents/internal/app"
	"github.com/talentbridge/platform/shared/events"
	docsev "github.com/talentbridge/platform/shared/events/documents"
	"github.com/talentbridge/platform/shared/events/matching"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	"github.com/talentbridge/platform/shared/events/programs"
	"github.com/talentbridge/platform/shared/natsbus"
)

// Service names the consumers: "documents-<name>".
const Service = docsev.Service

// Consumer names.
const (
	ProgramsConsumer     = "programs"
	ApplicationsConsumer = "applications"
)

// Handlers turn events into use-case calls.
type Handlers struct {
	App *app.Service
}

// Consumers returns the service's durable consumers.
func (h Handlers) Consumers() []natsbus.Consumer {
	return append([]natsbus.Consumer{
		{Service: Service, Name: ProgramsConsumer, Stream: "PROGRAMS",
			Subjects: []string{events.ProgramPublished, events.ProgramUpdated, events.ProgramClosed},
			Handle:   h.Program, Concurrency: 4},
		{Service: Service, Name: ApplicationsConsumer, Stream: "MATCHING",
			Subjects: []string{events.ApplicationDocuments, events.ApplicationWithdrawn},
			Handle:   h.Application, Concurrency: 4},
	}, natsbus.ErasureConsumers(Service, profilesev.ErasureHandler(h.App.Erase))...)
}

// Start creates and starts the consumers.
func (h Handlers) Start(ctx context.Context, bus *natsbus.Bus) error {
	return bus.ConsumeAll(ctx, h.Consumers())
}

// Program keeps who hosts each program; a closed program keeps its host
// (its applicants' documents stay readable to it).
func (h Handlers) Program(ctx context.Context, ev events.Envelope) error {
	var p programs.Program
	if err := ev.Decode(&p); err != nil {
		return err
	}
	id := p.ID
	if id == "" {
		id = ev.Subject
	}
	if id == "" || p.HostID == "" {
		// program.closed carries no snapshot of its own; nothing to record.
		if ev.Type == events.ProgramClosed {
			return nil
		}
		return fmt.Errorf("%w: %s without id or hostId", events.ErrMalformed, ev.Type)
	}
	return h.App.RecordProgram(ctx, app.Program{ID: id, HostID: p.HostID}, ev.AggregateVersion)
}

// Application keeps the documents an application lists; a withdrawal
// ends every host's access through it.
func (h Handlers) Application(ctx context.Context, ev events.Envelope) error {
	var a app.Application
	switch ev.Type {
	case events.ApplicationDocuments:
		var p matching.ApplicationDocuments
		if err := ev.Decode(&p); err != nil {
			return err
		}
		a = app.Application{ID: p.ApplicationID, ApplicantID: p.ApplicantID, ProgramID: p.ProgramID, DocumentIDs: p.DocumentIDs}
	case events.ApplicationWithdrawn:
		var p matching.ApplicationWithdrawn
		if err := ev.Decode(&p); err != nil {
			return err
		}
		a = app.Application{ID: p.ApplicationID, ApplicantID: p.ApplicantID, ProgramID: p.ProgramID, Withdrawn: true}
	default:
		return natsbus.Permanent(fmt.Errorf("unexpected event type %q", ev.Type))
	}
	if a.ID == "" {
		a.ID = ev.Subject
	}
	if a.ID == "" || a.ApplicantID == "" || a.ProgramID == "" {
		return fmt.Errorf("%w: %s without applicationId, applicantId or programId", events.ErrMalformed, ev.Type)
	}
	return h.App.RecordApplication(ctx, a, ev.AggregateVersion)
}

// maxUserIDLen bounds the ids an export request may carry.
const maxUserIDLen = 200

// ExportEndpoint answers tb.rpc.documents.export with this service's part
// (see shared/events/profiles for the convention, and app.Export for why
// files are linked rather than embedded).
func ExportEndpoint(svc *app.Service, log *slog.Logger) natsbus.Endpoint {
	return natsbus.Endpoint{Name: "export", Subject: profilesev.ExportSubject(Service), Queue: Service,
		Handle: func(data []byte) (any, *natsbus.RPCError) {
			fail := func(code, msg string) (any, *natsbus.RPCError) {
				return profilesev.ExportPart{Service: Service, Error: msg}, &natsbus.RPCError{Code: code, Description: msg}
			}
			req, err := DecodeExportRequest(data)
			if err != nil {
				return fail("400", err.Error())
			}
			ctx, cancel := context.WithTimeout(context.Background(), profilesev.ExportTimeout)
			defer cancel()
			x, err := svc.Export(ctx, req.UserID)
			if err != nil {
				log.Error("export part", "err", err, "user_id", req.UserID)
				return fail("503", "the documents store could not be read")
			}
			raw, err := json.Marshal(x)
			if err != nil {
				return fail("500", "the documents could not be encoded")
			}
			return profilesev.ExportPart{Service: Service, Data: raw}, nil
		}}
}

// DecodeExportRequest reads {"userId": "…"}.
func DecodeExportRequest(data []byte) (profilesev.ExportRequest, error) {
	var req profilesev.ExportRequest
	if err := json.Unmarshal(data, &req); err != nil || strings.TrimSpace(req.UserID) == "" || len(req.UserID) > maxUserIDLen {
		return req, fmt.Errorf(`the request must be {"userId": "<id>"}`)
	}
	return req, nil
}
