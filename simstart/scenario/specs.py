"""The text forms of ``docker create`` options, parsed as moby v17.05.0-ce parses them.

The loader checks a scenario's containers with these (a container exists, so ``docker
create`` accepted its options), and the moby layer parses a start-time HostConfig with the same
functions: ``volume.ParseMountRaw``, ``volume.ParseVolumesFrom``, ``opts.ParseLink``.
"""

from __future__ import annotations

import csv
import posixpath
import re
from collections.abc import Callable
from typing import Any, NamedTuple


def go_clean(p: str) -> str:
    """``filepath.Clean`` / ``path.Clean`` on Unix (Python's normpath keeps a leading ``//``)."""
    c = posixpath.normpath(p) if p else "."
    return "/" + c.lstrip("/") if c.startswith("//") else c


class ParsedMount(NamedTuple):
    """What ``ParseMountRaw`` makes of a ``-v`` spec (a ``volume.MountPoint``)."""

    destination: str
    source: str
    name: str
    driver: str
    type: str  # bind | volume
    rw: bool
    mode: str
    propagation: str


PROPAGATION_MODES = ("private", "rprivate", "slave", "rslave", "shared", "rshared")
CONSISTENCY_MODES = ("consistent", "cached", "delegated", "default")


def valid_mount_mode(mode: str) -> bool:
    """``volume.ValidMountMode`` (volume/volume_unix.go L63–99): at most one of each kind."""
    if mode == "":
        return True
    counts = {"rw": 0, "label": 0, "prop": 0, "copy": 0, "consistency": 0}
    for o in mode.split(","):
        if o in ("rw", "ro"):
            counts["rw"] += 1
        elif o in ("Z", "z"):
            counts["label"] += 1
        elif o in PROPAGATION_MODES:
            counts["prop"] += 1
        elif o == "nocopy":
            counts["copy"] += 1
        elif o in CONSISTENCY_MODES:
            counts["consistency"] += 1
        else:
            return False
    return all(n <= 1 for n in counts.values())


def read_write(mode: str) -> bool:
    """``volume.ReadWrite``: a valid mode without ``ro``."""
    return valid_mount_mode(mode) and "ro" not in mode.split(",")


def _has_propagation(mode: str) -> bool:
    return any(o in PROPAGATION_MODES for o in mode.split(","))


def _invalid_spec(raw: str) -> str:
    return f"invalid volume specification: '{raw}'"


def parse_volumes_from(spec: str) -> tuple[str, str, str | None]:
    """``volume.ParseVolumesFrom`` (volume/volume.go L179–205): (container, mode, error)."""
    if spec == "":
        return "", "", "volumes-from specification cannot be an empty string"
    cid, sep, mode = spec.partition(":")
    if not sep:
        return cid, "rw", None
    if not valid_mount_mode(mode) or _has_propagation(mode) or "nocopy" in mode.split(","):
        return "", "", f"invalid mode: {mode}"
    return cid, mode, None


def parse_mount_raw(raw: str, volume_driver: str) -> tuple[ParsedMount | None, str | None]:
    """``volume.ParseMountRaw`` (volume/volume.go L210–277) with ``ParseMountSpec``'s checks
    for a bind or a volume (volume/validate.go), the Unix way: a bind source need not exist."""
    if raw.count(":") > 2:
        return None, _invalid_spec(raw)
    arr = raw.split(":", 2)
    if arr[0] == "":
        return None, _invalid_spec(raw)
    source, target, mode = "", "", ""
    if len(arr) == 1:
        target = arr[0]
    elif len(arr) == 2:
        if valid_mount_mode(arr[1]):
            return None, _invalid_spec(raw)  # "/foo:rw": a destination and a mode only
        source, target = arr
    else:
        source, target, mode = arr
    if not valid_mount_mode(mode):
        return None, f"invalid mode: {mode}"
    kind = "bind" if source.startswith("/") else "volume"
    volume_options = (volume_driver != "" and kind == "volume") or "nocopy" in mode.split(",")
    bind_options = _has_propagation(mode)

    def config_error(why: str) -> tuple[None, str]:
        return None, f"{_invalid_spec(raw)}: invalid mount config for type \"{kind}\": {why}"

    if target == "":
        return config_error("field Target must not be empty")
    if go_clean(target) == "/":
        return config_error("invalid specification: destination can't be '/'")
    if not target.startswith("/"):
        return config_error(f"invalid mount path: '{target}' mount path must be absolute")
    if kind == "bind" and volume_options:
        return config_error("field VolumeOptions must not be specified")
    if kind == "volume" and bind_options:
        return config_error("field BindOptions must not be specified")
    prop = next((o for o in mode.split(",") if o in PROPAGATION_MODES), "")
    if kind == "bind":
        return ParsedMount(go_clean(target), go_clean(source), "", "", kind, read_write(mode),
                           mode, prop), None
    # an empty name is an anonymous volume, named when it is created
    return ParsedMount(go_clean(target), "", source, volume_driver, kind, read_write(mode),
                       mode, prop), None



def parse_link(val: str) -> tuple[str, str, str | None]:
    """``opts.ParseLink`` (opts/opts.go L386–405): (name, alias, error text).

    ``/db:/web/alias``, the form ``docker inspect`` shows, gives ``db`` and ``alias``.
    """
    if val == "":
        return "", "", "empty string specified for links"
    arr = val.split(":")
    if len(arr) > 2:
        return "", "", f"bad format for links: {val}"
    if len(arr) == 1:
        return val, val, None
    if arr[0].startswith("/"):
        return arr[0][1:], posixpath.basename(arr[1]), None
    return arr[0], arr[1], None


def _valid_device_mode(mode: str) -> bool:
    """``validDeviceMode``: a non-empty mix of r, w and m, each at most once."""
    return mode != "" and all(ch in "rwm" for ch in mode) and len(set(mode)) == len(mode)


def parse_device(val: str) -> tuple[str, str | None]:
    """The docker CLI's ``--device`` (cli/command/container/opts.go): ``validateDevice``
    (L786–828) refuses, then ``parseDevice`` (L717–749) reads ``src[:dst][:perms]``.

    Returns ``PathOnHost:PathInContainer:CgroupPermissions``, or the CLI's error.
    """
    if val.count(":") > 2:
        return "", f"bad format for path: {val}"
    split = val.split(":", 2)
    if split[0] == "":
        return "", f"bad format for path: {val}"
    if len(split) == 1:
        container_path = split[0]
    elif len(split) == 2:
        container_path = split[0] if _valid_device_mode(split[1]) else split[1]
    else:
        container_path = split[1]
        if not _valid_device_mode(split[2]):
            return "", f"bad mode specified: {split[2]}"
    if not container_path.startswith("/"):
        return "", f"{container_path} is not an absolute path"
    src, dst, perms = split[0], "", "rwm"
    if len(split) == 3:
        dst, perms = split[1], split[2]
    elif len(split) == 2:
        if _valid_device_mode(split[1]):
            perms = split[1]
        else:
            dst = split[1]
    return f"{src}:{dst or src}:{perms}", None


def image_name(ref: str) -> str:
    """The image a reference names, without its tag or digest: ``nginx:1.13`` and
    ``nginx@sha256:…`` are ``nginx``; a registry's port (``localhost:5000/app``) stays."""
    ref = ref.split("@", 1)[0]
    slash, colon = ref.rfind("/"), ref.rfind(":")
    return ref[:colon] if colon > slash else ref


def _ram_in_bytes(size: str) -> int | None:
    """go-units ``RAMInBytes``: a number with an optional binary unit (k = 1024), or None."""
    m = re.match(r"^(\d+(\.\d+)*) ?([kKmMgGtTpP])?[bB]?$", size)
    if m is None or m.group(1).count(".") > 1:
        return None
    mul = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4, "p": 1024**5}
    return int(float(m.group(1)) * mul[(m.group(3) or "").lower()])


_GO_BOOLS = {"1": True, "t": True, "T": True, "TRUE": True, "true": True, "True": True,
             "0": False, "f": False, "F": False, "FALSE": False, "false": False,
             "False": False}


def parse_mount_opt(value: str) -> tuple[dict[str, Any] | None, str | None]:
    """The docker CLI's ``--mount`` (opts/mount.go ``MountOpt.Set``): the ``mount.Mount`` it
    sends, in the API's field names, or the CLI's error."""
    try:
        fields = next(csv.reader([value]))
    except (csv.Error, StopIteration):
        return None, "bare \" in non-quoted-field"
    mount: dict[str, Any] = {"Type": "volume", "Source": "", "Target": "", "ReadOnly": False,
                             "Consistency": "", "BindOptions": None, "VolumeOptions": None,
                             "TmpfsOptions": None}

    def volume_options() -> dict[str, Any]:
        if mount["VolumeOptions"] is None:
            mount["VolumeOptions"] = {"NoCopy": False, "Labels": {}, "DriverConfig": None}
        if mount["VolumeOptions"]["DriverConfig"] is None:
            mount["VolumeOptions"]["DriverConfig"] = {"Name": "", "Options": None}
        return dict(mount["VolumeOptions"])

    def set_on(target: dict[str, str], v: str) -> None:
        k, sep, rest = v.partition("=")
        target[k] = rest if sep else ""

    for fld in fields:
        key, sep, val = fld.partition("=")
        key = key.lower()
        if not sep and key in ("readonly", "ro"):
            mount["ReadOnly"] = True
            continue
        if not sep and key == "volume-nocopy":
            volume_options()
            mount["VolumeOptions"]["NoCopy"] = True
            continue
        if not sep:
            return None, f"invalid field '{fld}' must be a key=value pair"
        if key == "type":
            mount["Type"] = val.lower()
        elif key in ("source", "src"):
            mount["Source"] = val
        elif key in ("target", "dst", "destination"):
            mount["Target"] = val
        elif key in ("readonly", "ro", "volume-nocopy"):
            if val not in _GO_BOOLS:
                return None, (f"invalid value for {key}: {val}" if key != "volume-nocopy"
                              else f"invalid value for volume-nocopy: {val}")
            if key == "volume-nocopy":
                volume_options()
                mount["VolumeOptions"]["NoCopy"] = _GO_BOOLS[val]
            else:
                mount["ReadOnly"] = _GO_BOOLS[val]
        elif key == "consistency":
            mount["Consistency"] = val.lower()
        elif key == "bind-propagation":
            mount["BindOptions"] = {"Propagation": val.lower()}
        elif key == "volume-label":
            volume_options()
            set_on(mount["VolumeOptions"]["Labels"], val)
        elif key == "volume-driver":
            volume_options()
            mount["VolumeOptions"]["DriverConfig"]["Name"] = val
        elif key == "volume-opt":
            volume_options()
            drv = mount["VolumeOptions"]["DriverConfig"]
            drv["Options"] = drv["Options"] or {}
            set_on(drv["Options"], val)
        elif key == "tmpfs-size":
            size = _ram_in_bytes(val)
            if size is None:
                return None, f"invalid value for {key}: {val}"
            mount["TmpfsOptions"] = {**(mount["TmpfsOptions"] or {"Mode": 0}), "SizeBytes": size}
        elif key == "tmpfs-mode":
            if not (val and all(ch in "01234567" for ch in val) and int(val, 8) < 2**32):
                return None, f"invalid value for {key}: {val}"
            mount["TmpfsOptions"] = {**(mount["TmpfsOptions"] or {"SizeBytes": 0}),
                                     "Mode": int(val, 8)}
        else:
            return None, f"unexpected key '{key}' in '{fld}'"
    if mount["Type"] == "":
        return None, "type is required"
    if mount["Target"] == "":
        return None, "target is required"
    for opts, kind in (("VolumeOptions", "volume"), ("BindOptions", "bind"),
                       ("TmpfsOptions", "tmpfs")):
        if mount[opts] is not None and mount["Type"] != kind:
            return None, f"cannot mix '{kind}-*' options with mount type '{mount['Type']}'"
    return mount, None


def validate_mount_config(m: dict[str, Any], host_kind: Callable[[str], tuple[str | None,
                                                                          str | None]]
                          ) -> str | None:
    """``volume.validateMountConfig`` (volume/validate.go L19–104) on Linux: the error of
    ``ParseMountSpec``, or None. ``host_kind`` is ``os.Stat`` on the host: (kind, error)."""
    kind = m.get("Type", "")

    def bad(why: str) -> str:
        return f"invalid mount config for type {go_q(kind)}: {why}"

    target = m.get("Target", "")
    if target == "":
        return bad("field Target must not be empty")
    if go_clean(target) == "/":
        return bad("invalid specification: destination can't be '/'")
    if not target.startswith("/"):
        return bad(f"invalid mount path: '{target}' mount path must be absolute")
    source = m.get("Source", "")
    if kind == "bind":
        if source == "":
            return bad("field Source must not be empty")
        prop = (m.get("BindOptions") or {}).get("Propagation", "")
        if prop and prop not in PROPAGATION_MODES:
            return bad(f"invalid propagation mode: {prop}")
        if m.get("VolumeOptions") is not None:
            return bad("field VolumeOptions must not be specified")
        if not source.startswith("/"):
            return bad(f"invalid mount path: '{source}' mount path must be absolute")
        _kind, err = host_kind(source)
        if err is not None:
            return bad("bind source path does not exist" if err.endswith(
                "no such file or directory") else err)
    elif kind == "volume":
        if m.get("BindOptions") is not None:
            return bad("field BindOptions must not be specified")
        if source == "" and m.get("ReadOnly"):
            return bad("must not set ReadOnly mode when using anonymous volumes")
    elif kind == "tmpfs":
        if source != "":
            return bad("field Source must not be specified")
    else:
        return bad("mount type unknown")
    return None


def go_q(s: str) -> str:
    """Go's ``%q`` of printable text."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


# pkg/signal/signal_linux.go's SignalMap: a name without "SIG" → its number on linux/amd64.
SIGNAL_MAP: dict[str, int] = {
    "ABRT": 6, "ALRM": 14, "BUS": 7, "CHLD": 17, "CLD": 17, "CONT": 18, "FPE": 8, "HUP": 1,
    "ILL": 4, "INT": 2, "IO": 29, "IOT": 6, "KILL": 9, "PIPE": 13, "POLL": 29, "PROF": 27,
    "PWR": 30, "QUIT": 3, "SEGV": 11, "STKFLT": 16, "STOP": 19, "SYS": 31, "TERM": 15,
    "TRAP": 5, "TSTP": 20, "TTIN": 21, "TTOU": 22, "UNUSED": 31, "URG": 23, "USR1": 10,
    "USR2": 12, "VTALRM": 26, "WINCH": 28, "XCPU": 24, "XFSZ": 25,
    **{f"RTMIN+{i}": 34 + i for i in range(1, 16)}, "RTMIN": 34,
    **{f"RTMAX-{i}": 64 - i for i in range(1, 15)}, "RTMAX": 64,
}

_UNITS = {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000}


def parse_duration_ms(text: str) -> int | None:
    """``90s``, ``1m30s``, ``250ms``, ``2h`` → milliseconds; None if it is not one."""
    import re

    parts = re.findall(r"([0-9]+)(ms|h|m|s)", text)
    if not parts or "".join(n + u for n, u in parts) != text:
        return None
    return sum(int(n) * _UNITS[u] for n, u in parts)
