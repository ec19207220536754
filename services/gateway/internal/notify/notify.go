// Package notify keeps each user's in-app inbox: what happened to their
// account, applications and matches, built from the identity, programs and
// matching events. Coordinators' decisions on a proposed match are not
// announced until the round is published, so match.proposed, .approved and
// .rejected reach nobody's inbox.
package notify

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	apiidentity "github.com/talentbridge/platform/shared/api/identity"

	"github.com/hashicorp/golang-lru/v2/expirable"
	"github.com/labstack/echo/v4"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/talentbridge/platform/services/gateway/internal/notify/mailtext"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/events"
	identityev "github.com/talentbridge/platform/shared/events/identity"
	matchingev "github.com/talentbridge/platform/shared/events/matching"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	programsev "github.com/talentbridge/platform/shared/events/programs"
	"github.com/talentbridge/platform/shared/mongodb"
	"github.com/talentbridge/platform/shared/natsbus"
	"github.com/talentbridge/platform/shared/web"
)

// Notification is one entry of a user's inbox as stored. Code and Params
// let the UI word it in the reader's language; Text is the English wording.
// The API shows it as an apiidentity.Notification (see public).
type Notification struct {
	ID        string            `bson:"_id"`
	UserID    string            `bson:"userId"`
	Code      string            `bson:"code"`
	Params    map[string]string `bson:"params,omitempty"`
	Text      string            `bson:"text"`
	Link      string            `bson:"link,omitempty"`
	EventID   string            `bson:"eventId"`
	CreatedAt time.Time         `bson:"createdAt"`
	Read      bool              `bson:"read"`
}

// public is the notification as the API shows it to its owner.
func (n Notification) public() apiidentity.Notification {
	return apiidentity.Notification{ID: n.ID, Code: n.Code, Params: n.Params, Text: n.Text, Link: n.Link,
		CreatedAt: n.CreatedAt, Read: n.Read}
}

// publicAll maps stored notifications to their public form; never nil.
func publicAll(ns []Notification) []apiidentity.Notification {
	out := make([]apiidentity.Notification, len(ns))
	for i, n := range ns {
		out[i] = n.public()
	}
	return out
}

// program is what the inbox needs to know of a program: its title, to name
// it, and its host.
type program struct {
	ID      string `bson:"_id"`
	Title   string `bson:"title"`
	HostID  string `bson:"hostId"`
	Version int64  `bson:"version"`
}

// Inbox stores notifications and answers the inbox routes; with e-mail
// configured it also queues the mail of each notification that has one
// (see mailKind).
type Inbox struct {
	notes    *mongo.Collection
	programs *mongo.Collection
	settings *mongo.Collection
	bookings *mongo.Collection
	texts    *mailtext.Catalog
	opt      Options
	now      func() time.Time
	// titles remembers program titles for a minute: a national rank
	// import makes a million application events naming a few thousand
	// programs, and a read per event would double the inbox's work. A
	// rename shows in notifications within the minute.
	titles *expirable.LRU[string, string]
}

// notifyWorkers is how many matching events the inbox handles at once.
const notifyWorkers = 4

// Title cache: how many programs, for how long.
const (
	titleCacheSize = 20000
	titleCacheTTL  = time.Minute
)

// New returns an inbox over db (the gateway's database).
func New(ctx context.Context, db *mongo.Database, opt Options) (*Inbox, error) {
	if err := mongodb.EnsureIndexes(ctx, db, []mongodb.Index{
		{Collection: "notifications", Keys: bson.D{{Key: "userId", Value: 1}, {Key: "createdAt", Value: -1}}},
		{Collection: "notify_interviews", Keys: bson.D{{Key: "start", Value: 1}}},
		{Collection: "notify_interviews", Keys: bson.D{{Key: "applicantId", Value: 1}}},
	}); err != nil {
		return nil, err
	}
	texts, err := mailtext.Load()
	if err != nil {
		return nil, err
	}
	if opt.PublicURL == "" {
		opt.PublicURL = "http://localhost:8080"
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.ReminderEvery <= 0 {
		opt.ReminderEvery = time.Minute
	}
	return &Inbox{notes: db.Collection("notifications"), programs: db.Collection("notify_programs"),
		settings: db.Collection("notify_settings"), bookings: db.Collection("notify_interviews"), texts: texts, opt: opt, now: opt.Now,
		titles: expirable.NewLRU[string, string](titleCacheSize, nil, titleCacheTTL)}, nil
}

// Routes returns the inbox's access table.
func (in *Inbox) Routes() []auth.Route {
	routes := []auth.Route{
		{Method: http.MethodGet, Path: "/notifications/me", Policy: auth.SignedIn, Handler: in.list,
			Doc: &auth.Doc{Summary: "What happened to the caller's account, applications and matches",
				Response: apiidentity.NotificationPage{}, Errors: []int{400}}},
		{Method: http.MethodPost, Path: "/notifications/:id/read", Policy: auth.SignedIn, Handler: in.markRead,
			Doc: &auth.Doc{Summary: "Mark a notification read", Status: http.StatusNoContent}},
	}
	return append(routes, in.settingsRoutes()...)
}

func (in *Inbox) list(c echo.Context) error {
	cl, _ := auth.FromContext(c)
	page, size, err := paging(c)
	if err != nil {
		return err
	}
	p, err := in.List(c.Request().Context(), cl.UserID(), page, size)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

// List returns one page of a user's inbox, newest first.
func (in *Inbox) List(ctx context.Context, userID string, page, size int) (apiidentity.NotificationPage, error) {
	filter := bson.D{{Key: "userId", Value: userID}}
	total, err := in.notes.CountDocuments(ctx, filter)
	if err != nil {
		return apiidentity.NotificationPage{}, err
	}
	unread, err := in.notes.CountDocuments(ctx, bson.D{{Key: "userId", Value: userID}, {Key: "read", Value: false}})
	if err != nil {
		return apiidentity.NotificationPage{}, err
	}
	cur, err := in.notes.Find(ctx, filter, options.Find().
		SetSort(bson.D{{Key: "createdAt", Value: -1}, {Key: "_id", Value: 1}}).
		SetSkip(web.Paging{Page: page, Size: size}.Skip()).SetLimit(int64(size)))
	if err != nil {
		return apiidentity.NotificationPage{}, err
	}
	items := []Notification{}
	if err := cur.All(ctx, &items); err != nil {
		return apiidentity.NotificationPage{}, err
	}
	return apiidentity.NotificationPage{Items: publicAll(items), Page: page, PageSize: size, Total: total, Unread: unread}, nil
}

func (in *Inbox) markRead(c echo.Context) error {
	cl, _ := auth.FromContext(c)
	// The owner is part of the filter: another user's notification id
	// matches nothing and is reported as not found.
	res, err := in.notes.UpdateOne(c.Request().Context(),
		bson.D{{Key: "_id", Value: c.Param("id")}, {Key: "userId", Value: cl.UserID()}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "read", Value: true}}}})
	if err != nil {
		return err
	}
	if res.MatchedCount == 0 {
		return web.NotFound("notification")
	}
	return c.NoContent(http.StatusNoContent)
}

func paging(c echo.Context) (int, int, error) {
	p, err := web.QueryPaging(c)
	return p.Page, p.Size, err
}

// ForUser returns every notification of a user, for their data export.
func (in *Inbox) ForUser(ctx context.Context, userID string) ([]apiidentity.Notification, error) {
	cur, err := in.notes.Find(ctx, bson.D{{Key: "userId", Value: userID}}, options.Find().SetSort(bson.D{{Key: "createdAt", Value: 1}}))
	if err != nil {
		return nil, err
	}
	var stored []Notification
	if err := cur.All(ctx, &stored); err != nil {
		return nil, err
	}
	return publicAll(stored), nil
}

// Consumers returns the durable consumers that fill the inbox.
func (in *Inbox) Consumers() []natsbus.Consumer {
	return []natsbus.Consumer{
		{Service: "gateway", Name: "notify-identity", Stream: "IDENTITY", Handle: in.onIdentity},
		{Service: "gateway", Name: "notify-programs", Stream: "PROGRAMS", Handle: in.onProgram},
		// Notifications are keyed by event and recipient and ordered by
		// the event's time, so events of different aggregates may be
		// handled side by side: a national rank import makes a million.
		{Service: "gateway", Name: "notify-matching", Stream: "MATCHING", Handle: in.onMatching, Concurrency: notifyWorkers},
		{Service: "gateway", Name: "notify-profiles", Stream: "PROFILES", Subjects: []string{events.ProfileErased}, Handle: in.onErased},
		{Service: "gateway", Name: "notify-placements", Stream: "PLACEMENTS", Subjects: placementSubjects, Handle: in.onPlacement},
	}
}

func (in *Inbox) onIdentity(ctx context.Context, ev events.Envelope) error {
	switch ev.Type {
	case events.UserCreated:
		var p identityev.UserCreated
		if err := ev.Decode(&p); err != nil {
			return err
		}
		return in.hostWaiting(ctx, ev, p)
	case events.UserVerified:
		var p identityev.UserVerified
		if err := ev.Decode(&p); err != nil {
			return err
		}
		return in.add(ctx, ev, p.UserID, "account.verified", "/host/programs", nil, mailParams{},
			"Your organisation has been verified: you can now post programs.")
	case events.UserDeleted:
		var p identityev.UserDeleted
		if err := ev.Decode(&p); err != nil {
			return err
		}
		return in.forget(ctx, p.UserID)
	}
	return nil
}

func (in *Inbox) onErased(ctx context.Context, ev events.Envelope) error {
	var p profilesev.ProfileErased
	if err := ev.Decode(&p); err != nil {
		return err
	}
	id := p.ProfileID
	if id == "" {
		id = ev.Subject
	}
	return in.forget(ctx, id)
}

// forget removes everything the inbox holds about a user: notifications,
// settings and queued or sent mails.
func (in *Inbox) forget(ctx context.Context, userID string) error {
	if _, err := in.notes.DeleteMany(ctx, bson.D{{Key: "userId", Value: userID}}); err != nil {
		return err
	}
	if _, err := in.settings.DeleteOne(ctx, bson.D{{Key: "_id", Value: userID}}); err != nil {
		return err
	}
	if err := in.forgetBookings(ctx, userID); err != nil {
		return err
	}
	if in.opt.Mail != nil {
		return in.opt.Mail.Forget(ctx, userID)
	}
	return nil
}

func (in *Inbox) onProgram(ctx context.Context, ev events.Envelope) error {
	if ev.Type == events.SearchMatched {
		return in.onSearchMatched(ctx, ev)
	}
	var p programsev.Program
	if err := ev.Decode(&p); err != nil {
		return err
	}
	if p.ID == "" {
		p.ID = ev.Subject
	}
	_, err := mongodb.UpsertVersioned(ctx, in.programs, p.ID, ev.AggregateVersion, "version",
		program{ID: p.ID, Title: p.Title, HostID: p.HostID, Version: ev.AggregateVersion})
	// The next notification reads the title this event may have changed.
	in.titles.Remove(p.ID)
	return err
}

// onSearchMatched tells the owner of a saved search that a newly
// published program matches it, in the inbox and (kind "searches") by
// e-mail.
func (in *Inbox) onSearchMatched(ctx context.Context, ev events.Envelope) error {
	var p programsev.SearchMatched
	if err := ev.Decode(&p); err != nil {
		return err
	}
	t := p.Title
	if t == "" {
		var err error
		if t, err = in.title(ctx, p.ProgramID); err != nil {
			return err
		}
	}
	return in.add(ctx, ev, p.OwnerID, "search.matched", "/programs/"+p.ProgramID, map[string]string{"program": t},
		mailParams{Program: t}, fmt.Sprintf("A new program matches your saved search: %s.", t))
}

// title names a program, falling back to its id when its events have not
// arrived yet.
func (in *Inbox) title(ctx context.Context, id string) (string, error) {
	if t, ok := in.titles.Get(id); ok {
		return t, nil
	}
	var p program
	err := in.programs.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&p)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return id, nil // not remembered: its events may arrive any moment
	}
	if err != nil {
		return "", err
	}
	in.titles.Add(id, p.Title)
	return p.Title, nil
}

func (in *Inbox) onMatching(ctx context.Context, ev events.Envelope) error {
	switch ev.Type {
	case events.ApplicationStaged, events.InterviewScheduled, events.InterviewCancelled, events.MessageSent:
		return in.onReview(ctx, ev)
	case events.RoundCompleted:
		// A run's completion is not news to applicants: proposals wait
		// for the coordinators. Its publication tells everyone left without
		// an offer; the others hear through their match.published.
		var p matchingev.RoundCompleted
		if err := ev.Decode(&p); err != nil {
			return err
		}
		if !p.Published() {
			return nil
		}
		name := p.Name
		if name == "" {
			name = p.RoundID
		}
		// One write for all of them: a national round leaves thousands
		// without an offer.
		notes := make([]note, len(p.UnmatchedApplicantIDs))
		text := fmt.Sprintf("The results of %s are published: none of the programs you ranked could offer you a place this time.", name)
		for i, id := range p.UnmatchedApplicantIDs {
			notes[i] = note{id, "round.unmatched", "/offers", map[string]string{"round": name}, mailParams{Round: name}, text}
		}
		return in.addAll(ctx, ev, notes...)
	case events.ApplicationSubmitted:
		var p matchingev.ApplicationSubmitted
		if err := ev.Decode(&p); err != nil {
			return err
		}
		t, err := in.title(ctx, p.ProgramID)
		if err != nil {
			return err
		}
		params := map[string]string{"program": t}
		return in.addAll(ctx, ev,
			note{p.ApplicantID, "application.submitted", "/applications", params, mailParams{Program: t},
				fmt.Sprintf("Your application to %s was received.", t)},
			note{p.HostID, "application.received", "/host/programs/" + p.ProgramID + "/candidates", params, mailParams{Program: t},
				fmt.Sprintf("A new application to %s arrived.", t)})
	case events.ApplicationsImported:
		// A coordinator's rank import: one notification per applicant and
		// file, however many applications it recorded; hosts find them
		// among their candidates.
		var p matchingev.ApplicationsImported
		if err := ev.Decode(&p); err != nil {
			return err
		}
		round := p.RoundName
		if round == "" {
			round = p.RoundID
		}
		n := strconv.Itoa(len(p.Applications))
		return in.add(ctx, ev, p.ApplicantID, "applications.imported", "/applications",
			map[string]string{"round": round, "count": n}, mailParams{Round: round},
			fmt.Sprintf("%s applications were recorded for you in %s from your rank list.", n, round))
	case events.ApplicationWithdrawn:
		var p matchingev.ApplicationWithdrawn
		if err := ev.Decode(&p); err != nil {
			return err
		}
		t, err := in.title(ctx, p.ProgramID)
		if err != nil {
			return err
		}
		return in.add(ctx, ev, p.HostID, "application.withdrawn", "/host/programs/"+p.ProgramID+"/candidates",
			map[string]string{"program": t}, mailParams{Program: t}, fmt.Sprintf("An applicant withdrew from %s.", t))
	case events.MatchPublished, events.OfferAccepted, events.OfferDeclined, events.OfferExpired, events.OfferReminder:
		var p matchingev.MatchChanged
		if err := ev.Decode(&p); err != nil {
			return err
		}
		t, err := in.title(ctx, p.ProgramID)
		if err != nil {
			return err
		}
		params := map[string]string{"program": t}
		mp := mailParams{Program: t, Deadline: p.RespondBy}
		if !p.RespondBy.IsZero() {
			params["respondBy"] = p.RespondBy.UTC().Format(time.RFC3339)
		}
		switch ev.Type {
		case events.MatchPublished:
			return in.addAll(ctx, ev,
				note{p.ApplicantID, "offer.received", "/offers", params, mp,
					fmt.Sprintf("You have an offer from %s. Accept or decline it.", t)},
				note{p.HostID, "match.published", "/host/programs/" + p.ProgramID + "/candidates", params, mp,
					fmt.Sprintf("A match for %s was published; the applicant has been told.", t)})
		case events.OfferAccepted:
			return in.addAll(ctx, ev,
				note{p.ApplicantID, "offer.accepted.self", "/offers", params, mp,
					fmt.Sprintf("You accepted the offer from %s.", t)},
				note{p.HostID, "offer.accepted", "/host/programs/" + p.ProgramID + "/candidates", params, mp,
					fmt.Sprintf("An applicant accepted your offer for %s.", t)})
		case events.OfferReminder:
			return in.add(ctx, ev, p.ApplicantID, "offer.reminder", "/offers", params, mp,
				fmt.Sprintf("Your offer from %s expires within a day. Accept or decline it before then.", t))
		case events.OfferExpired:
			return in.addAll(ctx, ev,
				note{p.ApplicantID, "offer.expired.self", "/offers", params, mp,
					fmt.Sprintf("Your offer from %s expired unanswered.", t)},
				note{p.HostID, "offer.expired", "/host/programs/" + p.ProgramID + "/candidates", params, mp,
					fmt.Sprintf("An offer for %s expired unanswered; the seat is free again.", t)})
		default:
			return in.addAll(ctx, ev,
				note{p.ApplicantID, "offer.declined.self", "/offers", params, mp,
					fmt.Sprintf("You declined the offer from %s.", t)},
				note{p.HostID, "offer.declined", "/host/programs/" + p.ProgramID + "/candidates", params, mp,
					fmt.Sprintf("An applicant declined your offer for %s; the seat is free again.", t)})
		}
	}
	return nil
}

// note is one notification an event makes, before it is stored.
type note struct {
	userID, code, link string
	params             map[string]string
	mp                 mailParams
	text               string
}

// add stores one notification. Its id is derived from the event and the
// recipient, so a redelivered event adds nothing twice.
func (in *Inbox) add(ctx context.Context, ev events.Envelope, userID, code, link string, params map[string]string, mp mailParams, text string) error {
	return in.addAll(ctx, ev, note{userID: userID, code: code, link: link, params: params, mp: mp, text: text})
}

// addAll stores the notifications one event makes (an application's to its
// applicant and its host, say) in one write: at national size the inbox
// follows hundreds of thousands of events, and each write is a commit.
func (in *Inbox) addAll(ctx context.Context, ev events.Envelope, ns ...note) error {
	docs := make([]any, 0, len(ns))
	var stored []note
	for _, x := range ns {
		if x.userID == "" {
			continue
		}
		n := Notification{
			ID: ev.ID + ":" + x.userID, UserID: x.userID, Code: x.code, Params: x.params, Text: x.text,
			Link: x.link, EventID: ev.ID, CreatedAt: ev.Time, Read: false,
		}
		if n.CreatedAt.IsZero() {
			n.CreatedAt = in.now()
		}
		docs = append(docs, n)
		stored = append(stored, x)
	}
	if len(docs) == 0 {
		return nil
	}
	// A duplicate means the event was handled before; its mail is queued
	// again all the same (the queue keeps one per event and recipient), in
	// case the earlier delivery stopped between the two writes.
	if _, err := in.notes.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false)); err != nil {
		if _, dup := mongodb.BulkDuplicates(err); !dup {
			return err
		}
	}
	for _, x := range stored {
		if err := in.mail(ctx, ev, x.userID, x.code, x.link, x.mp); err != nil {
			return err
		}
	}
	return nil
}
