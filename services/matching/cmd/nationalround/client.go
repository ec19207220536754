package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
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

// quiet reports whether the platform has nothing left to deliver: no
// consumer has a message waiting (tb_consumer_lag), no relay awaits an
// event or is sweeping (tb_outbox_awaited, tb_outbox_sweeping: a sweep
// reads for a minute before it publishes), matching is not building its
// applicant view (tb_applicant_view_building), and the outbox relays and
// publishers have done nothing since the last call (the totals in last,
// which it updates). It reads the platform's /metrics.
func (c *client) quiet(ctx context.Context, last map[string]float64) (bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(c.base, "/api/v1")+"/metrics", nil)
	if err != nil {
		return false, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return false, fmt.Errorf("GET /metrics: %s", resp.Status)
	}
	sums := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		for _, name := range []string{"tb_consumer_lag", "tb_outbox_awaited", "tb_outbox_sweeping", "tb_applicant_view_building", "tb_outbox_relayed_total", "tb_events_published_total"} {
			if !strings.HasPrefix(line, name+"{") && !strings.HasPrefix(line, name+" ") {
				continue
			}
			fields := strings.Fields(line)
			v, err := strconv.ParseFloat(fields[len(fields)-1], 64)
			if err == nil {
				sums[name] += v
			}
		}
	}
	if err := sc.Err(); err != nil {
		return false, err
	}
	still := sums["tb_consumer_lag"] == 0 && sums["tb_outbox_awaited"] == 0 && sums["tb_outbox_sweeping"] == 0 &&
		sums["tb_applicant_view_building"] == 0 &&
		sums["tb_outbox_relayed_total"] == last["tb_outbox_relayed_total"] &&
		sums["tb_events_published_total"] == last["tb_events_published_total"]
	maps.Copy(last, sums)
	return still, nil
}
