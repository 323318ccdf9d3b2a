"""Go's ``encoding/json`` as dockerd v17.05.0-ce (built with Go 1.7.5) decodes a request body.

``runconfig.DecodeHostConfig`` runs ``json.NewDecoder(body).Decode(&w)``. What a client sees
from that depends on the Go release's decoder, so this module behaves as Go 1.7.5's does:

- the ``Decoder`` first scans one whole value; a syntax error is reported at the first bad
  byte as ``invalid character 'x' <context>``, a body that stops inside the value as
  ``unexpected EOF``, a body of white space only as ``EOF``; bytes after the value are never
  read;
- then the value is stored into the Go types: object keys meet struct fields by their JSON
  name, exact match first, otherwise case-insensitively (the first such field in declaration
  order); unknown keys are skipped; an embedded pointer struct is allocated as soon as one of
  its fields is named (even with ``null``);
- a value of the wrong JSON kind is an ``UnmarshalTypeError``: ``json: cannot unmarshal
  <kind> into Go value of type <T>``. Most are *saved* (decoding goes on, the first is
  returned at the end); a number where no number can go stops decoding at once (Go 1.7's
  ``literalStore`` calls ``d.error`` there), and so does an error from a type's own
  ``UnmarshalJSON`` (``strslice.StrSlice``);
- an integer field takes only an integer literal that fits: otherwise ``number <literal>``.

Go values are kept as plain Python data: a struct is a dict from Go field name to value (an
embedded struct under its type name), a nil pointer, slice or map is ``None``.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple


class GoType(NamedTuple):
    """A Go type, as far as the decoder needs it."""

    kind: str  # int uint string bool struct ptr slice array map strslice
    name: str  # reflect.Type.String(): "int64", "container.NetworkMode", "[]string", …
    bits: int = 64
    fields: tuple[tuple[str, str, Any, bool], ...] = ()  # (go name, json name, type, embedded)
    elem: Any = None
    length: int = 0


class SyntaxError_(Exception):
    """``*json.SyntaxError`` (or io.EOF / io.ErrUnexpectedEOF from the Decoder)."""


class _Abort(Exception):
    """``d.error``: decoding stops with this message."""


def _int(name: str = "int64") -> GoType:
    return GoType("int", name)


def _uint(name: str, bits: int) -> GoType:
    return GoType("uint", name, bits)


STRING = GoType("string", "string")
BOOL = GoType("bool", "bool")
INT64 = _int("int64")
INT = _int("int")


def _str(name: str) -> GoType:
    return GoType("string", name)


def _slice(elem: GoType) -> GoType:
    return GoType("slice", "[]" + elem.name, elem=elem)


def _ptr(elem: GoType) -> GoType:
    return GoType("ptr", "*" + elem.name, elem=elem)


def _map(elem: GoType, name: str = "") -> GoType:
    return GoType("map", name or f"map[string]{elem.name}", elem=elem)


def _struct(name: str, *fields: tuple[str, str, GoType] | tuple[str, str, GoType, bool]) -> GoType:
    full = tuple((f[0], f[1], f[2], f[3] if len(f) > 3 else False) for f in fields)
    return GoType("struct", name, fields=full)


def _f(go: str, t: GoType, json_name: str = "") -> tuple[str, str, GoType]:
    return (go, json_name or go, t)


STRSLICE = GoType("strslice", "strslice.StrSlice")
STRINGS = _slice(STRING)
STRING_MAP = _map(STRING)
EMPTY_STRUCT = _struct("struct {}")
DURATION = _int("time.Duration")

PORT_BINDING = _struct("nat.PortBinding", _f("HostIP", STRING, "HostIp"), _f("HostPort", STRING))
PORT_MAP = _map(_slice(PORT_BINDING), "nat.PortMap")
WEIGHT_DEVICE = _struct("blkiodev.WeightDevice", _f("Path", STRING),
                        _f("Weight", _uint("uint16", 16)))
THROTTLE_DEVICE = _struct("blkiodev.ThrottleDevice", _f("Path", STRING),
                          _f("Rate", _uint("uint64", 64)))
DEVICE_MAPPING = _struct("container.DeviceMapping", _f("PathOnHost", STRING),
                         _f("PathInContainer", STRING), _f("CgroupPermissions", STRING))
ULIMIT = _struct("units.Ulimit", _f("Name", STRING), _f("Hard", INT64), _f("Soft", INT64))
MOUNT = _struct(
    "mount.Mount",
    _f("Type", _str("mount.Type")), _f("Source", STRING), _f("Target", STRING),
    _f("ReadOnly", BOOL), _f("Consistency", _str("mount.Consistency")),
    _f("BindOptions", _ptr(_struct("mount.BindOptions",
                                   _f("Propagation", _str("mount.Propagation"))))),
    _f("VolumeOptions", _ptr(_struct(
        "mount.VolumeOptions", _f("NoCopy", BOOL), _f("Labels", STRING_MAP),
        _f("DriverConfig", _ptr(_struct("mount.Driver", _f("Name", STRING),
                                        _f("Options", STRING_MAP))))))),
    _f("TmpfsOptions", _ptr(_struct("mount.TmpfsOptions", _f("SizeBytes", INT64),
                                    _f("Mode", _uint("os.FileMode", 32))))),
)
RESOURCES = _struct(
    "container.Resources",
    _f("CPUShares", INT64, "CpuShares"), _f("Memory", INT64), _f("NanoCPUs", INT64, "NanoCpus"),
    _f("CgroupParent", STRING), _f("BlkioWeight", _uint("uint16", 16)),
    _f("BlkioWeightDevice", _slice(_ptr(WEIGHT_DEVICE))),
    _f("BlkioDeviceReadBps", _slice(_ptr(THROTTLE_DEVICE))),
    _f("BlkioDeviceWriteBps", _slice(_ptr(THROTTLE_DEVICE))),
    _f("BlkioDeviceReadIOps", _slice(_ptr(THROTTLE_DEVICE))),
    _f("BlkioDeviceWriteIOps", _slice(_ptr(THROTTLE_DEVICE))),
    _f("CPUPeriod", INT64, "CpuPeriod"), _f("CPUQuota", INT64, "CpuQuota"),
    _f("CPURealtimePeriod", INT64, "CpuRealtimePeriod"),
    _f("CPURealtimeRuntime", INT64, "CpuRealtimeRuntime"),
    _f("CpusetCpus", STRING), _f("CpusetMems", STRING),
    _f("Devices", _slice(DEVICE_MAPPING)), _f("DeviceCgroupRules", STRINGS),
    _f("DiskQuota", INT64), _f("KernelMemory", INT64), _f("MemoryReservation", INT64),
    _f("MemorySwap", INT64), _f("MemorySwappiness", _ptr(INT64)),
    _f("OomKillDisable", _ptr(BOOL)), _f("PidsLimit", INT64),
    _f("Ulimits", _slice(_ptr(ULIMIT))),
    _f("CPUCount", INT64, "CpuCount"), _f("CPUPercent", INT64, "CpuPercent"),
    _f("IOMaximumIOps", _uint("uint64", 64)), _f("IOMaximumBandwidth", _uint("uint64", 64)),
)
HOST_CONFIG = _struct(
    "container.HostConfig",
    _f("Binds", STRINGS), _f("ContainerIDFile", STRING),
    _f("LogConfig", _struct("container.LogConfig", _f("Type", STRING),
                            _f("Config", STRING_MAP))),
    _f("NetworkMode", _str("container.NetworkMode")), _f("PortBindings", PORT_MAP),
    _f("RestartPolicy", _struct("container.RestartPolicy", _f("Name", STRING),
                                _f("MaximumRetryCount", INT))),
    _f("AutoRemove", BOOL), _f("VolumeDriver", STRING), _f("VolumesFrom", STRINGS),
    _f("CapAdd", STRSLICE), _f("CapDrop", STRSLICE),
    _f("DNS", STRINGS, "Dns"), _f("DNSOptions", STRINGS, "DnsOptions"),
    _f("DNSSearch", STRINGS, "DnsSearch"), _f("ExtraHosts", STRINGS), _f("GroupAdd", STRINGS),
    _f("IpcMode", _str("container.IpcMode")), _f("Cgroup", _str("container.CgroupSpec")),
    _f("Links", STRINGS), _f("OomScoreAdj", INT), _f("PidMode", _str("container.PidMode")),
    _f("Privileged", BOOL), _f("PublishAllPorts", BOOL), _f("ReadonlyRootfs", BOOL),
    _f("SecurityOpt", STRINGS), _f("StorageOpt", STRING_MAP), _f("Tmpfs", STRING_MAP),
    _f("UTSMode", _str("container.UTSMode")), _f("UsernsMode", _str("container.UsernsMode")),
    _f("ShmSize", INT64), _f("Sysctls", STRING_MAP), _f("Runtime", STRING),
    _f("ConsoleSize", GoType("array", "[2]uint", elem=_uint("uint", 64), length=2)),
    _f("Isolation", _str("container.Isolation")),
    ("Resources", "Resources", RESOURCES, True),
    _f("Mounts", _slice(MOUNT)), _f("Init", _ptr(BOOL)),
)
CONFIG = _struct(
    "container.Config",
    _f("Hostname", STRING), _f("Domainname", STRING), _f("User", STRING),
    _f("AttachStdin", BOOL), _f("AttachStdout", BOOL), _f("AttachStderr", BOOL),
    _f("ExposedPorts", _map(EMPTY_STRUCT, "nat.PortSet")), _f("Tty", BOOL),
    _f("OpenStdin", BOOL), _f("StdinOnce", BOOL), _f("Env", STRINGS), _f("Cmd", STRSLICE),
    _f("Healthcheck", _ptr(_struct(
        "container.HealthConfig", _f("Test", STRINGS), _f("Interval", DURATION),
        _f("Timeout", DURATION), _f("StartPeriod", DURATION), _f("Retries", INT)))),
    _f("ArgsEscaped", BOOL), _f("Image", STRING), _f("Volumes", _map(EMPTY_STRUCT)),
    _f("WorkingDir", STRING), _f("Entrypoint", STRSLICE), _f("NetworkDisabled", BOOL),
    _f("MacAddress", STRING), _f("OnBuild", STRINGS), _f("Labels", STRING_MAP),
    _f("StopSignal", STRING), _f("StopTimeout", _ptr(INT)), _f("Shell", STRSLICE),
)
ENDPOINT_SETTINGS = _struct(
    "network.EndpointSettings",
    _f("IPAMConfig", _ptr(_struct("network.EndpointIPAMConfig", _f("IPv4Address", STRING),
                                  _f("IPv6Address", STRING), _f("LinkLocalIPs", STRINGS)))),
    _f("Links", STRINGS), _f("Aliases", STRINGS), _f("NetworkID", STRING),
    _f("EndpointID", STRING), _f("Gateway", STRING), _f("IPAddress", STRING),
    _f("IPPrefixLen", INT), _f("IPv6Gateway", STRING), _f("GlobalIPv6Address", STRING),
    _f("GlobalIPv6PrefixLen", INT), _f("MacAddress", STRING),
)
# runconfig/config_unix.go L13–19: Config and HostConfig embedded as pointers, and the inner
# HostConfig under the JSON name "HostConfig".
CONTAINER_CONFIG_WRAPPER = _struct(
    "runconfig.ContainerConfigWrapper",
    ("Config", "Config", _ptr(CONFIG), True),
    _f("InnerHostConfig", _ptr(HOST_CONFIG), "HostConfig"),
    _f("Cpuset", STRING),
    _f("NetworkingConfig", _ptr(_struct(
        "network.NetworkingConfig",
        _f("EndpointsConfig", _map(_ptr(ENDPOINT_SETTINGS)))))),
    ("HostConfig", "HostConfig", _ptr(HOST_CONFIG), True),
)


# --- the scanner ---------------------------------------------------------------------------

class Node(NamedTuple):
    """One scanned JSON value: kind (object array string number true false null) and data."""

    kind: str
    data: Any  # object: list of (key, Node); array: list of Node; string: str; number: text


_SPACE = b" \t\r\n"


def _quote_char(c: int) -> str:
    """``quoteChar``: the byte as a Go rune in single quotes."""
    if c == 0x27:
        return "'\\''"
    if c == 0x22:
        return "'\"'"
    ch = chr(c)
    if ch.isprintable():
        return f"'{ch}'"
    named = {7: "\\a", 8: "\\b", 12: "\\f", 10: "\\n", 13: "\\r", 9: "\\t", 11: "\\v"}
    if c in named:
        return f"'{named[c]}'"
    return f"'\\x{c:02x}'" if c < 0x80 else f"'\\u{c:04x}'"


class _Scanner:
    def __init__(self, data: bytes) -> None:
        self.b = data
        self.i = 0

    def bad(self, context: str) -> SyntaxError_:
        if self.i >= len(self.b):
            return SyntaxError_("unexpected EOF")
        return SyntaxError_(f"invalid character {_quote_char(self.b[self.i])} {context}")

    def peek(self) -> int:
        if self.i >= len(self.b):
            raise SyntaxError_("unexpected EOF")
        return self.b[self.i]

    def skip_space(self) -> None:
        while self.i < len(self.b) and self.b[self.i] in _SPACE:
            self.i += 1

    def value(self) -> Node:
        self.skip_space()
        c = self.peek()
        if c == 0x7B:  # {
            return self.object()
        if c == 0x5B:  # [
            return self.array()
        if c == 0x22:
            return Node("string", self.string())
        if c == 0x2D or 0x30 <= c <= 0x39:
            return Node("number", self.number())
        for word, kind in ((b"true", "true"), (b"false", "false"), (b"null", "null")):
            if c == word[0]:
                self.i += 1
                for want in word[1:]:
                    if self.peek() != want:
                        raise self.bad(f"in literal {kind} (expecting {_quote_char(want)})")
                    self.i += 1
                return Node(kind, None)
        raise self.bad("looking for beginning of value")

    def object(self) -> Node:
        self.i += 1
        items: list[tuple[str, Node]] = []
        self.skip_space()
        if self.peek() == 0x7D:
            self.i += 1
            return Node("object", items)
        while True:
            if self.peek() != 0x22:
                raise self.bad("looking for beginning of object key string")
            key = self.string()
            self.skip_space()
            if self.peek() != 0x3A:
                raise self.bad("after object key")
            self.i += 1
            items.append((key, self.value()))
            self.skip_space()
            c = self.peek()
            if c == 0x2C:
                self.i += 1
                self.skip_space()
                continue
            if c == 0x7D:
                self.i += 1
                return Node("object", items)
            raise self.bad("after object key:value pair")

    def array(self) -> Node:
        self.i += 1
        items: list[Node] = []
        self.skip_space()
        if self.peek() == 0x5D:
            self.i += 1
            return Node("array", items)
        while True:
            items.append(self.value())
            self.skip_space()
            c = self.peek()
            if c == 0x2C:
                self.i += 1
                continue
            if c == 0x5D:
                self.i += 1
                return Node("array", items)
            raise self.bad("after array element")

    def string(self) -> str:
        self.i += 1
        start = self.i
        while True:
            c = self.peek()
            if c == 0x22:
                raw = self.b[start:self.i]
                self.i += 1
                return _unquote(raw)
            if c == 0x5C:
                self.i += 1
                e = self.peek()
                if e == 0x75:  # u
                    self.i += 1
                    for _ in range(4):
                        h = self.peek()
                        if chr(h) not in "0123456789abcdefABCDEF":
                            raise self.bad("in \\u hexadecimal character escape")
                        self.i += 1
                    continue
                if e not in b'bfnrt\\/"':
                    raise self.bad("in string escape code")
                self.i += 1
                continue
            if c < 0x20:
                raise self.bad("in string literal")
            self.i += 1

    def _digits(self) -> None:
        while self.i < len(self.b) and 0x30 <= self.b[self.i] <= 0x39:
            self.i += 1

    def _more(self) -> int | None:
        return self.b[self.i] if self.i < len(self.b) else None

    def number(self) -> str:
        start = self.i
        if self.b[self.i] == 0x2D:
            self.i += 1
            c = self.peek()
            if not 0x30 <= c <= 0x39:
                raise self.bad("in numeric literal")
        if self.b[self.i] == 0x30:
            self.i += 1
        else:
            self._digits()
        if self._more() == 0x2E:
            self.i += 1
            c = self.peek()
            if not 0x30 <= c <= 0x39:
                raise self.bad("after decimal point in numeric literal")
            self._digits()
        if self._more() in (0x65, 0x45):
            self.i += 1
            if self.peek() in (0x2B, 0x2D):
                self.i += 1
            c = self.peek()
            if not 0x30 <= c <= 0x39:
                raise self.bad("in exponent of numeric literal")
            self._digits()
        return self.b[start:self.i].decode()


_ESC = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "\\": "\\", "/": "/", '"': '"'}


def _unquote(raw: bytes) -> str:
    """``unquote``: escapes resolved, bad UTF-8 and lone surrogates become U+FFFD."""
    text = raw.decode("utf-8", errors="replace")
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        e = text[i + 1]
        if e != "u":
            out.append(_ESC[e])
            i += 2
            continue
        r = int(text[i + 2:i + 6], 16)
        i += 6
        if 0xD800 <= r < 0xDC00 and text[i:i + 2] == "\\u":
            r2 = int(text[i + 2:i + 6], 16)
            if 0xDC00 <= r2 < 0xE000:
                out.append(chr(0x10000 + ((r - 0xD800) << 10) + (r2 - 0xDC00)))
                i += 6
                continue
        out.append("\ufffd" if 0xD800 <= r < 0xE000 else chr(r))
    return "".join(out)


def scan(body: str) -> Node:
    """``Decoder.readValue``: the first JSON value of ``body``, or Go's error for it."""
    data = body.encode("utf-8", errors="surrogatepass")
    s = _Scanner(data)
    s.skip_space()
    if s.i >= len(data):
        raise SyntaxError_("EOF")
    return s.value()


# --- storing into Go values ----------------------------------------------------------------

def zero(t: GoType) -> Any:
    """The Go zero value of ``t``."""
    if t.kind in ("int", "uint"):
        return 0
    if t.kind == "string":
        return ""
    if t.kind == "bool":
        return False
    if t.kind == "struct":
        return {f[0]: (None if f[3] and f[2].kind == "ptr" else zero(f[2])) for f in t.fields}
    if t.kind == "array":
        return [zero(t.elem) for _ in range(t.length)]
    return None  # ptr, slice, map, strslice


def _fold(s: str) -> str:
    """Go 1.7's field-name folding: ASCII case, plus ſ → s and the Kelvin sign → k."""
    return s.replace("\u017f", "s").replace("\u212a", "k").lower()


class _FieldRef(NamedTuple):
    json: str
    path: tuple[tuple[str, GoType], ...]  # (go field name, its type) from the outer struct


def _fields(t: GoType) -> list[_FieldRef]:
    """``typeFields``: the struct's JSON fields in index order, embedded structs expanded.

    (No two fields of the types used here share a name, so Go's dominance rules never
    drop one.)
    """
    out: list[_FieldRef] = []
    for go, js, ft, embedded in t.fields:
        if embedded:
            inner = ft.elem if ft.kind == "ptr" else ft
            for ref in _fields(inner):
                out.append(_FieldRef(ref.json, ((go, ft), *ref.path)))
        else:
            out.append(_FieldRef(js, ((go, ft),)))
    return out


_FIELD_CACHE: dict[str, list[_FieldRef]] = {}


def _lookup(t: GoType, key: str) -> _FieldRef | None:
    fields = _FIELD_CACHE.get(t.name)
    if fields is None:
        fields = _FIELD_CACHE[t.name] = _fields(t)
    folded: _FieldRef | None = None
    fk = _fold(key)
    for ref in fields:
        if ref.json == key:
            return ref
        if folded is None and fk.isascii() and _fold(ref.json) == fk:
            folded = ref
    return folded


_INT_RE = re.compile(r"^-?[0-9]+$")


class _Decoder:
    def __init__(self) -> None:
        self.saved: str | None = None

    def save(self, kind: str, t: GoType) -> None:
        if self.saved is None:
            self.saved = type_error(kind, t)

    def value(self, n: Node, t: GoType, cur: Any) -> Any:
        k = t.kind
        if k == "ptr":
            if n.kind == "null":
                return None
            return self.value(n, t.elem, zero(t.elem) if cur is None else cur)
        if k == "strslice":
            return _strslice(n)
        if n.kind == "null":
            return None if k in ("slice", "map") else cur
        if n.kind == "object":
            if k == "struct":
                return self.object(n, t, cur)
            if k == "map":
                out = dict(cur) if cur is not None else {}
                for key, sub in n.data:
                    out[key] = self.value(sub, t.elem, zero(t.elem))
                return out
            self.save("object", t)
            return cur
        if n.kind == "array":
            if k == "slice":
                old = cur or []
                return [self.value(sub, t.elem, old[i] if i < len(old) else zero(t.elem))
                        for i, sub in enumerate(n.data)]
            if k == "array":
                fixed = list(cur)
                for i, sub in enumerate(n.data[:t.length]):
                    fixed[i] = self.value(sub, t.elem, fixed[i])
                for i in range(len(n.data), t.length):
                    fixed[i] = zero(t.elem)
                return fixed
            self.save("array", t)
            return cur
        if n.kind == "string":
            if k == "string":
                return n.data
            self.save("string", t)
            return cur
        if n.kind in ("true", "false"):
            if k == "bool":
                return n.kind == "true"
            self.save("bool", t)
            return cur
        # a number
        text = n.data
        if k == "int":
            if _INT_RE.match(text) and -(1 << (t.bits - 1)) <= int(text) < (1 << (t.bits - 1)):
                return int(text)
            self.save("number " + text, t)
            return cur
        if k == "uint":
            if text.isdigit() and int(text) < (1 << t.bits):
                return int(text)
            self.save("number " + text, t)
            return cur
        raise _Abort(type_error("number", t))

    def object(self, n: Node, t: GoType, cur: Any) -> Any:
        out = dict(cur)
        for key, sub in n.data:
            ref = _lookup(t, key)
            if ref is None:
                continue
            out = self._store(out, ref.path, sub)
        return out

    def _store(self, holder: dict[str, Any], path: tuple[tuple[str, GoType], ...],
               sub: Node) -> dict[str, Any]:
        (go, ft), rest = path[0], path[1:]
        holder = dict(holder)
        if not rest:
            holder[go] = self.value(sub, ft, holder[go])
            return holder
        inner_t = ft.elem if ft.kind == "ptr" else ft
        inner = holder[go] if holder[go] is not None else zero(inner_t)  # allocated on the way
        holder[go] = self._store(inner, rest, sub)
        return holder


def type_error(kind: str, t: GoType) -> str:
    """``UnmarshalTypeError.Error()`` in Go 1.7 (no struct field in the text yet)."""
    return f"json: cannot unmarshal {kind} into Go value of type {t.name}"


def _strslice(n: Node) -> list[str] | None:
    """``(*strslice.StrSlice).UnmarshalJSON``: a list of strings, or one string, or an error.

    It tries ``[]string`` first and then ``string``; when both fail the second error is the
    one returned, so the text always names ``string``.
    """
    if n.kind == "null":
        return None
    if n.kind == "string":
        return [n.data]
    if n.kind == "array" and all(e.kind in ("string", "null") for e in n.data):
        return [e.data if e.kind == "string" else "" for e in n.data]
    kind = {"true": "bool", "false": "bool"}.get(n.kind, n.kind)
    raise _Abort(type_error(kind, STRING))


def decode(body: str, t: GoType) -> tuple[Any, str | None]:
    """``json.NewDecoder(body).Decode(&v)`` for a fresh ``v`` of type ``t``: (value, error)."""
    try:
        node = scan(body)
    except SyntaxError_ as exc:
        return None, str(exc)
    d = _Decoder()
    try:
        value = d.value(node, t, zero(t))
    except _Abort as exc:
        return None, str(exc)
    if d.saved is not None:
        return None, d.saved
    return value, None
