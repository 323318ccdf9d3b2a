"""``api/server/httputils``: the error → HTTP status mapping and the error response writer."""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from . import versions
from .context import Daemon, Phrase, Steps, go, phrase
from .errors import GoError, errorf

# api/server/httputils/errors.go L52-69, in order: the first keyword found wins.
KEYWORDS: tuple[tuple[str, int], ...] = (
    ("not found", 404),
    ("cannot find", 404),
    ("no such", 404),
    ("bad parameter", 400),
    ("no command", 400),
    ("conflict", 409),
    ("impossible", 406),
    ("wrong login/password", 401),
    ("unauthorized", 401),
    ("hasn't been activated", 403),
    ("this node", 503),
    ("needs to be unlocked", 503),
    ("certificates have expired", 503),
)


class WriteJSON(NamedTuple):
    """``httputils.WriteJSON(w, status, v)``: what a handler answers with a body."""

    status: int
    value: dict[str, Any]

    def body(self) -> str:
        """The encoder's output: compact, no HTML escaping, a trailing newline."""
        return json.dumps(self.value, ensure_ascii=False, separators=(",", ":")) + "\n"


def status_and_reason(err: GoError) -> tuple[int, Phrase]:
    """The status ``GetHTTPErrorStatusCode`` gives ``err``, and why (a phrase of the
    narration)."""
    if err.status is not None:
        return err.status, phrase("status.typed")
    if err.validation:
        return 400, phrase("status.validation")
    low = err.msg.lower()
    for keyword, code in KEYWORDS:
        if keyword in low:
            return code, phrase("status.keyword", keyword=keyword)
    return 500, phrase("status.default")


def get_http_error_status_code(err: GoError) -> int:
    """``httputils.GetHTTPErrorStatusCode`` (api/server/httputils/errors.go L32–82)."""
    return status_and_reason(err)[0]


def api_version_supports_json_errors(version: str) -> bool:
    """``apiVersionSupportsJSONErrors``: the *URL* version is empty or above 1.23."""
    return version == "" or versions.greater_than(version, "1.23")


@go("httputils.CheckForJSON", "api/server/httputils/httputils.go", 47, 62)
def check_for_json(d: Daemon, content_type: str, content_length: int) -> Steps:
    """An empty Content-Type passes only without a body; otherwise it must be JSON."""
    yield d.emit("http.check_json", 48, content_type=content_type or '(empty)')
    if content_type == "" and content_length == 0:
        return None  # no Content-Type is fine as long as there is no body
    if content_type.split(";")[0].strip().lower() == "application/json":
        return None  # api.MatchesContentType
    return errorf("Content-Type specified (%s) must be 'application/json'", content_type)


def error_body(err: GoError, url_version: str) -> tuple[str, str]:
    """``MakeErrorHandler``'s body and Content-Type for ``err``."""
    if api_version_supports_json_errors(url_version):
        # WriteJSON: encoder without HTML escaping, plus the encoder's trailing newline.
        return json.dumps({"message": err.msg}, ensure_ascii=False, separators=(",", ":")) + "\n", (
            "application/json"
        )
    # http.Error(w, grpc.ErrorDesc(err), status)
    return err.msg + "\n", "text/plain; charset=utf-8"
