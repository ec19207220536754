package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/talentbridge/platform/services/gateway/internal/domain"
	"github.com/talentbridge/platform/services/gateway/internal/password"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/events/identity"
	"github.com/talentbridge/platform/shared/fielderr"
)

// Config tunes the use cases. Zero values take the defaults.
type Config struct {
	// Now is the clock; tests move it instead of sleeping.
	Now func() time.Time
	// RefreshIdle is how long an unused refresh token lasts. Default 14 days.
	RefreshIdle time.Duration
	// SessionMax is how long a sign-in lasts however often it is refreshed.
	// Default 30 days.
	SessionMax time.Duration
	// Sign-in throttling counts failed sign-ins (wrong password or no such
	// account), never successful ones, in fixed windows of LoginWindow
	// (default 15 minutes):
	//   - LoginLimit failures per account from one client address (5);
	//   - AccountLimit failures per account from all addresses together
	//     (10), not applied to an address that signed in to the account
	//     before, so guesses from elsewhere do not lock its owner out;
	//   - AddressLimit failures per client address over all accounts (100,
	//     so a campus or carrier NAT is not locked out by a few typos),
	//     not applied to an account at an address it signed in from before.
	// An address counts as one the account signed in from for RememberFor
	// (default 30 days) after its last successful sign-in from there.
	LoginLimit   int
	AccountLimit int
	AddressLimit int
	LoginWindow  time.Duration
	RememberFor  time.Duration
	// SignupLimit is how many sign-ups one client address may try per
	// SignupWindow. Defaults 100 per 10 minutes: a fair stand signing up a
	// queue of students from one address gets through.
	SignupLimit  int
	SignupWindow time.Duration
}

func (c *Config) defaults() {
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.RefreshIdle <= 0 {
		c.RefreshIdle = 14 * 24 * time.Hour
	}
	if c.SessionMax <= 0 {
		c.SessionMax = 30 * 24 * time.Hour
	}
	if c.LoginLimit <= 0 {
		c.LoginLimit = 5
	}
	if c.AccountLimit <= 0 {
		c.AccountLimit = 10
	}
	if c.AddressLimit <= 0 {
		c.AddressLimit = 100
	}
	if c.LoginWindow <= 0 {
		c.LoginWindow = 15 * time.Minute
	}
	if c.RememberFor <= 0 {
		c.RememberFor = 30 * 24 * time.Hour
	}
	if c.SignupLimit <= 0 {
		c.SignupLimit = 100
	}
	if c.SignupWindow <= 0 {
		c.SignupWindow = 10 * time.Minute
	}
}

// Accounts are the identity use cases.
type Accounts struct {
	users    UserStore
	sessions SessionStore
	limiter  Limiter
	hasher   Hasher
	tokens   TokenIssuer
	log      *slog.Logger
	cfg      Config
	// dummy is a hash checked when no account matches an address, so that
	// a sign-in takes as long whether or not the account exists.
	dummy string
	// links and mailer send and check the e-mailed links (UseMail);
	// auditLog records admin actions (UseAudit).
	links    LinkTokenStore
	mailer   AccountMailer
	auditLog AuditStore
	// hostNotes tells hosts about decisions on their account
	// (UseHostNotifier).
	hostNotes HostNotifier
	// bg joins the background work of reset requests.
	bg sync.WaitGroup
	// resets runs this process's background reset mails one at a time:
	// the per-account limit counts its hit after storing it, so requests
	// racing each other would all count the others and send fewer mails
	// than the limit allows.
	resets sync.Mutex
}

// NewAccounts wires the use cases to their ports.
func NewAccounts(ctx context.Context, users UserStore, sessions SessionStore, limiter Limiter, hasher Hasher,
	tokens TokenIssuer, log *slog.Logger, cfg Config) (*Accounts, error) {
	cfg.defaults()
	dummy, err := hasher.Hash(ctx, uuid.NewString()+uuid.NewString())
	if err != nil {
		return nil, fmt.Errorf("dummy hash: %w", err)
	}
	return &Accounts{users: users, sessions: sessions, limiter: limiter, hasher: hasher, tokens: tokens,
		log: log, cfg: cfg, dummy: dummy}, nil
}

// Tokens is what a sign-in or a refresh returns.
type Tokens struct {
	AccessToken      string
	AccessExpiresAt  time.Time
	RefreshToken     string
	RefreshExpiresAt time.Time
	SessionID        string
	User             *domain.User
}

// SignupInput is a new account asked for by its owner or by an admin.
type SignupInput struct {
	Email        string
	Password     string
	Role         domain.Role
	Name         string
	Organization string
	// ClientIP is where a self-service sign-up comes from; sign-ups are
	// limited per address (Config.SignupLimit).
	ClientIP string
	// Lang is the language of the verification mail (the page's); empty
	// for English.
	Lang string
}

// Signup creates an applicant or host account. Hosts start pending.
// Sign-ups that pass validation are limited per client address, whatever
// their outcome: a taken address still answers ErrEmailTaken (the form
// must be able to say so), and the limit is what keeps that from being a
// cheap way to test which addresses have accounts.
func (a *Accounts) Signup(ctx context.Context, in SignupInput) (*domain.User, error) {
	if !in.Role.SelfService() {
		return nil, domain.Invalid(fielderr.NewOneOf("role", []string{string(domain.RoleApplicant), string(domain.RoleHost)}).Because("must be applicant or host"))
	}
	if _, err := validate(in); err != nil {
		return nil, err
	}
	now := a.cfg.Now()
	start := now.Truncate(a.cfg.SignupWindow)
	n, err := a.limiter.Hit(ctx, "signup:ip:"+clientKey(in.ClientIP), start, a.cfg.SignupWindow)
	if err != nil {
		return nil, fmt.Errorf("count sign-ups: %w", err)
	}
	if n > a.cfg.SignupLimit {
		return nil, &domain.RateLimitedError{Action: "signup", RetryAfter: max(start.Add(a.cfg.SignupWindow).Sub(now), time.Second)}
	}
	u, err := a.create(ctx, in)
	if err != nil {
		return nil, err
	}
	a.sendVerification(ctx, u, in.Lang)
	return u, nil
}

// CreateCoordinator is an admin creating a coordinator account.
func (a *Accounts) CreateCoordinator(ctx context.Context, adminID string, in SignupInput) (*domain.User, error) {
	in.Role = domain.RoleCoordinator
	u, err := a.create(ctx, in)
	if err == nil {
		a.log.Info("coordinator created", "user_id", u.ID, "by", adminID)
	}
	return u, err
}

// SignupProblems is every field error validation finds in a sign-up, so a
// form can show them all at once. A role people may not choose is judged
// elsewhere; here the other fields are checked as an applicant's.
func SignupProblems(in SignupInput) []fielderr.FieldError {
	if !in.Role.SelfService() {
		in.Role = domain.RoleApplicant
	}
	_, err := validate(in)
	var out []fielderr.FieldError
	for _, v := range domain.ValidationErrors(err) {
		out = append(out, v.FieldError())
	}
	return out
}

// validate checks every field and the password policy before any hashing
// is done, and reports all problems at once.
func validate(in SignupInput) (*domain.User, error) {
	u, uerr := domain.NewUser(domain.NewUserInput{
		ID: "checking", Email: in.Email, Name: in.Name, Organization: in.Organization,
		Role: in.Role, PasswordHash: "checking", Now: time.Unix(1, 0),
	})
	perr := password.Check(in.Password, in.Email)
	if err := errors.Join(uerr, perr); err != nil {
		return nil, err
	}
	return u, nil
}

func (a *Accounts) create(ctx context.Context, in SignupInput) (*domain.User, error) {
	if _, err := validate(in); err != nil {
		return nil, err
	}
	hash, err := a.hasher.Hash(ctx, in.Password)
	if err != nil {
		return nil, err
	}
	u, err := domain.NewUser(domain.NewUserInput{
		ID: uuid.NewString(), Email: in.Email, Name: in.Name, Organization: in.Organization,
		Role: in.Role, PasswordHash: hash, Now: a.cfg.Now(),
	})
	if err != nil {
		return nil, err
	}
	ev, err := events.New(identity.Source, events.UserCreated, u.ID, u.Version, identity.UserCreated{
		UserID: u.ID, Role: string(u.Role), Status: string(u.Status), Name: u.Name,
		Organization: u.Organization, CreatedAt: u.CreatedAt,
	})
	if err != nil {
		return nil, err
	}
	if err := a.users.Create(ctx, u, []events.Envelope{ev}); err != nil {
		return nil, err
	}
	return u, nil
}

// Login checks an address and password and starts a session. Failed
// attempts are limited per account, per (account, client address) and per
// client address (see Config); over a limit it returns a
// *domain.RateLimitedError without checking the password.
func (a *Accounts) Login(ctx context.Context, email, pw, clientIP string) (*Tokens, error) {
	now := a.cfg.Now()
	norm, emailErr := domain.NormalizeEmail(email)
	if emailErr != nil {
		norm = ""
	}
	counted, err := a.limit(ctx, now, norm, clientIP)
	if err != nil {
		return nil, err
	}
	u, err := a.check(ctx, email, norm, pw)
	if errors.Is(err, domain.ErrInvalidCredentials) {
		return nil, err // a failure: it stays counted
	}
	// The right password (or an error of ours) is no guess: take the
	// attempt back.
	a.forget(ctx, counted)
	if err != nil {
		return nil, err
	}
	if !u.CanSignIn() {
		return nil, domain.ErrAccountDisabled
	}
	if a.hasher.NeedsRehash(u.PasswordHash) {
		a.rehash(ctx, u.ID, pw)
	}
	a.remember(ctx, now, norm, clientIP)
	return a.startSession(ctx, u, now)
}

// check finds the account of an address and checks its password. A missing
// account and a wrong password are both ErrInvalidCredentials, after the
// same work.
func (a *Accounts) check(ctx context.Context, email, norm, pw string) (*domain.User, error) {
	var u *domain.User
	var err error
	if norm != "" {
		u, err = a.users.GetByEmail(ctx, norm)
		// Accounts made before addresses were NFKC- and IDNA-normalised
		// are stored in the older form.
		if legacy := domain.LegacyEmail(email); errors.Is(err, domain.ErrUserNotFound) && legacy != norm {
			u, err = a.users.GetByEmail(ctx, legacy)
		}
	}
	switch {
	case norm == "" || errors.Is(err, domain.ErrUserNotFound):
		// Spend the same work as for a real account.
		_, _ = a.hasher.Verify(ctx, pw, a.dummy)
		return nil, domain.ErrInvalidCredentials
	case err != nil:
		return nil, err
	}
	ok, err := a.hasher.Verify(ctx, pw, u.PasswordHash)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, domain.ErrInvalidCredentials
	}
	return u, nil
}

// counted is an attempt counted as a failure in advance, by key.
type counted struct {
	start time.Time
	keys  []string
}

// limit counts the attempt as a failure in advance, before the password is
// checked, so that however many guesses arrive at once no more than the
// limit are checked; a successful sign-in takes it back (forget). The
// counters are the account from this address, the account from anywhere
// and the address for any account; the last two are skipped for an
// account at an address it signed in from before.
func (a *Accounts) limit(ctx context.Context, now time.Time, email, clientIP string) (*counted, error) {
	c := &counted{start: now.Truncate(a.cfg.LoginWindow)}
	addr := clientKey(clientIP)
	type counter struct {
		key   string
		limit int
	}
	var counters []counter
	known := false
	if email != "" {
		acct := accountKey(email)
		var err error
		if known, err = a.known(ctx, now, acct, addr); err != nil {
			return nil, err
		}
		counters = append(counters, counter{"login:account-ip:" + acct + ":" + addr, a.cfg.LoginLimit})
		if !known {
			counters = append(counters, counter{"login:account:" + acct, a.cfg.AccountLimit})
		}
	}
	if !known {
		counters = append(counters, counter{"login:ip:" + addr, a.cfg.AddressLimit})
	}
	over := false
	for _, k := range counters {
		n, err := a.limiter.Hit(ctx, k.key, c.start, a.cfg.LoginWindow)
		if err != nil {
			a.forget(ctx, c)
			return nil, fmt.Errorf("count sign-in attempts: %w", err)
		}
		c.keys = append(c.keys, k.key)
		over = over || n > k.limit
	}
	if over {
		// A refused attempt checks no password, so it is no failure: left
		// counted, a flood of refused guesses for one account would fill
		// the address's counter and lock out everyone behind it.
		a.forget(ctx, c)
		wait := c.start.Add(a.cfg.LoginWindow).Sub(now)
		return nil, &domain.RateLimitedError{RetryAfter: max(wait, time.Second)}
	}
	return c, nil
}

// forget takes back an attempt counted in advance.
func (a *Accounts) forget(ctx context.Context, c *counted) {
	for _, k := range c.keys {
		if err := a.limiter.Forget(ctx, k, c.start); err != nil {
			a.log.Warn("take back a sign-in attempt", "err", err)
		}
	}
}

// known tells whether the account signed in from this client address
// within the current or the previous RememberFor window.
func (a *Accounts) known(ctx context.Context, now time.Time, acct, addr string) (bool, error) {
	start := now.Truncate(a.cfg.RememberFor)
	for _, w := range []time.Time{start, start.Add(-a.cfg.RememberFor)} {
		n, err := a.limiter.Count(ctx, "known:"+acct+":"+addr, w)
		if err != nil {
			return false, fmt.Errorf("look up known addresses: %w", err)
		}
		if n > 0 {
			return true, nil
		}
	}
	return false, nil
}

// remember notes that the account signed in from this client address, once
// per RememberFor window. Not remembering only makes a later sign-in from
// here subject to all the limits, so a failure is logged, not returned.
func (a *Accounts) remember(ctx context.Context, now time.Time, email, clientIP string) {
	key := "known:" + accountKey(email) + ":" + clientKey(clientIP)
	start := now.Truncate(a.cfg.RememberFor)
	n, err := a.limiter.Count(ctx, key, start)
	if err == nil && n == 0 {
		_, err = a.limiter.Hit(ctx, key, start, a.cfg.RememberFor)
	}
	if err != nil {
		a.log.Warn("remember sign-in address", "err", err)
	}
}

// accountKey names an account in the counters: a hash of its address, so
// the counters hold no personal data.
func accountKey(email string) string {
	sum := sha256.Sum256([]byte(email))
	return hex.EncodeToString(sum[:16])
}

// clientKey is what the per-address limit counts by: the IPv4 address, or
// the /64 network of an IPv6 address (one subscriber usually holds a whole
// /64, so counting single addresses would be no limit at all).
func clientKey(ip string) string {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	addr = addr.Unmap()
	if addr.Is6() {
		if p, err := addr.Prefix(64); err == nil {
			return p.String()
		}
	}
	return addr.String()
}

func (a *Accounts) rehash(ctx context.Context, id, pw string) {
	h, err := a.hasher.Hash(ctx, pw)
	if err != nil {
		a.log.Warn("rehash password", "user_id", id, "err", err)
		return
	}
	_, err = a.users.Update(ctx, id, func(u *domain.User) ([]events.Envelope, error) {
		u.SetPasswordHash(h, a.cfg.Now())
		return nil, nil
	})
	if err != nil {
		a.log.Warn("store rehashed password", "user_id", id, "err", err)
	}
}

func (a *Accounts) startSession(ctx context.Context, u *domain.User, now time.Time) (*Tokens, error) {
	tok, hash, err := domain.NewRefreshToken()
	if err != nil {
		return nil, err
	}
	now = now.UTC()
	s := &domain.Session{ID: uuid.NewString(), UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(a.cfg.SessionMax)}
	rt := s.Issue(hash, now, a.cfg.RefreshIdle)
	if err := a.sessions.CreateSession(ctx, s, rt); err != nil {
		return nil, err
	}
	return a.tokensFor(u, s, rt, tok)
}

func (a *Accounts) tokensFor(u *domain.User, s *domain.Session, rt *domain.RefreshToken, refresh string) (*Tokens, error) {
	access, exp, err := a.tokens.Issue(u.ID, string(u.Role), s.ID)
	if err != nil {
		return nil, err
	}
	return &Tokens{AccessToken: access, AccessExpiresAt: exp, RefreshToken: refresh,
		RefreshExpiresAt: rt.UsableUntil, SessionID: s.ID, User: u}, nil
}

// Refresh exchanges a refresh token for a new pair. Each token works once:
// presenting one that was already exchanged revokes its whole session, so
// a stolen copy is worthless as soon as either party uses it twice.
func (a *Accounts) Refresh(ctx context.Context, refresh string) (*Tokens, error) {
	if refresh == "" {
		return nil, domain.ErrSessionInvalid
	}
	now := a.cfg.Now()
	rt, err := a.sessions.Token(ctx, domain.HashRefreshToken(refresh))
	if err != nil {
		return nil, err
	}
	s, err := a.sessions.Session(ctx, rt.SessionID)
	if err != nil {
		return nil, err
	}
	if !s.Active(now) || !rt.Usable(now) {
		return nil, domain.ErrSessionInvalid
	}
	first, err := a.sessions.MarkUsed(ctx, rt, now)
	if err != nil {
		return nil, err
	}
	if !first {
		// The token was exchanged before (or a moment ago, concurrently):
		// one of its holders is not its owner.
		if err := a.endSession(ctx, s, now, "reuse"); err != nil {
			return nil, err
		}
		a.log.Warn("refresh token used twice; session revoked", "user_id", s.UserID, "session_id", s.ID)
		return nil, domain.ErrSessionInvalid
	}
	u, err := a.users.Get(ctx, s.UserID)
	if errors.Is(err, domain.ErrUserNotFound) || (err == nil && !u.CanSignIn()) {
		if rerr := a.endSession(ctx, s, now, "disabled"); rerr != nil {
			return nil, rerr
		}
		return nil, domain.ErrSessionInvalid
	}
	if err != nil {
		return nil, err
	}
	next, nextHash, err := domain.NewRefreshToken()
	if err != nil {
		return nil, err
	}
	nrt := s.Issue(nextHash, now, a.cfg.RefreshIdle)
	if err := a.sessions.AddToken(ctx, nrt); err != nil {
		return nil, err
	}
	return a.tokensFor(u, s, nrt, next)
}

// Logout ends the session of a refresh token, and the session sessionID if
// it belongs to userID (both from a verified access token). Unknown tokens
// and sessions are not an error: the outcome, no usable session, is the
// same.
func (a *Accounts) Logout(ctx context.Context, refresh, userID, sessionID string) error {
	now := a.cfg.Now()
	type target struct{ id, owner string }
	var targets []target
	if refresh != "" {
		rt, err := a.sessions.Token(ctx, domain.HashRefreshToken(refresh))
		switch {
		case err == nil:
			targets = append(targets, target{id: rt.SessionID}) // the token is proof enough
		case !errors.Is(err, domain.ErrSessionInvalid):
			return err
		}
	}
	if sessionID != "" && userID != "" {
		targets = append(targets, target{id: sessionID, owner: userID})
	}
	for _, t := range targets {
		s, err := a.sessions.Session(ctx, t.id)
		if errors.Is(err, domain.ErrSessionInvalid) {
			continue
		}
		if err != nil {
			return err
		}
		if t.owner != "" && s.UserID != t.owner {
			continue
		}
		if err := a.endSession(ctx, s, now, "logout"); err != nil {
			return err
		}
	}
	return nil
}

// endSession revokes a session and announces it (session.revoked), so
// every service refuses its access tokens too, not only the refresh.
func (a *Accounts) endSession(ctx context.Context, s *domain.Session, now time.Time, reason string) error {
	if err := a.sessions.Revoke(ctx, s, now); err != nil {
		return err
	}
	ev, err := events.NewWithContext(ctx, identity.Source, events.SessionRevoked, s.UserID, 0, identity.SessionRevoked{
		UserID: s.UserID, SessionID: s.ID, Reason: reason, RevokedAt: now.UTC(),
	})
	if err != nil {
		return err
	}
	return a.users.Announce(ctx, s.UserID, []events.Envelope{ev})
}

// Me returns the caller's account.
func (a *Accounts) Me(ctx context.Context, userID string) (*domain.User, error) {
	return a.users.Get(ctx, userID)
}

// VerifyHost is a coordinator verifying a pending host: it becomes active
// and user.verified is published. Verifying an active host again changes
// nothing and publishes nothing.
func (a *Accounts) VerifyHost(ctx context.Context, coordinatorID, hostID string) (*domain.User, error) {
	u, err := a.users.Update(ctx, hostID, func(u *domain.User) ([]events.Envelope, error) {
		changed, err := u.Verify(coordinatorID, a.cfg.Now())
		if err != nil {
			return nil, err
		}
		if !changed {
			return nil, domain.ErrUnchanged
		}
		ev, err := events.New(identity.Source, events.UserVerified, u.ID, u.Version, identity.UserVerified{
			UserID: u.ID, Role: string(u.Role), VerifiedBy: coordinatorID, VerifiedAt: u.VerifiedAt,
		})
		if err != nil {
			return nil, err
		}
		return []events.Envelope{ev}, nil
	})
	if err == nil {
		a.log.Info("host verified", "user_id", hostID, "by", coordinatorID)
	}
	return u, err
}

// HostNotifier tells a host about a coordinator's decision on its
// account (in-app and by e-mail, in the host's language).
type HostNotifier interface {
	HostDeclined(ctx context.Context, hostID, reason string, at time.Time) error
}

// UseHostNotifier connects the host decisions to the inbox. Without it a
// declined host is told nothing but what its account page shows.
func (a *Accounts) UseHostNotifier(n HostNotifier) { a.hostNotes = n }

// DeclineHost is a coordinator declining to verify a pending host, with a
// reason the host is told. The host stays able to sign in and keep drafts;
// a later VerifyHost still verifies it. Declining again with the same
// reason changes nothing and tells nobody twice.
func (a *Accounts) DeclineHost(ctx context.Context, coordinatorID, hostID, reason string) (*domain.User, error) {
	changed := false
	u, err := a.users.Update(ctx, hostID, func(u *domain.User) ([]events.Envelope, error) {
		c, err := u.Decline(coordinatorID, reason, a.cfg.Now())
		if err != nil {
			return nil, err
		}
		if changed = c; !c {
			return nil, domain.ErrUnchanged
		}
		return nil, nil
	})
	if err != nil || !changed {
		return u, err
	}
	a.log.Info("host declined", "user_id", hostID, "by", coordinatorID)
	if a.hostNotes != nil {
		// The decision stands; a failure to tell is logged, and the
		// host's account page shows the reason all the same.
		if err := a.hostNotes.HostDeclined(ctx, u.ID, u.DeclineReason, u.DeclinedAt); err != nil {
			a.log.Warn("tell host it was declined", "user_id", hostID, "err", err)
		}
	}
	return u, nil
}

// ListUsers returns a page of accounts.
func (a *Accounts) ListUsers(ctx context.Context, f UserFilter) ([]*domain.User, int64, error) {
	return a.users.List(ctx, f)
}

// DeleteMe erases the caller's account: the account document becomes a
// tombstone carrying user.deleted (which tells every service to erase what
// it holds), and every session of the account ends.
func (a *Accounts) DeleteMe(ctx context.Context, userID string) error {
	u, err := a.users.Get(ctx, userID)
	if err != nil {
		return err
	}
	ev, err := events.New(identity.Source, events.UserDeleted, u.ID, u.Version+1, identity.UserDeleted{
		UserID: u.ID, Role: string(u.Role), DeletedAt: a.cfg.Now().UTC(),
	})
	if err != nil {
		return err
	}
	if err := a.users.Erase(ctx, u.ID, u.Version, ev); err != nil {
		return err
	}
	if err := a.sessions.DeleteUser(ctx, u.ID); err != nil {
		// The account is gone already; its sessions cannot refresh without
		// it, so this is only tidying.
		a.log.Warn("delete sessions of erased account", "user_id", u.ID, "err", err)
	}
	a.log.Info("account erased", "user_id", u.ID)
	return nil
}

// BootstrapAdmin makes sure an admin account with this address exists,
// creating it with this password if not. It is safe to run at every start
// and from several replicas at once: the address is unique, so one insert
// wins and the others find it. An existing account keeps its password.
func (a *Accounts) BootstrapAdmin(ctx context.Context, email, pw string) error {
	norm, err := domain.NormalizeEmail(email)
	if err != nil {
		return fmt.Errorf("TB_ADMIN_EMAIL: %w", err)
	}
	u, err := a.users.GetByEmail(ctx, norm)
	switch {
	case err == nil && u.Role == domain.RoleAdmin:
		return nil
	case err == nil:
		return fmt.Errorf("TB_ADMIN_EMAIL belongs to an existing %s account; no admin was created", u.Role)
	case !errors.Is(err, domain.ErrUserNotFound):
		return err
	}
	if err := password.Check(pw, norm); err != nil {
		return fmt.Errorf("TB_ADMIN_PASSWORD: %w", err)
	}
	u, err = a.create(ctx, SignupInput{Email: norm, Password: pw, Role: domain.RoleAdmin, Name: "Administrator"})
	if errors.Is(err, domain.ErrEmailTaken) {
		return nil // another replica was first
	}
	if err != nil {
		return err
	}
	a.log.Info("first admin created", "user_id", u.ID)
	return nil
}
