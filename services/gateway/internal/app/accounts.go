package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"time"

	"github.com/google/uuid"

	"github.com/talentbridge/platform/services/gateway/internal/domain"
	"github.com/talentbridge/platform/services/gateway/internal/password"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/events/identity"
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
	// LoginLimit is how many sign-in attempts one account, and one client
	// address, may make per LoginWindow. Defaults 5 per minute.
	LoginLimit  int
	LoginWindow time.Duration
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
	if c.LoginWindow <= 0 {
		c.LoginWindow = time.Minute
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
}

// Signup creates an applicant or host account. Hosts start pending.
func (a *Accounts) Signup(ctx context.Context, in SignupInput) (*domain.User, error) {
	if !in.Role.SelfService() {
		return nil, &domain.ValidationError{Field: "role", Problem: "must be applicant or host"}
	}
	return a.create(ctx, in)
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

// Login checks an address and password and starts a session. Attempts are
// limited per account and per client address; over the limit it returns a
// *domain.RateLimitedError without checking the password.
func (a *Accounts) Login(ctx context.Context, email, pw, clientIP string) (*Tokens, error) {
	now := a.cfg.Now()
	norm, emailErr := domain.NormalizeEmail(email)
	if err := a.limit(ctx, now, norm, clientIP); err != nil {
		return nil, err
	}
	var u *domain.User
	var err error
	if emailErr == nil {
		u, err = a.users.GetByEmail(ctx, norm)
		// Accounts made before addresses were NFKC- and IDNA-normalised
		// are stored in the older form.
		if legacy := domain.LegacyEmail(email); errors.Is(err, domain.ErrUserNotFound) && legacy != norm {
			u, err = a.users.GetByEmail(ctx, legacy)
		}
	}
	switch {
	case emailErr != nil || errors.Is(err, domain.ErrUserNotFound):
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
	if !u.CanSignIn() {
		return nil, domain.ErrAccountDisabled
	}
	if a.hasher.NeedsRehash(u.PasswordHash) {
		a.rehash(ctx, u.ID, pw)
	}
	return a.startSession(ctx, u, now)
}

// limit counts the attempt against the account and the client address.
func (a *Accounts) limit(ctx context.Context, now time.Time, email, clientIP string) error {
	start := now.Truncate(a.cfg.LoginWindow)
	keys := []string{"ip:" + clientKey(clientIP)}
	if email != "" {
		// The address is hashed so the counters hold no personal data.
		sum := sha256.Sum256([]byte(email))
		keys = append(keys, "account:"+hex.EncodeToString(sum[:16]))
	}
	over := false
	for _, k := range keys {
		n, err := a.limiter.Hit(ctx, "login:"+k, start, a.cfg.LoginWindow)
		if err != nil {
			return fmt.Errorf("count sign-in attempts: %w", err)
		}
		over = over || n > a.cfg.LoginLimit
	}
	if over {
		wait := start.Add(a.cfg.LoginWindow).Sub(now)
		return &domain.RateLimitedError{RetryAfter: max(wait, time.Second)}
	}
	return nil
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
