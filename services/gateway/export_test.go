package gateway_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	profilesev "github.com/talentbridge/platform/shared/events/profiles"
)

// TestExportPart asks the gateway over NATS for what it holds about a user,
// as the profiles service does for GET /profiles/me/export.
func TestExportPart(t *testing.T) {
	t.Parallel()
	e := start(t, envOptions{})
	email := uniqueEmail(t, "export")
	u := e.signup(t, email, "applicant")

	ask := func(userID string) profilesev.ExportPart {
		t.Helper()
		req, _ := json.Marshal(profilesev.ExportRequest{UserID: userID})
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		msg, err := e.NC.RequestWithContext(ctx, profilesev.ExportSubject(profilesev.ServiceIdentity), req)
		if err != nil {
			t.Fatalf("export request: %v", err)
		}
		var part profilesev.ExportPart
		if err := json.Unmarshal(msg.Data, &part); err != nil {
			t.Fatal(err)
		}
		return part
	}

	part := ask(u.ID)
	if part.Service != "identity" || part.Error != "" {
		t.Fatalf("export part = %+v", part)
	}
	var data struct {
		Account struct {
			ID, Email, Role string
		}
		Notifications        []json.RawMessage
		NotificationSettings *struct{ Language string }
		Mails                []json.RawMessage
	}
	if err := json.Unmarshal(part.Data, &data); err != nil {
		t.Fatal(err)
	}
	if data.Account.ID != u.ID || data.Account.Email != email || data.Account.Role != "applicant" {
		t.Errorf("export account = %+v, want %s %s applicant", data.Account, u.ID, email)
	}
	if data.Notifications == nil {
		t.Error("export has no notifications list")
	}
	if data.Mails == nil || data.NotificationSettings == nil || data.NotificationSettings.Language != "en" {
		t.Errorf("export lacks the mails list or the notification settings: %s", part.Data)
	}
	if strings.Contains(string(part.Data), "argon2id") {
		t.Error("export contains the password hash")
	}
	// Someone the gateway does not know: an empty part, not an error.
	if other := ask("no-such-user"); other.Error != "" || strings.Contains(string(other.Data), `"account"`) {
		t.Errorf("export of an unknown user = %+v", other)
	}
}
