package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// fetchText fetches a path of the site with the tab's cookies, as a click
// on a download link would, and returns the status and body.
func (b *tab) fetchText(path string) (int, string, string) {
	b.t.Helper()
	js := fmt.Sprintf(`fetch(%q).then(r => r.text().then(t => JSON.stringify([r.status, r.headers.get("content-type") || "", t])))`, path)
	s := b.eval2(js)
	var out []any
	if err := json.Unmarshal([]byte(s), &out); err != nil || len(out) != 3 {
		b.t.Fatalf("fetch %s: %q (%v)", path, s, err)
	}
	return int(out[0].(float64)), out[1].(string), out[2].(string)
}

func (b *tab) eval2(js string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", js, err)
	}
	return s
}

// TestHostOnboardingInTheBrowser: a new host, in Japanese, saves a draft
// before anyone verified it and is told, kindly, that publishing waits;
// the coordinator hears of the host, declines it with a reason, and the
// host reads that reason on its page and in its notifications. Then the
// coordinator verifies the host after all, the program runs in a round,
// and the audit log names who did what with filters; the candidates and
// the round report download as CSV from links on their pages.
func TestHostOnboardingInTheBrowser(t *testing.T) {
	p := startUIPlatform(t)
	person := openBrowser(t, p)
	suffix := time.Now().Format("150405.000")
	day := func(d int) string { return time.Now().AddDate(0, 0, d).Format("2006-01-02") }

	// The administrator adds a coordinator first, who will hear of hosts.
	admin := person()
	coordEmail := "mei." + suffix + "@talentbridge.example"
	addCoordinator(admin, "Mei Tanaka", coordEmail)
	coord := person()
	coord.signIn(coordEmail, uiPassword)

	// A host signs up in Japanese and saves a draft at once.
	host := person()
	host.open("/")
	host.chooseLanguage("ja")
	host.open("/signup?role=host")
	host.fill("#f-name", "Haruka Nishimura")
	host.fill("#f-organization", "Noto Coastal Research Institute")
	host.fill("#f-email", "haruka."+suffix+"@example.org")
	host.fill("#f-password", uiPassword)
	host.submit("host signs up", `form[action="/signup"] button[type=submit]`)
	title := "Flood forecasting draft " + suffix
	host.open("/host/programs/new")
	host.fill("#f-title", title)
	host.fill("#f-description", "Forecast floods on the Noto peninsula from satellite images and rain gauges.")
	host.choose("#f-kind", "joint_research")
	host.choose("#f-hostCountry", "JP")
	host.choose("#f-region", "Ishikawa")
	host.choose("#f-fields", "1.2")
	host.fill("#f-seats", "2")
	host.fill("#f-startDate", day(90))
	host.fill("#f-endDate", day(180))
	host.fill("#f-applicationDeadline", day(60))
	host.submit("save a draft before verification", `form[action="/host/programs/new"] button[type=submit]`)
	host.expect("the draft is saved", ".notice", "プログラムを保存しました")
	host.expect("the draft is listed", "main table", title)
	host.shot("host-draft-before-verification")
	// Publishing it waits for the verification, said in Japanese.
	host.submit("publish before verification", fmt.Sprintf(`//tr[contains(., %q)]//form[contains(@action, "/publish")]//button`, title))
	host.expect("publishing waits", "main", "確認待ち")

	// The coordinator is told of the waiting host and declines it.
	eventually(t, 30*time.Second, "the coordinator hears of the host", func() bool {
		coord.open("/notifications")
		return strings.Contains(coord.text("main"), "Noto Coastal Research Institute")
	})
	coord.open("/coord/hosts")
	coord.expect("the host waits", "main table", "Noto Coastal Research Institute")
	reason := "Please send the institute's registration certificate " + suffix
	row := `//tr[contains(., "Noto Coastal Research Institute")]`
	coord.act("open the decline form", chromedp.Click(chromedp.Search(row+`//summary`)))
	coord.submit("decline without a reason", row+`//form[contains(@action, "/decline")]//button`)
	coord.expect("a reason is required", "#error-summary", "Reason")
	coord.act("open the decline form again", chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("details.confirm").forEach(d => d.open = true)`))
	coord.act("type the reason", chromedp.SetValue(chromedp.Search(row+`//textarea`), reason))
	coord.submit("decline with a reason", row+`//form[contains(@action, "/decline")]//button`)
	coord.expect("the host is declined", ".notice", "declined")
	coord.expect("the declined host is listed with its reason", "main", reason)
	coord.shot("coordinator-declined-host")

	// The host reads the reason, in Japanese around it.
	host.open("/host/programs")
	host.expect("the host is told why", ".declined", reason)
	host.expect("in Japanese", ".declined", "理由")
	eventually(t, 30*time.Second, "the host's notification", func() bool {
		host.open("/notifications")
		return strings.Contains(host.text("main"), reason)
	})
	host.shot("host-declined")

	// The coordinator verifies the host after all; the host publishes.
	coord.open("/coord/hosts")
	coord.submit("verify the declined host", row+`//form[contains(@action, "/verify")]//button`)
	host.open("/host/programs")
	host.submit("publish once verified", fmt.Sprintf(`//tr[contains(., %q)]//form[contains(@action, "/publish")]//button`, title))
	host.expect("published", ".notice", "公開")
	programID := host.eval(fmt.Sprintf(`(function(){for (const a of document.querySelectorAll("main table a")) { if (a.textContent.includes(%q)) return a.getAttribute("href").split("/").pop(); } return ""})()`, title))
	if programID == "" {
		t.Fatal("no program id on the host's page")
	}

	// The candidates page links its CSV, which downloads for the host
	// and not for another host.
	host.open("/host/programs/" + programID + "/candidates")
	if href := host.eval(`(document.querySelector('a[href$="candidates.csv"]') || {getAttribute(){return ""}}).getAttribute("href")`); href == "" {
		t.Fatal("the candidates page has no CSV link")
	}
	status, ctype, body := host.fetchText("/host/programs/" + programID + "/candidates.csv")
	if status != http.StatusOK || !strings.HasPrefix(ctype, "text/csv") || !strings.HasPrefix(body, "applicantId,name,") {
		t.Errorf("candidates.csv = %d %q %q", status, ctype, body)
	}
	other := person()
	other.open("/signup?role=host")
	other.fill("#f-name", "Other Host")
	other.fill("#f-organization", "Other Institute")
	other.fill("#f-email", "other."+suffix+"@example.org")
	other.fill("#f-password", uiPassword)
	other.submit("another host signs up", `form[action="/signup"] button[type=submit]`)
	if status, _, _ := other.fetchText("/host/programs/" + programID + "/candidates.csv"); status != http.StatusNotFound {
		t.Errorf("another host's candidates.csv = %d, want 404", status)
	}

	// A round over the program: the report links its CSV.
	eventually(t, 30*time.Second, "the program can join a round", func() bool {
		coord.open("/coord/rounds/new")
		return coord.tryEval(fmt.Sprintf(`String(!!document.querySelector('[name=programIds][value=%q]'))`, programID)) == "true"
	})
	coord.fill("#f-name", "Spring round "+suffix)
	coord.choose(`[name=programIds]`, programID)
	coord.submit("create the round", `form[action="/coord/rounds/new"] button[type=submit]`)
	roundID := strings.TrimPrefix(strings.SplitN(coord.location(), "?", 2)[0], "/coord/rounds/")
	coord.open("/coord/rounds/" + roundID + "/report")
	if href := coord.eval(`(document.querySelector('a[href$="report.csv"]') || {getAttribute(){return ""}}).getAttribute("href")`); href == "" {
		t.Fatal("the report page has no CSV link")
	}
	status, ctype, body = coord.fetchText("/coord/rounds/" + roundID + "/report.csv")
	if status != http.StatusOK || !strings.HasPrefix(ctype, "text/csv") || !strings.HasPrefix(body, "section,id,group,measure,value") {
		t.Errorf("report.csv = %d %q %q", status, ctype, body)
	}
	if status, _, _ := host.fetchText("/coord/rounds/" + roundID + "/report.csv"); status != http.StatusForbidden {
		t.Errorf("host's report.csv = %d, want 403", status)
	}

	// The audit log names the coordinator and the round, and filters.
	coord.open("/")
	coord.chooseLanguage("hi")
	coord.open("/coord/audit")
	coord.choose("#f-action", "round.created")
	coord.submit("filter the audit log", `form.audit-filters button[type=submit]`)
	coord.expect("the actor is named", "table.audit", "Mei Tanaka")
	coord.expect("the round is named", "table.audit", "Spring round "+suffix)
	coord.expect("the action is worded in Hindi", "table.audit", "दौर बनाया गया")
	if n := coord.eval(`String(document.querySelectorAll("table.audit tbody tr").length)`); n != "1" {
		t.Errorf("round.created entries = %s, want 1", n)
	}
	coord.fill("#f-from", day(1))
	coord.submit("filter from tomorrow", `form.audit-filters button[type=submit]`)
	if n := coord.eval(`String(document.querySelectorAll("table.audit tbody tr").length)`); n != "0" {
		t.Errorf("entries from tomorrow = %s, want 0", n)
	}
	coord.shot("audit-filtered")
}
