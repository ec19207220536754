package app

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/talentbridge/platform/services/gateway/internal/domain"
	"github.com/talentbridge/platform/services/gateway/internal/password"
	"github.com/talentbridge/platform/shared/events"
)

// Limits of the e-mailed links (fixed windows of linkWindow).
const (
	linkWindow = time.Hour
	// linksPerAccount is how many verification or reset mails one account
	// gets per window: enough for a lost first mail, too few to flood an
	// inbox.
	linksPerAccount = 3
	// resetsPerAddress is how many reset requests one client address may
	// make per window, whatever the accounts.
	resetsPerAddress = 20
	// changesPerAccount is how many password changes with a wrong current
	// password an account may try per window.
	changesPerAccount = 5
)

// Mail codes of the account mails (texts in notify/mailtext).
const (
	MailVerifyEmail   = "account.verify_email"
	MailResetPassword = "account.reset_password"
)

// UseMail connects the link use cases to their token store and mailer.
// Without it sign-up sends no verification mail and resets send nothing.
func (a *Accounts) UseMail(links LinkTokenStore, mailer AccountMailer) {
	a.links, a.mailer = links, mailer
}

// Wait returns once the background work of password-reset requests has
// ended (the service's Stop calls it).
func (a *Accounts) Wait() { a.bg.Wait() }

func (a *Accounts) mailReady() bool {
	return a.links != nil && a.mailer != nil && a.mailer.Enabled()
}

// overLimit counts one attempt under key and reports whether it went past
// limit, and when the window ends.
func (a *Accounts) overLimit(ctx context.Context, key string, limit int) (bool, time.Duration, error) {
	now := a.cfg.Now()
	start := now.Truncate(linkWindow)
	n, err := a.limiter.Hit(ctx, key, start, linkWindow)
	if err != nil {
		return false, 0, fmt.Errorf("count %s: %w", key, err)
	}
	return n > limit, max(start.Add(linkWindow).Sub(now), time.Second), nil
}

// sendLink stores a new one-time token for u and mails its link.
func (a *Accounts) sendLink(ctx context.Context, u *domain.User, p domain.Purpose, lang string) error {
	tok, rec, err := domain.NewLinkToken(u.ID, p, a.cfg.Now())
	if err != nil {
		return err
	}
	if err := a.links.SaveLinkToken(ctx, rec); err != nil {
		return err
	}
	code, path := MailVerifyEmail, "/verify-email?token="
	if p == domain.PurposeResetPassword {
		code, path = MailResetPassword, "/reset-password?token="
	}
	return a.mailer.SendAccountMail(ctx, AccountMail{Key: rec.Hash, UserID: u.ID, Email: u.Email, Name: u.Name,
		Lang: lang, Code: code, Path: path + url.QueryEscape(tok)})
}

// sendVerification mails a new account its verification link. A failure
// does not undo the sign-up: the account page offers to send it again.
func (a *Accounts) sendVerification(ctx context.Context, u *domain.User, lang string) {
	if !a.mailReady() || u.EmailVerified() {
		return
	}
	if _, err := a.limiter.Hit(ctx, "link:verify:"+u.ID, a.cfg.Now().Truncate(linkWindow), linkWindow); err != nil {
		a.log.Warn("count verification mail", "user_id", u.ID, "err", err)
	}
	if err := a.sendLink(ctx, u, domain.PurposeVerifyEmail, lang); err != nil {
		a.log.Warn("send verification mail", "user_id", u.ID, "err", err)
	}
}

// ResendVerification mails the caller a new verification link, at most
// linksPerAccount times an hour.
func (a *Accounts) ResendVerification(ctx context.Context, userID string) error {
	u, err := a.users.Get(ctx, userID)
	if err != nil {
		return err
	}
	if u.EmailVerified() {
		return domain.ErrAlreadyVerified
	}
	if !a.mailReady() {
		return ErrMailOff
	}
	over, wait, err := a.overLimit(ctx, "link:verify:"+u.ID, linksPerAccount)
	if err != nil {
		return err
	}
	if over {
		return &domain.RateLimitedError{Action: "mail", RetryAfter: wait}
	}
	return a.sendLink(ctx, u, domain.PurposeVerifyEmail, "")
}

// ErrMailOff says the platform sends no e-mail, so no link can be sent.
var ErrMailOff = errors.New("e-mail is not configured")

// useLink checks a token for purpose p and records its use; every refusal
// is domain.ErrTokenInvalid.
func (a *Accounts) useLink(ctx context.Context, token string, p domain.Purpose) (*domain.LinkToken, error) {
	if token == "" || a.links == nil {
		return nil, domain.ErrTokenInvalid
	}
	t, err := a.links.LinkToken(ctx, domain.HashLinkToken(token))
	if err != nil {
		return nil, err
	}
	now := a.cfg.Now()
	if !t.Usable(p, now) {
		return nil, domain.ErrTokenInvalid
	}
	first, err := a.links.UseLinkToken(ctx, t, now)
	if err != nil {
		return nil, err
	}
	if !first {
		return nil, domain.ErrTokenInvalid
	}
	return t, nil
}

// peekLink checks a token for purpose p without using it.
func (a *Accounts) peekLink(ctx context.Context, token string, p domain.Purpose) (*domain.LinkToken, error) {
	if token == "" || a.links == nil {
		return nil, domain.ErrTokenInvalid
	}
	t, err := a.links.LinkToken(ctx, domain.HashLinkToken(token))
	if err != nil {
		return nil, err
	}
	if !t.Usable(p, a.cfg.Now()) {
		return nil, domain.ErrTokenInvalid
	}
	return t, nil
}

// VerifyEmail marks the address of the token's account verified. A token
// works once.
func (a *Accounts) VerifyEmail(ctx context.Context, token string) (*domain.User, error) {
	t, err := a.useLink(ctx, token, domain.PurposeVerifyEmail)
	if err != nil {
		return nil, err
	}
	u, err := a.users.Update(ctx, t.UserID, func(u *domain.User) ([]events.Envelope, error) {
		if !u.MarkEmailVerified(a.cfg.Now()) {
			return nil, domain.ErrUnchanged
		}
		return nil, nil
	})
	if errors.Is(err, domain.ErrUserNotFound) {
		return nil, domain.ErrTokenInvalid
	}
	if err == nil {
		a.log.Info("e-mail address verified", "user_id", u.ID)
	}
	return u, err
}

// ForgotPassword answers at once and the same way for every address: the
// reset mail is prepared in the background, and only for an account that
// exists and may sign in, at most linksPerAccount times an hour. Requests
// are limited per client address (resetsPerAddress an hour), which says
// nothing about any account.
func (a *Accounts) ForgotPassword(ctx context.Context, email, clientIP string) error {
	over, wait, err := a.overLimit(ctx, "reset:ip:"+clientKey(clientIP), resetsPerAddress)
	if err != nil {
		return err
	}
	if over {
		return &domain.RateLimitedError{Action: "reset", RetryAfter: wait}
	}
	norm, err := domain.NormalizeEmail(email)
	if err != nil {
		return err // a malformed address is no account either way
	}
	if !a.mailReady() {
		return nil
	}
	a.bg.Add(1)
	go func() {
		defer a.bg.Done()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		if err := a.mailReset(ctx, norm); err != nil {
			a.log.Warn("password reset mail", "err", err)
		}
	}()
	return nil
}

// mailReset sends the reset link for an address, if it has an account.
func (a *Accounts) mailReset(ctx context.Context, email string) error {
	u, err := a.users.GetByEmail(ctx, email)
	if errors.Is(err, domain.ErrUserNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if !u.CanSignIn() {
		return nil
	}
	a.resets.Lock()
	defer a.resets.Unlock()
	over, _, err := a.overLimit(ctx, "link:reset:"+u.ID, linksPerAccount)
	if err != nil || over {
		return err
	}
	return a.sendLink(ctx, u, domain.PurposeResetPassword, "")
}

// SendReset is an admin sending a user the reset mail; the admin never
// sees or sets a password.
func (a *Accounts) SendReset(ctx context.Context, adminID, userID string) error {
	u, err := a.users.Get(ctx, userID)
	if err != nil {
		return err
	}
	if !a.mailReady() {
		return ErrMailOff
	}
	if err := a.sendLink(ctx, u, domain.PurposeResetPassword, ""); err != nil {
		return err
	}
	a.audit(ctx, adminID, userID, "password_reset_sent")
	return nil
}

// CheckResetToken tells whether a reset link is still good, for the page
// that asks for the new password.
func (a *Accounts) CheckResetToken(ctx context.Context, token string) error {
	_, err := a.peekLink(ctx, token, domain.PurposeResetPassword)
	return err
}

// ResetPassword sets a new password with a reset token. The token works
// once, within its hour; the password rules are checked before it is used,
// so a refused password leaves the link working. Every session of the
// account ends, and the address counts as verified (the link reached it).
func (a *Accounts) ResetPassword(ctx context.Context, token, pw string) error {
	t, err := a.peekLink(ctx, token, domain.PurposeResetPassword)
	if err != nil {
		return err
	}
	u, err := a.users.Get(ctx, t.UserID)
	if errors.Is(err, domain.ErrUserNotFound) {
		return domain.ErrTokenInvalid
	}
	if err != nil {
		return err
	}
	if err := password.Check(pw, u.Email); err != nil {
		return err
	}
	hash, err := a.hasher.Hash(ctx, pw)
	if err != nil {
		return err
	}
	if _, err := a.useLink(ctx, token, domain.PurposeResetPassword); err != nil {
		return err
	}
	if err := a.setPassword(ctx, u.ID, hash, true); err != nil {
		return err
	}
	a.log.Info("password reset", "user_id", u.ID)
	return a.endSessions(ctx, u.ID, "", "password_reset")
}

// ChangePassword is a signed-in user choosing a new password: the current
// one must be right (wrong guesses are limited per account), and every
// other session of the account ends.
func (a *Accounts) ChangePassword(ctx context.Context, userID, sessionID, current, next string) error {
	u, err := a.users.Get(ctx, userID)
	if err != nil {
		return err
	}
	if err := password.Check(next, u.Email); err != nil {
		return err
	}
	now := a.cfg.Now()
	start := now.Truncate(linkWindow)
	key := "change:" + u.ID
	n, err := a.limiter.Hit(ctx, key, start, linkWindow)
	if err != nil {
		return fmt.Errorf("count password changes: %w", err)
	}
	if n > changesPerAccount {
		_ = a.limiter.Forget(ctx, key, start)
		return &domain.RateLimitedError{RetryAfter: max(start.Add(linkWindow).Sub(now), time.Second)}
	}
	ok, err := a.hasher.Verify(ctx, current, u.PasswordHash)
	if err != nil {
		return err
	}
	if !ok {
		return domain.ErrWrongPassword
	}
	_ = a.limiter.Forget(ctx, key, start)
	hash, err := a.hasher.Hash(ctx, next)
	if err != nil {
		return err
	}
	if err := a.setPassword(ctx, u.ID, hash, false); err != nil {
		return err
	}
	a.log.Info("password changed", "user_id", u.ID)
	return a.endSessions(ctx, u.ID, sessionID, "password_changed")
}

func (a *Accounts) setPassword(ctx context.Context, userID, hash string, verified bool) error {
	_, err := a.users.Update(ctx, userID, func(u *domain.User) ([]events.Envelope, error) {
		now := a.cfg.Now()
		u.SetPasswordHash(hash, now)
		if verified {
			u.MarkEmailVerified(now)
		}
		return nil, nil
	})
	if err != nil {
		return err
	}
	if a.links != nil {
		// Links sent before the change must not undo it.
		if err := a.links.DropLinkTokens(ctx, userID, domain.PurposeResetPassword); err != nil {
			a.log.Warn("drop reset links", "user_id", userID, "err", err)
		}
	}
	return nil
}

// endSessions ends every live session of a user but keep (the caller's
// own, for a password change).
func (a *Accounts) endSessions(ctx context.Context, userID, keep, reason string) error {
	now := a.cfg.Now()
	ss, err := a.sessions.UserSessions(ctx, userID, now)
	if err != nil {
		return err
	}
	for _, s := range ss {
		if s.ID == keep || s.Revoked {
			continue
		}
		if err := a.endSession(ctx, s, now, reason); err != nil {
			return err
		}
	}
	return nil
}
