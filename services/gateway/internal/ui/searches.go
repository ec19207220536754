package ui

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	apiprograms "github.com/talentbridge/platform/shared/api/programs"
	"github.com/talentbridge/platform/shared/auth"
)

// searchRoutes are the pages of saved searches, for Table.
func (u *UI) searchRoutes(r func(m, p string, pol auth.Policy, h echo.HandlerFunc) auth.Route) []auth.Route {
	return []auth.Route{
		r(http.MethodGet, "/searches", auth.Applicants, u.savedSearches),
		r(http.MethodPost, "/searches", auth.Applicants, u.saveSearch),
		r(http.MethodPost, "/searches/:id/delete", auth.Applicants, u.deleteSearch),
	}
}

// SavedSearchView is a saved search with the link that runs it.
type SavedSearchView struct {
	apiprograms.SavedSearch
	Link string
}

// SavedSearchesData is the saved-searches page.
type SavedSearchesData struct {
	Items []SavedSearchView
}

func (u *UI) savedSearches(c echo.Context) error {
	var l apiprograms.SavedSearchList
	if err := u.call(c, http.MethodGet, "/searches/me", nil, &l); err != nil {
		return err
	}
	d := SavedSearchesData{}
	for _, s := range l.Items {
		q := url.Values{}
		for k, v := range map[string]string{"q": s.Q, "kind": s.Kind, "hostCountry": s.HostCountry, "field": s.Field} {
			if v != "" {
				q.Set(k, v)
			}
		}
		d.Items = append(d.Items, SavedSearchView{SavedSearch: s, Link: "/programs?" + q.Encode()})
	}
	p := u.page(c, "searches.title")
	p.Form = newForm(nil)
	p.Data = d
	return u.render(c, http.StatusOK, "searches", p)
}

// saveSearch saves the filters of the search page ("Save this search").
func (u *UI) saveSearch(c echo.Context) error {
	v, err := c.FormParams()
	if err != nil {
		return err
	}
	body := apiprograms.SavedSearchRequest{Q: strings.TrimSpace(v.Get("q")), Kind: v.Get("kind"),
		HostCountry: v.Get("hostCountry"), Field: v.Get("field"), Alert: v.Get("alert") == "true"}
	err = u.call(c, http.MethodPost, "/searches", body, nil)
	switch statusOf(err) {
	case 0:
		if err != nil {
			return err
		}
		return seeOther(c, "/searches?done=search_saved")
	case http.StatusConflict:
		return seeOther(c, "/searches?done=search_limit")
	case http.StatusBadRequest:
		return seeOther(c, "/searches?done=search_invalid")
	}
	return err
}

func (u *UI) deleteSearch(c echo.Context) error {
	if err := u.call(c, http.MethodDelete, "/searches/"+url.PathEscape(c.Param("id")), nil, nil); err != nil {
		return err
	}
	return seeOther(c, "/searches?done=search_deleted")
}
