package profiles_test

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/talentbridge/platform/services/profiles"
	apiprofiles "github.com/talentbridge/platform/shared/api/profiles"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/platformtest"
)

const importHeader = "email,name,kind,homeCountry,institution,region,fields,skills,languages,degreeLevel,birthYear,availableFrom,availableTo,dataProcessing,crossBorderTransfer,visibleToHosts\n"

// importFile returns a CSV of n people; bad maps a 0-based row to a
// function that spoils it.
func importFile(n int, bad map[int]func(cols []string)) string {
	var b strings.Builder
	b.WriteString(importHeader)
	kinds := []string{"student", "researcher", "company"}
	for i := range n {
		country, region := "IN", "Karnataka"
		if i%2 == 1 {
			country, region = "JP", "Osaka"
		}
		cols := []string{
			fmt.Sprintf("person%04d@example.org", i), fmt.Sprintf("Person %04d", i), kinds[i%3], country,
			"Institute " + fmt.Sprint(i%7), region, "1.2;2.2", "python;\"data, analysis\"", "en:C1;ja:N3",
			"master", "1998", "2027-04-01", "2027-09-30", "true", "true", "false",
		}
		if f := bad[i]; f != nil {
			f(cols)
		}
		for j, c := range cols {
			if j > 0 {
				b.WriteByte(',')
			}
			if strings.ContainsAny(c, ",\"") && !strings.HasPrefix(c, "\"") {
				c = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
			}
			b.WriteString(c)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

type importResult struct {
	BatchID         string `json:"batchId"`
	Rows            int    `json:"rows"`
	Inserted        int    `json:"inserted"`
	AlreadyImported bool   `json:"alreadyImported"`
	Items           []struct {
		Line int    `json:"line"`
		ID   string `json:"id"`
	} `json:"items"`
}

type importProblem struct {
	Status int    `json:"status"`
	Code   string `json:"code"`
	Errors []struct {
		Line   int    `json:"line"`
		Field  string `json:"field"`
		Reason string `json:"reason"`
	} `json:"errors"`
}

func total(t *testing.T, env *platformtest.Env, token string) int {
	t.Helper()
	r := env.Do(t, http.MethodGet, "/api/v1/profiles?pageSize=1", token, nil)
	mustStatus(t, r, http.StatusOK, "GET /profiles")
	var p struct {
		Total int `json:"total"`
	}
	r.JSON(t, &p)
	return p.Total
}

func streamCount(t *testing.T, env *platformtest.Env, stream string) uint64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s, err := env.Deps.Bus.JS.Stream(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Msgs
}

func TestImportAllOrNothing(t *testing.T) {
	t.Parallel()
	env := start(t)
	coordID := uuid.NewString()
	coord := env.Issuer.Token(t, coordID, auth.RoleCoordinator)
	const n = 1000
	spoilt := map[int]func([]string){
		99:  func(c []string) { c[8] = "en:C1;ja:B2" }, // line 101: Japanese on the CEFR scale
		500: func(c []string) { c[3] = "US" },          // line 502: unknown country
		901: func(c []string) { c[10] = "19x8" },       // line 903: not a year
	}
	r := doCSV(t, env, coord, importFile(n, spoilt))
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("import with 3 bad rows = %d %.300s, want 422", r.Status, r.Body)
	}
	var p importProblem
	r.JSON(t, &p)
	var got []string
	for _, e := range p.Errors {
		if e.Reason == "" {
			t.Errorf("row error %+v has no reason", e)
		}
		got = append(got, fmt.Sprintf("%d:%s", e.Line, e.Field))
	}
	if want := "101:languages,502:homeCountry,903:birthYear"; strings.Join(got, ",") != want || p.Code != "import_rejected" {
		t.Errorf("import errors = %v (%s), want exactly %s", got, p.Code, want)
	}
	if !strings.Contains(p.Errors[0].Reason, "JLPT") {
		t.Errorf("line 101 reason = %q, want it to name the JLPT scale", p.Errors[0].Reason)
	}
	if got := total(t, env, coord); got != 0 {
		t.Fatalf("after the refused import %d profiles exist, want 0", got)
	}

	fixed := importFile(n, nil)
	started := time.Now()
	r = doCSV(t, env, coord, fixed)
	mustStatus(t, r, http.StatusCreated, "import of the fixed file")
	t.Logf("import of %d rows took %v", n, time.Since(started))
	var res importResult
	r.JSON(t, &res)
	if res.Rows != n || res.Inserted != n || len(res.Items) != n || res.Items[0].Line != 2 || res.AlreadyImported {
		t.Errorf("import = rows %d inserted %d items %d first line %d, want %d, %d, %d, 2", res.Rows, res.Inserted, len(res.Items), res.Items[0].Line, n, n, n)
	}
	if got := total(t, env, coord); got != n {
		t.Errorf("after the import %d profiles exist, want %d", got, n)
	}
	r = env.Do(t, http.MethodGet, "/api/v1/profiles/"+res.Items[5].ID, coord, nil)
	mustStatus(t, r, http.StatusOK, "GET imported profile")
	var v apiprofiles.Profile
	r.JSON(t, &v)
	if v.Email != "person0005@example.org" || v.Name != "Person 0005" || v.Region != "Osaka" {
		t.Errorf("imported profile = %+v, want person 5 with e-mail and region", v)
	}
	var rec struct {
		Imported bool `json:"imported"`
		Consents struct {
			Recorded struct {
				DataProcessing struct {
					By string `json:"by"`
				} `json:"dataProcessing"`
			} `json:"recorded"`
		} `json:"consents"`
	}
	r.JSON(t, &rec)
	if !rec.Imported || rec.Consents.Recorded.DataProcessing.By != coordID {
		t.Errorf("imported profile = imported %v, consent recorded by %q; want true, the importing coordinator %s",
			rec.Imported, rec.Consents.Recorded.DataProcessing.By, coordID)
	}
	// Every imported profile carries its profile.created event: still in
	// its document's outbox, or already published. The outbox is read
	// first: an event it no longer holds was published before it was
	// removed, so the later look at the stream sees it.
	platformtest.Eventually(t, 20*time.Second, func() error {
		pending, err := env.Deps.DB(profiles.Database).Collection("profiles").CountDocuments(context.Background(),
			bson.D{{Key: "outbox.0", Value: bson.D{{Key: "$exists", Value: true}}}})
		if err != nil {
			return err
		}
		published := streamCount(t, env, "PROFILES")
		if published == 0 || published > n || pending+int64(published) < n {
			return fmt.Errorf("%d events pending and %d published, want at least one published and %d in all", pending, published, n)
		}
		return nil
	})

	// The same file again: nothing more is imported.
	r = doCSV(t, env, coord, fixed)
	mustStatus(t, r, http.StatusOK, "second import of the same file")
	var again importResult
	r.JSON(t, &again)
	if !again.AlreadyImported || again.Inserted != 0 || again.BatchID != res.BatchID {
		t.Errorf("second import = %+v, want alreadyImported with nothing inserted", again)
	}
	if got := total(t, env, coord); got != n {
		t.Errorf("after the repeated import %d profiles exist, want %d", got, n)
	}

	// A different file naming an already imported person is refused.
	other := importHeader + "person0007@example.org,Someone New,student,IN,,,,,,master,2000,,,true,false,false\n" +
		"new.person@example.org,New Person,student,IN,,,,,,master,2000,,,true,false,false\n"
	r = doCSV(t, env, coord, other)
	var clash importProblem
	r.JSON(t, &clash)
	if r.Status != http.StatusUnprocessableEntity || len(clash.Errors) != 1 || clash.Errors[0].Line != 2 || clash.Errors[0].Field != "email" {
		t.Errorf("import of an already imported address = %d %+v, want 422 naming line 2 email", r.Status, clash.Errors)
	}
}

// TestImportResumesAfterCrash leaves the store as a crash in the middle of
// the inserts would (the batch still "inserting", some profiles missing)
// and sends the same file again.
func TestImportResumesAfterCrash(t *testing.T) {
	t.Parallel()
	env := start(t)
	coord := env.Issuer.Token(t, uuid.NewString(), auth.RoleCoordinator)
	file := importFile(20, nil)
	r := doCSV(t, env, coord, file)
	mustStatus(t, r, http.StatusCreated, "import")
	var first importResult
	r.JSON(t, &first)

	ctx := context.Background()
	db := env.Deps.DB(profiles.Database)
	var lost []string
	for _, it := range first.Items[12:] {
		lost = append(lost, it.ID)
	}
	if _, err := db.Collection("profiles").DeleteMany(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: lost}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Collection("imports").UpdateOne(ctx, bson.D{{Key: "_id", Value: first.BatchID}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "status", Value: "inserting"}}}}); err != nil {
		t.Fatal(err)
	}
	if got := total(t, env, coord); got != 12 {
		t.Fatalf("after the simulated crash %d profiles exist, want 12", got)
	}

	r = doCSV(t, env, coord, file)
	mustStatus(t, r, http.StatusCreated, "import resumed")
	var res importResult
	r.JSON(t, &res)
	if res.Inserted != 8 || res.Rows != 20 || res.AlreadyImported {
		t.Errorf("resumed import = inserted %d of %d (already %v), want 8 of 20", res.Inserted, res.Rows, res.AlreadyImported)
	}
	if got := total(t, env, coord); got != 20 {
		t.Errorf("after the resumed import %d profiles exist, want 20", got)
	}
	ids := func(items []struct {
		Line int    `json:"line"`
		ID   string `json:"id"`
	}) string {
		var s []string
		for _, it := range items {
			s = append(s, it.ID)
		}
		sort.Strings(s)
		return strings.Join(s, ",")
	}
	if ids(res.Items) != ids(first.Items) {
		t.Errorf("resumed import made other ids than the first run; want the same deterministic ids")
	}
}

func TestImportRequest(t *testing.T) {
	t.Parallel()
	env := start(t)
	coord := env.Issuer.Token(t, uuid.NewString(), auth.RoleCoordinator)
	for _, c := range []struct {
		name, csv string
		line      int
		field     string
	}{
		{"empty file", "", 1, ""},
		{"unknown column", "email,name,shoeSize\n", 1, "shoeSize"},
		{"missing required column", "email,name,kind,homeCountry,degreeLevel,birthYear\n", 1, "dataProcessing"},
		{"header only", importHeader, 2, ""},
		{"short row", importHeader + "a@example.org,A\n", 2, ""},
		{"no processing consent", strings.Replace(importFile(1, nil), "true,true,false", "false,true,false", 1), 2, "dataProcessing"},
		{"duplicate address", importFile(2, map[int]func([]string){1: func(c []string) { c[0] = "person0000@example.org" }}), 3, "email"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := doCSV(t, env, coord, c.csv)
			var p importProblem
			r.JSON(t, &p)
			if r.Status != http.StatusUnprocessableEntity || len(p.Errors) == 0 || p.Errors[0].Line != c.line || p.Errors[0].Field != c.field {
				t.Errorf("import = %d %s, want 422 with line %d field %q first", r.Status, r.Body, c.line, c.field)
			}
		})
	}
	r := env.Do(t, http.MethodPost, "/api/v1/profiles/import", coord, map[string]any{"rows": 1})
	if r.Status != http.StatusUnsupportedMediaType {
		t.Errorf("import as JSON = %d, want 415", r.Status)
	}
}

// TestImportTakesLargeCSVOnly sends the import a 20 MiB CSV file (two
// profiles padded with blank lines, which CSV skips) and POST /profiles a
// 2 MiB JSON body: the import is read whole and accepted, while every
// other body keeps the small limit and is refused with 413, storing
// nothing.
func TestImportTakesLargeCSVOnly(t *testing.T) {
	t.Parallel()
	env := start(t)
	coord := env.Issuer.Token(t, uuid.NewString(), auth.RoleCoordinator)
	big := importFile(2, nil) + strings.Repeat("\n", 20<<20)
	r := doCSV(t, env, coord, big)
	var res importResult
	r.JSON(t, &res)
	if r.Status != http.StatusCreated || res.Rows != 2 || res.Inserted != 2 {
		t.Fatalf("20 MiB CSV import = %d %.300s, want 201 with 2 rows inserted", r.Status, r.Body)
	}

	applicant := env.Issuer.Token(t, uuid.NewString(), auth.RoleApplicant)
	r = env.Do(t, http.MethodPost, "/api/v1/profiles", applicant, with(profileBody(), "statement", strings.Repeat("x", 2<<20)))
	if r.Status != http.StatusRequestEntityTooLarge || r.Problem(t).Code != "body_too_large" {
		t.Errorf("2 MiB JSON profile = %d %.300s, want 413 body_too_large", r.Status, r.Body)
	}
	if r := env.Do(t, http.MethodGet, "/api/v1/profiles/me", applicant, nil); r.Status != http.StatusNotFound {
		t.Errorf("after the refused body GET /profiles/me = %d, want 404 (nothing stored)", r.Status)
	}
	// The large limit is for CSV only, even on the import route.
	r = platformtest.Do(t, env.Server.URL, http.MethodPost, "/api/v1/profiles/import", coord, strings.Repeat(" ", 2<<20))
	if r.Status != http.StatusRequestEntityTooLarge {
		t.Errorf("2 MiB JSON body on the import route = %d, want 413", r.Status)
	}
}
