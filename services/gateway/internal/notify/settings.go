package notify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/talentbridge/platform/services/gateway/internal/notify/mailtext"
	apiidentity "github.com/talentbridge/platform/shared/api/identity"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/fielderr"
	"github.com/talentbridge/platform/shared/web"
)

// MailKinds are the kinds of notification a user may receive by e-mail, each
// turned on or off in their settings (all on by default).
var MailKinds = []string{"account", "offers", "results", "stages", "interviews", "messages", "searches"}

// mailKind says which notification codes also go out by e-mail, and under
// which kind of the settings. Codes not listed stay in the inbox only. The
// stage, interview and message codes come from the review events
// (review.go) and the interview reminders (reminders.go).
var mailKind = map[string]string{
	"account.verified": "account",
	"account.declined": "account",
	// Coordinators hear of each host waiting for verification.
	"host.waiting":        "account",
	"offer.received":      "offers",
	"offer.reminder":      "offers",
	"offer.expired.self":  "offers",
	"round.unmatched":     "results",
	"application.staged":  "stages",
	"interview.scheduled": "interviews",
	"interview.cancelled": "interviews",
	"message.sent":        "messages",
	// The host's side of a booking, and the reminders a day ahead.
	"interview.scheduled.host": "interviews",
	"interview.cancelled.host": "interviews",
	"interview.reminder":       "interviews",
	"interview.reminder.host":  "interviews",
	"message.bulk":             "messages",
	// A saved search found a newly published program.
	"search.matched": "searches",
	// What follows an accepted offer: the placement and its late tasks.
	"placement.created":           "offers",
	"placement.created.host":      "offers",
	"placement.task.overdue":      "offers",
	"placement.task.overdue.host": "offers",
	// A task the coordinators themselves must do, to every coordinator.
	"placement.task.overdue.coordinator": "offers",
}

// settingsDoc is one user's notification settings as stored; a user
// without one has the defaults (English, every e-mail on).
type settingsDoc struct {
	ID        string    `bson:"_id"`
	Language  string    `bson:"language,omitempty"`
	EmailOff  []string  `bson:"emailOff,omitempty"`
	UpdatedAt time.Time `bson:"updatedAt"`
}

func (d settingsDoc) public(emailEnabled bool) apiidentity.NotificationSettings {
	s := apiidentity.NotificationSettings{Language: d.Language, Email: map[string]bool{}, EmailEnabled: emailEnabled}
	if s.Language == "" {
		s.Language = "en"
	}
	for _, k := range MailKinds {
		s.Email[k] = !slices.Contains(d.EmailOff, k)
	}
	return s
}

// Settings returns a user's settings (the defaults when they never saved
// any).
func (in *Inbox) Settings(ctx context.Context, userID string) (apiidentity.NotificationSettings, error) {
	d, err := in.settingsOf(ctx, userID)
	if err != nil {
		return apiidentity.NotificationSettings{}, err
	}
	return d.public(in.mailEnabled()), nil
}

func (in *Inbox) settingsOf(ctx context.Context, userID string) (settingsDoc, error) {
	var d settingsDoc
	err := in.settings.FindOne(ctx, bson.D{{Key: "_id", Value: userID}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return settingsDoc{ID: userID}, nil
	}
	if err != nil {
		return settingsDoc{}, fmt.Errorf("load notification settings: %w", err)
	}
	return d, nil
}

// UpdateSettings applies a change: an empty Language keeps the language,
// kinds left out of Email keep their setting. The change must have passed
// DecodeSettings' checks.
func (in *Inbox) UpdateSettings(ctx context.Context, userID string, ch apiidentity.NotificationSettings) (apiidentity.NotificationSettings, error) {
	d, err := in.settingsOf(ctx, userID)
	if err != nil {
		return apiidentity.NotificationSettings{}, err
	}
	if ch.Language != "" {
		d.Language = ch.Language
	}
	off := []string{}
	for _, k := range MailKinds {
		on, given := ch.Email[k]
		if (given && !on) || (!given && slices.Contains(d.EmailOff, k)) {
			off = append(off, k)
		}
	}
	d.EmailOff, d.UpdatedAt = off, in.now().UTC()
	if _, err := in.settings.UpdateOne(ctx, bson.D{{Key: "_id", Value: userID}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "language", Value: d.Language}, {Key: "emailOff", Value: d.EmailOff},
			{Key: "updatedAt", Value: d.UpdatedAt}}}}, upsert()); err != nil {
		return apiidentity.NotificationSettings{}, fmt.Errorf("save notification settings: %w", err)
	}
	return d.public(in.mailEnabled()), nil
}

// DecodeSettings reads the body of PUT /notifications/settings strictly:
// language one of en|ja|hi (or empty), e-mail kinds among MailKinds.
func DecodeSettings(r io.Reader) (apiidentity.NotificationSettings, error) {
	var s apiidentity.NotificationSettings
	if err := web.Decode(r, &s); err != nil {
		return s, err
	}
	var bad []web.FieldError
	if s.Language != "" && !slices.Contains(mailtext.Languages, s.Language) {
		bad = append(bad, fielderr.NewOneOf("language", mailtext.Languages))
	}
	keys := make([]string, 0, len(s.Email))
	for k := range s.Email {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !slices.Contains(MailKinds, k) {
			bad = append(bad, fielderr.NewOneOf("email."+k, MailKinds).Because("is not a kind of notification: one of %s", strings.Join(MailKinds, "|")))
		}
	}
	if len(bad) > 0 {
		return s, web.Invalid(bad...)
	}
	return s, nil
}

func (in *Inbox) settingsRoutes() []auth.Route {
	return []auth.Route{
		{Method: http.MethodGet, Path: "/notifications/settings", Policy: auth.SignedIn, Handler: in.getSettings,
			Doc: &auth.Doc{Summary: "The caller's notification settings: e-mail language and which kinds come by e-mail",
				Response: apiidentity.NotificationSettings{}}},
		{Method: http.MethodPut, Path: "/notifications/settings", Policy: auth.SignedIn, Handler: in.putSettings,
			Doc: &auth.Doc{Summary: "Change the caller's notification settings", Request: apiidentity.NotificationSettings{},
				Response: apiidentity.NotificationSettings{}, Errors: []int{400, 413, 415, 422}}},
	}
}

func (in *Inbox) getSettings(c echo.Context) error {
	cl, _ := auth.FromContext(c)
	s, err := in.Settings(c.Request().Context(), cl.UserID())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s)
}

// maxSettingsBody bounds the PUT body: the whole settings fit in far less.
const maxSettingsBody = 4 << 10

func (in *Inbox) putSettings(c echo.Context) error {
	cl, _ := auth.FromContext(c)
	if ct := c.Request().Header.Get(echo.HeaderContentType); ct != "" && !isJSON(ct) {
		return &web.Error{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type", Detail: "send application/json"}
	}
	ch, err := DecodeSettings(http.MaxBytesReader(c.Response(), c.Request().Body, maxSettingsBody))
	if err != nil {
		return err
	}
	s, err := in.UpdateSettings(c.Request().Context(), cl.UserID(), ch)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s)
}
