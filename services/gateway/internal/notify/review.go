package notify

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/talentbridge/platform/shared/events"
	matchingev "github.com/talentbridge/platform/shared/events/matching"
)

// The review events (issue 19): a stage change tells the applicant, an
// interview booking or cancellation tells the applicant and the host (and
// keeps the reminder schedule, see reminders.go), a message tells each of
// its recipients who wrote and where, never what (the event does not carry
// the body, so an erasure in matching reaches it).

// applicationLink is the page of an application's review and thread. The
// applicant's page ignores the program; the host's needs it to find the
// application among the program's.
func applicationLink(applicationID, programID string) string {
	link := "/applications/" + url.PathEscape(applicationID)
	if programID != "" {
		link += "?program=" + url.QueryEscape(programID)
	}
	return link
}

func (in *Inbox) onReview(ctx context.Context, ev events.Envelope) error {
	switch ev.Type {
	case events.ApplicationStaged:
		return in.onStaged(ctx, ev)
	case events.InterviewScheduled, events.InterviewCancelled:
		return in.onInterview(ctx, ev)
	case events.MessageSent:
		return in.onMessage(ctx, ev)
	}
	return nil
}

func (in *Inbox) onStaged(ctx context.Context, ev events.Envelope) error {
	var p matchingev.ApplicationStaged
	if err := ev.Decode(&p); err != nil {
		return err
	}
	// A booking or its cancellation moves the stage too; the interview
	// events tell about those, so the applicant is not told twice.
	if p.Stage == matchingev.StageScheduled || p.ActorID == p.ApplicantID {
		return nil
	}
	t, err := in.title(ctx, p.ProgramID)
	if err != nil {
		return err
	}
	params := map[string]string{"program": t, "stage": p.Stage}
	if p.ReasonCode != "" {
		params["reason"] = p.ReasonCode
	}
	return in.add(ctx, ev, p.ApplicantID, "application.staged", applicationLink(p.ApplicationID, ""), params,
		mailParams{Program: t, Stage: p.Stage, Reason: p.ReasonCode},
		fmt.Sprintf("Your application to %s is now at the stage %q.", t, p.Stage))
}

func (in *Inbox) onInterview(ctx context.Context, ev events.Envelope) error {
	var p matchingev.InterviewScheduled
	if err := ev.Decode(&p); err != nil {
		return err
	}
	if p.ApplicationID == "" {
		p.ApplicationID = ev.Subject
	}
	if err := in.book(ctx, ev, p); err != nil {
		return err
	}
	t, err := in.title(ctx, p.ProgramID)
	if err != nil {
		return err
	}
	start := p.Interview.Start.UTC()
	params := map[string]string{"program": t, "start": start.Format(time.RFC3339)}
	mp := mailParams{Program: t, Deadline: start}
	code, verb := "interview.scheduled", "booked"
	if ev.Type == events.InterviewCancelled {
		code, verb = "interview.cancelled", "cancelled"
	}
	when := start.Format("2006-01-02 15:04 UTC")
	if err := in.add(ctx, ev, p.ApplicantID, code, applicationLink(p.ApplicationID, ""), params, mp,
		fmt.Sprintf("Your interview for %s at %s is %s.", t, when, verb)); err != nil {
		return err
	}
	if err := in.add(ctx, ev, p.HostID, code+".host", applicationLink(p.ApplicationID, p.ProgramID), params, mp,
		fmt.Sprintf("An applicant's interview for %s at %s is %s.", t, when, verb)); err != nil {
		return err
	}
	if ev.Type == events.InterviewScheduled {
		// A booking made less than a day ahead is reminded at once.
		_, err = in.RemindDue(ctx)
	}
	return err
}

func (in *Inbox) onMessage(ctx context.Context, ev events.Envelope) error {
	var p matchingev.MessageSent
	if err := ev.Decode(&p); err != nil {
		return err
	}
	sender, err := in.senderName(ctx, p.SenderID, p.SenderRole)
	if err != nil {
		return err
	}
	code, link, t := "message.bulk", "/applications", ""
	if p.ApplicationID != "" {
		code, link = "message.sent", applicationLink(p.ApplicationID, p.ProgramID)
	}
	if p.ProgramID != "" {
		if t, err = in.title(ctx, p.ProgramID); err != nil {
			return err
		}
	}
	// The inbox entry does not name the writer: it is stored under the
	// recipient, where the writer's erasure would not reach it. The mail
	// names them; the queue drops a mail's body once it is sent.
	params := map[string]string{"program": t}
	text := fmt.Sprintf("A new message about %s is in the application's thread.", t)
	if t == "" {
		text = "You have a new message."
	}
	for _, to := range p.RecipientIDs {
		if to == p.SenderID {
			continue
		}
		if err := in.add(ctx, ev, to, code, link, params, mailParams{Program: t, Sender: sender}, text); err != nil {
			return err
		}
	}
	return nil
}

// senderName names who wrote a message: their account's name, or their
// role when the account is unknown (erased since).
func (in *Inbox) senderName(ctx context.Context, id, role string) (string, error) {
	if in.opt.Directory != nil && id != "" {
		who, found, err := in.opt.Directory.Contact(ctx, id)
		if err != nil {
			return "", err
		}
		if found && who.Name != "" {
			return who.Name, nil
		}
	}
	switch role {
	case "host":
		return "The host", nil
	case "coordinator", "admin":
		return "A coordinator", nil
	}
	return "TalentBridge", nil
}
