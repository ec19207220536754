package app

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/talentbridge/platform/services/gateway/internal/domain"
	"github.com/talentbridge/platform/shared/events"
)

// AuditEntry records an admin's action on an account. It holds only ids,
// so it may outlive the account (DESIGN.md §6).
type AuditEntry struct {
	ID     string
	Actor  string
	Target string
	// Action is disabled, enabled or password_reset_sent.
	Action string
	Reason string
	At     time.Time
}

// AuditStore keeps the admin actions on accounts.
type AuditStore interface {
	AddAudit(ctx context.Context, e AuditEntry) error
	// Audit returns a page of entries, newest first, of one target when
	// target is not empty.
	Audit(ctx context.Context, target string, page, size int) ([]AuditEntry, int64, error)
}

// UseAudit connects the admin use cases to where they record their actions.
func (a *Accounts) UseAudit(s AuditStore) { a.auditLog = s }

// audit records an admin action; the action has happened, so a failure to
// record it is logged rather than returned.
func (a *Accounts) audit(ctx context.Context, actor, target, action string, reason ...string) {
	a.log.Info("admin action", "action", action, "user_id", target, "by", actor)
	if a.auditLog == nil {
		return
	}
	id, err := uuid.NewV7() // time-ordered: entries of one instant keep their order
	if err != nil {
		id = uuid.New()
	}
	e := AuditEntry{ID: id.String(), Actor: actor, Target: target, Action: action, At: a.cfg.Now().UTC()}
	if len(reason) > 0 {
		e.Reason = reason[0]
	}
	if err := a.auditLog.AddAudit(ctx, e); err != nil {
		a.log.Warn("record admin action", "action", action, "user_id", target, "err", err)
	}
}

// Audit lists the admin actions on accounts.
func (a *Accounts) Audit(ctx context.Context, target string, page, size int) ([]AuditEntry, int64, error) {
	if a.auditLog == nil {
		return nil, 0, nil
	}
	return a.auditLog.Audit(ctx, target, page, size)
}

// DisableUser is an admin disabling an account: it can no longer sign in,
// and every session of it ends at once (session.revoked tells the other
// services to refuse its access tokens).
func (a *Accounts) DisableUser(ctx context.Context, adminID, userID, reason string) (*domain.User, error) {
	changed := false
	u, err := a.users.Update(ctx, userID, func(u *domain.User) ([]events.Envelope, error) {
		c, err := u.Disable(adminID, a.cfg.Now())
		if err != nil {
			return nil, err
		}
		if changed = c; !c {
			return nil, domain.ErrUnchanged
		}
		return nil, nil
	})
	if err != nil {
		return nil, err
	}
	if changed {
		a.audit(ctx, adminID, userID, "disabled", reason)
	}
	// Ended even when the account was disabled already: a session that
	// outlived an earlier attempt ends now.
	return u, a.endSessions(ctx, userID, "", "disabled")
}

// EnableUser is an admin letting a disabled account sign in again.
func (a *Accounts) EnableUser(ctx context.Context, adminID, userID string) (*domain.User, error) {
	changed := false
	u, err := a.users.Update(ctx, userID, func(u *domain.User) ([]events.Envelope, error) {
		if changed = u.Enable(a.cfg.Now()); !changed {
			return nil, domain.ErrUnchanged
		}
		return nil, nil
	})
	if err == nil && changed {
		a.audit(ctx, adminID, userID, "enabled")
	}
	return u, err
}
