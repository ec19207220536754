package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/mongodb"
	"github.com/talentbridge/platform/shared/natsbus"
)

// TestExportAndErasureAcrossServices follows one applicant through every
// service that keeps something about them — account, profile, an
// application, notifications — checks that their export holds each part,
// erases the account, and then scans every collection of every database and
// every stream for their e-mail address, name and statement.
func TestExportAndErasureAcrossServices(t *testing.T) {
	p := startInProcess(t, "TB_ADMIN_EMAIL", matchAdminEmail, "TB_ADMIN_PASSWORD", matchAdminPassword,
		"TB_LOGIN_LIMIT", "1000")
	f := &matchFlow{t: t, base: p.URL}
	host, programID := f.hostedProgram("privacy.example", "host", "Host", "Tohoku University", "Privacy program", "Miyagi")

	// The person, with markers that can only come from them.
	email, name := "meera.quill.7731@privacy.example", "Meera Quillfeather"
	statement := "I study monsoon-sensor-mesh-4410 networks."
	_, tok := f.signup(email, "applicant", name, "")
	body := matchProfileBody(name, "IN")
	body["statement"] = statement
	f.must(http.MethodPost, "/profiles", tok, body, http.StatusCreated, nil)
	var app struct {
		ID string `json:"id"`
	}
	f.eventually(http.MethodPost, "/applications", tok, map[string]string{"programId": programID}, http.StatusCreated, &app)
	// Issue 19: the application's thread holds their words and words about
	// them; erasure empties both.
	said := "my-lab-phone-is-98400-77311"
	f.must(http.MethodPost, "/applications/"+app.ID+"/messages", tok, map[string]string{"body": said}, http.StatusCreated, nil)
	f.must(http.MethodPost, "/applications/"+app.ID+"/messages", host, map[string]string{"body": "Dear " + name + ", thank you."}, http.StatusCreated, nil)

	// The export holds every service's part.
	f.waitFor("the export to hold the application and its notification", func() error {
		r := f.call(http.MethodGet, "/profiles/me/export", tok, nil)
		if r.status != http.StatusOK {
			return fmt.Errorf("export = %d %s", r.status, r.body)
		}
		var doc map[string]any
		if err := json.Unmarshal(r.body, &doc); err != nil {
			return err
		}
		text := string(r.body)
		for _, want := range []string{statement, `"noticeVersion"`, programID, "application.submitted", email} {
			if !strings.Contains(text, want) {
				return fmt.Errorf("export lacks %q: %s", want, text[:min(len(text), 600)])
			}
		}
		if u, ok := doc["unavailable"].([]any); ok && len(u) > 0 {
			return fmt.Errorf("export lists unavailable services %v", u)
		}
		return nil
	})

	ctx := context.Background()
	mc, err := mongodb.Connect(ctx, p.MongoURI, "privacy-test")
	if err != nil {
		t.Fatal(err)
	}
	defer mc.Disconnect(ctx)
	bus, err := natsbus.Connect(ctx, p.NATSURL, "privacy-test", quietLog())
	if err != nil {
		t.Fatal(err)
	}
	defer bus.Close(ctx)
	needles := []string{email, name, statement, said}
	before := traces(ctx, mc, bus, needles)
	if before == nil {
		t.Fatal("the scan finds nothing before erasure; it would prove nothing after")
	}
	t.Logf("before the erasure: %v", before)

	// Erase the account: the profile and everything else goes with it.
	if r := f.call(http.MethodDelete, "/auth/me", tok, nil); r.status != http.StatusNoContent {
		t.Fatalf("DELETE /auth/me = %d %s", r.status, r.body)
	}
	began := time.Now()
	var last error
	for time.Since(began) < time.Minute {
		if last = traces(ctx, mc, bus, needles); last == nil {
			t.Logf("nothing identifying left %v after the erasure", time.Since(began).Round(100*time.Millisecond))
			return
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("a minute after the erasure: %v", last)
}

// traces scans every document of every collection of every database, and
// every message of every stream, for the needles, and says where it found
// any.
func traces(ctx context.Context, mc *mongo.Client, bus *natsbus.Bus, needles []string) error {
	var found []string
	dbs, err := mc.ListDatabaseNames(ctx, bson.D{})
	if err != nil {
		return err
	}
	for _, dbName := range dbs {
		db := mc.Database(dbName)
		colls, err := db.ListCollectionNames(ctx, bson.D{})
		if err != nil {
			return err
		}
		for _, c := range colls {
			cur, err := db.Collection(c).Find(ctx, bson.D{})
			if err != nil {
				return err
			}
			for cur.Next(ctx) {
				raw := []byte(cur.Current)
				ext, _ := bson.MarshalExtJSON(cur.Current, false, false)
				for _, n := range needles {
					if bytes.Contains(raw, []byte(n)) || bytes.Contains(ext, []byte(n)) {
						found = append(found, fmt.Sprintf("%q in %s.%s", n, dbName, c))
					}
				}
			}
			_ = cur.Close(ctx)
		}
	}
	for _, s := range events.Streams {
		st, err := bus.JS.Stream(ctx, s.Name)
		if err != nil {
			return err
		}
		info, err := st.Info(ctx)
		if err != nil {
			return err
		}
		for seq := info.State.FirstSeq; seq <= info.State.LastSeq && info.State.Msgs > 0; seq++ {
			m, err := st.GetMsg(ctx, seq)
			if errors.Is(err, jetstream.ErrMsgNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			for _, n := range needles {
				if bytes.Contains(m.Data, []byte(n)) {
					found = append(found, fmt.Sprintf("%q in stream %s (%s)", n, s.Name, m.Subject))
				}
			}
		}
	}
	if len(found) > 0 {
		return fmt.Errorf("personal data remains: %s", strings.Join(found, ", "))
	}
	return nil
}
