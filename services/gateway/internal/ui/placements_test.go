package ui

import (
	"html/template"
	"strings"
	"testing"
	"time"

	apiplacements "github.com/talentbridge/platform/shared/api/placements"
	"github.com/talentbridge/platform/shared/placementrules"
)

// samplePlacement is a fellowship in Japan with its checklist from the
// real rules, one task done and one overdue.
func samplePlacement() (apiplacements.Placement, []apiplacements.Task) {
	rules, err := placementrules.DefaultChecklist()
	if err != nil {
		panic(err) // the rules' own tests say why
	}
	start, _ := time.Parse(placementrules.DateLayout, "2027-06-01")
	end, _ := time.Parse(placementrules.DateLayout, "2027-11-30")
	plan, err := rules.Plan(placementrules.DirectionINJP, "fellowship", start, end)
	if err != nil {
		panic(err)
	}
	var tasks []apiplacements.Task
	done := time.Date(2027, 2, 1, 9, 0, 0, 0, time.UTC)
	for i, pt := range plan {
		task := apiplacements.Task{ID: pt.ID, Party: pt.Party, Title: pt.Titles["en"], Titles: pt.Titles,
			DueDate: pt.Due.Format(placementrules.DateLayout), Status: apiplacements.TaskOpen,
			Source: apiplacements.Source{Name: pt.Source.Name, URL: pt.Source.URL, Checked: pt.Source.Checked}}
		switch i {
		case 0:
			task.Status, task.DoneAt, task.DoneBy, task.Note = apiplacements.TaskDone, &done, "h-1", "Filed at Sendai office"
		case 1:
			task.Overdue = true
		}
		tasks = append(tasks, task)
	}
	p := apiplacements.Placement{ID: "pl-1", ApplicantID: "u-1", ProgramID: "p-1", HostID: "h-1", Direction: "IN_JP",
		Kind: "fellowship", Status: "preparing", StartDate: "2027-06-01", EndDate: "2027-11-30", ChecklistVersion: rules.Version,
		OpenTasks: len(tasks) - 1, OverdueTasks: 1, AtRisk: true}
	return p, tasks
}

func placementFixtures() []fixture {
	prog := sampleProgram
	p, tasks := samplePlacement()
	finished := p
	finished.Status, finished.EndReason, finished.AtRisk = "ended", "Visa refused by the embassy", false
	finished.Feedback = []apiplacements.Feedback{{Party: "host", Rating: 4, Comment: "A committed researcher"}}
	view := PlacementView{Placement: p, Program: &prog}
	return []fixture{
		{name: "placements-mine", tmpl: "placements", role: "applicant", title: "place.mine.title",
			data: PlacementsData{Scope: "mine", Items: []PlacementView{view, {Placement: finished}}}},
		{name: "placements-mine-none", tmpl: "placements", role: "applicant", title: "place.mine.title", data: PlacementsData{Scope: "mine"}},
		{name: "placements-host", tmpl: "placements", role: "host", title: "place.host.title",
			data: PlacementsData{Scope: "host", Items: []PlacementView{view}}},
		{name: "placements-risk", tmpl: "placements", role: "coordinator", title: "place.risk.title",
			data: PlacementsData{Scope: "risk", Items: []PlacementView{view}}},
		{name: "placements-risk-none", tmpl: "placements", role: "coordinator", title: "place.risk.title", data: PlacementsData{Scope: "risk"}},
		{name: "placement-applicant", tmpl: "placement", role: "applicant", title: "place.title",
			data: PlacementData{Placement: view, Tasks: tasks, Party: "applicant", Visa: sampleVisa()}},
		{name: "placement-host", tmpl: "placement", role: "host", title: "place.title",
			data: PlacementData{Placement: view, Tasks: tasks, Party: "host", CanFinish: true}},
		{name: "placement-ended", tmpl: "placement", role: "applicant", title: "place.title",
			data: PlacementData{Placement: PlacementView{Placement: finished}, Tasks: tasks, Party: "applicant", CanFeedback: true}},
	}
}

// The checklist shows each task in the page's language with its due date
// and source, and offers "mark done" only on the reader's own open tasks.
func TestPlacementPageShowsOwnTasksToDo(t *testing.T) {
	u := testUI(t)
	for _, f := range placementFixtures() {
		if f.name != "placement-applicant" {
			continue
		}
		for _, lang := range Languages {
			out := renderFixture(t, u, f, lang)
			d := f.data.(PlacementData)
			for _, task := range d.Tasks {
				if !strings.Contains(out, template.HTMLEscapeString(task.Titles[lang])) || !strings.Contains(out, task.Source.URL) {
					t.Errorf("%s: task %s lacks its title or source", lang, task.ID)
				}
				form := `action="/placements/pl-1/tasks/` + task.ID + `/done"`
				if want := d.MayDo(task); strings.Contains(out, form) != want {
					t.Errorf("%s: done form for %s (%s, %s) shown = %v, want %v", lang, task.ID, task.Party, task.Status, !want, want)
				}
			}
			if !strings.Contains(out, `id="visa"`) {
				t.Errorf("%s: no visa section", lang)
			}
		}
	}
}

// A points estimate comes with a form for the facts profiles do not hold,
// keeping what was typed; refused facts are said to be left out.
func TestPlacementPageRefinesTheEstimate(t *testing.T) {
	u := testUI(t)
	prog := sampleProgram
	p, tasks := samplePlacement()
	view := PlacementView{Placement: p, Program: &prog}
	for _, tc := range []struct {
		name      string
		data      PlacementData
		form      bool
		alert     string
		wantValue string
	}{
		{"with an estimate", PlacementData{Placement: view, Tasks: tasks, Party: "applicant", Visa: sampleVisa(),
			Facts: VisaFacts{ExperienceYears: "7"}}, true, "", `value="7"`},
		{"refused facts", PlacementData{Placement: view, Tasks: tasks, Party: "applicant", Visa: sampleVisa(),
			Facts: VisaFacts{ExperienceYears: "70", Invalid: true}}, true, "leaves them out", `value="70"`},
		{"no estimate", PlacementData{Placement: view, Tasks: tasks, Party: "host",
			Visa: &apiplacements.VisaResponse{Visa: sampleVisa().Visa}}, false, "", ""},
	} {
		f := fixture{name: tc.name, tmpl: "placement", role: "applicant", title: "place.title", data: tc.data}
		for _, lang := range Languages {
			out := renderFixture(t, u, f, lang)
			if got := strings.Contains(out, `id="hsp-facts"`); got != tc.form {
				t.Errorf("%s (%s): facts form shown = %v, want %v", tc.name, lang, got, tc.form)
			}
			if tc.wantValue != "" && !strings.Contains(out, tc.wantValue) {
				t.Errorf("%s (%s): the typed fact %s is not kept", tc.name, lang, tc.wantValue)
			}
			if lang == "en" && tc.alert != "" && !strings.Contains(out, tc.alert) {
				t.Errorf("%s: no alert %q", tc.name, tc.alert)
			}
			if tc.alert == "" && strings.Contains(out, `class="alert error"`) {
				t.Errorf("%s (%s): an error alert without refused facts", tc.name, lang)
			}
		}
	}
}
