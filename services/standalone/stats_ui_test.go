package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestStatsPageInTheBrowser: in headless Chromium, a visitor who has not
// signed in opens the public exchange statistics in each language, groups
// them by program kind, sees a refused month explained at its field, and
// downloads the same table as CSV.
func TestStatsPageInTheBrowser(t *testing.T) {
	p := startUIPlatform(t)
	person := openBrowser(t, p)
	for _, tc := range []struct {
		lang, heading, chart, few string
	}{
		{"en", "Exchange statistics", "Exchanges by kind of program", "Fewer than 10 offers accepted"},
		{"ja", "交流統計", "プログラムの種類別の交流", "まだ10件未満です"},
		{"hi", "विनिमय आँकड़े", "कार्यक्रम का प्रकार के अनुसार विनिमय", "10 से कम प्रस्ताव"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			b := person()
			b.t = t
			b.open("/")
			b.chooseLanguage(tc.lang)
			b.act("follow the statistics link", chromedp.Click(chromedp.CSS(`nav a[href="/stats"]`)), chromedp.WaitVisible(chromedp.CSS("#f-groupBy")))
			if lang := b.eval(`document.documentElement.lang`); lang != tc.lang {
				t.Fatalf("stats page <html lang> = %q, want %s", lang, tc.lang)
			}
			b.expect("heading", "h1", tc.heading)
			b.expect("count against the target", "section.target", tc.few)
			b.expect("target's source", "section.target a", "2025")

			b.choose("#f-groupBy", "kind")
			b.submit("group by kind", `form[action="/stats"] button[type=submit]`)
			if loc := b.location(); !strings.Contains(loc, "groupBy=kind") {
				t.Fatalf("after grouping, location = %s", loc)
			}
			b.expect("chart caption", "figure.chart figcaption", tc.chart)
			b.shot("stats-" + tc.lang)

			// The CSV link gives the same grouping, as CSV.
			fctx, fcancel := context.WithTimeout(b.ctx, 10*time.Second)
			got, err := chromedp.Run(fctx, chromedp.Evaluate[string](`(async () => { const a = document.querySelector('a[download]');
				const r = await fetch(a.href); return r.status + " " + r.headers.get("content-type") + " " + (await r.text()).split("\n")[0]; })()`,
				chromedp.EvalAwaitPromise))
			fcancel()
			if err != nil {
				t.Fatalf("download: %v", err)
			}
			if !strings.HasPrefix(got, "200 text/csv; charset=utf-8 kind,offersAccepted,placementsStarted,placementsCompleted,placementsEndedEarly") {
				t.Fatalf("CSV download = %q", got)
			}

			// A month that is not one is refused at its field, on the page.
			b.open("/stats?groupBy=month&from=March")
			b.expect("heading after a refused month", "h1", tc.heading)
			if n := b.eval(`String(document.querySelectorAll("#e-from p").length)`); n != "1" {
				t.Fatalf("field errors at from = %s, want 1", n)
			}
			if inv := b.eval(`document.querySelector("#f-from").getAttribute("aria-invalid")`); inv != "true" {
				t.Errorf("from input aria-invalid = %q, want true", inv)
			}
		})
	}
}
