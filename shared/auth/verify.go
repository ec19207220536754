package auth

import (
	"context"
	"crypto/ed25519"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/shared/web"
)

// Leeway tolerates clock skew between the issuer and a verifier.
const Leeway = 30 * time.Second

// Verifier checks access tokens.
type Verifier struct {
	keys KeySet
	// revoked, when set, holds the sign-ins and accounts that ended before
	// their tokens expired.
	revoked *Revocations
}

// NewVerifier returns a verifier that trusts keys.
func NewVerifier(keys KeySet) *Verifier { return &Verifier{keys: keys} }

// WithRevocations returns a copy of v that also refuses the tokens r
// revokes.
func (v *Verifier) WithRevocations(r *Revocations) *Verifier {
	c := *v
	c.revoked = r
	return &c
}

// Revocations is the set v checks, or nil.
func (v *Verifier) Revocations() *Revocations {
	if v == nil {
		return nil
	}
	return v.revoked
}

// ErrInvalidToken is returned for any token that is not accepted; the
// reason is wrapped for logs but never shown to the caller. A token that
// cannot be checked because the keys are unreachable gets an error wrapping
// ErrKeysUnavailable instead (503 rather than 401, so clients keep it).
var ErrInvalidToken = errors.New("invalid token")

// Parse verifies a compact JWS and returns its claims. Only EdDSA with a
// known kid, our issuer and audience, and an expiry in the future (with
// Leeway) pass, and only if the verifier's revocation set does not hold the
// token's session or account.
func (v *Verifier) Parse(ctx context.Context, token string) (*Claims, error) {
	if len(token) > MaxTokenLength || strings.Count(token, ".") != 2 {
		return nil, fmt.Errorf("%w: not a compact JWS of sane size", ErrInvalidToken)
	}
	claims := &Claims{}
	_, err := jwt.ParseWithClaims(token, claims, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		if kid == "" {
			return nil, errors.New("no kid")
		}
		k, err := v.keys.Key(ctx, kid)
		if err != nil {
			return nil, err
		}
		return ed25519.PublicKey(k), nil
	},
		jwt.WithValidMethods([]string{Algorithm}),
		jwt.WithIssuer(Issuer),
		jwt.WithAudience(Audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(Leeway),
	)
	if errors.Is(err, ErrKeysUnavailable) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidToken, err)
	}
	if claims.Subject == "" || claims.Role == "" {
		return nil, fmt.Errorf("%w: no subject or role", ErrInvalidToken)
	}
	if v.revoked.Revoked(claims) {
		return nil, fmt.Errorf("%w: session or account ended", ErrInvalidToken)
	}
	return claims, nil
}

type ctxKey struct{}

// FromContext returns the verified claims of the request, if any.
func FromContext(c echo.Context) (*Claims, bool) {
	cl, ok := c.Get(claimsKey).(*Claims)
	return cl, ok && cl != nil
}

// ClaimsFrom returns the claims stored in a plain context (set by the
// middleware for code below the HTTP layer).
func ClaimsFrom(ctx context.Context) (*Claims, bool) {
	cl, ok := ctx.Value(ctxKey{}).(*Claims)
	return cl, ok
}

const claimsKey = "tb.claims"

// Middleware reads a bearer token, or the session cookie, and stores the
// verified claims. A request without credentials passes through (the
// route's policy decides); one with bad credentials is refused with 401.
// Requests authenticated by cookie that change state must carry the CSRF
// token (double submit: the tb_csrf cookie's value in the X-CSRF-Token
// header or the csrf form field), or they get 403.
func (v *Verifier) Middleware() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			token, fromCookie := credentials(c.Request())
			if token == "" {
				return next(c)
			}
			if token == notBearer {
				c.Response().Header().Set("WWW-Authenticate", `Bearer error="invalid_request"`)
				return web.Unauthorized("the Authorization header must be \"Bearer <access token>\"")
			}
			claims, err := v.Parse(c.Request().Context(), token)
			if errors.Is(err, ErrKeysUnavailable) {
				return web.Unavailable("tokens cannot be checked right now; try again")
			}
			if err != nil {
				c.Response().Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
				return web.Unauthorized("the access token is missing, expired or invalid")
			}
			if fromCookie && !safeMethod(c.Request().Method) && !CSRFValid(c.Request()) {
				return web.Forbidden("csrf_invalid", "the form is missing its CSRF token or it does not match")
			}
			setClaims(c, claims)
			return next(c)
		}
	}
}

// optional is Middleware for public routes: verified claims are stored,
// anything else is treated as no credentials at all.
func (v *Verifier) optional() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			token, fromCookie := credentials(c.Request())
			if token == "" || token == notBearer {
				return next(c)
			}
			claims, err := v.Parse(c.Request().Context(), token)
			if err != nil || (fromCookie && !safeMethod(c.Request().Method) && !CSRFValid(c.Request())) {
				return next(c)
			}
			setClaims(c, claims)
			return next(c)
		}
	}
}

func setClaims(c echo.Context, claims *Claims) {
	c.Set(claimsKey, claims)
	req := c.Request()
	c.SetRequest(req.WithContext(context.WithValue(req.Context(), ctxKey{}, claims)))
}

// notBearer marks an Authorization header that is not "Bearer <token>".
// Such a header is refused even when it holds a valid token: a token is
// only ever accepted under the scheme it was issued for (RFC 6750).
const notBearer = "\x00not-bearer"

// credentials finds the access token of a request: the Authorization
// header when there is one (it must use the Bearer scheme; any other form
// yields notBearer, which no token equals), else the session cookie.
func credentials(r *http.Request) (token string, fromCookie bool) {
	if h := r.Header.Get(echo.HeaderAuthorization); h != "" {
		if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
			if t := strings.TrimSpace(h[7:]); t != "" {
				return t, false
			}
		}
		return notBearer, false
	}
	if ck, err := r.Cookie(AccessCookie); err == nil && ck.Value != "" {
		return ck.Value, true
	}
	return "", false
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// CSRFValid checks the double-submit token of a request.
func CSRFValid(r *http.Request) bool {
	ck, err := r.Cookie(CSRFCookie)
	if err != nil || len(ck.Value) < 16 {
		return false
	}
	sent := r.Header.Get(CSRFHeader)
	if sent == "" {
		sent = r.PostFormValue(CSRFFormField)
	}
	return subtle.ConstantTimeCompare([]byte(sent), []byte(ck.Value)) == 1
}
