package csvimport

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/talentbridge/platform/shared/taxonomy"
)

const header = "title,titleJa,description,kind,hostOrg,hostCountry,region,fields,skills,seats,startDate,endDate,applicationDeadline,stipendAmount,stipendCurrency,stipendPeriod,applicantKinds,languages,maxAge\n"

func TestParse(t *testing.T) {
	file := "\ufeff" + header +
		`Robotics internship,ロボット,"Build robots,
over two lines",internship,Kobe Robotics,JP,Hyogo,2.3;1.2,ROS; C++ ,3,2027-06-01,2027-08-31,2027-03-31,200000,JPY,month,student;researcher,en:B2;ja:N3,30` + "\n" +
		`Water fellowship,,River study,fellowship,IIT Madras,IN,Tamil Nadu,1.5,,1,2027-07-01,2027-12-31,2027-04-30,,,,,,` + "\n"
	rows, errs := Parse(strings.NewReader(file))
	if len(errs) > 0 {
		t.Fatalf("Parse: problems %v", errs)
	}
	if len(rows) != 2 {
		t.Fatalf("Parse: %d rows, want 2", len(rows))
	}
	r := rows[0]
	if r.Line != 2 || rows[1].Line != 4 {
		t.Errorf("lines = %d, %d, want 2 and 4 (the first row spans two lines)", r.Line, rows[1].Line)
	}
	c := r.Content
	if c.Title != "Robotics internship" || c.Description != "Build robots,\nover two lines" || c.HostCountry != "JP" {
		t.Errorf("row 1 text = %q / %q / %q", c.Title, c.Description, c.HostCountry)
	}
	if !slices.Equal(c.Fields, []string{"2.3", "1.2"}) || !slices.Equal(c.Skills, []string{"ROS", "C++"}) {
		t.Errorf("row 1 lists = %v, %v", c.Fields, c.Skills)
	}
	if c.Seats == nil || *c.Seats != 3 || c.Stipend == nil || c.Stipend.Amount != 200000 || c.Stipend.Period != "month" {
		t.Errorf("row 1 numbers: seats %v stipend %+v", c.Seats, c.Stipend)
	}
	wantLangs := []taxonomy.LanguageRequirement{{Code: "en", MinLevel: "B2"}, {Code: "ja", MinLevel: "N3"}}
	if !slices.Equal(c.Eligibility.Languages, wantLangs) || c.Eligibility.MaxAge != 30 ||
		!slices.Equal(c.Eligibility.ApplicantKinds, []string{"student", "researcher"}) {
		t.Errorf("row 1 eligibility = %+v", c.Eligibility)
	}
	if rows[1].Content.Stipend != nil || rows[1].Content.Skills != nil {
		t.Errorf("row 2: stipend %+v skills %v, want none", rows[1].Content.Stipend, rows[1].Content.Skills)
	}
}

func TestParseProblems(t *testing.T) {
	good := `T,,D,internship,Org,JP,Tokyo,1.2,,1,2027-06-01,2027-08-31,2027-03-31,,,,,,`
	tests := []struct {
		name string
		file string
		want []RowError // Reason is not compared
	}{
		{"empty", "", []RowError{{Line: 1, Field: "(file)"}}},
		{"header only", header, []RowError{{Line: 2, Field: "(file)"}}},
		{"unknown and missing columns", "title,colour\nx,y\n", []RowError{
			{Line: 1, Field: "colour"}, {Line: 1, Field: "description"}, {Line: 1, Field: "kind"},
			{Line: 1, Field: "hostOrg"}, {Line: 1, Field: "hostCountry"}, {Line: 1, Field: "region"},
			{Line: 1, Field: "fields"}, {Line: 1, Field: "seats"}, {Line: 1, Field: "startDate"},
			{Line: 1, Field: "endDate"}, {Line: 1, Field: "applicationDeadline"}}},
		{"duplicate column", strings.Replace(header, "titleJa", "title", 1) + good + "\n", []RowError{{Line: 1, Field: "title"}}},
		{"short row", header + good + "\nonly,three,values\n", []RowError{{Line: 3, Field: "(row)"}}},
		{"numbers", header + strings.Replace(good, ",1,2027", ",many,2027", 1) + "\n" +
			strings.Replace(good, ",,,,,,", ",12.5,JPY,month,,,", 1) + "\n",
			[]RowError{{Line: 2, Field: "seats"}, {Line: 3, Field: "stipend.amount"}}},
		{"stipend without amount", header + strings.Replace(good, ",,,,,,", ",,JPY,month,,,", 1) + "\n",
			[]RowError{{Line: 2, Field: "stipend.amount"}}},
		{"language without level", header + strings.Replace(good, ",,,,,,", ",,,,,en;ja:N2,", 1) + "\n",
			[]RowError{{Line: 2, Field: "eligibility.languages[0]"}}},
		{"broken quote", header + good + "\n" + `"unterminated,` + "\n", []RowError{{Line: 3, Field: "(row)"}}},
		{"invalid UTF-8", header + strings.Replace(good, "Org", "O\xffg", 1) + "\n", []RowError{{Line: 2, Field: "hostOrg"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, errs := Parse(strings.NewReader(tc.file))
			got := make([]RowError, len(errs))
			for i, e := range errs {
				if e.Reason == "" {
					t.Errorf("problem %+v has no reason", e)
				}
				got[i] = RowError{Line: e.Line, Field: e.Field}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("Parse() problems = %+v, want %+v", errs, tc.want)
			}
		})
	}
}

func TestParseTooManyRows(t *testing.T) {
	var b strings.Builder
	b.WriteString("title,description,kind,hostOrg,hostCountry,region,fields,seats,startDate,endDate,applicationDeadline\n")
	for i := range MaxRows + 1 {
		fmt.Fprintf(&b, "T%d,D,exchange,Org,JP,Tokyo,1.2,1,2027-06-01,2027-08-31,2027-03-31\n", i)
	}
	rows, errs := Parse(strings.NewReader(b.String()))
	if len(rows) != MaxRows || len(errs) != 1 || errs[0].Line != MaxRows+2 {
		t.Errorf("Parse(%d rows) = %d rows, problems %+v; want %d rows and one problem on line %d",
			MaxRows+1, len(rows), errs, MaxRows, MaxRows+2)
	}
}
