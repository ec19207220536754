package httpapi

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/talentbridge/platform/services/placements/internal/app"
	"github.com/talentbridge/platform/services/placements/internal/domain"
	api "github.com/talentbridge/platform/shared/api/placements"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/web"
)

// Actor is the caller as the domain sees them.
func Actor(c echo.Context) domain.Actor {
	cl, _ := auth.FromContext(c)
	return domain.Actor{ID: cl.UserID(), Role: cl.Role, Coordinator: cl.HasRole(auth.RoleCoordinator, auth.RoleAdmin)}
}

// private writes personal data: never cached by browsers or proxies.
func private(c echo.Context, status int, v any) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(status, v)
}

func (h *Handlers) page(c echo.Context, ps []*domain.Placement) error {
	pg, err := web.QueryPaging(c)
	if err != nil {
		return err
	}
	now := h.App.Clock()
	out := api.Placements{Items: []api.Placement{}, Page: pg.Page, PageSize: pg.Size, Total: len(ps)}
	for i := int(pg.Skip()); i < len(ps) && len(out.Items) < pg.Size; i++ {
		out.Items = append(out.Items, app.View(ps[i], now))
	}
	return private(c, http.StatusOK, out)
}

func (h *Handlers) mine(c echo.Context) error {
	ps, err := h.App.Mine(c.Request().Context(), Actor(c).ID)
	if err != nil {
		return err
	}
	return h.page(c, ps)
}

func (h *Handlers) list(c echo.Context) error {
	ps, err := h.App.List(c.Request().Context(), Actor(c),
		app.ListQuery{ProgramID: c.QueryParam(api.FieldProgramID), Status: c.QueryParam(api.FieldStatus)})
	if err != nil {
		return err
	}
	return h.page(c, ps)
}

func (h *Handlers) read(c echo.Context) error {
	p, err := h.App.Read(c.Request().Context(), Actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	return private(c, http.StatusOK, app.View(p, h.App.Clock()))
}

func (h *Handlers) tasks(c echo.Context) error {
	p, err := h.App.Read(c.Request().Context(), Actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	return private(c, http.StatusOK, api.Tasks{Items: app.TaskViews(p, h.App.Clock())})
}

// bindOptional decodes an optional JSON body; none leaves v as it is.
func bindOptional(c echo.Context, v any) error {
	if c.Request().ContentLength == 0 {
		return nil
	}
	return web.Bind(c, v)
}

func (h *Handlers) taskDone(c echo.Context) error {
	var req api.TaskDoneRequest
	if err := bindOptional(c, &req); err != nil {
		return err
	}
	t, err := h.App.MarkDone(c.Request().Context(), Actor(c), c.Param("id"), c.Param("taskId"), req.Note)
	if err != nil {
		return err
	}
	p := &domain.Placement{Tasks: []domain.Task{*t}}
	return private(c, http.StatusOK, app.TaskViews(p, h.App.Clock())[0])
}

func (h *Handlers) complete(c echo.Context) error {
	p, err := h.App.Complete(c.Request().Context(), Actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	return private(c, http.StatusOK, app.View(p, h.App.Clock()))
}

func (h *Handlers) end(c echo.Context) error {
	var req api.EndRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	p, err := h.App.End(c.Request().Context(), Actor(c), c.Param("id"), req.Reason)
	if err != nil {
		return err
	}
	return private(c, http.StatusOK, app.View(p, h.App.Clock()))
}

func (h *Handlers) feedback(c echo.Context) error {
	var req api.FeedbackRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	p, err := h.App.Feedback(c.Request().Context(), Actor(c), c.Param("id"), req.Rating, req.Comment)
	if err != nil {
		return err
	}
	return private(c, http.StatusCreated, app.View(p, h.App.Clock()))
}

// Problems is the service's one web.Mapper.
func Problems(err error) *web.Error {
	var ve *domain.ValidationError
	if errors.As(err, &ve) {
		return web.Invalid(ve.Fields...)
	}
	switch {
	case errors.Is(err, domain.ErrNotFound):
		return web.NotFound("placement")
	case errors.Is(err, domain.ErrNotYourTask):
		return web.Forbidden("not_your_part", "this belongs to another party of the placement")
	case errors.Is(err, domain.ErrTaskDone):
		return web.Conflict("task_done", "the task is already done")
	case errors.Is(err, domain.ErrFinished):
		return web.Conflict("placement_finished", "the placement is already completed or ended")
	case errors.Is(err, domain.ErrNotFinished):
		return web.Conflict("placement_not_finished", "feedback opens once the placement is completed or ended")
	case errors.Is(err, domain.ErrFeedbackGiven):
		return web.Conflict("feedback_given", "you already left feedback on this placement")
	case errors.Is(err, domain.ErrConflict):
		return web.Conflict("concurrent_change", "the placement changed meanwhile; try again")
	}
	return nil
}

var _ web.Mapper = Problems
