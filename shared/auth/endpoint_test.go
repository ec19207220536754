package auth_test

import (
	"net/http"
	"reflect"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/shared/auth"
)

func TestEndpointsListsARouteSetInOrder(t *testing.T) {
	get := auth.Endpoint{Method: http.MethodGet, Path: "/things/:id", Policy: auth.Anyone}
	post := auth.Endpoint{Method: http.MethodPost, Path: "/things", Policy: auth.Hosts}
	set := struct {
		Get  auth.Endpoint
		Note string
		Post auth.Endpoint
	}{Get: get, Note: "not a route", Post: post}
	if got, want := auth.Endpoints(set), []auth.Endpoint{get, post}; !reflect.DeepEqual(got, want) {
		t.Errorf("Endpoints = %v, want %v", got, want)
	}
}

func TestServeKeepsTheEndpoint(t *testing.T) {
	e := auth.Endpoint{Method: http.MethodPut, Path: "/things/:id", Policy: auth.Coordinators}
	doc := &auth.Doc{Status: http.StatusNoContent}
	called := false
	r := e.Serve(func(echo.Context) error { called = true; return nil }, doc)
	if r.Method != e.Method || r.Path != e.Path || !reflect.DeepEqual(r.Policy, e.Policy) || r.Doc != doc {
		t.Errorf("Serve = %+v, want the endpoint %+v with its doc", r, e)
	}
	if err := r.Handler(nil); err != nil || !called {
		t.Errorf("the row's handler is not the one given")
	}
}
