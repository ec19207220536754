package profiles_test

import (
	"maps"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/talentbridge/platform/services/profiles"
	"github.com/talentbridge/platform/services/profiles/internal/domain"
	apiprofiles "github.com/talentbridge/platform/shared/api/profiles"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/events/matching"
	"github.com/talentbridge/platform/shared/platformtest"
)

func start(t *testing.T) *platformtest.Env {
	t.Helper()
	return platformtest.Start(t, platformtest.Options{}, profiles.New)
}

// profileBody is the sample profile of DESIGN.md §4 as a client sends it.
func profileBody() map[string]any {
	return map[string]any{
		"kind": "student", "name": "Asha Rao", "homeCountry": "IN", "institution": "IIT Madras",
		"region": "Tamil Nadu", "fields": []any{"1.2"}, "skills": []any{"machine learning", "nlp"},
		"languages":   []any{map[string]any{"code": "en", "level": "C1"}, map[string]any{"code": "ja", "level": "N4"}},
		"degreeLevel": "master", "birthYear": 2001, "availableFrom": "2027-04-01", "availableTo": "2028-03-31",
		"preferences": map[string]any{"programKinds": []any{"exchange", "joint_research"}, "hostRegions": []any{"Tokyo"}},
		"statement":   "I want to build speech tools for disaster response.", "gender": "female",
		"categories": []any{"women", "first_generation"},
		"consents": map[string]any{"noticeVersion": domain.NoticeVersion, "dataProcessing": true, "crossBorderTransfer": true, "visibleToHosts": true,
			"categories": true},
	}
}

// with returns a copy of body with key set to v at a dotted path ("consents.dataProcessing");
// a nil v deletes the key.
func with(body map[string]any, path string, v any) map[string]any {
	out := deepCopy(body)
	m := out
	keys := strings.Split(path, ".")
	for _, k := range keys[:len(keys)-1] {
		m = m[k].(map[string]any)
	}
	if v == nil {
		delete(m, keys[len(keys)-1])
	} else {
		m[keys[len(keys)-1]] = v
	}
	return out
}

func deepCopy(m map[string]any) map[string]any {
	out := maps.Clone(m)
	for k, v := range out {
		if sub, ok := v.(map[string]any); ok {
			out[k] = deepCopy(sub)
		}
	}
	return out
}

func mustStatus(t *testing.T, r platformtest.Response, want int, what string) {
	t.Helper()
	if r.Status != want {
		t.Fatalf("%s = %d %s, want %d", what, r.Status, r.Body, want)
	}
}

func create(t *testing.T, env *platformtest.Env, token string, body map[string]any) apiprofiles.Profile {
	t.Helper()
	r := env.Do(t, http.MethodPost, "/api/v1/profiles", token, body)
	mustStatus(t, r, http.StatusCreated, "POST /profiles")
	var v apiprofiles.Profile
	r.JSON(t, &v)
	return v
}

// streamEvents returns the events of a stream about aggregate id, in
// stream order.
func streamEvents(t *testing.T, env *platformtest.Env, stream, id string) []events.Envelope {
	t.Helper()
	return platformtest.StreamEvents(t, env.Deps.Bus, stream, platformtest.EventFilter{Subject: id})
}

// waitEvents waits until the stream holds want events for id and returns
// them.
func waitEvents(t *testing.T, env *platformtest.Env, stream, id string, want int) []events.Envelope {
	t.Helper()
	return platformtest.WaitEvents(t, env.Deps.Bus, stream, platformtest.EventFilter{Subject: id}, want)
}

func publish(t *testing.T, env *platformtest.Env, ev events.Envelope) events.Envelope {
	t.Helper()
	return platformtest.Publish(t, env.Deps.Bus, ev)
}

func submitted(t *testing.T, appID, applicant, host string, version int64) events.Envelope {
	return platformtest.Event(t, matching.Source, events.ApplicationSubmitted, appID, version, matching.ApplicationSubmitted{
		ApplicationID: appID, ApplicantID: applicant, ProgramID: "prog-" + host, HostID: host,
		SubmittedAt: time.Now().UTC(),
	})
}

func withdrawn(t *testing.T, appID, applicant, host string, version int64) events.Envelope {
	return platformtest.Event(t, matching.Source, events.ApplicationWithdrawn, appID, version, matching.ApplicationWithdrawn{
		ApplicationID: appID, ApplicantID: applicant, ProgramID: "prog-" + host, HostID: host,
		WithdrawnAt: time.Now().UTC(),
	})
}
