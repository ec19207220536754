// Package mailtext words the gateway's notification e-mails in the
// recipient's language (English, Japanese, Hindi). The texts live in
// texts/<lang>.toml under "<notification code>.subject" and ".body", with
// shared pieces (greeting, link, footer, deadline); they are the e-mail
// counterparts of the UI's "notify.<code>" messages.
package mailtext

import (
	"bytes"
	"embed"
	"fmt"
	"sort"
	"strings"
	"text/template"
	"time"

	"github.com/BurntSushi/toml"
)

// Languages are the languages mails are written in; English is the fallback.
var Languages = []string{"en", "ja", "hi"}

//go:embed texts/*.toml
var textFS embed.FS

// Catalog holds the parsed texts of every language.
type Catalog struct {
	tmpl map[string]map[string]*template.Template // lang → key → template
}

// Load parses the embedded texts; every language must define the same keys.
func Load() (*Catalog, error) {
	c := &Catalog{tmpl: map[string]map[string]*template.Template{}}
	var first []string
	for _, lang := range Languages {
		raw, err := textFS.ReadFile("texts/" + lang + ".toml")
		if err != nil {
			return nil, err
		}
		var m map[string]string
		if err := toml.Unmarshal(raw, &m); err != nil {
			return nil, fmt.Errorf("mail texts %s: %w", lang, err)
		}
		c.tmpl[lang] = map[string]*template.Template{}
		keys := make([]string, 0, len(m))
		for k, v := range m {
			t, err := template.New(k).Option("missingkey=error").Parse(v)
			if err != nil {
				return nil, fmt.Errorf("mail texts %s %s: %w", lang, k, err)
			}
			c.tmpl[lang][k] = t
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if first == nil {
			first = keys
		} else if strings.Join(first, ",") != strings.Join(keys, ",") {
			return nil, fmt.Errorf("mail texts %s define other keys than %s", lang, Languages[0])
		}
	}
	return c, nil
}

// Params fill a mail's texts.
type Params struct {
	Name    string
	Program string
	Round   string
	// Deadline, when not zero, adds the "answer by" line to offers (and is
	// the time of an interview).
	Deadline time.Time
	// Link is the page the notification points to; Settings the page where
	// e-mails are turned off. Both absolute URLs.
	Link, Settings string
	// Stage is a review stage and Reason a pass reason code (both worded
	// from the "stage.<stage>" and "pass.<code>" texts); Sender names the
	// writer of a message.
	Stage, Reason, Sender string
	// Host names a host's organisation; Note is free text a person wrote
	// (a coordinator's reason for declining a host), shown as it is.
	Host, Note string
}

// Render returns the subject and plain-text body of the mail for a
// notification code in lang (English when lang is not one of Languages).
func (c *Catalog) Render(lang, code string, p Params) (subject, text string, err error) {
	if _, ok := c.tmpl[lang]; !ok {
		lang = "en"
	}
	data := map[string]string{"Name": p.Name, "Program": p.Program, "Round": p.Round,
		"Link": p.Link, "Settings": p.Settings, "Deadline": FormatTime(lang, p.Deadline), "Sender": p.Sender,
		"Stage": c.word(lang, "stage.", p.Stage), "Reason": c.word(lang, "pass.", p.Reason),
		"Host": p.Host, "Note": p.Note}
	exec := func(key string) (string, error) {
		t, ok := c.tmpl[lang][key]
		if !ok {
			return "", fmt.Errorf("no mail text %q", key)
		}
		var b bytes.Buffer
		if err := t.Execute(&b, data); err != nil {
			return "", err
		}
		return strings.TrimSpace(b.String()), nil
	}
	if subject, err = exec(code + ".subject"); err != nil {
		return "", "", err
	}
	parts := []string{"greeting", code + ".body"}
	if !p.Deadline.IsZero() && code == "offer.received" {
		parts = append(parts, "deadline")
	}
	if p.Reason != "" && code == "application.staged" {
		parts = append(parts, "reason")
	}
	if p.Link != "" {
		parts = append(parts, "open")
	}
	var out []string
	for _, k := range parts {
		s, err := exec(k)
		if err != nil {
			return "", "", err
		}
		out = append(out, s)
	}
	footer, err := exec("footer")
	if err != nil {
		return "", "", err
	}
	return subject, strings.Join(out, "\n\n") + "\n\n-- \n" + footer + "\n", nil
}

// word returns the text "<prefix><code>" in lang, or code itself when
// there is no such text (a stage or reason added after these texts).
func (c *Catalog) word(lang, prefix, code string) string {
	t, ok := c.tmpl[lang][prefix+code]
	if code == "" || !ok {
		return code
	}
	var b bytes.Buffer
	if err := t.Execute(&b, nil); err != nil {
		return code
	}
	return b.String()
}

var (
	jst = time.FixedZone("JST", 9*3600)
	ist = time.FixedZone("IST", 5*3600+1800)
)

// FormatTime writes a time for people in India and Japan: both zones, the
// reader's own first (English shows IST first, as most readers of English
// mails here are in India).
func FormatTime(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	const layout = "2006-01-02 15:04 MST"
	if lang == "ja" {
		return t.In(jst).Format(layout) + " (" + t.In(ist).Format(layout) + ")"
	}
	return t.In(ist).Format(layout) + " (" + t.In(jst).Format(layout) + ")"
}
