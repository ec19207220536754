package events

// Subjects, one per event type. They are fixed by DESIGN.md §2.
const (
	UserCreated  = "tb.identity.v1.user.created"
	UserVerified = "tb.identity.v1.user.verified"
	UserDeleted  = "tb.identity.v1.user.deleted"
	// SessionRevoked ends the access tokens of one sign-in (or of every
	// sign-in of an account) before they expire.
	SessionRevoked = "tb.identity.v1.session.revoked"

	ProfileCreated = "tb.profiles.v1.profile.created"
	ProfileUpdated = "tb.profiles.v1.profile.updated"
	ProfileErased  = "tb.profiles.v1.profile.erased"

	ProgramPublished = "tb.programs.v1.program.published"
	ProgramUpdated   = "tb.programs.v1.program.updated"
	ProgramClosed    = "tb.programs.v1.program.closed"
	// SearchMatched: a newly published program is found by an applicant's
	// saved search that asked for alerts (payload programs.SearchMatched).
	SearchMatched = "tb.programs.v1.search.matched"

	ApplicationSubmitted = "tb.matching.v1.application.submitted"
	ApplicationWithdrawn = "tb.matching.v1.application.withdrawn"
	RoundCompleted       = "tb.matching.v1.round.completed"
	MatchProposed        = "tb.matching.v1.match.proposed"
	MatchApproved        = "tb.matching.v1.match.approved"
	MatchRejected        = "tb.matching.v1.match.rejected"
	MatchPublished       = "tb.matching.v1.match.published"
	OfferAccepted        = "tb.matching.v1.offer.accepted"
	OfferDeclined        = "tb.matching.v1.offer.declined"
	// ApplicationDocuments: the documents attached to an application
	// changed (payload matching.ApplicationDocuments).
	ApplicationDocuments = "tb.matching.v1.application.documents"
	// ApplicationStaged: an application's review stage changed (payload
	// matching.ApplicationStaged).
	ApplicationStaged  = "tb.matching.v1.application.staged"
	InterviewScheduled = "tb.matching.v1.interview.scheduled"
	InterviewCancelled = "tb.matching.v1.interview.cancelled"
	MessageSent        = "tb.matching.v1.message.sent"
	OfferExpired       = "tb.matching.v1.offer.expired"
	// OfferReminder says an offer expires within a day, once per offer.
	OfferReminder = "tb.matching.v1.offer.reminder"
	// ApplicationsImported: a coordinator's rank import recorded
	// applications on one applicant's behalf (payload
	// matching.ApplicationsImported), one event per applicant and import
	// in place of an application.submitted per application.
	ApplicationsImported = "tb.matching.v1.applications.imported"

	DocumentUploaded   = "tb.documents.v1.document.uploaded"
	DocumentDeleted    = "tb.documents.v1.document.deleted"
	ReferenceRequested = "tb.documents.v1.reference.requested"
	ReferenceReceived  = "tb.documents.v1.reference.received"

	PlacementCreated   = "tb.placements.v1.placement.created"
	TaskDone           = "tb.placements.v1.task.done"
	PlacementCompleted = "tb.placements.v1.placement.completed"
	PlacementEnded     = "tb.placements.v1.placement.ended"
	// TaskOverdue says a checklist task passed its due date while open,
	// once per task, so that its party is told.
	TaskOverdue = "tb.placements.v1.task.overdue"

	// DeadLetterPrefix is followed by the original subject.
	DeadLetterPrefix = "tb.deadletter."
)

// Stream names one JetStream stream and the subjects it stores.
type Stream struct {
	Name     string
	Subjects []string
}

// Streams lists every stream of the platform. Subjects are listed one by
// one rather than with wildcards so that request–reply subjects can never be
// captured by a stream by accident.
var Streams = []Stream{
	{Name: "IDENTITY", Subjects: []string{UserCreated, UserVerified, UserDeleted, SessionRevoked}},
	{Name: "PROFILES", Subjects: []string{ProfileCreated, ProfileUpdated, ProfileErased}},
	{Name: "PROGRAMS", Subjects: []string{ProgramPublished, ProgramUpdated, ProgramClosed, SearchMatched}},
	{Name: "MATCHING", Subjects: []string{
		ApplicationSubmitted, ApplicationWithdrawn, RoundCompleted, MatchProposed,
		MatchApproved, MatchRejected, MatchPublished, OfferAccepted, OfferDeclined, OfferExpired, OfferReminder,
		ApplicationDocuments, ApplicationStaged, InterviewScheduled, InterviewCancelled, MessageSent,
		ApplicationsImported,
	}},
	{Name: "DOCUMENTS", Subjects: []string{DocumentUploaded, DocumentDeleted, ReferenceRequested, ReferenceReceived}},
	{Name: "PLACEMENTS", Subjects: []string{PlacementCreated, TaskDone, PlacementCompleted, PlacementEnded, TaskOverdue}},
	{Name: "DEADLETTER", Subjects: []string{DeadLetterPrefix + ">"}},
}

// StreamOf returns the stream that stores subject, or "".
func StreamOf(subject string) string {
	for _, s := range Streams {
		for _, sub := range s.Subjects {
			if sub == subject {
				return s.Name
			}
		}
	}
	return ""
}
