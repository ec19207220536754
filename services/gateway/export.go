package gateway

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/talentbridge/platform/services/gateway/internal/domain"
	"github.com/talentbridge/platform/services/gateway/internal/notify"
	apiidentity "github.com/talentbridge/platform/shared/api/identity"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	"github.com/talentbridge/platform/shared/mail"
	"github.com/talentbridge/platform/shared/natsbus"
)

// exportData is the gateway's part of a person's data export: their
// account (without the password hash), their notifications, their
// notification settings and the e-mails sent or queued to them (subject,
// address and status; bodies are dropped once sent).
type exportData struct {
	Account              *exportAccount                    `json:"account,omitempty"`
	Notifications        []apiidentity.Notification        `json:"notifications"`
	NotificationSettings *apiidentity.NotificationSettings `json:"notificationSettings,omitempty"`
	Mails                []mail.Stored                     `json:"mails"`
	// Interviews are the booked interviews the gateway keeps for their
	// reminders (ids and times).
	Interviews []notify.Interview `json:"interviews"`
}

type exportAccount struct {
	ID           string    `json:"id"`
	Email        string    `json:"email"`
	Name         string    `json:"name"`
	Organization string    `json:"organization,omitempty"`
	Role         string    `json:"role"`
	Status       string    `json:"status"`
	CreatedAt    time.Time `json:"createdAt"`
	VerifiedAt   time.Time `json:"verifiedAt,omitzero"`
	// DeclinedAt and DeclineReason: a coordinator declined to verify the
	// host, and why (the host's own record of it).
	DeclinedAt    time.Time `json:"declinedAt,omitzero"`
	DeclineReason string    `json:"declineReason,omitempty"`
}

// exportEndpoint answers tb.rpc.identity.export (see shared/events/profiles)
// in a queue group, so one replica answers each request.
func (s *Service) exportEndpoint() natsbus.Endpoint {
	return natsbus.Endpoint{Name: "export", Subject: profilesev.ExportSubject(profilesev.ServiceIdentity), Queue: "gateway-export",
		Handle: func(data []byte) (any, *natsbus.RPCError) {
			part := profilesev.ExportPart{Service: profilesev.ServiceIdentity}
			var req profilesev.ExportRequest
			if err := json.Unmarshal(data, &req); err != nil || req.UserID == "" {
				part.Error = "the request needs a userId"
				return part, &natsbus.RPCError{Code: "400", Description: part.Error}
			}
			raw, err := s.exportFor(req.UserID)
			if err != nil {
				s.deps.Log.Warn("export identity part", "err", err)
				part.Error = "the identity part could not be read"
				return part, &natsbus.RPCError{Code: "503", Description: part.Error}
			}
			part.Data = raw
			return part, nil
		}}
}

func (s *Service) exportFor(userID string) (json.RawMessage, error) {
	ctx, cancel := context.WithTimeout(context.Background(), profilesev.ExportTimeout)
	defer cancel()
	var out exportData
	u, err := s.accounts.Me(ctx, userID)
	switch {
	case err == nil:
		out.Account = &exportAccount{ID: u.ID, Email: u.Email, Name: u.Name, Organization: u.Organization,
			Role: string(u.Role), Status: string(u.Status), CreatedAt: u.CreatedAt, VerifiedAt: u.VerifiedAt,
			DeclinedAt: u.DeclinedAt, DeclineReason: u.DeclineReason}
	case !errors.Is(err, domain.ErrUserNotFound):
		return nil, err
	}
	if out.Notifications, err = s.inbox.ForUser(ctx, userID); err != nil {
		return nil, err
	}
	if out.Account != nil {
		st, err := s.inbox.Settings(ctx, userID)
		if err != nil {
			return nil, err
		}
		out.NotificationSettings = &st
	}
	if out.Mails, err = s.mails.ForUser(ctx, userID); err != nil {
		return nil, err
	}
	if out.Interviews, err = s.inbox.InterviewsFor(ctx, userID); err != nil {
		return nil, err
	}
	return json.Marshal(out)
}
