package main

import (
	"fmt"
	"strings"

	"github.com/chromedp/chromedp"
)

// The round policy in the browser (issue 18): the coordinator puts the
// round's programs in a capped region on the new-round form, is shown the
// cap's problem at the cap, fixes it; tries a mock run and reads its fill
// tables; and finds the region in the outcome report with small groups
// shown as <10.

// roundPolicyEditor fills region 1 of the new-round form with titles at a
// cap below their seats, submits, checks the field error, and sets a cap
// that fits. The caller submits the form.
func roundPolicyEditor(coord *tab, titles []string) {
	coord.t.Helper()
	coord.fill(`input[name="region0.id"]`, "noto")
	coord.fill(`input[name="region0.name"]`, "Noto peninsula")
	coord.fill(`input[name="region0.cap"]`, "1")
	for _, title := range titles {
		coord.act("put "+title+" in the region",
			chromedp.Click(fmt.Sprintf(`//fieldset[@id="region-0"]//label[contains(., %q)]/input`, title)))
	}
	coord.submit("create the round with a cap below the seats", `form[action="/coord/rounds/new"] button[type=submit]`)
	coord.expect("the problem is summed up", `#error-summary[role=alert]`, "Cap (applicants)")
	// Worded from the field code (sum_too_large) with the cap as its limit.
	coord.expect("the problem is shown at the cap", `#region-0 .field.invalid .field-error`, "may not exceed 1.")
	if checked := coord.eval(`String(document.querySelectorAll('input[name="region0.programs"]:checked').length)`); checked != fmt.Sprint(len(titles)) {
		coord.t.Fatalf("after the refusal %s programs stay in the region, want %d", checked, len(titles))
	}
	coord.shot("coordinator-round-policy-error")
	coord.fill(`input[name="region0.cap"]`, "50")
}

// mockRunPage runs a mock of the completed round at roundPath and reads
// its fill tables; nothing changes on the round.
func mockRunPage(coord *tab, roundPath, title string) {
	coord.t.Helper()
	coord.open(roundPath)
	coord.expect("the round shows its policy", "#round-policy", "Noto peninsula")
	coord.submit("try a mock run", `form[action$="/mock"] button`)
	coord.expect("the mock is done and told to no one", ".notice", "nobody was told")
	coord.expect("the mock fills programs", "#mock-programs", title)
	coord.expect("the mock fills the region against its cap", "#mock-regions", "Noto peninsula")
	if cap := coord.text("#mock-regions tbody td"); strings.TrimSpace(cap) != "50" {
		coord.t.Errorf("the mock's region cap = %q, want 50", cap)
	}
	coord.expect("the would-be matches are listed", "#mock-items", "Asha Rao")
	coord.shot("coordinator-mock-run")
	coord.open(roundPath)
	coord.expect("the round is still only proposed", "main", "stable")
}

// reportPolicyTables reads the region table of the outcome report.
func reportPolicyTables(coord *tab) {
	coord.t.Helper()
	coord.expect("the report has the region against its cap", "#report-regions", "Noto peninsula")
	coord.expect("a small group is shown as <10", "#report-regions", "<10")
	coord.expect("and says why", "main", "fewer than 10 people")
}
