package app

import (
	"context"
	"time"

	"github.com/talentbridge/platform/services/placements/internal/domain"
	api "github.com/talentbridge/platform/shared/api/placements"
)

// Export is the placements service's part of a person's data export:
// their placements as a participant, with the checklist, their notes and
// the feedback of both sides.
type Export struct {
	Placements []ExportedPlacement `json:"placements"`
}

// ExportedPlacement is one placement with its tasks.
type ExportedPlacement struct {
	api.Placement
	Tasks []api.Task `json:"tasks"`
}

// Export gathers what the service holds about personID.
func (s *Service) Export(ctx context.Context, personID string) (Export, error) {
	ps, err := s.Mine(ctx, personID)
	if err != nil {
		return Export{}, err
	}
	now := s.now()
	x := Export{Placements: []ExportedPlacement{}}
	for _, p := range ps {
		x.Placements = append(x.Placements, ExportedPlacement{Placement: View(p, now), Tasks: TaskViews(p, now)})
	}
	return x, nil
}

// View maps a placement to its public shape at now.
func View(p *domain.Placement, now time.Time) api.Placement {
	open, overdue := p.Counts(now)
	v := api.Placement{ID: p.ID, MatchID: p.MatchID, ApplicantID: p.ApplicantID, ProgramID: p.ProgramID, HostID: p.HostID,
		Direction: p.Direction, Kind: p.Kind, Status: p.Status(now), StartDate: p.StartDate.Format(dateLayout),
		EndDate: p.EndDate.Format(dateLayout), ChecklistVersion: p.ChecklistVersion, OpenTasks: open, OverdueTasks: overdue,
		AtRisk: p.AtRisk(now), EndReason: p.EndReason, CreatedAt: p.CreatedAt, Erased: p.Erased,
		Feedback: make([]api.Feedback, len(p.Feedback)), History: make([]api.Audit, len(p.History))}
	for i, f := range p.Feedback {
		v.Feedback[i] = api.Feedback{Party: f.Party, Rating: f.Rating, Comment: f.Comment, At: f.At}
	}
	for i, h := range p.History {
		v.History[i] = api.Audit{Action: h.Action, ActorID: h.ActorID, Role: h.Role, At: h.At, Note: h.Note}
	}
	return v
}

const dateLayout = "2006-01-02"

// TaskViews maps a placement's tasks to their public shape at now, in
// due-date order as stored.
func TaskViews(p *domain.Placement, now time.Time) []api.Task {
	out := make([]api.Task, len(p.Tasks))
	for i := range p.Tasks {
		t := &p.Tasks[i]
		v := api.Task{ID: t.ID, Party: t.Party, Title: t.Titles["en"], Titles: t.Titles, DueDate: t.Due.Format(dateLayout),
			Status: api.TaskOpen, Overdue: t.Overdue(now), Source: t.Source, Note: t.Note, DoneBy: t.DoneBy}
		if !t.Open() {
			at := t.DoneAt
			v.Status, v.DoneAt = api.TaskDone, &at
		}
		out[i] = v
	}
	return out
}
