// Package documents is the documents service: applicants' documents
// (transcripts, certificates, CVs…) and referee letters, their bytes in
// GridFS, and who may read which file (DESIGN.md §1, §3 "Documents and
// referee letters", §6).
//
// It owns the "documents" database (collections documents, references,
// programs, applications, and GridFS's fs.files and fs.chunks), publishes
// tb.documents.v1.document.uploaded|deleted and
// tb.documents.v1.reference.requested|received through the outbox,
// consumes PROGRAMS events ("documents-programs": who hosts each program)
// and tb.matching.v1.application.documents|withdrawn
// ("documents-applications": which documents each application lists),
// erases a person on tb.identity.v1.user.deleted ("documents-user-deleted")
// and tb.profiles.v1.profile.erased ("documents-profile-erased"), and
// answers tb.rpc.documents.export.
package documents

import (
	"context"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/services/documents/internal/app"
	"github.com/talentbridge/platform/services/documents/internal/httpapi"
	"github.com/talentbridge/platform/services/documents/internal/messaging"
	"github.com/talentbridge/platform/services/documents/internal/mongostore"
	"github.com/talentbridge/platform/services/documents/internal/refmail"
	"github.com/talentbridge/platform/shared/config"
	"github.com/talentbridge/platform/shared/mail"
	"github.com/talentbridge/platform/shared/outbox"
	"github.com/talentbridge/platform/shared/platform"
	"github.com/talentbridge/platform/shared/web"
)

// Database is the name of the service's own database.
const Database = "documents"

// Service is the running documents service.
type Service struct {
	deps  platform.Deps
	app   *app.Service
	relay *outbox.Relay
	mails *mail.Queue
	// Background holds the relay, the mail queue and the export
	// responder; its Stop ends them.
	platform.Background
}

// Config is the service's own configuration, read from the environment.
type Config struct {
	// SMTP is where referee links are e-mailed (TB_SMTP_*); with
	// TB_SMTP_ADDR empty the applicant passes the link on.
	SMTP config.SMTP
	// PublicURL is the site's address as users reach it, for the link.
	PublicURL string `env:"TB_PUBLIC_URL" envDefault:"http://localhost:8080"`
}

// Options build the service with a given configuration, for tests and
// standalone; nil Config reads the environment.
type Options struct {
	Config      *Config
	MailOptions []mail.SMTPOption
}

// New builds the service from the environment's configuration.
func New(ctx context.Context, d platform.Deps) (platform.Service, error) {
	return NewWithOptions(Options{})(ctx, d)
}

// NewWithOptions returns the constructor of the service: indexes, stores,
// mail queue, use cases, outbox relay.
func NewWithOptions(o Options) platform.Constructor {
	return func(ctx context.Context, d platform.Deps) (platform.Service, error) {
		cfg, err := config.LoadOr(o.Config)
		if err != nil {
			return nil, err
		}
		sender, err := mail.NewSender(cfg.SMTP, o.MailOptions...)
		if err != nil {
			return nil, err
		}
		db := d.DB(Database)
		mails, err := mail.NewQueue(ctx, db.Collection(MailsCollection), sender, mail.QueueOptions{Logger: d.Log})
		if err != nil {
			return nil, err
		}
		store := mongostore.New(db, outbox.Config{Publisher: d.Bus, Log: d.Log})
		if err := store.EnsureIndexes(ctx); err != nil {
			return nil, err
		}
		svc := app.New(app.Options{Files: mongostore.NewFiles(db), Documents: store, References: store, Models: store,
			Mailer: &refmail.Mailer{Queue: mails, PublicURL: cfg.PublicURL}})
		return &Service{deps: d, app: svc, relay: store.Relay(), mails: mails}, nil
	}
}

// MailsCollection is the mail queue's collection (shared/mail).
const MailsCollection = "mails"

// Problems gives the service's domain errors their HTTP meaning.
func (s *Service) Problems() web.Mapper { return httpapi.Problems }

var _ platform.Mapped = (*Service)(nil)

// Routes registers the service's part of the API.
func (s *Service) Routes(_ *echo.Echo, api *echo.Group) {
	(&httpapi.Handlers{App: s.app}).Register(api, s.deps.Auth)
}

// Start runs the outbox relay, the consumers and the export responder.
func (s *Service) Start(ctx context.Context) error {
	s.Go(ctx, s.relay.Run, s.mails.Run)
	if err := (messaging.Handlers{App: s.app}).Start(ctx, s.deps.Bus); err != nil {
		return err
	}
	log := s.deps.Log.With("component", "export")
	return s.Serve(s.deps.Bus.NC, messaging.Service, log, messaging.ExportEndpoint(s.app, log))
}
