"""Go error values, as the start path creates and wraps them.

moby decides an HTTP status from an error's *type* when it has one (``api/errors`` or the
router's ``validationError``) and otherwise from keywords in its text. So the simulator keeps
both: ``status`` is set only for typed errors, and every wrap with ``fmt.Errorf("...%v", err)``
makes a new plain error that has lost it.
"""

from __future__ import annotations

from typing import NamedTuple


class GoError(NamedTuple):
    """An ``error`` value: its text, and a fixed status if its Go type carries one."""

    msg: str
    status: int | None = None  # api/errors apiError: HTTPErrorStatusCode()
    validation: bool = False  # IsValidationError() -> 400
    kind: str = ""  # the Go type, where a caller asserts it (errNotRunning)

    def __str__(self) -> str:
        return self.msg

    def error(self) -> str:
        """``err.Error()``."""
        return self.msg


class GoPanic(Exception):
    """A Go runtime panic: it unwinds every frame; only deferred functions run."""


def go_quote(s: str) -> str:
    """Go's ``%q`` for printable text: double quotes, with ``\\``, ``"`` and newlines escaped."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def errorf(fmt: str, *args: object) -> GoError:
    """``fmt.Errorf``: a plain error (any inner error is formatted as text, its type lost)."""
    return GoError(fmt % args if args else fmt)


def new_error_with_status_code(err: GoError, status: int) -> GoError:
    """``apierrors.NewErrorWithStatusCode`` (api/errors/errors.go L21–23)."""
    return GoError(err.msg, status=status)


def new_bad_request_error(err: GoError) -> GoError:
    """``apierrors.NewBadRequestError``: typed 400."""
    return GoError(err.msg, status=400)


def new_request_not_found_error(err: GoError) -> GoError:
    """``apierrors.NewRequestNotFoundError``: typed 404."""
    return GoError(err.msg, status=404)


def new_request_conflict_error(err: GoError) -> GoError:
    """``apierrors.NewRequestConflictError``: typed 409."""
    return GoError(err.msg, status=409)
