// Package domain holds the placements service's rules: a placement made
// from an accepted offer, its direction, its checklist tasks and their due
// dates, its status over time, completion, early end, feedback once per
// side, and who may touch what. It imports no web, database or messaging
// code.
package domain

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	api "github.com/talentbridge/platform/shared/api/placements"
	"github.com/talentbridge/platform/shared/fielderr"
	"github.com/talentbridge/platform/shared/placementrules"
)

// Errors the handlers map to HTTP answers.
var (
	ErrNotFound = errors.New("not found")
	// ErrNotYourTask: the caller may see the placement but the task
	// belongs to another party.
	ErrNotYourTask = errors.New("the task belongs to another party")
	// ErrTaskDone: the task was marked done before.
	ErrTaskDone = errors.New("the task is already done")
	// ErrFinished: the placement was completed or ended.
	ErrFinished = errors.New("the placement is already finished")
	// ErrNotFinished: feedback waits until the placement is completed or
	// ended.
	ErrNotFinished = errors.New("the placement is not finished yet")
	// ErrFeedbackGiven: each side gives feedback once.
	ErrFeedbackGiven = errors.New("feedback was already given")
	// ErrNoDirection: the offer is not an exchange between India and
	// Japan (both sides in one country, or an unknown country).
	ErrNoDirection = errors.New("not an exchange between India and Japan")
	// ErrConflict: the placement kept changing under an update.
	ErrConflict = errors.New("the placement kept changing; try again")
)

// FieldError is one broken rule of a request, with its stable code
// (shared/fielderr).
type FieldError = fielderr.FieldError

// ValidationError lists every broken rule of a request.
type ValidationError struct{ Fields []FieldError }

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Reason
	}
	return "invalid request: " + strings.Join(parts, "; ")
}

func (e *ValidationError) add(fe FieldError) {
	e.Fields = append(e.Fields, fe)
}

func (e *ValidationError) orNil() error {
	if len(e.Fields) == 0 {
		return nil
	}
	return e
}

// checkText checks free text: UTF-8, at most max characters, no control
// characters but line breaks and tabs; required says it may not be blank.
func checkText(v *ValidationError, field, s string, max int, required bool) {
	switch {
	case !utf8.ValidString(s):
		v.add(fielderr.NewTextEncoding(field))
	case required && strings.TrimSpace(s) == "":
		v.add(fielderr.NewRequired(field))
	case utf8.RuneCountInString(s) > max:
		v.add(fielderr.NewTooLong(field, max))
	case strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' && r != '\r' }) >= 0:
		v.add(fielderr.NewControlCharacter(field))
	}
}

// Direction returns IN_JP or JP_IN from the program's host country and the
// participant's home country.
func Direction(hostCountry, homeCountry string) (string, error) {
	switch {
	case hostCountry == "JP" && homeCountry == "IN":
		return placementrules.DirectionINJP, nil
	case hostCountry == "IN" && homeCountry == "JP":
		return placementrules.DirectionJPIN, nil
	}
	return "", fmt.Errorf("%w: host country %q, home country %q", ErrNoDirection, hostCountry, homeCountry)
}

// ParseDate reads a "YYYY-MM-DD" date as UTC midnight.
func ParseDate(s string) (time.Time, error) {
	return time.Parse(placementrules.DateLayout, s)
}

// Actor is who acts on a placement.
type Actor struct {
	ID          string
	Role        string
	Coordinator bool // coordinators and admins
}

// Task is one checklist item of a placement.
type Task struct {
	ID      string
	Party   string
	Titles  map[string]string
	Due     time.Time
	Source  api.Source
	DoneAt  time.Time // zero while open
	DoneBy  string
	Note    string
	Alerted bool // its party was told it is overdue
}

// Open reports whether the task is still to do.
func (t *Task) Open() bool { return t.DoneAt.IsZero() }

// Overdue reports whether the task is open after its due day.
func (t *Task) Overdue(now time.Time) bool { return t.Open() && Today(now).After(t.Due) }

// Today is now's date, as UTC midnight.
func Today(now time.Time) time.Time {
	y, m, d := now.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Feedback is one side's word on a finished placement.
type Feedback struct {
	Party   string
	Rating  int
	Comment string
	At      time.Time
}

// Audit is one recorded action.
type Audit struct {
	Action, ActorID, Role, Note string
	At                          time.Time
}

// Audit actions.
const (
	ActionCreated   = "created"
	ActionTaskDone  = "task.done"
	ActionCompleted = "completed"
	ActionEnded     = "ended"
	ActionFeedback  = "feedback"
	ActionResched   = "rescheduled"
	ActionErased    = "erased"
)

// Placement is an accepted offer being carried out.
type Placement struct {
	ID                 string
	MatchID            string
	ApplicantID        string
	ProgramID          string
	HostID             string
	Direction          string
	Kind               string
	StartDate, EndDate time.Time
	// Finished is StatusCompleted or StatusEnded once set; empty before.
	Finished         string
	FinishedAt       time.Time
	EndReason        string
	ChecklistVersion string
	Tasks            []Task
	Feedback         []Feedback
	History          []Audit
	CreatedAt        time.Time
	Erased           bool
	Version          int64
}

// Offer is what an accepted offer and the read models say of a new
// placement.
type Offer struct {
	MatchID, ApplicantID, ProgramID, HostID string
	HostCountry, HomeCountry, Kind          string
	StartDate, EndDate                      string
}

// New makes the placement of an accepted offer with its checklist from
// rules; id is the new placement's id.
func New(id string, o Offer, rules *placementrules.Checklist, now time.Time) (*Placement, error) {
	dir, err := Direction(o.HostCountry, o.HomeCountry)
	if err != nil {
		return nil, err
	}
	p := &Placement{ID: id, MatchID: o.MatchID, ApplicantID: o.ApplicantID, ProgramID: o.ProgramID, HostID: o.HostID,
		Direction: dir, Kind: o.Kind, ChecklistVersion: rules.Version, CreatedAt: now, Version: 1}
	if err := p.Reschedule(o.StartDate, o.EndDate, rules); err != nil {
		return nil, err
	}
	p.History = []Audit{{Action: ActionCreated, ActorID: o.ApplicantID, Role: "applicant", At: now}}
	return p, nil
}

// Reschedule sets the program's dates and the due date of every task from
// rules. Tasks already done keep their record; tasks the new dates no
// longer call for are dropped unless done; new ones are added.
func (p *Placement) Reschedule(startDate, endDate string, rules *placementrules.Checklist) error {
	start, err := ParseDate(startDate)
	if err != nil {
		return fmt.Errorf("program start date %q: %w", startDate, err)
	}
	end, err := ParseDate(endDate)
	if err != nil {
		return fmt.Errorf("program end date %q: %w", endDate, err)
	}
	plan, err := rules.Plan(p.Direction, p.Kind, start, end)
	if err != nil {
		return err
	}
	old := map[string]Task{}
	for _, t := range p.Tasks {
		old[t.ID] = t
	}
	tasks := make([]Task, 0, len(plan))
	for _, pt := range plan {
		t := Task{ID: pt.ID, Party: pt.Party, Titles: pt.Titles, Due: pt.Due,
			Source: api.Source{Name: pt.Source.Name, URL: pt.Source.URL, Checked: pt.Source.Checked}}
		if o, ok := old[pt.ID]; ok {
			t.DoneAt, t.DoneBy, t.Note = o.DoneAt, o.DoneBy, o.Note
			// A task moved later may fall overdue again and be told again.
			t.Alerted = o.Alerted && !t.Due.After(o.Due)
		}
		delete(old, pt.ID)
		tasks = append(tasks, t)
	}
	for _, o := range p.Tasks {
		if _, gone := old[o.ID]; gone && !o.Open() {
			tasks = append(tasks, o)
		}
	}
	p.StartDate, p.EndDate, p.Tasks, p.ChecklistVersion = start, end, tasks, rules.Version
	return nil
}

// Status is preparing before the start date, active from it, or how the
// placement finished.
func (p *Placement) Status(now time.Time) string {
	switch {
	case p.Finished != "":
		return p.Finished
	case Today(now).Before(p.StartDate):
		return api.StatusPreparing
	}
	return api.StatusActive
}

// Counts returns the open and overdue tasks at now.
func (p *Placement) Counts(now time.Time) (open, overdue int) {
	for i := range p.Tasks {
		if p.Tasks[i].Open() {
			open++
			if p.Tasks[i].Overdue(now) {
				overdue++
			}
		}
	}
	return open, overdue
}

// NextAlert is the earliest due date of an open task whose party has not
// been told it is overdue; zero when there is none (or it is finished).
func (p *Placement) NextAlert() time.Time {
	var next time.Time
	if p.Finished != "" {
		return next
	}
	for i := range p.Tasks {
		t := &p.Tasks[i]
		if t.Open() && !t.Alerted && (next.IsZero() || t.Due.Before(next)) {
			next = t.Due
		}
	}
	return next
}

// AtRisk: not finished, with at least one overdue task.
func (p *Placement) AtRisk(now time.Time) bool {
	_, overdue := p.Counts(now)
	return p.Finished == "" && overdue > 0
}

// PartyOf returns the caller's side of the placement: applicant, host,
// coordinator, or "" for someone with no business here.
func (p *Placement) PartyOf(a Actor) string {
	switch {
	case a.ID == p.ApplicantID && a.ID != "":
		return placementrules.PartyApplicant
	case a.ID == p.HostID && a.ID != "":
		return placementrules.PartyHost
	case a.Coordinator:
		return placementrules.PartyCoordinator
	}
	return ""
}

// MaySee reports whether a may read the placement: its participant, its
// host, coordinators.
func (p *Placement) MaySee(a Actor) bool { return p.PartyOf(a) != "" }

func (p *Placement) task(id string) *Task {
	for i := range p.Tasks {
		if p.Tasks[i].ID == id {
			return &p.Tasks[i]
		}
	}
	return nil
}

// Task returns a task by id.
func (p *Placement) Task(id string) (*Task, bool) {
	t := p.task(id)
	return t, t != nil
}

func (p *Placement) record(a Actor, action, note string, now time.Time) {
	p.History = append(p.History, Audit{Action: action, ActorID: a.ID, Role: a.Role, Note: note, At: now})
	p.Version++
}

// MarkDone marks a task done by its party or a coordinator.
func (p *Placement) MarkDone(a Actor, taskID, note string, now time.Time) (*Task, error) {
	var v ValidationError
	checkText(&v, api.FieldNote, note, api.MaxNote, false)
	if err := v.orNil(); err != nil {
		return nil, err
	}
	party := p.PartyOf(a)
	if party == "" {
		return nil, ErrNotFound
	}
	t := p.task(taskID)
	if t == nil {
		return nil, ErrNotFound
	}
	if party != t.Party && !a.Coordinator {
		return nil, ErrNotYourTask
	}
	if p.Finished != "" {
		return nil, ErrFinished
	}
	if !t.Open() {
		return nil, ErrTaskDone
	}
	t.DoneAt, t.DoneBy, t.Note = now, a.ID, strings.TrimSpace(note)
	p.record(a, ActionTaskDone, taskID, now)
	return t, nil
}

// mayFinish: the host of the placement or a coordinator; anyone else who
// may see it is refused, anyone else is told nothing.
func (p *Placement) mayFinish(a Actor) error {
	switch p.PartyOf(a) {
	case placementrules.PartyHost, placementrules.PartyCoordinator:
	case "":
		return ErrNotFound
	default:
		return ErrNotYourTask
	}
	if p.Finished != "" {
		return ErrFinished
	}
	return nil
}

// Complete marks the placement completed.
func (p *Placement) Complete(a Actor, now time.Time) error {
	if err := p.mayFinish(a); err != nil {
		return err
	}
	p.Finished, p.FinishedAt = api.StatusCompleted, now
	p.record(a, ActionCompleted, "", now)
	return nil
}

// End ends the placement early for reason.
func (p *Placement) End(a Actor, reason string, now time.Time) error {
	var v ValidationError
	checkText(&v, api.FieldReason, reason, api.MaxReason, true)
	if err := v.orNil(); err != nil {
		return err
	}
	if err := p.mayFinish(a); err != nil {
		return err
	}
	p.Finished, p.FinishedAt, p.EndReason = api.StatusEnded, now, strings.TrimSpace(reason)
	p.record(a, ActionEnded, p.EndReason, now)
	return nil
}

// GiveFeedback records the participant's or the host's feedback, once
// each, after the placement finished.
func (p *Placement) GiveFeedback(a Actor, rating int, comment string, now time.Time) error {
	var v ValidationError
	if rating < 1 || rating > 5 {
		v.add(fielderr.NewRange(api.FieldRating, 1, 5).Because("must be a whole number from 1 to 5"))
	}
	checkText(&v, api.FieldComment, comment, api.MaxComment, false)
	if err := v.orNil(); err != nil {
		return err
	}
	party := p.PartyOf(a)
	switch party {
	case placementrules.PartyApplicant, placementrules.PartyHost:
	case "":
		return ErrNotFound
	default:
		return ErrNotYourTask
	}
	if p.Finished == "" {
		return ErrNotFinished
	}
	for _, f := range p.Feedback {
		if f.Party == party {
			return ErrFeedbackGiven
		}
	}
	p.Feedback = append(p.Feedback, Feedback{Party: party, Rating: rating, Comment: strings.TrimSpace(comment), At: now})
	p.record(a, ActionFeedback, party, now)
	return nil
}

// Erase keeps only what statistics need of an erased participant's
// placement: ids, direction, kind, dates, status and counts. Notes,
// comments and reasons go.
func (p *Placement) Erase(now time.Time) {
	for i := range p.Tasks {
		p.Tasks[i].Note = ""
	}
	for i := range p.Feedback {
		p.Feedback[i].Comment = ""
	}
	p.EndReason = ""
	for i := range p.History {
		if p.History[i].Action == ActionEnded { // the only free text; other notes are codes
			p.History[i].Note = ""
		}
	}
	p.History = append(p.History, Audit{Action: ActionErased, Role: "system", At: now})
	p.Erased = true
	p.Version++
}
