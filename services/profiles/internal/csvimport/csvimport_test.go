package csvimport

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/talentbridge/platform/services/profiles/internal/domain"
)

var now = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

const header = "email,name,kind,homeCountry,region,languages,degreeLevel,birthYear,statement,dataProcessing,visibleToHosts,guardianName,guardianRelation\n"

func problemsText(ps []domain.RowProblem) string {
	var s []string
	for _, p := range ps {
		s = append(s, fmt.Sprintf("%d:%s", p.Line, p.Field))
	}
	return strings.Join(s, ",")
}

func TestParseValidFile(t *testing.T) {
	file := "\uFEFF" + header +
		"Asha@Example.org,Asha Rao,student,IN,tamil nadu,en:C1;ja:N4,master,2001,\"Line one,\nline two\",true,yes,,\n" +
		"kenji@example.jp,Kenji Sato,researcher,JP,Miyagi,ja:native;en:B2,phd,1990,,TRUE,0,,\n" +
		"\n" +
		"minor@example.org,Mina Das,student,IN,Kerala,,bachelor,2010,,true,false,Lata Das,parent\n"
	rows, problems, err := Parse(strings.NewReader(file), now)
	if err != nil || len(problems) > 0 {
		t.Fatalf("Parse(valid) = %v, %v; want no problems", problems, err)
	}
	if len(rows) != 3 {
		t.Fatalf("Parse(valid) = %d rows, want 3", len(rows))
	}
	for i, c := range []struct {
		line         int
		email, extra string
		got          string
	}{
		{2, "asha@example.org", "Tamil Nadu", rows[0].Draft.Region},
		{4, "kenji@example.jp", "native", rows[1].Draft.Languages[0].Level},
		{6, "minor@example.org", "Lata Das", rows[2].Draft.Guardian.Name},
	} {
		if rows[i].Line != c.line || rows[i].Email != c.email || c.got != c.extra {
			t.Errorf("row %d = line %d email %q (%q), want line %d email %q (%q)", i, rows[i].Line, rows[i].Email, c.got, c.line, c.email, c.extra)
		}
	}
	if !rows[0].Draft.Consents.VisibleToHosts || rows[1].Draft.Consents.VisibleToHosts || rows[0].Draft.Consents.NoticeVersion != domain.NoticeVersion {
		t.Errorf("consents = %+v, %+v; want visible for Asha only, under the current notice", rows[0].Draft.Consents, rows[1].Draft.Consents)
	}
	if rows[0].Draft.Statement != "Line one,\nline two" {
		t.Errorf("statement = %q, want the quoted multi-line field", rows[0].Draft.Statement)
	}
}

func TestParseReportsEveryBadRow(t *testing.T) {
	file := header +
		"ok@example.org,Good Row,student,IN,Goa,en:B2,master,2000,,true,,,\n" +
		"bad-email,Bad Email,student,IN,Goa,en:B2,master,2000,,true,,,\n" +
		"two@example.org,,alien,IN,Tokyo,en:N2,master,2000,,true,,,\n" +
		"three@example.org,Three,student,JP,Osaka,ja,master,20x0,,maybe,,,\n" +
		"four@example.org,Four,student,IN,Goa,,master,2011,,true,,,\n" +
		"ok@example.org,Again,student,IN,Goa,,master,2000,,true,,,\n" +
		"short@example.org,Short\n"
	rows, problems, err := Parse(strings.NewReader(file), now)
	if err != nil {
		t.Fatal(err)
	}
	want := "3:email,4:kind,4:name,4:region,4:languages,5:languages,5:birthYear,5:dataProcessing,6:guardianName,7:email,8:"
	if got := problemsText(problems); got != want || rows != nil {
		t.Errorf("Parse(bad rows) problems = %s, rows %d; want %s and no rows", got, len(rows), want)
	}
	for _, p := range problems {
		if p.Reason == "" {
			t.Errorf("problem %+v has no reason", p)
		}
	}
}

func TestParseHeader(t *testing.T) {
	for _, c := range []struct {
		name, file, want string
	}{
		{"empty", "", "1:"},
		{"unknown column", "email,name,kind,homeCountry,degreeLevel,birthYear,dataProcessing,shoeSize\n", "1:shoeSize"},
		{"column twice", "email,name,Name,kind,homeCountry,degreeLevel,birthYear,dataProcessing\n", "1:name"},
		{"required missing", "email,name\n", "1:kind,1:homeCountry,1:degreeLevel,1:birthYear,1:dataProcessing"},
		{"no rows", header, "2:"},
		{"bare quote", header + "a@example.org,A \"B\" C,student,IN,,,master,2000,,true,,,\n", "2:"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, problems, err := Parse(strings.NewReader(c.file), now)
			if got := problemsText(problems); err != nil || got != c.want {
				t.Errorf("Parse(%s) = %s, %v; want %s", c.name, got, err, c.want)
			}
		})
	}
}

func TestParseRowLimit(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(header)
	for i := range MaxRows + 1 {
		fmt.Fprintf(&b, "p%d@example.org,P %d,student,IN,,,master,2000,,true,,,\n", i, i)
	}
	_, problems, err := Parse(&b, now)
	if err != nil || len(problems) != 1 || problems[0].Line != MaxRows+2 {
		t.Errorf("Parse(%d rows) = %v, %v; want one problem at line %d", MaxRows+1, problems, err, MaxRows+2)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestParseReadError(t *testing.T) {
	if _, _, err := Parse(failingReader{}, now); err == nil {
		t.Error("Parse(failing reader) = nil error, want the read error")
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(header + "a@example.org,A,student,IN,Goa,en:C1,master,2000,,true,,,\n"))
	f.Add([]byte(header + "a@example.org,A,student,IN,Goa,en:C1,master,2010,,true,,Guardian,parent\n"))
	f.Add([]byte("email,name\n\"unterminated\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, problems, err := Parse(bytes.NewReader(data), now)
		if err != nil {
			t.Fatalf("Parse returned a read error for in-memory input: %v", err)
		}
		if len(problems) > 0 && rows != nil {
			t.Fatalf("Parse returned %d rows with %d problems; want nothing when any row is bad", len(rows), len(problems))
		}
		if len(problems) == 0 && len(rows) == 0 {
			t.Fatalf("Parse returned neither rows nor problems")
		}
		last := 1
		seen := map[string]bool{}
		for _, r := range rows {
			if r.Line <= last {
				t.Fatalf("row line %d after %d; want increasing lines after the header", r.Line, last)
			}
			last = r.Line
			if seen[r.Email] || r.Email != strings.ToLower(r.Email) || r.Email == "" {
				t.Fatalf("row email %q repeated, empty or not normalized", r.Email)
			}
			seen[r.Email] = true
			if _, err := domain.New(domain.ImportedID(r.Email), r.Draft, now, "coordinator"); err != nil {
				t.Fatalf("a row Parse accepted fails domain.New: %v", err)
			}
		}
		for _, p := range problems {
			if p.Line < 1 || p.Reason == "" {
				t.Fatalf("problem %+v lacks a line or a reason", p)
			}
		}
	})
}
