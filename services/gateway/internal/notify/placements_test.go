package notify_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/talentbridge/platform/services/gateway/internal/notify"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/events"
	placementsev "github.com/talentbridge/platform/shared/events/placements"
	programsev "github.com/talentbridge/platform/shared/events/programs"
	"github.com/talentbridge/platform/shared/mail"
	"github.com/talentbridge/platform/shared/mail/mailtest"
	"github.com/talentbridge/platform/shared/platform"
	"github.com/talentbridge/platform/shared/platformtest"
)

// A new placement reaches its participant and host; an overdue task only
// its party, once however often it is delivered; a coordinators' task
// every active coordinator. The overdue task's e-mail (a real SMTP server)
// goes out once.
func TestInboxFollowsPlacements(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{TLS: "none"})
	dir := notify.DirectoryFunc(func(_ context.Context, id string) (notify.Contact, bool, error) {
		c, ok := map[string]notify.Contact{"app-p1": {Email: "asha@example.in", Name: "Asha"},
			"host-p1":  {Email: "office@tohoku.example.jp", Name: "Tohoku"},
			"coord-p1": {Email: "desk@talentbridge.example", Name: "Desk"}}[id]
		return c, ok, nil
	})
	env := platformtest.Start(t, platformtest.Options{}, func(ctx context.Context, d platform.Deps) (platform.Service, error) {
		sender, err := mail.NewSender(srv.Config())
		if err != nil {
			return nil, err
		}
		q, err := mail.NewQueue(ctx, d.DB("identity").Collection("mails"), sender, mail.QueueOptions{Poll: 100 * time.Millisecond})
		if err != nil {
			return nil, err
		}
		go q.Run(ctx)
		in, err := notify.New(ctx, d.DB("identity"), notify.Options{Mail: q, Directory: dir,
			Coordinators: func(context.Context) ([]string, error) { return []string{"coord-p1"}, nil }})
		return &service{in: in, d: d}, err
	})
	applicant, host := "app-p1", "host-p1"
	tokA := env.Issuer.Token(t, applicant, auth.RoleApplicant)
	tokH := env.Issuer.Token(t, host, auth.RoleHost)
	tokC := env.Issuer.Token(t, "coord-p1", auth.RoleCoordinator)
	publish(t, env, events.ProgramPublished, "prog-p1", 1, programsev.ProgramPublished{Program: programsev.Program{ID: "prog-p1",
		HostID: host, Title: "Tohoku fellowship"}})
	time.Sleep(300 * time.Millisecond)
	publish(t, env, events.PlacementCreated, "pl-1", 1, placementsev.PlacementCreated{PlacementID: "pl-1", ApplicantID: applicant,
		ProgramID: "prog-p1", HostID: host, Direction: "IN_JP", StartDate: "2027-06-01", EndDate: "2027-11-30"})
	over := publish(t, env, events.TaskOverdue, "pl-1", 2, placementsev.TaskOverdue{PlacementID: "pl-1", ApplicantID: applicant,
		ProgramID: "prog-p1", HostID: host, TaskID: "jp_coe_apply", Party: "host", RecipientID: host, DueDate: "2027-02-21"})
	raw, _ := over.Marshal()
	if _, err := env.Deps.Bus.Publish(context.Background(), over.Type, "again-"+over.ID, raw, nil); err != nil {
		t.Fatal(err)
	}
	publish(t, env, events.TaskOverdue, "pl-1", 3, placementsev.TaskOverdue{PlacementID: "pl-1", ApplicantID: applicant,
		ProgramID: "prog-p1", HostID: host, TaskID: "jp_coe_check", Party: "coordinator", DueDate: "2027-03-13"})

	pa := waitCodes(t, env, tokA, 1)
	if n := pa.Items[0]; n.Code != "placement.created" || n.Link != "/placements/pl-1" || n.Params["program"] != "Tohoku fellowship" {
		t.Errorf("participant's notification = %+v", n)
	}
	ph := waitCodes(t, env, tokH, 2)
	got := map[string]bool{}
	for _, n := range ph.Items {
		got[n.Code] = true
	}
	if !got["placement.created.host"] || !got["placement.task.overdue.host"] {
		t.Errorf("host's inbox = %v", codes(ph))
	}
	overdueMail := func(m mailtest.Message) bool {
		return m.Rcpt[0] == "office@tohoku.example.jp" && strings.Contains(m.Subject, "overdue")
	}
	srv.WaitFor(t, 20*time.Second, overdueMail)
	srv.WaitFor(t, 20*time.Second, func(m mailtest.Message) bool {
		return m.Rcpt[0] == "asha@example.in" && strings.Contains(m.Subject, "Tohoku fellowship")
	})
	pc := waitCodes(t, env, tokC, 1)
	if n := pc.Items[0]; n.Code != "placement.task.overdue.coordinator" || n.Link != "/coord/placements" || n.Params["task"] != "jp_coe_check" {
		t.Errorf("coordinator's notification = %+v", n)
	}
	srv.WaitFor(t, 20*time.Second, func(m mailtest.Message) bool {
		return m.Rcpt[0] == "desk@talentbridge.example" && strings.Contains(m.Subject, "coordinators")
	})
	time.Sleep(500 * time.Millisecond)
	if p := inbox(t, env, tokC); len(p.Items) != 1 {
		t.Errorf("the coordinator has %v, want only the overdue task", codes(p))
	}
	if p := inbox(t, env, tokH); len(p.Items) != 2 {
		t.Errorf("after a redelivery the host has %v", codes(p))
	}
	n := 0
	for _, m := range srv.Messages() {
		if overdueMail(m) {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the host got %d overdue e-mails, want 1", n)
	}
}
