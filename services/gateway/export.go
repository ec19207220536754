package gateway

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	apiidentity "github.com/talentbridge/platform/shared/api/identity"

	"github.com/nats-io/nats.go"

	"github.com/talentbridge/platform/services/gateway/internal/domain"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
)

// exportData is the gateway's part of a person's data export: their
// account (without the password hash) and their notifications.
type exportData struct {
	Account       *exportAccount             `json:"account,omitempty"`
	Notifications []apiidentity.Notification `json:"notifications"`
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
}

// serveExport answers tb.rpc.identity.export (see shared/events/profiles)
// in a queue group, so one replica answers each request.
func (s *Service) serveExport() (*nats.Subscription, error) {
	return s.deps.Bus.NC.QueueSubscribe(profilesev.ExportSubject(profilesev.ServiceIdentity), "gateway-export", func(m *nats.Msg) {
		part := profilesev.ExportPart{Service: profilesev.ServiceIdentity}
		var req profilesev.ExportRequest
		if err := json.Unmarshal(m.Data, &req); err != nil || req.UserID == "" {
			part.Error = "the request needs a userId"
		} else if data, err := s.exportFor(req.UserID); err != nil {
			s.deps.Log.Warn("export identity part", "err", err)
			part.Error = "the identity part could not be read"
		} else {
			part.Data = data
		}
		body, _ := json.Marshal(part)
		if err := m.Respond(body); err != nil {
			s.deps.Log.Warn("answer export request", "err", err)
		}
	})
}

func (s *Service) exportFor(userID string) (json.RawMessage, error) {
	ctx, cancel := context.WithTimeout(context.Background(), profilesev.ExportTimeout)
	defer cancel()
	var out exportData
	u, err := s.accounts.Me(ctx, userID)
	switch {
	case err == nil:
		out.Account = &exportAccount{ID: u.ID, Email: u.Email, Name: u.Name, Organization: u.Organization,
			Role: string(u.Role), Status: string(u.Status), CreatedAt: u.CreatedAt, VerifiedAt: u.VerifiedAt}
	case !errors.Is(err, domain.ErrUserNotFound):
		return nil, err
	}
	if out.Notifications, err = s.inbox.ForUser(ctx, userID); err != nil {
		return nil, err
	}
	return json.Marshal(out)
}
