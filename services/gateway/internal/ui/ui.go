// Package ui is TalentBridge's web interface: server-rendered pages in
// English, Japanese and Hindi for applicants, hosts and coordinators.
//
// The pages are a client of the platform's own API: every read and change
// goes through /api/v1, called in process through the gateway's Echo with
// the user's access token (see api.go), so the UI has no rules of its own
// about who may see or do what — the API decides, and the UI shows its
// answers (problems next to the fields they are about).
//
// Sessions are the gateway's cookies (package session). Every form carries
// the CSRF token and every POST handler checks it. Pages work without
// JavaScript; the one script only refreshes a running round's progress.
// The Content-Security-Policy allows no inline script or style, so the
// templates have none.
package ui

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"path"
	"time"

	apiidentity "github.com/talentbridge/platform/shared/api/identity"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/services/gateway/internal/domain"
	"github.com/talentbridge/platform/services/gateway/internal/session"
	apidocs "github.com/talentbridge/platform/shared/api/documents"
	"github.com/talentbridge/platform/shared/auth"
)

// Options are what the UI needs from the gateway.
type Options struct {
	Sessions *session.Manager
	Verifier *auth.Verifier
	Log      *slog.Logger
	// Now is the clock of eligibility checks; nil means time.Now.
	Now func() time.Time
	// SetLanguage stores a new account's e-mail language (the page's) at
	// signup; nil leaves the default.
	SetLanguage func(ctx context.Context, userID, lang string) error
}

// UI serves the pages.
type UI struct {
	sessions *session.Manager
	verifier *auth.Verifier
	log      *slog.Logger
	now      func() time.Time
	cat      *catalog
	tmpl     templates
	asset    string
	echo     *echo.Echo
	// setLanguage is Options.SetLanguage.
	setLanguage func(ctx context.Context, userID, lang string) error
}

// New loads the messages and templates.
func New(o Options) (*UI, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	cat, err := newCatalog(o.Log)
	if err != nil {
		return nil, err
	}
	t, err := parseTemplates()
	if err != nil {
		return nil, fmt.Errorf("ui templates: %w", err)
	}
	return &UI{sessions: o.Sessions, verifier: o.Verifier, log: o.Log, now: o.Now,
		cat: cat, tmpl: t, asset: assetVersion(), setLanguage: o.SetLanguage}, nil
}

// Register adds the pages to e, at the site root next to /api/v1. The API
// they call is e's own.
func (u *UI) Register(e *echo.Echo) {
	u.echo = e
	auth.Register(e.Group(""), u.verifier, []auth.Route{
		{Method: http.MethodGet, Path: "/static/*", Policy: auth.Anyone, Handler: u.static},
	})
	g := e.Group("")
	// Sessions are refreshed before the access check; the check's refusals
	// become pages (sign-in, 403, 404) rather than problem documents.
	g.Use(u.sessions.Refresh(), u.pageErrors)
	auth.Register(g, u.verifier, u.Table())
}

// Table is the access table of the pages.
func (u *UI) Table() []auth.Route {
	get, post := http.MethodGet, http.MethodPost
	r := func(m, p string, pol auth.Policy, h echo.HandlerFunc) auth.Route {
		if m == post {
			h = u.checkCSRF(h)
		}
		return auth.Route{Method: m, Path: p, Policy: pol, Handler: h}
	}
	return append([]auth.Route{
		// Everyone.
		r(get, "/", auth.Anyone, u.home),
		// A referee's one-time link: no account.
		r(get, "/references/upload/:token", auth.Anyone, u.refereePage),
		upload(r(post, "/references/upload/:token", auth.Anyone, u.refereeUpload)),
		r(get, "/signup", auth.Anyone, u.signupForm),
		r(post, "/signup", auth.Anyone, u.signup),
		r(get, "/login", auth.Anyone, u.loginForm),
		r(post, "/login", auth.Anyone, u.login),
		// E-mailed links and forgotten passwords (accounts.go).
		r(get, "/verify-email", auth.Anyone, u.verifyEmailPage),
		r(post, "/verify-email", auth.Anyone, u.verifyEmail),
		r(get, "/forgot-password", auth.Anyone, u.forgotForm),
		r(post, "/forgot-password", auth.Anyone, u.forgot),
		r(get, "/reset-password", auth.Anyone, u.resetForm),
		r(post, "/reset-password", auth.Anyone, u.reset),
		r(post, "/logout", auth.Anyone, u.logout),
		r(post, "/lang", auth.Anyone, u.setLang),
		r(get, "/programs", auth.Anyone, u.search),
		r(get, "/programs/:id", auth.Anyone, u.program),
		r(get, "/stats", auth.Anyone, u.stats),

		// Anyone signed in.
		r(get, "/notifications", auth.SignedIn, u.notifications),
		r(post, "/notifications/:id/read", auth.SignedIn, u.markRead),
		r(get, "/account", auth.SignedIn, u.account),
		r(get, "/account/export", auth.SignedIn, u.export),
		r(post, "/account/delete", auth.SignedIn, u.deleteAccount),
		r(get, "/settings/notifications", auth.SignedIn, u.settingsForm),
		r(post, "/settings/notifications", auth.SignedIn, u.saveSettings),
		r(post, "/settings/timezone", auth.SignedIn, u.saveZone),

		// Applicants.
		r(get, "/profile", auth.Applicants, u.profile),
		r(get, "/profile/wizard", auth.Applicants, u.wizardStart),
		r(post, "/profile/wizard", auth.Applicants, u.wizardSave),
		r(get, "/profile/edit/:section", auth.Applicants, u.sectionStart),
		r(post, "/profile/edit/:section", auth.Applicants, u.sectionSave),
		r(get, "/recommendations", auth.Applicants, u.recommendations),
		r(post, "/programs/:id/apply", auth.Applicants, u.apply),
		r(get, "/applications", auth.Applicants, u.applications),
		r(post, "/applications/ranking", auth.Applicants, u.moveApplication),
		r(post, "/applications/:id/withdraw", auth.Applicants, u.withdraw),
		r(get, "/offers", auth.Applicants, u.offers),
		r(get, "/documents", auth.Applicants, u.documents),
		upload(r(post, "/documents", auth.Applicants, u.uploadDocument)),
		r(post, "/documents/:id/delete", auth.Applicants, u.deleteDocument),
		r(get, "/references", auth.Applicants, u.references),
		r(post, "/references", auth.Applicants, u.requestReference),
		r(post, "/offers/:id/accept", auth.Applicants, u.acceptOffer),
		r(post, "/offers/:id/decline", auth.Applicants, u.declineOffer),

		// Hosts.
		r(get, "/host/programs", auth.Hosts, u.hostPrograms),
		r(get, "/host/programs/new", auth.Hosts, u.newProgramForm),
		r(post, "/host/programs/new", auth.Hosts, u.createProgram),
		r(get, "/host/programs/import", auth.Hosts, u.importForm(programImport)),
		r(get, "/coord/profiles/import", auth.Coordinators, u.importForm(profileImport)),
		r(get, "/import/codes", auth.HostsAndCoords, u.importCodes),
		r(get, "/import/codes.csv", auth.HostsAndCoords, u.importCodesCSV),
		r(get, "/import/templates/:name", auth.HostsAndCoords, u.importTemplate),
		r(post, "/host/programs/import", auth.Hosts, u.importCSV(programImport)),
		r(post, "/coord/profiles/import", auth.Coordinators, u.importCSV(profileImport)),
		r(get, "/host/programs/:id/edit", auth.Hosts, u.editProgramForm),
		r(post, "/host/programs/:id/edit", auth.Hosts, u.updateProgram),
		r(post, "/host/programs/:id/publish", auth.Hosts, u.publishProgram),
		r(post, "/host/programs/:id/close", auth.HostsAndCoords, u.closeProgram),
		r(get, "/host/programs/:id/candidates", auth.HostsAndCoords, u.candidates),
		r(get, "/host/programs/:id/candidates.csv", auth.HostsAndCoords, u.candidatesCSV),
		r(post, "/host/programs/:id/ranking", auth.Hosts, u.moveCandidate),
		r(get, "/host/programs/:id/ranking/import", auth.HostsAndCoords, u.rankImportForm(programRankImport)),
		r(post, "/host/programs/:id/ranking/import", auth.HostsAndCoords, u.rankImport(programRankImport)),

		// Coordinators.
		r(get, "/coord/hosts", auth.Coordinators, u.pendingHosts),
		r(post, "/coord/hosts/:id/verify", auth.Coordinators, u.verifyHost),
		r(post, "/coord/hosts/:id/decline", auth.Coordinators, u.declineHost),
		r(get, "/coord/rounds", auth.Coordinators, u.rounds),
		r(get, "/coord/rounds/new", auth.Coordinators, u.newRoundForm),
		r(post, "/coord/rounds/new", auth.Coordinators, u.createRound),
		r(get, "/coord/rounds/:id", auth.Coordinators, u.round),
		r(post, "/coord/rounds/:id/run", auth.Coordinators, u.runRound),
		r(post, "/coord/rounds/:id/publish", auth.Coordinators, u.publishRound),
		r(post, "/coord/rounds/:id/approve", auth.Coordinators, u.approveRound),
		r(post, "/coord/rounds/:id/vacancy", auth.Coordinators, u.vacancyRound),
		r(get, "/coord/rounds/:id/report", auth.Coordinators, u.report),
		r(get, "/coord/rounds/:id/report.csv", auth.Coordinators, u.reportCSV),
		r(get, "/coord/rounds/:id/mock", auth.Coordinators, u.mockPage),
		r(post, "/coord/rounds/:id/mock", auth.Coordinators, u.runMock),
		r(get, "/coord/rounds/:id/ranks/import", auth.Coordinators, u.rankImportForm(roundRankImport)),
		r(post, "/coord/rounds/:id/ranks/import", auth.Coordinators, u.rankImport(roundRankImport)),
		r(get, "/coord/review", auth.Coordinators, u.review),
		r(post, "/coord/matches/approve", auth.Coordinators, u.approveMatches),
		r(post, "/coord/matches/:id/approve", auth.Coordinators, u.approveMatch),
		r(post, "/coord/matches/:id/reject", auth.Coordinators, u.rejectMatch),
		r(get, "/coord/audit", auth.Coordinators, u.audit),

		// Admins.
		r(get, "/admin/users", auth.Admins, u.adminUsers),
		r(post, "/admin/users", auth.Admins, u.createCoordinator),
	}, append(u.reviewRoutes(r), append(u.accountRoutes(r), append(u.searchRoutes(r), u.placementRoutes(r)...)...)...)...)
}

// upload gives a page that takes a file the upload routes' body limit.
func upload(rt auth.Route) auth.Route {
	rt.BodyLimit = apidocs.UploadBodyLimit
	return rt
}

// checkCSRF refuses a form post without its CSRF token (403), for every
// POST route whether or not the access check did so already.
func (u *UI) checkCSRF(h echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !csrfOK(c) {
			return errCSRF
		}
		return h(c)
	}
}

const langKey = "ui.lang"

// lang is the language of the request's pages.
func (u *UI) lang(c echo.Context) string {
	if l, ok := c.Get(langKey).(string); ok {
		return l
	}
	l := u.cat.pick(c.Request())
	c.Set(langKey, l)
	return l
}

// viewer loads the signed-in user's account and unread count for the
// layout; nil when nobody is signed in.
func (u *UI) viewer(c echo.Context) *Viewer {
	cl, ok := auth.FromContext(c)
	if !ok {
		return nil
	}
	v := &Viewer{ID: cl.UserID(), Role: cl.Role}
	var me apiidentity.UserResponse
	if err := u.call(c, http.MethodGet, "/auth/me", nil, &me); err == nil {
		v.Name, v.Email, v.Status = me.Name, me.Email, me.Status
		v.EmailVerified = me.EmailVerifiedAt != nil
		v.DeclineReason = me.DeclineReason
	}
	var inbox apiidentity.NotificationPage
	if err := u.call(c, http.MethodGet, "/notifications/me?pageSize=1", nil, &inbox); err == nil {
		v.Unread = inbox.Unread
	}
	return v
}

// Pending reports whether the user is a host waiting to be verified.
func (v *Viewer) Pending() bool { return v != nil && v.Status == string(domain.StatusPending) }

// Declined reports whether a coordinator declined to verify the host.
func (v *Viewer) Declined() bool { return v != nil && v.Status == string(domain.StatusDeclined) }

// static serves the stylesheet and script.
func (u *UI) static(c echo.Context) error {
	name := c.Param("*")
	b, err := staticFS.ReadFile("static/" + name)
	if err != nil {
		return echo.ErrNotFound
	}
	ctype := "application/octet-stream"
	switch path.Ext(name) {
	case ".css":
		ctype = "text/css; charset=utf-8"
	case ".js":
		ctype = "text/javascript; charset=utf-8"
	}
	if c.QueryParam("v") == u.asset {
		c.Response().Header().Set(echo.HeaderCacheControl, "public, max-age=31536000, immutable")
	} else {
		c.Response().Header().Set(echo.HeaderCacheControl, "public, max-age=300")
	}
	return c.Blob(http.StatusOK, ctype, b)
}
