package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/talentbridge/platform/services/standalone/demo"
	"github.com/talentbridge/platform/services/standalone/tour"
)

// Phones and time zones (issue 22, item 10), in headless Chromium against
// the whole platform with the demo data: every page of every role fits a
// 390 px wide screen, several-choice questions are checkbox groups rather
// than multi-selects, and times are shown in the reader's zone.

// longEmail is a sign-in address long enough to overflow a phone's width
// when nothing lets it wrap.
const longEmail = "adhyapika.venkataraghavan.subramanian.research@kaveri-institute-of-technology-and-applied-sciences.example"

func TestPhonesAndTimeZonesInTheBrowser(t *testing.T) {
	p := startUIPlatform(t)
	s := seedPlatform(t, p)
	person := openBrowser(t, p)
	if st := apiCall(t, p.URL, http.MethodPost, "/auth/signup", "", map[string]string{"email": longEmail, "password": uiPassword,
		"role": "applicant", "name": "Adhyapika Venkataraghavan Subramanian"}, nil); st != http.StatusCreated {
		t.Fatalf("sign up with a long address = %d", st)
	}
	t.Run("EveryPageFits390px", func(t *testing.T) { fitsPhones(t, person, s) })
	t.Run("CheckboxGroupsNotMultiSelects", func(t *testing.T) { checkboxGroups(t, person, s) })
	t.Run("TimesInTheViewersZone", func(t *testing.T) { viewerZones(t, person) })
}

// signIn logs b in through the sign-in form.
func (b *tab) signIn(email, password string) {
	b.t.Helper()
	b.open("/login")
	b.fill("#f-email", email)
	b.fill("#f-password", password)
	b.submit("log in as "+email, `form[action="/login"] button[type=submit]`)
	if loc := b.location(); strings.HasPrefix(loc, "/login") {
		b.t.Fatalf("log in as %s: still on %s", email, loc)
	}
}

// overflowJS gives "" when the page has no horizontal scroll, else the
// widths and the first elements that stick out (for the failure message).
const overflowJS = `(function(){var d=document.documentElement,w=d.clientWidth;
if(d.scrollWidth<=w)return "";
var out=[];document.querySelectorAll("body *").forEach(function(e){
var r=e.getBoundingClientRect();if(r.right>w+1&&out.length<6){
out.push(e.tagName.toLowerCase()+(e.id?"#"+e.id:"")+(typeof e.className==="string"&&e.className?"."+e.className.trim().split(/\s+/).join("."):"")+"→"+Math.round(r.right))}});
return "scrollWidth "+d.scrollWidth+" > width "+w+"; sticking out: "+out.join(", ")})()`

func fitsPhones(t *testing.T, person func() *tab, s *seeded) {
	type visitor struct {
		role, email, password string
		paths                 []string
	}
	ids := tour.IDs{Program: s.programA, Round: s.round}
	signIn := map[string][2]string{
		"applicant":   {"asha@demo.talentbridge.example", demo.Password},
		"host":        {"exchange@hokuriku-asu.example", demo.Password},
		"coordinator": {demo.CoordinatorEmail, demo.Password},
		"admin":       {uiAdminEmail, uiAdminPassword},
	}
	var pages []visitor
	for _, role := range tour.Roles {
		pages = append(pages, visitor{role, signIn[role][0], signIn[role][1], tour.Paths(role, ids)})
	}
	pages = append(pages, visitor{"long e-mail", longEmail, uiPassword, []string{"/account", "/settings/notifications", "/notifications"}})
	n := 0
	for _, role := range pages {
		b := person()
		b.t = t
		b.act("narrow the window to 390 px", chromedp.EmulateViewport(390, 844))
		if role.email != "" {
			b.signIn(role.email, role.password)
		} else {
			b.open("/")
		}
		for _, lang := range []string{"en", "ja", "hi"} {
			b.chooseLanguage(lang)
			for _, path := range role.paths {
				b.open(path)
				n++
				if got := b.eval(overflowJS); got != "" {
					b.shot(fmt.Sprintf("overflow-%s-%s", lang, strings.NewReplacer("/", "_", "?", "_").Replace(path)))
					t.Errorf("%s %s (%s) at 390 px scrolls sideways: %s", role.role, path, lang, got)
				}
			}
		}
	}
	t.Logf("%d pages checked at 390 px", n)

	// How they fit: the audit's table scrolls in a region named for it
	// that the keyboard reaches; the host's programs are cards whose cells
	// say which column they are.
	coord := person()
	coord.t = t
	coord.act("narrow the window to 390 px", chromedp.EmulateViewport(390, 844))
	coord.signIn(demo.CoordinatorEmail, demo.Password)
	coord.chooseLanguage("en")
	coord.open("/coord/audit")
	if got := coord.eval(`(function(){var r=document.querySelector("main .table-scroll[role=region][tabindex='0']");
		return r&&r.querySelector("table")?r.getAttribute("aria-label"):""})()`); got != "Audit log" {
		t.Errorf("the audit table's scrolling region is named %q, want Audit log", got)
	}
	host := person()
	host.t = t
	host.act("narrow the window to 390 px", chromedp.EmulateViewport(390, 844))
	host.signIn("exchange@hokuriku-asu.example", demo.Password)
	host.chooseLanguage("en")
	host.open("/host/programs")
	if got := host.eval(`(function(){var td=document.querySelector("table.stack tbody td[data-label]");
		return getComputedStyle(td.parentNode).display+" "+getComputedStyle(td,"::before").content})()`); got != `block "Kind: "` {
		t.Errorf("a host program row at 390 px is %q, want a block whose first cell is labelled \"Kind: \"", got)
	}
}

func checkboxGroups(t *testing.T, person func() *tab, s *seeded) {
	asha := person()
	asha.t = t
	asha.signIn("asha@demo.talentbridge.example", demo.Password)
	for _, lang := range []string{"en", "ja", "hi"} {
		asha.chooseLanguage(lang)
		for _, step := range []struct{ path, name string }{{"/profile/edit/studies", "fields"}, {"/profile/edit/availability", "hostRegions"}} {
			asha.open(step.path)
			if n := asha.eval(`String(document.querySelectorAll("select[multiple]").length)`); n != "0" {
				t.Errorf("%s (%s) has %s multi-selects, want checkbox groups", step.path, lang, n)
			}
			sel := fmt.Sprintf(`fieldset#f-%s input[type=checkbox][name=%q]`, step.name, step.name)
			if n := asha.eval(fmt.Sprintf(`String(document.querySelectorAll(%q).length)`, sel)); n == "0" {
				t.Errorf("%s (%s): no checkboxes %s", step.path, lang, sel)
			}
			if legend := asha.text(fmt.Sprintf(`fieldset#f-%s > legend`, step.name)); strings.TrimSpace(legend) == "" {
				t.Errorf("%s (%s): the %s group has no legend", step.path, lang, step.name)
			}
			if hint := asha.text(fmt.Sprintf(`#h-%s`, step.name)); strings.Contains(hint, "Ctrl") || strings.Contains(hint, "⌘") {
				t.Errorf("%s (%s): hint still speaks of keys: %q", step.path, lang, hint)
			}
		}
	}

	// A host ticks two fields on a program and the program keeps both.
	host := person()
	host.t = t
	host.act("narrow the window to 390 px", chromedp.EmulateViewport(390, 844))
	host.signIn("exchange@hokuriku-asu.example", demo.Password)
	host.chooseLanguage("en")
	edit := "/host/programs/" + s.programA + "/edit"
	host.open(edit)
	host.choose(`fieldset#f-fields input[name=fields]`, "1.2", "4.1")
	host.submit("save the program's fields", `form[action="`+edit+`"] button[type=submit]`)
	if loc := host.location(); strings.HasSuffix(loc, "/edit") {
		host.shot("fields-not-saved")
		t.Fatalf("saving the program stayed on %s: %s", loc, host.text("main"))
	}
	host.open(edit)
	got := host.eval(`Array.from(document.querySelectorAll("fieldset#f-fields input[name=fields]:checked")).map(function(e){return e.value}).join(",")`)
	if got != "1.2,4.1" {
		t.Errorf("after saving, the ticked fields are %q, want 1.2,4.1", got)
	}
}

// zoneOverride makes the tab's browser believe it is in zone.
func zoneOverride(zone string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: zone})
		return err
	})
}

// noScripts turns the tab's JavaScript off.
func noScripts() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	})
}

// firstTime reads the first <time datetime> in main: the instant and the
// text shown for it.
func (b *tab) firstTime() (time.Time, string) {
	b.t.Helper()
	iso := b.eval(`(document.querySelector("main time[datetime]")||{getAttribute:function(){return ""}}).getAttribute("datetime")`)
	if iso == "" {
		b.shot("no-time-element")
		b.t.Fatalf("%s shows no <time datetime=…>", b.location())
	}
	at, err := time.Parse(time.RFC3339, iso)
	if err != nil {
		b.t.Fatalf("<time datetime=%q>: %v", iso, err)
	}
	return at, b.text("main time[datetime]")
}

func viewerZones(t *testing.T, person func() *tab) {
	zone := func(name string) *time.Location {
		l, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	tokyo, kolkata, london := zone("Asia/Tokyo"), zone("Asia/Kolkata"), zone("Europe/London")

	// A browser in Tokyo reading English: the script tells the server the
	// browser's zone, and times are shown in Japan time.
	b := person()
	b.t = t
	b.act("put the browser in Tokyo", zoneOverride("Asia/Tokyo"))
	b.signIn("asha@demo.talentbridge.example", demo.Password)
	b.chooseLanguage("en")
	b.open("/notifications")
	at, shown := b.firstTime()
	if want := at.In(tokyo).Format("15:04"); !strings.Contains(shown, want) || !strings.Contains(shown, "JST") {
		t.Errorf("in Tokyo, %s is shown as %q, want %s JST", at.Format(time.RFC3339), shown, want)
	}

	// The settings page names the zone in use and changes it.
	b.open("/settings/notifications")
	if v := b.eval(`document.querySelector("#f-timeZone").value`); v != "Asia/Tokyo" {
		t.Errorf("settings page offers zone %q, want the browser's Asia/Tokyo", v)
	}
	b.act("choose London", chromedp.SetValue(chromedp.CSS("#f-timeZone"), "Europe/London"))
	b.submit("save the zone", `form[action="/settings/timezone"] button[type=submit]`)
	b.open("/notifications")
	at, shown = b.firstTime()
	if want := at.In(london).Format("15:04"); !strings.Contains(shown, want) {
		t.Errorf("after choosing London, %s is shown as %q, want %s", at.Format(time.RFC3339), shown, want)
	}

	// Without scripts, an applicant from India reading English sees Indian
	// time (the account's home country).
	nb := person()
	nb.t = t
	nb.act("turn scripts off", noScripts())
	nb.signIn("asha@demo.talentbridge.example", demo.Password)
	nb.chooseLanguage("en")
	nb.open("/notifications")
	at, shown = nb.firstTime()
	if want := at.In(kolkata).Format("15:04"); !strings.Contains(shown, want) || !strings.Contains(shown, "IST") {
		t.Errorf("for an applicant from India, %s is shown as %q, want %s IST", at.Format(time.RFC3339), shown, want)
	}
}
