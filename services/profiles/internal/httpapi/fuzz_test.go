package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/talentbridge/platform/services/profiles/internal/app"
	"github.com/talentbridge/platform/services/profiles/internal/domain"
	apiprofiles "github.com/talentbridge/platform/shared/api/profiles"
	"github.com/talentbridge/platform/shared/web"
)

var fuzzNow = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

const sampleProfile = `{"kind": "student", "name": "Asha Rao", "homeCountry": "IN", "institution": "IIT Madras",
 "region": "Tamil Nadu", "fields": ["1.2"], "skills": ["machine learning", "nlp"],
 "languages": [{"code": "en", "level": "C1"}, {"code": "ja", "level": "N4"}],
 "degreeLevel": "master", "birthYear": 2001, "availableFrom": "2027-04-01", "availableTo": "2028-03-31",
 "preferences": {"programKinds": ["exchange", "joint_research"], "hostRegions": ["Tokyo"]},
 "statement": "…", "gender": "female",
 "consents": {"noticeVersion": "2026-12", "dataProcessing": true, "crossBorderTransfer": true, "visibleToHosts": true}}`

// decodeProfile is what POST /profiles does with a body before storing it:
// strict JSON, then every rule of a profile.
func decodeProfile(body []byte) (*domain.Profile, error) {
	var r apiprofiles.ProfileRequest
	if err := web.Decode(bytes.NewReader(body), &r); err != nil {
		return nil, err
	}
	return domain.New("fuzz-user", draftOf(r), fuzzNow, "")
}

func TestDecodeProfile(t *testing.T) {
	p, err := decodeProfile([]byte(sampleProfile))
	if err != nil {
		t.Fatalf("decodeProfile(sample) = %v, want nil", err)
	}
	if p.Name != "Asha Rao" || len(p.Languages) != 2 || !p.Consents.VisibleToHosts.Granted {
		t.Errorf("decodeProfile(sample) = %+v, want the sample profile", p)
	}
	for _, c := range []struct{ name, body, field string }{
		{"unknown field", `{"role": "admin"}`, "role"},
		{"wrong type", `{"birthYear": "2001"}`, "birthYear"},
	} {
		_, err := decodeProfile([]byte(c.body))
		var we *web.Error
		if !errors.As(err, &we) || we.Status != http.StatusBadRequest || len(we.Fields) != 1 || we.Fields[0].Field != c.field {
			t.Errorf("decodeProfile(%s) = %v, want 400 naming %s", c.name, err, c.field)
		}
	}
}

func FuzzDecodeProfile(f *testing.F) {
	f.Add([]byte(sampleProfile))
	f.Add([]byte(`{"kind":"researcher","name":"Kenji","homeCountry":"JP","degreeLevel":"phd","birthYear":1990,"consents":{"noticeVersion":"2026-12","dataProcessing":true}}`))
	f.Add([]byte(`{"name":"x","birthYear":2012,"guardianConsent":{"name":"y","relation":"parent"}}`))
	f.Add([]byte(`{"kind":"student","name":"Meera","homeCountry":"IN","degreeLevel":"master","birthYear":2000,"categories":["women","rural"],"consents":{"noticeVersion":"2026-12","dataProcessing":true,"categories":true}}`))
	f.Add([]byte(`{"kind":"student","name":"Meera","homeCountry":"IN","degreeLevel":"master","birthYear":2000,"categories":["women","women","caste"],"consents":{"noticeVersion":"2026-12","dataProcessing":true}}`))
	f.Add([]byte(`{"languages":[{"code":"ja","level":"b2"}],"fields":["9"]}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := decodeProfile(body)
		if err != nil {
			var we *web.Error
			var ve *domain.ValidationError
			switch {
			case errors.As(err, &we):
				if we.Status != http.StatusBadRequest {
					t.Fatalf("decode error status %d, want 400", we.Status)
				}
			case errors.As(err, &ve):
				if len(ve.Problems) == 0 {
					t.Fatal("validation error without problems")
				}
				for _, pr := range ve.Problems {
					if pr.Field == "" || pr.Reason == "" {
						t.Fatalf("problem %+v lacks a field or a reason", pr)
					}
				}
			default:
				t.Fatalf("decodeProfile error of unexpected type %T: %v", err, err)
			}
			return
		}
		if p.Name == "" || utf8.RuneCountInString(p.Statement) > domain.MaxStatementLen || !p.Consents.DataProcessing.Granted {
			t.Fatalf("accepted a profile that breaks a rule: %+v", p)
		}
		if len(p.Categories) > 0 && !p.Consents.Categories.Granted {
			t.Fatalf("accepted categories %v without their consent", p.Categories)
		}
		if v := app.View(p, app.AudienceHost); len(v.Categories) != 0 || v.Consents.Categories {
			t.Fatalf("a host's view shows categories: %+v", v.Categories)
		}
		if domain.MightBeMinor(p.BirthYear, fuzzNow) != (p.Guardian != nil) {
			t.Fatalf("accepted birth year %d with guardian %v", p.BirthYear, p.Guardian)
		}
		// What was accepted stays accepted and unchanged when saved again.
		again := p.Clone()
		changed, err := again.Revise(domain.Draft{Details: p.Details, Consents: domain.ConsentChoice{
			NoticeVersion: p.Consents.NoticeVersion, DataProcessing: true,
			CrossBorderTransfer: p.Consents.CrossBorderTransfer.Granted, VisibleToHosts: p.Consents.VisibleToHosts.Granted,
			Categories: p.Consents.Categories.Granted,
		}, Guardian: guardianChoice(p.Guardian)}, fuzzNow)
		if err != nil || changed {
			t.Fatalf("re-saving an accepted profile = changed %v, %v; want unchanged, nil", changed, err)
		}
		if _, err := json.Marshal(app.View(p, app.AudienceFull)); err != nil {
			t.Fatalf("encode accepted profile: %v", err)
		}
	})
}

func guardianChoice(g *domain.Guardian) *domain.GuardianChoice {
	if g == nil {
		return nil
	}
	return &domain.GuardianChoice{Name: g.Name, Relation: g.Relation}
}
