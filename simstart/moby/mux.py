"""``vendor/github.com/gorilla/mux``: the router dockerd's ``createMux`` builds.

A route is a method matcher and a path template; the template becomes an anchored regular
expression (regexp.go ``newRouteRegexp``: ``{name}`` is ``[^/]+``, ``{name:pattern}`` is the
pattern) matched against the *unescaped* path (``req.URL.Path``, regexp.go L153). The router
tries its routes in the order they were added; the first whose matchers all hold wins (mux.go
``Match`` L56-69); none, and the ``NotFoundHandler`` answers.
"""

from __future__ import annotations

import posixpath
import re

__all__ = ["Route", "Router", "clean_path", "compile_template", "escape_path"]


_VARIABLE = re.compile(r"\{(\w+)(?::([^{}]*))?\}")


def compile_template(template: str) -> re.Pattern[str]:
    """The regular expression gorilla/mux builds for a path template."""
    out, pos = [], 0
    for m in _VARIABLE.finditer(template):
        out.append(re.escape(template[pos:m.start()]))
        out.append(f"(?P<{m.group(1)}>{m.group(2) or '[^/]+'})")
        pos = m.end()
    out.append(re.escape(template[pos:]))
    return re.compile("".join(out))


class Route:
    """``m.Path(template).Methods(method)``; ``method`` "" matches every method (a route added
    with ``HandleFunc``, as the versioned catch-all is).

    The regular expression is compiled the first time a path could match it: the template's
    literal text before its first variable must begin the path, and the text after its last
    variable must end it (the expression is anchored at both ends), so a path without them is
    refused without one. dockerd has ~200 routes; compiling them all took most of a start."""

    __slots__ = ("_head", "_regexp", "_tail", "method", "template")

    def __init__(self, method: str, template: str) -> None:
        self.method = method
        self.template = template
        parts = _VARIABLE.split(template)[::3]  # the literal text around the variables
        self._head, self._tail = parts[0], parts[-1] if len(parts) > 1 else ""
        self._regexp: re.Pattern[str] | None = None

    @property
    def regexp(self) -> re.Pattern[str]:
        """The template's expression (regexp.go ``newRouteRegexp``)."""
        if self._regexp is None:
            self._regexp = compile_template(self.template)
        return self._regexp

    def match(self, method: str, path: str) -> dict[str, str] | None:
        """The route's variables when both matchers hold (route.go ``Match`` L40-65)."""
        if self.method and self.method != method:
            return None
        if not path.startswith(self._head) or not path.endswith(self._tail):
            return None
        hit = self.regexp.fullmatch(path)
        return None if hit is None else hit.groupdict()


class Router:
    """``mux.Router``: routes in order; what no route matches goes to the not-found handler."""

    def __init__(self) -> None:
        self.routes: list[Route] = []

    def path(self, template: str, method: str = "") -> Route:
        """Add a route (``m.Path(template).Methods(method)``) and return it."""
        route = Route(method, template)
        self.routes.append(route)
        return route

    def match(self, method: str, path: str) -> tuple[Route | None, dict[str, str]]:
        """The first route that matches and its variables; (None, {}) for the not-found
        handler, which ``setVars`` leaves without variables."""
        for route in self.routes:
            vars_ = route.match(method, path)
            if vars_ is not None:
                return route, vars_
        return None, {}


def clean_path(p: str) -> str:
    """``cleanPath`` (mux.go L347-360): ``path.Clean``, putting back a trailing slash."""
    if p == "":
        return "/"
    if p[0] != "/":
        p = "/" + p
    np = posixpath.normpath(p)
    if np.startswith("//"):  # POSIX keeps a leading "//"; Go's path.Clean does not
        np = "/" + np.lstrip("/")
    if p.endswith("/") and np != "/":
        np += "/"
    return np


# Go 1.7 net/url shouldEscape(c, encodePath): unreserved bytes and these stay as they are.
_PATH_SAFE = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~"
                       b"$&+,/:;=@")


def escape_path(p: str) -> str:
    """``url.PathEscape``'s rule for a whole path (``(*URL).EscapedPath`` of a changed
    ``Path``): every other byte of its UTF-8 as ``%XX``, upper-case hex."""
    return "".join(chr(b) if b in _PATH_SAFE else f"%{b:02X}" for b in p.encode())
