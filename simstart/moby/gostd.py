"""Small pieces of Go's standard library the start path's checks depend on."""

from __future__ import annotations

import posixpath
import re

from ..scenario.specs import go_clean
from .errors import GoError, errorf, go_quote

__all__ = ["atoi", "find_path", "go_clean", "look_path", "parse_query", "query_unescape", "stat",
           "unescape"]


def atoi(s: str) -> int | None:
    """``strconv.Atoi``: an optional sign and decimal digits, or None."""
    body = s[1:] if s[:1] in ("+", "-") else s
    return int(s) if body.isdigit() and body.isascii() else None


def stat(files: dict[str, str], name: str, cwd: str = "/") -> tuple[str | None, str | None]:
    """``os.Stat`` inside the container's root: (kind, None) or (None, the ``*PathError`` text).

    ``files`` maps absolute paths to exec | file | dir; a directory also exists when something
    below it does. A path component that is a file gives ENOTDIR, as the kernel does.
    """
    full = posixpath.normpath(posixpath.join(cwd, name))
    parts = [p for p in full.split("/") if p]
    for i in range(1, len(parts)):
        kind = files.get("/" + "/".join(parts[:i]))
        if kind not in (None, "dir"):  # a file or a device node on the way
            return None, f"stat {name}: not a directory"
    if full == "/":
        return "dir", None
    kind = files.get(full)
    if kind is not None:
        return kind, None
    if any(p.startswith(full + "/") for p in files):
        return "dir", None
    return None, f"stat {name}: no such file or directory"


def look_path(files: dict[str, str], path_env: str, file: str, cwd: str = "/") -> GoError | None:
    """``exec.LookPath``'s error only (None when it finds ``file``); see ``find_path``."""
    return find_path(files, path_env, file, cwd)[1]


def find_path(files: dict[str, str], path_env: str, file: str, cwd: str = "/"
              ) -> tuple[str, GoError | None]:
    """Go 1.7.5's ``exec.LookPath`` (os/exec/lp_unix.go) against the container's files.

    A name with a slash is stat'ed as it is and its error kept (``exec: "<name>": stat <name>:
    …``); a directory or a file without an execute bit is ``os.ErrPermission``. A bare name is
    tried in each directory of PATH (an empty entry is "."), and when none has it the error is
    ``ErrNotFound``.
    """
    def find_executable(p: str) -> str | None:
        kind, err = stat(files, p, cwd)
        if err is not None:
            return err
        if kind != "exec":  # a directory, or a file without an x bit: os.ErrPermission
            return "permission denied"
        return None

    if "/" in file:
        why = find_executable(file)
        return (file, None) if why is None else ("", errorf("exec: %s: %s", go_quote(file), why))
    for dir_ in path_env.split(":") if path_env else []:  # filepath.SplitList("") is empty
        path = posixpath.join(dir_ or ".", file)
        if find_executable(path) is None:
            return path, None
    return "", errorf("exec: %s: executable file not found in $PATH", go_quote(file))


_HEX = frozenset("0123456789abcdefABCDEF")


def unescape(s: str, query: bool = False) -> tuple[str, GoError | None]:
    """Go 1.7's ``url.unescape``: ``%XX`` decoded, and ``+`` a space in a query component; a
    ``%`` without two hex digits after it is an ``EscapeError`` naming at most three bytes."""
    out = bytearray()
    i = 0
    while i < len(s):
        c = s[i]
        if c == "%":
            if i + 2 >= len(s) or s[i + 1] not in _HEX or s[i + 2] not in _HEX:
                return "", errorf("invalid URL escape %s", go_quote(s[i:i + 3]))
            out.append(int(s[i + 1:i + 3], 16))
            i += 3
            continue
        if c == "+" and query:
            out.append(0x20)
        else:
            out.extend(c.encode())
        i += 1
    return out.decode("utf-8", "replace"), None


def query_unescape(s: str) -> tuple[str, GoError | None]:
    """``url.QueryUnescape``."""
    return unescape(s, query=True)


def parse_query(query: str) -> tuple[tuple[tuple[str, str], ...], GoError | None]:
    """Go 1.7's ``url.ParseQuery``: pairs split at ``&`` *and* ``;``, empty pairs skipped, a pair
    that does not unescape dropped; the values in order, and the first error."""
    pairs: list[tuple[str, str]] = []
    first: GoError | None = None
    for part in re.split("[&;]", query) if query else []:
        if part == "":
            continue
        key, _, value = part.partition("=")
        key, err = query_unescape(key)
        if err is None:
            value, err = query_unescape(value)
        if err is not None:
            first = first or err
            continue
        pairs.append((key, value))
    return tuple(pairs), first
