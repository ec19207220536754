package profiles_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/talentbridge/platform/services/profiles"
	apiprofiles "github.com/talentbridge/platform/shared/api/profiles"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/events/matching"
	"github.com/talentbridge/platform/shared/platformtest"
	"github.com/talentbridge/platform/shared/web"
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
		"consents": map[string]any{"noticeVersion": "2026-11", "dataProcessing": true, "crossBorderTransfer": true, "visibleToHosts": true},
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

// problem decodes a problem+json body.
func problem(t *testing.T, r platformtest.Response) web.Problem {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("Content-Type = %q, want application/problem+json (body %s)", ct, r.Body)
	}
	var p web.Problem
	r.JSON(t, &p)
	return p
}

// streamEvents returns the events of a stream whose subject (aggregate id)
// is id, in stream order.
func streamEvents(t *testing.T, env *platformtest.Env, stream, id string) []events.Envelope {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := env.Deps.Bus.JS.Stream(ctx, stream)
	if err != nil {
		t.Fatalf("stream %s: %v", stream, err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatalf("stream info: %v", err)
	}
	var out []events.Envelope
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && info.State.Msgs > 0; seq++ {
		m, err := s.GetMsg(ctx, seq)
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			continue
		}
		if err != nil {
			t.Fatalf("get message %d: %v", seq, err)
		}
		ev, err := events.Parse(m.Data)
		if err != nil {
			t.Fatalf("parse event %d: %v", seq, err)
		}
		if ev.Subject == id {
			out = append(out, ev)
		}
	}
	return out
}

// waitEvents waits until the stream holds want events for id and returns
// them.
func waitEvents(t *testing.T, env *platformtest.Env, stream, id string, want int) []events.Envelope {
	t.Helper()
	var got []events.Envelope
	platformtest.Eventually(t, 20*time.Second, func() error {
		got = streamEvents(t, env, stream, id)
		if len(got) < want {
			return fmt.Errorf("%d events for %s in %s, want %d", len(got), id, stream, want)
		}
		return nil
	})
	return got
}

func publish(t *testing.T, env *platformtest.Env, ev events.Envelope) events.Envelope {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := env.Deps.Bus.PublishEvent(ctx, ev); err != nil {
		t.Fatalf("publish %s: %v", ev.Type, err)
	}
	return ev
}

func must(t *testing.T, ev events.Envelope, err error) events.Envelope {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

func submitted(t *testing.T, appID, applicant, host string, version int64) events.Envelope {
	ev, err := events.New(matching.Source, events.ApplicationSubmitted, appID, version, matching.ApplicationSubmitted{
		ApplicationID: appID, ApplicantID: applicant, ProgramID: "prog-" + host, HostID: host,
		SubmittedAt: time.Now().UTC(),
	})
	return must(t, ev, err)
}

func withdrawn(t *testing.T, appID, applicant, host string, version int64) events.Envelope {
	ev, err := events.New(matching.Source, events.ApplicationWithdrawn, appID, version, matching.ApplicationWithdrawn{
		ApplicationID: appID, ApplicantID: applicant, ProgramID: "prog-" + host, HostID: host,
		WithdrawnAt: time.Now().UTC(),
	})
	return must(t, ev, err)
}

// consumerSettled waits until a durable consumer has handled every message
// of its stream without a pending acknowledgement, and returns its state.
func consumerSettled(t *testing.T, env *platformtest.Env, stream, durable string, delivered uint64) *jetstream.ConsumerInfo {
	t.Helper()
	var info *jetstream.ConsumerInfo
	platformtest.Eventually(t, 20*time.Second, func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		c, err := env.Deps.Bus.JS.Consumer(ctx, stream, durable)
		if err != nil {
			return err
		}
		info, err = c.Info(ctx)
		if err != nil {
			return err
		}
		if info.NumPending != 0 || info.NumAckPending != 0 || info.AckFloor.Consumer < delivered {
			return fmt.Errorf("consumer %s: pending %d, ack pending %d, acked %d; want all %d acked",
				durable, info.NumPending, info.NumAckPending, info.AckFloor.Consumer, delivered)
		}
		return nil
	})
	return info
}

func decodeJSON(t *testing.T, raw []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
}
