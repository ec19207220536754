package profiles_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"

	"github.com/talentbridge/platform/services/profiles/internal/domain"
	"github.com/talentbridge/platform/shared/auth"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	"github.com/talentbridge/platform/shared/platformtest"
)

// stubExport answers tb.rpc.<service>.export with data for userID only, as
// the real services will.
func stubExport(t *testing.T, env *platformtest.Env, service, userID string, data any) {
	t.Helper()
	sub, err := env.Deps.Bus.NC.Subscribe(profilesev.ExportSubject(service), func(m *nats.Msg) {
		var req profilesev.ExportRequest
		_ = json.Unmarshal(m.Data, &req)
		part := profilesev.ExportPart{Service: service, Data: json.RawMessage(`{}`)}
		if req.UserID == userID {
			part.Data, _ = json.Marshal(data)
		}
		b, _ := json.Marshal(part)
		_ = m.Respond(b)
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sub.Unsubscribe() })
}

func TestExport(t *testing.T) {
	t.Parallel()
	env := start(t)
	user := uuid.NewString()
	tok := env.Issuer.Token(t, user, auth.RoleApplicant)
	create(t, env, tok, profileBody())
	host := uuid.NewString()
	publish(t, env, submitted(t, "app-1", user, host, 1))
	platformtest.ConsumerSettled(t, env.Deps.Bus, "MATCHING", "profiles-applications", 1)

	stubExport(t, env, "matching", user, map[string]any{
		"applications": []any{map[string]any{"id": "app-1", "programId": "prog-1", "status": "submitted"}},
	})
	stubExport(t, env, "identity", user, map[string]any{
		"account":       map[string]any{"email": "asha@example.org", "role": "applicant"},
		"notifications": []any{map[string]any{"id": "n-1", "text": "Your application was received"}},
	})
	stubExport(t, env, "documents", user, map[string]any{"documents": []any{}, "references": []any{}})
	stubExport(t, env, "placements", user, map[string]any{"placements": []any{}})
	// programs is there but too slow: it must be listed as unavailable.
	slow, err := env.Deps.Bus.NC.Subscribe(profilesev.ExportSubject("programs"), func(*nats.Msg) {})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = slow.Unsubscribe() })

	started := time.Now()
	r := env.Do(t, http.MethodGet, "/api/v1/profiles/me/export", tok, nil)
	mustStatus(t, r, http.StatusOK, "GET /profiles/me/export")
	if took := time.Since(started); took > 5*time.Second {
		t.Errorf("export took %v, want about the 2s timeout at most", took)
	}
	var x struct {
		UserID   string `json:"userId"`
		Services struct {
			Profiles struct {
				Profile struct {
					ID         string   `json:"id"`
					Name       string   `json:"name"`
					Statement  string   `json:"statement"`
					Categories []string `json:"categories"`
					Consents   struct {
						DataProcessing bool `json:"dataProcessing"`
						Categories     bool `json:"categories"`
						Recorded       struct {
							DataProcessing struct {
								At            time.Time `json:"at"`
								NoticeVersion string    `json:"noticeVersion"`
							} `json:"dataProcessing"`
						} `json:"recorded"`
					} `json:"consents"`
				} `json:"profile"`
				Applications []struct {
					ID     string `json:"applicationId"`
					HostID string `json:"hostId"`
				} `json:"applications"`
			} `json:"profiles"`
			Matching struct {
				Applications []struct {
					ID string `json:"id"`
				} `json:"applications"`
			} `json:"matching"`
			Identity struct {
				Account struct {
					Email string `json:"email"`
				} `json:"account"`
				Notifications []struct {
					Text string `json:"text"`
				} `json:"notifications"`
			} `json:"identity"`
		} `json:"services"`
		Unavailable []string `json:"unavailable"`
	}
	r.JSON(t, &x)
	p := x.Services.Profiles
	if x.UserID != user || p.Profile.ID != user || p.Profile.Name != "Asha Rao" || p.Profile.Statement == "" {
		t.Errorf("export profile = %+v, want Asha's whole profile", p.Profile)
	}
	if c := p.Profile.Categories; len(c) != 2 || c[0] != "women" || c[1] != "first_generation" || !p.Profile.Consents.Categories {
		t.Errorf("export categories = %v (consent %v), want [women first_generation] with their consent", c, p.Profile.Consents.Categories)
	}
	if c := p.Profile.Consents; !c.DataProcessing || c.Recorded.DataProcessing.NoticeVersion != domain.NoticeVersion || c.Recorded.DataProcessing.At.IsZero() {
		t.Errorf("export consents = %+v, want processing consent with its time and notice version", c)
	}
	if len(p.Applications) != 1 || p.Applications[0].ID != "app-1" || p.Applications[0].HostID != host {
		t.Errorf("export profiles applications = %+v, want app-1 to %s", p.Applications, host)
	}
	if a := x.Services.Matching.Applications; len(a) != 1 || a[0].ID != "app-1" {
		t.Errorf("export matching part = %+v, want the stub's application app-1", a)
	}
	if id := x.Services.Identity; id.Account.Email != "asha@example.org" || len(id.Notifications) != 1 {
		t.Errorf("export identity part = %+v, want the stub's account and notification", id)
	}
	if len(x.Unavailable) != 1 || x.Unavailable[0] != "programs" {
		t.Errorf("export unavailable = %v, want [programs]", x.Unavailable)
	}
	if cd := r.Header.Get("Content-Disposition"); cd == "" {
		t.Errorf("export has no Content-Disposition; want an attachment")
	}

	// The service answers its own export subject too.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := json.Marshal(profilesev.ExportRequest{UserID: user})
	msg, err := env.Deps.Bus.NC.RequestWithContext(ctx, profilesev.ExportSubject("profiles"), req)
	if err != nil {
		t.Fatalf("request tb.rpc.profiles.export: %v", err)
	}
	var part profilesev.ExportPart
	platformtest.DecodeJSON(t, msg.Data, &part)
	var own struct {
		Profile struct {
			ID string `json:"id"`
		} `json:"profile"`
	}
	platformtest.DecodeJSON(t, part.Data, &own)
	if part.Service != "profiles" || part.Error != "" || own.Profile.ID != user {
		t.Errorf("tb.rpc.profiles.export = %s, want the profiles part for %s", msg.Data, user)
	}
	msg, err = env.Deps.Bus.NC.RequestWithContext(ctx, profilesev.ExportSubject("profiles"), []byte(`{}`))
	if err != nil {
		t.Fatalf("request tb.rpc.profiles.export: %v", err)
	}
	var refused profilesev.ExportPart
	platformtest.DecodeJSON(t, msg.Data, &refused)
	if refused.Error == "" || len(refused.Data) != 0 {
		t.Errorf("tb.rpc.profiles.export without userId = %s, want an error and no data", msg.Data)
	}

	// A host, who has no profile, still gets an export.
	_ = slow.Unsubscribe()
	hostTok := env.Issuer.Token(t, host, auth.RoleHost)
	r = env.Do(t, http.MethodGet, "/api/v1/profiles/me/export", hostTok, nil)
	mustStatus(t, r, http.StatusOK, "host GET /profiles/me/export")
	var hx struct {
		Services map[string]json.RawMessage `json:"services"`
	}
	r.JSON(t, &hx)
	var hostOwn struct {
		Profile *struct{} `json:"profile"`
	}
	platformtest.DecodeJSON(t, hx.Services["profiles"], &hostOwn)
	if hostOwn.Profile != nil || len(hx.Services["identity"]) == 0 {
		t.Errorf("host export = %s, want no profile and the other parts", r.Body)
	}
}
