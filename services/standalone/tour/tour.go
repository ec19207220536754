// Package tour lists the web UI's pages by who opens them — a visitor who
// has not signed in, an applicant, a host, a coordinator, an administrator
// — for the screenshot tour (cmd/screens) and the browser tests that visit
// every page.
package tour

// Roles are the kinds of visitor, in the order the tour takes them.
var Roles = []string{"anonymous", "applicant", "host", "coordinator", "admin"}

// Languages are the UI's languages.
var Languages = []string{"en", "ja", "hi"}

// IDs name the objects some pages are about: a program of the host's
// (published, with applications) and a round that has run.
type IDs struct {
	Program string
	Round   string
}

// Paths lists the pages a role opens, with ids filled in from ids; a page
// needing an id that is empty is left out.
func Paths(role string, ids IDs) []string {
	var out []string
	add := func(paths ...string) { out = append(out, paths...) }
	prog := func(rest ...string) {
		if ids.Program == "" {
			return
		}
		for _, r := range rest {
			out = append(out, "/host/programs/"+ids.Program+r)
		}
	}
	round := func(rest ...string) {
		if ids.Round == "" {
			return
		}
		for _, r := range rest {
			out = append(out, "/coord/rounds/"+ids.Round+r)
		}
	}
	switch role {
	case "anonymous":
		add("/", "/programs", "/programs?q=robotics&open=true", "/signup", "/login", "/forgot-password", "/stats")
		if ids.Program != "" {
			add("/programs/" + ids.Program)
		}
	case "applicant":
		add("/recommendations", "/applications", "/offers", "/notifications", "/account", "/profile", "/documents",
			"/references", "/profile/wizard", "/profile/edit/about", "/profile/edit/studies", "/profile/edit/skills",
			"/profile/edit/availability", "/profile/edit/statement", "/profile/edit/consents", "/profile/edit/categories",
			"/searches", "/placements", "/messages", "/settings/notifications")
		if ids.Program != "" {
			add("/programs/" + ids.Program)
		}
	case "host":
		add("/host/programs", "/host/programs/new", "/host/programs/import")
		prog("/edit", "/candidates", "/applications", "/slots", "/ranking/import")
		add("/host/placements", "/notifications", "/account")
	case "coordinator":
		add("/coord/hosts", "/coord/profiles/import", "/coord/rounds", "/coord/rounds/new")
		round("", "/report", "/mock", "/ranks/import")
		add("/coord/review", "/coord/audit", "/coord/placements", "/notifications")
	case "admin":
		add("/admin/users", "/account")
	}
	return out
}
