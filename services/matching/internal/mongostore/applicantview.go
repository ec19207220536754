package mongostore

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/shared/outbox"
)

// ApplicantApplicationsCollection holds one document per applicant, keyed
// by the applicant id, naming for each program the applicant's latest
// application to it, when it was submitted, and whether it is still live:
//
//	{_id: <applicant>, live: {<program>: "<application id>\x01<submitted, Unix ms>[\x01g]"},
//	 pending: [{t: <token>, ids: [<application ids>]}]}
//
// ("\x01g" marks an application no longer live.) A run reads every live
// application of its participants. On the embedded store any filter
// other than {_id: X} reads and decodes every document of the
// collection, and a national round's million applications took about two
// minutes of a run (docs/BENCHMARKS.md); this view holds the same facts in
// one small document per applicant. Each entry is one string rather than a
// document of three fields because FerretDB decodes value by value: the
// strings halve the time a run reads the view (BenchmarkLiveApplicationsRead).
//
// It is exact, not merely close, by three rules:
//
//   - Every write of applications (a new one, a withdrawal, an import)
//     first pushes a pending entry naming the applications it is about to
//     write, and removes it only after it has settled their entries. A
//     reader resolves the applications of any pending entry from the
//     applications themselves (by _id), so a process that stopped between
//     the two writes leaves the view slow for that applicant, never wrong.
//   - An application is live once and then never again; a new application
//     to the same program has a later id (UUIDv7). An entry is replaced
//     only by a later application, or by the same one going from live to
//     gone, so settling in any order, twice, or from the backfill ends in
//     the state of the latest application. An entry begins with its
//     application's id followed by \x01, below any character of an id, so
//     comparing the entry with an id compares the ids (settleCondition).
//   - Until every application stored before the view existed has been
//     copied in (backfillView, at start), viewCompleteID is absent and
//     readers ask the applications instead.
const ApplicantApplicationsCollection = "applicant_applications_v2"

// legacyViewCollection is the view as first stored (an entry was a
// document {a, at, gone}); the first start of this version drops it and
// builds ApplicantApplicationsCollection afresh.
const legacyViewCollection = "applicant_applications"

// viewCompleteID is the _id of the document that says the backfill is
// done. It cannot be an applicant id (those are UUIDs).
const viewCompleteID = "~complete"

// viewEntry is one program's entry of the view, decoded.
type viewEntry struct {
	App  string
	At   time.Time
	Gone bool
}

// viewSep separates the parts of an entry: below every character an id
// holds.
const viewSep = "\x01"

func (e viewEntry) String() string {
	s := e.App + viewSep + strconv.FormatInt(e.At.UnixMilli(), 10)
	if e.Gone {
		s += viewSep + "g"
	}
	return s
}

func parseViewEntry(s string) (viewEntry, error) {
	parts := strings.Split(s, viewSep)
	if len(parts) < 2 || len(parts) > 3 || (len(parts) == 3 && parts[2] != "g") {
		return viewEntry{}, fmt.Errorf("applicant view: malformed entry %q", s)
	}
	ms, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil {
		return viewEntry{}, fmt.Errorf("applicant view: malformed entry %q", s)
	}
	return viewEntry{App: parts[0], At: time.UnixMilli(ms).UTC(), Gone: len(parts) == 3}, nil
}

type viewPending struct {
	Token string   `bson:"t"`
	IDs   []string `bson:"ids"`
}

type applicantViewDoc struct {
	ID      string            `bson:"_id"`
	Live    map[string]string `bson:"live"`
	Pending []viewPending     `bson:"pending"`
}

// viewKeys escapes the characters a field name may not hold (program ids
// are UUIDs, but the view must not break on any id).
var (
	viewKeyEscape   = strings.NewReplacer("%", "%25", ".", "%2E", "$", "%24")
	viewKeyUnescape = strings.NewReplacer("%2E", ".", "%24", "$", "%25", "%")
)

func viewField(programID string) string { return "live." + viewKeyEscape.Replace(programID) }

// viewBegin pushes, for each applicant of apps, a pending entry naming the
// applications about to be written, creating the applicant's document if
// needed. It returns the entries, by applicant, for viewEnd.
func (s *Store) viewBegin(ctx context.Context, apps []domain.Application) (map[string]viewPending, error) {
	byApplicant := map[string]viewPending{}
	for _, a := range apps {
		p := byApplicant[a.ApplicantID]
		if p.Token == "" {
			p.Token = bson.NewObjectID().Hex()
		}
		p.IDs = append(p.IDs, a.ID)
		byApplicant[a.ApplicantID] = p
	}
	applicants := slices.Sorted(maps.Keys(byApplicant))
	err := updateChunks(len(applicants), func(from, to int) error {
		models := make([]mongo.WriteModel, 0, to-from)
		for _, a := range applicants[from:to] {
			models = append(models, mongo.NewUpdateOneModel().SetFilter(id(a)).SetUpsert(true).
				SetUpdate(bson.D{{Key: "$push", Value: bson.D{{Key: "pending", Value: byApplicant[a]}}}}))
		}
		if _, err := s.applicantView.BulkWrite(ctx, models, options.BulkWrite().SetOrdered(false)); err != nil {
			return fmt.Errorf("mark applications pending: %w", err)
		}
		return nil
	})
	return byApplicant, err
}

// settleCondition is the filter under which a's entry may be written: the
// program has no entry, or its entry is of an earlier application (or, for
// an application no longer live, of this one). An entry starts with its
// application's id and \x01, so it sorts below a.ID exactly when its id
// does, and below a.ID+"\x02" when its id is a.ID or below.
func settleCondition(a domain.Application) bson.D {
	f := viewField(a.ProgramID)
	bound := a.ID
	if !a.Live() {
		bound = a.ID + "\x02"
	}
	return bson.D{{Key: "$or", Value: bson.A{
		bson.D{{Key: f, Value: bson.D{{Key: "$exists", Value: false}}}},
		bson.D{{Key: f, Value: bson.D{{Key: "$lt", Value: bound}}}},
	}}}
}

// replaces reports whether a's entry takes the place of one held for the
// application with id held: what settleCondition says in a filter.
func replaces(a domain.Application, held string) bool {
	return held < a.ID || (held == a.ID && !a.Live())
}

func settleValue(a domain.Application) string {
	return viewEntry{App: a.ID, At: a.SubmittedAt.UTC(), Gone: !a.Live()}.String()
}

// viewEnd settles the entries of the applications as stored (written: the
// applications whose write succeeded, as written) and removes the pending
// entries viewBegin pushed.
func (s *Store) viewEnd(ctx context.Context, pending map[string]viewPending, written []domain.Application) error {
	return s.settle(ctx, byApplicant(written), pending)
}

func byApplicant(apps []domain.Application) map[string][]domain.Application {
	out := map[string][]domain.Application{}
	for _, a := range apps {
		out[a.ApplicantID] = append(out[a.ApplicantID], a)
	}
	return out
}

// settle writes the entries of each applicant's applications and removes
// their pending entry, if any: in one write per applicant when every
// condition holds, as it does unless writes race; else entry by entry.
// Of several applications to one program only the latest is written (the
// conditions would keep it anyway).
func (s *Store) settle(ctx context.Context, apps map[string][]domain.Application, pending map[string]viewPending) error {
	applicants := slices.Sorted(maps.Keys(apps))
	for ap := range pending {
		if _, ok := apps[ap]; !ok {
			applicants = append(applicants, ap)
		}
	}
	for ap, list := range apps {
		latest := map[string]domain.Application{}
		for _, a := range list {
			if l, ok := latest[a.ProgramID]; !ok || replaces(a, l.ID) {
				latest[a.ProgramID] = a
			}
		}
		apps[ap] = slices.SortedFunc(maps.Values(latest), func(a, b domain.Application) int { return strings.Compare(a.ProgramID, b.ProgramID) })
	}
	pull := func(ap string) bson.D {
		if p, ok := pending[ap]; ok {
			return bson.D{{Key: "$pullAll", Value: bson.D{{Key: "pending", Value: bson.A{p}}}}}
		}
		return nil
	}
	return updateChunks(len(applicants), func(from, to int) error {
		models := make([]mongo.WriteModel, 0, to-from)
		for _, ap := range applicants[from:to] {
			list := apps[ap]
			if len(list) == 0 {
				models = append(models, mongo.NewUpdateOneModel().SetFilter(id(ap)).SetUpdate(pull(ap)))
				continue
			}
			conds := bson.A{}
			set := bson.D{}
			for _, a := range list {
				conds = append(conds, settleCondition(a))
				set = append(set, bson.E{Key: viewField(a.ProgramID), Value: settleValue(a)})
			}
			models = append(models, mongo.NewUpdateOneModel().
				SetFilter(bson.D{{Key: "_id", Value: ap}, {Key: "$and", Value: conds}}).
				SetUpdate(append(bson.D{{Key: "$set", Value: set}}, pull(ap)...)))
		}
		res, err := s.applicantView.BulkWrite(ctx, models, options.BulkWrite().SetOrdered(false))
		if err != nil {
			return fmt.Errorf("settle the applicant view: %w", err)
		}
		if int(res.MatchedCount) == len(models) {
			return nil
		}
		// Some applicant's entries raced with another write: settle each
		// entry on its own condition (writes that already happened are
		// skipped by their conditions), then drop the pending entries.
		for _, ap := range applicants[from:to] {
			if err := s.settleEach(ctx, apps[ap]); err != nil {
				return err
			}
			if upd := pull(ap); upd != nil {
				if _, err := s.applicantView.UpdateOne(ctx, id(ap), upd); err != nil {
					return fmt.Errorf("settle the applicant view: %w", err)
				}
			}
		}
		return nil
	})
}

// settleEach writes each application's entry under its own condition.
func (s *Store) settleEach(ctx context.Context, apps []domain.Application) error {
	for _, a := range apps {
		filter := append(bson.D{{Key: "_id", Value: a.ApplicantID}}, settleCondition(a)...)
		_, err := s.applicantView.UpdateOne(ctx, filter,
			bson.D{{Key: "$set", Value: bson.D{{Key: viewField(a.ProgramID), Value: settleValue(a)}}}})
		if err != nil {
			return fmt.Errorf("settle the applicant view: %w", err)
		}
	}
	return nil
}

// viewComplete reports whether the backfill is done.
func (s *Store) viewComplete(ctx context.Context) (bool, error) {
	err := s.applicantView.FindOne(ctx, id(viewCompleteID)).Err()
	if errors.Is(err, mongo.ErrNoDocuments) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read the applicant view: %w", err)
	}
	return true, nil
}

// BackfillApplicantView copies into the view every application stored
// before it existed, once: it does nothing when the view is complete.
// Writes that go on meanwhile settle their own entries; the conditions
// keep either order right. The service calls it at start.
func (s *Store) BackfillApplicantView(ctx context.Context) error {
	if done, err := s.viewComplete(ctx); err != nil || done {
		return err
	}
	if err := s.db.Collection(legacyViewCollection).Drop(ctx); err != nil {
		return fmt.Errorf("drop the former applicant view: %w", err)
	}
	apps, err := s.findApplications(ctx, bson.D{})
	if err != nil {
		return err
	}
	grouped := byApplicant(apps)
	applicants := slices.Sorted(maps.Keys(grouped))
	// The documents first, so that the settling writes are plain updates.
	err = updateChunks(len(applicants), func(from, to int) error {
		models := make([]mongo.WriteModel, 0, to-from)
		for _, a := range applicants[from:to] {
			models = append(models, mongo.NewUpdateOneModel().SetFilter(id(a)).SetUpsert(true).
				SetUpdate(bson.D{{Key: "$setOnInsert", Value: bson.D{{Key: "pending", Value: bson.A{}}}}}))
		}
		if _, err := s.applicantView.BulkWrite(ctx, models, options.BulkWrite().SetOrdered(false)); err != nil {
			return fmt.Errorf("backfill the applicant view: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := s.settle(ctx, grouped, nil); err != nil {
		return err
	}
	_, err = s.applicantView.UpdateOne(ctx, id(viewCompleteID),
		bson.D{{Key: "$set", Value: bson.D{{Key: "at", Value: s.now().UTC()}}}}, options.UpdateOne().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("mark the applicant view complete: %w", err)
	}
	return nil
}

// liveFromView returns every live application the view holds, oldest
// first, with the applications of pending entries read from the
// applications; false when the view is not complete yet.
func (s *Store) liveFromView(ctx context.Context) ([]domain.Application, bool, error) {
	docs, err := all[applicantViewDoc](ctx, s.applicantView, bson.D{})
	if err != nil {
		return nil, false, err
	}
	complete := false
	var out []domain.Application
	for _, d := range docs {
		if d.ID == viewCompleteID {
			complete = true
			continue
		}
		if len(d.Pending) > 0 {
			if err := s.resolvePending(ctx, &d); err != nil {
				return nil, false, err
			}
		}
		for k, v := range d.Live {
			e, err := parseViewEntry(v)
			if err != nil {
				return nil, false, err
			}
			if e.Gone {
				continue
			}
			out = append(out, domain.Application{ID: e.App, ApplicantID: d.ID, ProgramID: viewKeyUnescape.Replace(k),
				Status: domain.ApplicationSubmitted, SubmittedAt: e.At})
		}
	}
	if !complete {
		return nil, false, nil
	}
	slices.SortFunc(out, func(a, b domain.Application) int {
		return cmp.Or(a.SubmittedAt.Compare(b.SubmittedAt), strings.Compare(a.ID, b.ID))
	})
	return out, true, nil
}

// resolvePending brings d's entries for the applications of its pending
// entries up to what the applications themselves say, in memory.
func (s *Store) resolvePending(ctx context.Context, d *applicantViewDoc) error {
	if d.Live == nil {
		d.Live = map[string]string{}
	}
	for _, p := range d.Pending {
		for _, aid := range p.IDs {
			var doc applicationDoc
			err := s.apps.FindOne(ctx, id(aid), options.FindOne().SetProjection(bson.D{{Key: outbox.Field, Value: 0}})).Decode(&doc)
			if errors.Is(err, mongo.ErrNoDocuments) {
				// Never written, or erased: whatever names it is gone.
				for k, v := range d.Live {
					if e, err := parseViewEntry(v); err == nil && e.App == aid {
						e.Gone = true
						d.Live[k] = e.String()
					}
				}
				continue
			}
			if err != nil {
				return fmt.Errorf("resolve a pending application: %w", err)
			}
			a := doc.application()
			k := viewKeyEscape.Replace(a.ProgramID)
			held, ok := d.Live[k]
			if !ok {
				d.Live[k] = settleValue(a)
				continue
			}
			e, err := parseViewEntry(held)
			if err != nil {
				return err
			}
			if replaces(a, e.App) {
				d.Live[k] = settleValue(a)
			}
		}
	}
	return nil
}

// eraseApplicantView deletes an applicant's document.
func (s *Store) eraseApplicantView(ctx context.Context, applicantID string) error {
	if _, err := s.applicantView.DeleteOne(ctx, id(applicantID)); err != nil {
		return fmt.Errorf("erase from the applicant view: %w", err)
	}
	return nil
}
