// Command screens takes the screenshot tour: it starts the standalone
// platform with its demo data on a free loopback port, runs a matching
// round, and with headless Chromium writes a PNG of every page of every
// role (anonymous, applicant, host, coordinator, admin) in every language
// at 1280 px and 390 px wide into a folder. For reviewers; run through
// scripts/screens.sh from the repository root.
//
//	screens [-timeout 15m] [-chromium PATH] [-standalone PATH] OUTDIR
//
// Exit status 2 is a bad argument, 1 a failure on the way.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/talentbridge/platform/services/standalone/demo"
	"github.com/talentbridge/platform/services/standalone/tour"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// The administrator the tour's platform is started with.
const (
	adminEmail    = "admin@screens.talentbridge.example"
	adminPassword = "screens tour lantern 2027"
)

// widths are the window widths of the tour: a laptop and a phone.
var widths = []int64{1280, 390}

type options struct {
	out, chromium, standalone string
	timeout                   time.Duration
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseArgs(args)
	if err != nil {
		fmt.Fprintln(stderr, "screens:", err)
		return 2
	}
	began := time.Now()
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	n, err := tourPages(ctx, o, stdout)
	if err != nil {
		fmt.Fprintf(stderr, "screens: %v (%d PNGs written to %s)\n", err, n, o.out)
		return 1
	}
	fmt.Fprintf(stdout, "screens: wrote %d PNGs to %s in %s\n", n, o.out, time.Since(began).Round(time.Second))
	return 0
}

// parseArgs reads the flags and OUTDIR, making the folder.
func parseArgs(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("screens", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.DurationVar(&o.timeout, "timeout", 15*time.Minute, "give up after this long")
	fs.StringVar(&o.chromium, "chromium", "", "Chromium to drive (default: $TB_CHROMIUM, /usr/bin/chromium, or one on PATH)")
	fs.StringVar(&o.standalone, "standalone", "", "a built standalone binary (default: go build it)")
	if err := fs.Parse(args); err != nil {
		return o, fmt.Errorf("%v (usage: screens [-timeout D] [-chromium PATH] [-standalone PATH] OUTDIR)", err)
	}
	if fs.NArg() != 1 || strings.TrimSpace(fs.Arg(0)) == "" {
		return o, errors.New("want exactly one argument, the folder to write the PNGs to (usage: screens [-timeout D] [-chromium PATH] [-standalone PATH] OUTDIR)")
	}
	if o.timeout <= 0 || o.timeout > 2*time.Hour {
		return o, fmt.Errorf("-timeout %s is not between 0 and 2h", o.timeout)
	}
	o.out = fs.Arg(0)
	if st, err := os.Stat(o.out); err == nil && !st.IsDir() {
		return o, fmt.Errorf("OUTDIR %s is a file, not a folder", o.out)
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return o, fmt.Errorf("OUTDIR: %v", err)
	}
	if o.chromium = browserPath(o.chromium); o.chromium == "" {
		return o, errors.New("no Chromium found: install chromium (apt-get install chromium), set TB_CHROMIUM or pass -chromium")
	}
	return o, nil
}

// browserPath finds Chromium: the flag, $TB_CHROMIUM, Debian's
// /usr/bin/chromium, or one on PATH.
func browserPath(flagged string) string {
	for _, p := range []string{flagged, os.Getenv("TB_CHROMIUM"), "/usr/bin/chromium"} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
		if p == flagged {
			return ""
		}
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// tourPages starts the platform and takes every screenshot; it returns how
// many it wrote.
func tourPages(ctx context.Context, o options, stdout io.Writer) (int, error) {
	tmp, err := os.MkdirTemp("", "tb-screens-*")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(tmp)
	p, err := startPlatform(ctx, o.standalone, tmp)
	if err != nil {
		return 0, err
	}
	defer p.stop()
	fmt.Fprintf(stdout, "screens: platform at %s with demo data\n", p.url)
	ids, err := prepare(ctx, p.url)
	if err != nil {
		return 0, err
	}

	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(o.chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true), chromedp.UserDataDir(filepath.Join(tmp, "chromium")), chromedp.WindowSize(1280, 900))
	defer cancelAlloc()
	browser, cancelBrowser := chromedp.NewContext(alloc)
	defer cancelBrowser()
	if err := chromedp.Do(browser); err != nil {
		return 0, fmt.Errorf("start %s: %w", o.chromium, err)
	}
	n := 0
	var missed []string
	for _, role := range tour.Roles {
		for _, w := range widths {
			got, err := shootRole(browser, p.url, role, w, ids, o.out, &missed)
			n += got
			if err != nil {
				return n, fmt.Errorf("%s at %d px: %w", role, w, err)
			}
		}
	}
	if len(missed) > 0 {
		return n, fmt.Errorf("%d pages not taken:\n  %s", len(missed), strings.Join(missed, "\n  "))
	}
	return n, nil
}

// credentials are the sign-in of each role in the demo.
func credentials(role string) (email, password string) {
	switch role {
	case "admin":
		return adminEmail, adminPassword
	case "anonymous":
		return "", ""
	}
	for _, a := range demo.Accounts() {
		if a.Role == role {
			return a.Email, a.Password
		}
	}
	return "", ""
}

// shootRole signs a new browser context in as role, at width, and takes
// each of the role's pages in each language.
func shootRole(browser context.Context, base, role string, width int64, ids tour.IDs, out string, missed *[]string) (int, error) {
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	defer cancel()
	// The first run opens the tab: without a time limit, which would
	// close it when it ends.
	if err := chromedp.Do(ctx); err != nil {
		return 0, fmt.Errorf("open a tab: %w", err)
	}
	step := func(what string, steps ...chromedp.Action[chromedp.Void]) error {
		sctx, scancel := context.WithTimeout(ctx, 30*time.Second)
		defer scancel()
		if err := chromedp.Do(sctx, steps...); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		return nil
	}
	if err := step("set the width", chromedp.EmulateViewport(width, 900)); err != nil {
		return 0, err
	}
	if email, password := credentials(role); email != "" {
		if err := step("sign in as "+email, chromedp.Navigate(base+"/login"),
			chromedp.SetValue(chromedp.CSS("#f-email"), email), chromedp.SetValue(chromedp.CSS("#f-password"), password)); err != nil {
			return 0, err
		}
		if err := click(ctx, `form[action="/login"] button[type=submit]`); err != nil {
			return 0, fmt.Errorf("sign in as %s: %w", email, err)
		}
	}
	n := 0
	for _, lang := range tour.Languages {
		if err := step("open the home page", chromedp.Navigate(base+"/")); err != nil {
			return n, err
		}
		if err := click(ctx, fmt.Sprintf(`form.lang button[value=%q]`, lang)); err != nil {
			return n, fmt.Errorf("choose %s: %w", lang, err)
		}
		for i, path := range tour.Paths(role, ids) {
			// A loaded machine may take long over a long page: a second
			// try, then the page is reported and the tour goes on.
			var png []byte
			var err error
			for try := 0; try < 2; try++ {
				if png, err = shoot(ctx, base+path); err == nil {
					break
				}
			}
			if err != nil {
				*missed = append(*missed, fmt.Sprintf("%s %s (%s, %d px): %v", role, path, lang, width, err))
				continue
			}
			name := fmt.Sprintf("%s-%s-%d-%02d-%s.png", role, lang, width, i+1, slug(path))
			if err := os.WriteFile(filepath.Join(out, name), png, 0o644); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

// shoot opens a page and takes all of it, within a minute.
func shoot(ctx context.Context, url string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		return nil, err
	}
	return chromedp.Run(ctx, chromedp.FullScreenshot(100))
}

// click presses a button that sends a form and waits for the next page.
func click(ctx context.Context, sel string) error {
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(cctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		return err
	}
	if resp != nil && resp.Status >= 500 {
		return fmt.Errorf("status %d", resp.Status)
	}
	return nil
}

// slug makes a file name part of a path: "/coord/rounds/x/report" →
// "coord-rounds-report" (ids are dropped: they change every run).
func slug(path string) string {
	path, query, _ := strings.Cut(path, "?")
	var parts []string
	for _, s := range strings.Split(path, "/") {
		if s == "" || len(s) > 20 {
			continue
		}
		parts = append(parts, s)
	}
	if query != "" {
		parts = append(parts, strings.NewReplacer("=", "-", "&", "-").Replace(query))
	}
	if len(parts) == 0 {
		return "home"
	}
	return strings.Join(parts, "-")
}
