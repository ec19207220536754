// Package gateway is the gateway service: accounts, sign-in, tokens and the
// JWKS (the identity part), and, when the services run apart, the router
// that forwards /api/v1 to them; the notification inbox (internal/notify).
// The web UI is added in internal/ui and wired in Routes.
package gateway

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/nats-io/nats.go/micro"

	"github.com/talentbridge/platform/services/gateway/internal/app"
	"github.com/talentbridge/platform/services/gateway/internal/domain"
	"github.com/talentbridge/platform/services/gateway/internal/httpapi"
	"github.com/talentbridge/platform/services/gateway/internal/keys"
	"github.com/talentbridge/platform/services/gateway/internal/mongostore"
	"github.com/talentbridge/platform/services/gateway/internal/notify"
	"github.com/talentbridge/platform/services/gateway/internal/password"
	"github.com/talentbridge/platform/services/gateway/internal/router"
	"github.com/talentbridge/platform/services/gateway/internal/session"
	"github.com/talentbridge/platform/services/gateway/internal/token"
	"github.com/talentbridge/platform/services/gateway/internal/ui"
	apiidentity "github.com/talentbridge/platform/shared/api/identity"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/config"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/mail"
	"github.com/talentbridge/platform/shared/mongodb"
	"github.com/talentbridge/platform/shared/natsbus"
	"github.com/talentbridge/platform/shared/outbox"
	"github.com/talentbridge/platform/shared/platform"
	"github.com/talentbridge/platform/shared/web"
)

// Database is the name of the service's own database.
const Database = "identity"

// SweepInterval is how often expired sessions and sign-in counters are
// deleted and the signing key's age is checked.
const SweepInterval = time.Minute

// Options adjust the service beyond its environment, for the standalone
// composition and for tests.
type Options struct {
	// Config replaces the environment when not nil.
	Config *Config
	// KeysDir replaces the default keys folder (./data/keys) when
	// TB_KEYS_DIR is not set; standalone mode puts it under its data folder.
	KeysDir string
	// Now is the clock of tokens, sessions and sign-in limits; nil means
	// time.Now. Tests move it instead of sleeping.
	Now func() time.Time
	// MailOptions adjust the SMTP sender (tests trust their server's
	// certificate with mail.WithTLSConfig).
	MailOptions []mail.SMTPOption
}

// Service is the running gateway service.
type Service struct {
	deps     platform.Deps
	cfg      Config
	now      func() time.Time
	store    *mongostore.Store
	ring     *keys.Ring
	verifier *auth.Verifier
	accounts *app.Accounts
	// sessions puts sign-ins into browser cookies; the web UI uses it.
	sessions *session.Manager
	api      *httpapi.Handlers
	proxy    *router.Proxy // nil in standalone mode
	relay    *outbox.Relay
	loops    *platform.Loops
	// rpc answers JWKS and export requests over NATS.
	rpc micro.Service
	// inbox is the notifications of every user, built from events.
	inbox *notify.Inbox
	// mails is the e-mail queue of the notifications (sends nothing when
	// TB_SMTP_ADDR is empty); its relay runs in loops.
	mails *mail.Queue
	// web is the server-rendered UI (internal/ui).
	web *ui.UI
}

// New builds the service from the environment (see Config).
func New(ctx context.Context, d platform.Deps) (platform.Service, error) {
	return NewWithOptions(Options{})(ctx, d)
}

// NewWithOptions returns a constructor with o applied.
func NewWithOptions(o Options) platform.Constructor {
	return func(ctx context.Context, d platform.Deps) (platform.Service, error) {
		return build(ctx, d, o)
	}
}

func build(ctx context.Context, d platform.Deps, o Options) (*Service, error) {
	var cfg Config
	if o.Config != nil {
		cfg = *o.Config
		if err := cfg.Validate(); err != nil {
			return nil, fmt.Errorf("gateway config: %w", err)
		}
	} else {
		c, err := config.Load[Config]()
		if err != nil {
			return nil, fmt.Errorf("gateway %w", err)
		}
		if _, set := os.LookupEnv("TB_KEYS_DIR"); !set && o.KeysDir != "" {
			c.KeysDir = o.KeysDir
		}
		cfg = c
	}
	now := o.Now
	if now == nil {
		now = time.Now
	}
	d.Log.Info("gateway configuration", "config", cfg)

	db := d.DB(Database)
	if err := mongodb.EnsureIndexes(ctx, db, mongostore.Indexes); err != nil {
		return nil, err
	}
	s := &Service{deps: d, cfg: cfg, now: now}
	s.store = mongostore.New(db, outbox.Config{Publisher: d.Bus, Log: d.Log})
	s.relay = s.store.Relay()

	ring, err := keys.Open(keys.Options{
		SigningKey: cfg.SigningKey, VerifyKeys: cfg.VerifyKeys, Dir: cfg.KeysDir,
		Lifetime: token.AccessTTL + auth.Leeway, Now: now,
	})
	if err != nil {
		return nil, err
	}
	s.ring = ring
	// The gateway checks its own tokens with its own keys; the other
	// services fetch them over NATS (auth.RemoteKeys).
	s.verifier = auth.NewVerifier(ring).WithRevocations(d.Auth.Revocations())
	issuer := token.NewIssuer(ring, token.AccessTTL, now)
	hasher := password.NewHasher(password.Default, cfg.HashConcurrency)
	s.accounts, err = app.NewAccounts(ctx, s.store, s.store, s.store, hasher, issuer, d.Log, app.Config{
		Now: now, RefreshIdle: cfg.RefreshIdle, SessionMax: cfg.SessionMax,
		LoginLimit: cfg.LoginLimit, AccountLimit: cfg.LoginAccountLimit, AddressLimit: cfg.LoginAddressLimit,
		LoginWindow: cfg.LoginWindow, SignupLimit: cfg.SignupLimit, SignupWindow: cfg.SignupWindow,
	})
	if err != nil {
		return nil, err
	}
	s.sessions = session.New(s.accounts, s.verifier, session.Options{Secure: cfg.CookieSecure, Now: now})
	s.api = httpapi.NewHandlers(s.accounts, s.sessions, ring.JWKS, now)
	sender, err := mail.NewSender(cfg.SMTP, o.MailOptions...)
	if err != nil {
		return nil, err
	}
	if s.mails, err = mail.NewQueue(ctx, db.Collection("mails"), sender, mail.QueueOptions{Logger: d.Log}); err != nil {
		return nil, err
	}
	if s.inbox, err = notify.New(ctx, db, notify.Options{Mail: s.mails, Directory: s.contact(), PublicURL: cfg.PublicURL, Now: now, Log: d.Log,
		Coordinators: s.coordinators}); err != nil {
		return nil, err
	}
	// Verification and reset links go out through the inbox's mail texts
	// and queue; admin actions are recorded in the store.
	s.accounts.UseMail(s.store, s.inbox)
	s.accounts.UseAudit(s.store)
	s.accounts.UseHostNotifier(s.inbox)
	setLanguage := func(ctx context.Context, userID, lang string) error {
		_, err := s.inbox.UpdateSettings(ctx, userID, apiidentity.NotificationSettings{Language: lang})
		return err
	}
	if s.web, err = ui.New(ui.Options{Sessions: s.sessions, Verifier: s.verifier, Log: d.Log, Now: now, SetLanguage: setLanguage}); err != nil {
		return nil, err
	}

	up, err := router.ParseUpstreams(cfg.ProfilesURL, cfg.ProgramsURL, cfg.MatchingURL, cfg.DocumentsURL, cfg.PlacementsURL)
	if err != nil {
		return nil, err
	}
	if up != nil {
		s.proxy = router.New(up, router.Options{Log: d.Log})
		d.Log.Info("split mode: forwarding /api/v1 to the services",
			"profiles", cfg.ProfilesURL, "programs", cfg.ProgramsURL, "matching", cfg.MatchingURL, "documents", cfg.DocumentsURL,
			"placements", cfg.PlacementsURL)
	}
	return s, nil
}

// Problems gives the service's domain errors their HTTP meaning
// (platform.Mapped).
func (s *Service) Problems() web.Mapper { return httpapi.Problems }

var _ platform.Mapped = (*Service)(nil)

// Routes registers the JWKS at the site root, the identity API under
// /api/v1 and, in split mode, the forwarding table.
func (s *Service) Routes(e *echo.Echo, api *echo.Group) {
	s.api.Routes(e.Group(""), api, s.verifier)
	auth.Register(api, s.verifier, s.inbox.Routes())
	auth.Register(api, s.verifier, []auth.Route{
		{Method: http.MethodGet, Path: "/openapi.json", Policy: auth.Anyone, Handler: s.apiDocument,
			Doc: &auth.Doc{Summary: "This document", Response: map[string]any{}}},
	})
	if s.proxy != nil {
		s.proxy.Register(api, s.verifier)
	}
	// The web UI's pages, at the site root; they call the API above
	// through e, in process.
	s.web.Register(e)
}

// Start answers JWKS requests over NATS, makes the first admin if one is
// configured, and runs the outbox relay and the periodic sweep.
func (s *Service) Start(ctx context.Context) error {
	rpc, err := natsbus.Serve(s.deps.Bus.NC, "gateway", s.deps.Log, s.jwksEndpoint(), s.exportEndpoint())
	if err != nil {
		return fmt.Errorf("serve jwks and export over nats: %w", err)
	}
	s.rpc = rpc
	// The account's snapshots (name, organisation) leave the IDENTITY
	// stream when the account is deleted.
	scrub := s.deps.Bus.ScrubConsumer("gateway", "IDENTITY", events.UserDeleted,
		[]string{events.UserCreated, events.UserVerified, events.SessionRevoked})
	for _, c := range append(s.inbox.Consumers(), scrub) {
		if _, err := s.deps.Bus.Consume(ctx, c); err != nil {
			return err
		}
	}
	if s.cfg.AdminEmail != "" {
		if err := s.accounts.BootstrapAdmin(ctx, s.cfg.AdminEmail, s.cfg.AdminPassword); err != nil {
			// Not fatal: the platform runs without a new admin, and says why
			// (the address belongs to another account, say). A password that
			// breaks the rules never gets here: Config.Validate stops the
			// start-up and says what to change.
			s.deps.Log.Error("first admin not created", "err", err)
		}
	}
	s.loops = platform.NewLoops(ctx)
	s.loops.Go(s.relay.Run)
	s.loops.Go(s.sweep)
	// The mail relay: nothing here waits for the mail server, so /readyz
	// and every request stay independent of SMTP.
	s.loops.Go(s.mails.Run)
	// Interview reminders a day ahead; every replica runs this, and each
	// reminder is claimed by one (see notify/reminders.go).
	s.loops.Go(s.inbox.RunReminders)
	return nil
}

func (s *Service) sweep(ctx context.Context) {
	t := time.NewTicker(SweepInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := s.store.Sweep(ctx, s.now()); err != nil && ctx.Err() == nil {
			s.deps.Log.Warn("sweep sessions", "err", err)
		}
		rotated, err := s.ring.RotateIfOlder(s.cfg.KeyRotateAfter)
		switch {
		case err != nil:
			s.deps.Log.Error("rotate signing key", "err", err)
		case rotated:
			s.deps.Log.Info("signing key rotated", "kid", s.ring.Signer().ID)
		}
	}
}

// contact finds a notification's recipient in the account store.
func (s *Service) contact() notify.Directory {
	return notify.DirectoryFunc(func(ctx context.Context, id string) (notify.Contact, bool, error) {
		u, err := s.store.Get(ctx, id)
		if errors.Is(err, domain.ErrUserNotFound) {
			return notify.Contact{}, false, nil
		}
		if err != nil {
			return notify.Contact{}, false, err
		}
		return notify.Contact{Email: u.Email, Name: u.Name}, true, nil
	})
}

// coordinators lists the active coordinators' ids, who hear of hosts
// waiting for verification (at most a thousand: a bounded read).
func (s *Service) coordinators(ctx context.Context) ([]string, error) {
	us, _, err := s.store.List(ctx, app.UserFilter{Role: domain.RoleCoordinator, Status: domain.StatusActive, Page: 1, PageSize: 1000})
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(us))
	for i, u := range us {
		ids[i] = u.ID
	}
	return ids, nil
}

// RotateKey makes a new signing key now; the previous one stays in the
// JWKS until every token it signed has expired. It fails when the keys
// come from TB_SIGNING_KEY.
func (s *Service) RotateKey() error { return s.ring.Rotate() }

// jwksEndpoint answers auth.JWKSSubject with the published keys, in a queue
// group so one replica answers each request.
func (s *Service) jwksEndpoint() natsbus.Endpoint {
	return natsbus.Endpoint{Name: "jwks", Subject: auth.JWKSSubject, Queue: "gateway-jwks",
		Handle: func([]byte) (any, *natsbus.RPCError) { return s.ring.JWKS(), nil }}
}

// JWKS returns the currently published keys.
func (s *Service) JWKS() auth.JWKS { return s.ring.JWKS() }

// Stop ends the JWKS responder and the background loops.
func (s *Service) Stop(ctx context.Context) error {
	var errs []error
	if s.rpc != nil {
		errs = append(errs, s.rpc.Stop())
	}
	if s.loops != nil {
		errs = append(errs, s.loops.Stop(ctx))
	}
	s.accounts.Wait()
	return errors.Join(errs...)
}
