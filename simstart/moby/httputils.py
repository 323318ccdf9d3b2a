"""``api/server/httputils``: the error → HTTP status mapping and the error response writer."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, NamedTuple

from . import versions
from .context import Daemon, Phrase, Steps, go, phrase
from .errors import GoError, errorf
from .gostd import parse_query

if TYPE_CHECKING:  # server imports this module: the request type is only named here
    from .server import HTTPRequest

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


class Form(NamedTuple):
    """``r.Form``: the values of a form-encoded body first, then the query's, in order."""

    pairs: tuple[tuple[str, str], ...] = ()

    def get(self, key: str) -> str:
        """``r.Form.Get(key)``: the first value, or ""."""
        for k, v in self.pairs:
            if k == key:
                return v
        return ""

    def names(self) -> list[str]:
        """The keys given, sorted (a Go map has no order of its own)."""
        return sorted({k for k, _ in self.pairs})


_TOKEN = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_PARAM = rf"{_TOKEN}\s*=\s*({_TOKEN}|\"[^\"]*\")"
_MEDIA_TYPE = re.compile(rf"\s*{_TOKEN}/{_TOKEN}\s*(;\s*({_PARAM})?\s*)*")


def media_type(content_type: str) -> str | None:
    """``mime.ParseMediaType``'s type, lower-cased; None where it returns a ``mime:`` error."""
    if not _MEDIA_TYPE.fullmatch(content_type):
        return None
    return content_type.split(";")[0].strip().lower()


def parse_form(r: HTTPRequest, body_read: bool = False) -> tuple[Form, GoError | None]:
    """``httputils.ParseForm`` (httputils.go L66-74) over Go 1.7's ``(*Request).ParseForm``.

    A POST whose Content-Type is ``application/x-www-form-urlencoded`` has its body read as a
    form first (nothing left to read once ``body_read``: the HostConfig decoder took it); an
    empty Content-Type counts as ``application/octet-stream``. The first error wins: a
    Content-Type ``mime`` cannot parse is that error, which ``httputils.ParseForm`` then drops
    — so the query's own error is never seen. The query's values are kept either way.
    """
    pairs: list[tuple[str, str]] = []
    err: GoError | None = None
    ctype = media_type(r.content_type or "application/octet-stream")
    if ctype is None:
        err = errorf("mime: invalid media type")
    elif ctype == "application/x-www-form-urlencoded" and not body_read:
        body, err = parse_query(r.body or "")
        pairs.extend(body)
    query, qerr = parse_query(r.raw_query)
    pairs.extend(query)
    err = err or qerr
    if err is not None and err.msg.startswith("mime:"):
        err = None
    return Form(tuple(pairs)), err
