package notify

import (
	"context"
	"fmt"

	"github.com/talentbridge/platform/shared/events"
	placementsev "github.com/talentbridge/platform/shared/events/placements"
)

// placementSubjects are the PLACEMENTS events the inbox words.
var placementSubjects = []string{events.PlacementCreated, events.TaskOverdue}

// onPlacement tells the participant and the host that an accepted offer
// became a placement with a checklist, and a task's party that the task is
// overdue (the placements service sends that once per task).
func (in *Inbox) onPlacement(ctx context.Context, ev events.Envelope) error {
	switch ev.Type {
	case events.PlacementCreated:
		var p placementsev.PlacementCreated
		if err := ev.Decode(&p); err != nil {
			return err
		}
		t, err := in.title(ctx, p.ProgramID)
		if err != nil {
			return err
		}
		params := map[string]string{"program": t, "startDate": p.StartDate}
		if err := in.add(ctx, ev, p.ApplicantID, "placement.created", "/placements/"+p.PlacementID, params,
			mailParams{Program: t}, fmt.Sprintf("Your placement at %s starts on %s. Its checklist shows what to do and by when.", t, p.StartDate)); err != nil {
			return err
		}
		return in.add(ctx, ev, p.HostID, "placement.created.host", "/host/placements", params, mailParams{Program: t},
			fmt.Sprintf("A participant accepted a place in %s. The placement's checklist shows your tasks and their due dates.", t))
	case events.TaskOverdue:
		var p placementsev.TaskOverdue
		if err := ev.Decode(&p); err != nil {
			return err
		}
		t, err := in.title(ctx, p.ProgramID)
		if err != nil {
			return err
		}
		params := map[string]string{"program": t, "dueDate": p.DueDate, "task": p.TaskID}
		if p.RecipientID == "" { // a coordinators' task: every active coordinator hears of it
			return in.coordinatorsTaskOverdue(ctx, ev, p, t, params)
		}
		code, link := "placement.task.overdue", "/placements/"+p.PlacementID
		if p.RecipientID == p.HostID {
			code, link = "placement.task.overdue.host", "/host/placements"
		}
		return in.add(ctx, ev, p.RecipientID, code, link, params, mailParams{Program: t},
			fmt.Sprintf("A task of the placement at %s was due on %s and is not done yet.", t, p.DueDate))
	}
	return nil
}

// coordinatorsTaskOverdue tells every active coordinator, in the inbox and
// by e-mail, that a task of the coordinators' own is overdue; the at-risk
// page lists it too. Each coordinator is told once per event, like any
// other party.
func (in *Inbox) coordinatorsTaskOverdue(ctx context.Context, ev events.Envelope, p placementsev.TaskOverdue, title string, params map[string]string) error {
	if in.opt.Coordinators == nil {
		return nil
	}
	ids, err := in.opt.Coordinators(ctx)
	if err != nil {
		return fmt.Errorf("list coordinators: %w", err)
	}
	for _, id := range ids {
		if err := in.add(ctx, ev, id, "placement.task.overdue.coordinator", "/coord/placements", params, mailParams{Program: title},
			fmt.Sprintf("A coordinators' task of the placement at %s was due on %s and is not done yet.", title, p.DueDate)); err != nil {
			return err
		}
	}
	return nil
}
