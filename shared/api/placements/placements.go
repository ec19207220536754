// Package placements is the public API of the placements service
// (DESIGN.md §3 "Placements", §4, §8): what follows an accepted offer —
// the placement, its checklist with due dates, completion and feedback.
package placements

import "time"

// Placement statuses (DESIGN.md §4). A placement is preparing until its
// start date, then active, until its host or a coordinator completes or
// ends it.
const (
	StatusPreparing = "preparing"
	StatusActive    = "active"
	StatusCompleted = "completed"
	StatusEnded     = "ended"
	// StatusAtRisk is a filter of GET /placements, not a status: open
	// placements with at least one overdue task.
	StatusAtRisk = "at-risk"
)

// Statuses are the values the status filter of GET /placements takes.
var Statuses = []string{StatusPreparing, StatusActive, StatusCompleted, StatusEnded, StatusAtRisk}

// Task statuses.
const (
	TaskOpen = "open"
	TaskDone = "done"
)

// Limits of what people type.
const (
	MaxNote    = 1000
	MaxReason  = 1000
	MaxComment = 2000
)

// Request fields, as named in field errors.
const (
	FieldNote      = "note"
	FieldReason    = "reason"
	FieldRating    = "rating"
	FieldComment   = "comment"
	FieldStatus    = "status"
	FieldProgramID = "programId"
)

// Source is the public source a checklist task rests on.
type Source struct {
	Name string `json:"name"`
	URL  string `json:"url"`
	// Checked is the date ("YYYY-MM-DD") the source was last read.
	Checked string `json:"checked"`
}

// Task is one checklist item (DESIGN.md §4). Title is in English; Titles
// holds it in every UI language (en, ja, hi).
type Task struct {
	ID     string            `json:"id"`
	Party  string            `json:"party"`
	Title  string            `json:"title"`
	Titles map[string]string `json:"titles"`
	// DueDate is "YYYY-MM-DD".
	DueDate string `json:"dueDate"`
	Status  string `json:"status"`
	// Overdue: open and its due date has passed.
	Overdue bool   `json:"overdue"`
	Source  Source `json:"source"`
	// DoneAt, DoneBy and Note are set once the task is done. Note is shown
	// to the applicant, the host and coordinators.
	DoneAt *time.Time `json:"doneAt,omitempty"`
	DoneBy string     `json:"doneBy,omitempty"`
	Note   string     `json:"note,omitempty"`
}

// Feedback is what one side said of a finished placement.
type Feedback struct {
	Party   string    `json:"party"`
	Rating  int       `json:"rating"`
	Comment string    `json:"comment,omitempty"`
	At      time.Time `json:"at"`
}

// Audit is one recorded action on a placement: who, in which role, what,
// when and why.
type Audit struct {
	Action  string    `json:"action"`
	ActorID string    `json:"actorId"`
	Role    string    `json:"role"`
	At      time.Time `json:"at"`
	Note    string    `json:"note,omitempty"`
}

// Placement is a placement as GET /placements/{id} shows it (DESIGN.md
// §4), with its open-task counts, feedback and audit trail.
type Placement struct {
	ID          string `json:"id"`
	MatchID     string `json:"matchId"`
	ApplicantID string `json:"applicantId"`
	ProgramID   string `json:"programId"`
	HostID      string `json:"hostId"`
	Direction   string `json:"direction"`
	Kind        string `json:"kind"`
	Status      string `json:"status"`
	// StartDate and EndDate are "YYYY-MM-DD", the program's.
	StartDate string `json:"startDate"`
	EndDate   string `json:"endDate"`
	// ChecklistVersion is the version of the rules the tasks came from.
	ChecklistVersion string `json:"checklistVersion"`
	OpenTasks        int    `json:"openTasks"`
	OverdueTasks     int    `json:"overdueTasks"`
	AtRisk           bool   `json:"atRisk"`
	// EndReason is set on a placement ended early.
	EndReason string     `json:"endReason,omitempty"`
	Feedback  []Feedback `json:"feedback"`
	History   []Audit    `json:"history"`
	CreatedAt time.Time  `json:"createdAt"`
	// Erased: the participant erased their data; only ids, dates and
	// counts remain.
	Erased bool `json:"erased,omitempty"`
}

// Placements is a page of placements.
type Placements struct {
	Items    []Placement `json:"items"`
	Page     int         `json:"page"`
	PageSize int         `json:"pageSize"`
	Total    int         `json:"total"`
}

// Tasks is the answer of GET /placements/{id}/tasks.
type Tasks struct {
	Items []Task `json:"items"`
}

// TaskDoneRequest is the body of POST /placements/{id}/tasks/{taskId}/done.
type TaskDoneRequest struct {
	Note string `json:"note,omitempty"`
}

// EndRequest is the body of POST /placements/{id}/end.
type EndRequest struct {
	Reason string `json:"reason"`
}

// FeedbackRequest is the body of POST /placements/{id}/feedback.
type FeedbackRequest struct {
	Rating  int    `json:"rating"`
	Comment string `json:"comment,omitempty"`
}
