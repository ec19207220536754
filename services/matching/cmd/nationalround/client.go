package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// client calls the platform's API under /api/v1.
type client struct {
	base string
	http *http.Client
}

func newClient(base string) *client {
	return &client{base: strings.TrimRight(base, "/") + "/api/v1", http: &http.Client{Timeout: 10 * time.Minute}}
}

// session is a signed-in user; its token is renewed by signing in again
// when the platform answers 401 (an access token outlived).
type session struct {
	email, password string
	mu              sync.Mutex
	token           string
}

func (s *session) current() string {
	if s == nil {
		return ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.token
}

// rawCSV is a text/csv body, sent as is.
type rawCSV []byte

// apiError is an answer of 300 or more.
type apiError struct {
	method, path string
	status       int
	body         string
}

func (e *apiError) Error() string {
	return fmt.Sprintf("%s %s: %d %.600s", e.method, e.path, e.status, e.body)
}

func isStatus(err error, status ...int) bool {
	var ae *apiError
	return errors.As(err, &ae) && slices.Contains(status, ae.status)
}

// login signs in.
func (c *client) login(ctx context.Context, email, password string) (*session, error) {
	s := &session{email: email, password: password}
	return s, c.renew(ctx, s)
}

func (c *client) renew(ctx context.Context, s *session) error {
	var t struct {
		AccessToken string `json:"accessToken"`
	}
	if err := c.send(ctx, http.MethodPost, "/auth/login", "", map[string]string{"email": s.email, "password": s.password}, &t); err != nil {
		return err
	}
	s.mu.Lock()
	s.token = t.AccessToken
	s.mu.Unlock()
	return nil
}

// do sends one request as s (nil: signed out), signing in again once on
// a 401.
func (c *client) do(ctx context.Context, method, path string, s *session, in, out any) error {
	err := c.send(ctx, method, path, s.current(), in, out)
	if s != nil && isStatus(err, http.StatusUnauthorized) {
		if rerr := c.renew(ctx, s); rerr != nil {
			return rerr
		}
		err = c.send(ctx, method, path, s.current(), in, out)
	}
	return err
}

func (c *client) send(ctx context.Context, method, path, token string, in, out any) error {
	var raw []byte
	ctype := ""
	switch v := in.(type) {
	case nil:
	case rawCSV:
		raw, ctype = v, "text/csv"
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		raw, ctype = b, "application/json"
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, bytes.NewReader(raw))
	if err != nil {
		return err
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	if resp.StatusCode >= 300 {
		return &apiError{method: method, path: path, status: resp.StatusCode, body: string(body)}
	}
	if out != nil && len(body) > 0 {
		if err := json.Unmarshal(body, out); err != nil {
			return fmt.Errorf("%s %s: read the answer: %w", method, path, err)
		}
	}
	return nil
}

// retry calls f until it succeeds, fails otherwise than with one of the
// statuses or 503 (or, with transport, a connection the server cut, as
// its write timeout does), or within has passed. Only idempotent requests
// are retried on a cut connection: the same import file again.
func retry(ctx context.Context, within time.Duration, transport bool, f func() error, statuses ...int) error {
	deadline := time.Now().Add(within)
	wait := time.Second
	for {
		err := f()
		var ae *apiError
		cut := transport && err != nil && !errors.As(err, &ae) && ctx.Err() == nil
		if err == nil || (!cut && !isStatus(err, append(statuses, http.StatusServiceUnavailable)...)) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (last: %v)", ctx.Err(), err)
		case <-time.After(wait):
		}
		// Back off up to 15 s: a refused import still reads the store, and
		// the platform is busy taking in what it waits for.
		wait = min(2*wait, 15*time.Second)
	}
}
