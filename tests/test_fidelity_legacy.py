"""§2.B/§2.D — the start-time HostConfig (API < 1.24): Go 1.7's encoding/json, getHostConfig,
setHostConfig (registerMountPoints, registerLinks), and verifyContainerSettings."""

from __future__ import annotations

import json
from typing import Any

import pytest

from simstart.moby import gojson
from simstart.moby.container import new_port
from simstart.moby.runconfig import decode_host_config
from simstart.scenario.specs import parse_link, parse_mount_raw, parse_volumes_from

from .conftest import WEB, run, stages, upstream

W = gojson.CONTAINER_CONFIG_WRAPPER


def legacy(body: Any, *containers: dict[str, Any], **top: Any) -> Any:
    """One API 1.23 start of web with ``body`` (a mapping is sent as JSON)."""
    text = body if isinstance(body, str) else json.dumps(body)
    r = run([*containers, WEB], [{"container": "web", "api_version": "1.23", "body": text,
                                  "content_type": "application/json"}], **top)
    return r


def outcome(body: Any, *containers: dict[str, Any], **top: Any) -> tuple[int, str]:
    o = legacy(body, *containers, **top).results[0].outcome
    return o.status, o.message


# --- encoding/json (Go 1.7.5, the Go of v17.05.0-ce's Dockerfile L130) -------------------

@upstream("Dockerfile", "L130 GO_VERSION 1.7.5; Go 1.7 encoding/json decode.go literalStore")
@pytest.mark.parametrize(("body", "message"), [
    ('{"Memory": "1g"}', "json: cannot unmarshal string into Go value of type int64"),
    ('{"Privileged": 1}', "json: cannot unmarshal number into Go value of type bool"),
    ('{"NetworkMode": true}', "json: cannot unmarshal bool into Go value of type "
     "container.NetworkMode"),
    ('{"Memory": 1.5}', "json: cannot unmarshal number 1.5 into Go value of type int64"),
    ('{"BlkioWeight": 70000}', "json: cannot unmarshal number 70000 into Go value of type "
     "uint16"),
    ('{"PortBindings": []}', "json: cannot unmarshal array into Go value of type nat.PortMap"),
    ('{"PortBindings": {"80/tcp": "x"}}', "json: cannot unmarshal string into Go value of "
     "type []nat.PortBinding"),
    ('{"Binds": "/a:/b"}', "json: cannot unmarshal string into Go value of type []string"),
    ('{"RestartPolicy": {"MaximumRetryCount": "3"}}', "json: cannot unmarshal string into Go "
     "value of type int"),
    ('{"MemorySwappiness": "x"}', "json: cannot unmarshal string into Go value of type int64"),
    ('{"LogConfig": {"Config": {"max-size": 10}}}', "json: cannot unmarshal number into Go "
     "value of type string"),
    ('[1, 2, 3]', "json: cannot unmarshal array into Go value of type "
     "runconfig.ContainerConfigWrapper"),
    ('"a string"', "json: cannot unmarshal string into Go value of type "
     "runconfig.ContainerConfigWrapper"),
])
def test_a_type_mismatch_is_gos_unmarshal_type_error(body: str, message: str) -> None:
    assert outcome(body) == (500, message)


@upstream("Go 1.7 encoding/json decode.go", "literalStore: a number into a non-number calls "
          "d.error (stops), other mismatches d.saveError (the first is kept)")
def test_the_first_saved_error_wins_but_a_misplaced_number_stops_at_once() -> None:
    assert gojson.decode('{"Memory": "x", "Privileged": "y"}', W)[1] == (
        "json: cannot unmarshal string into Go value of type int64")
    # a saved error is overtaken by a later number-into-string: d.error panics with it
    assert gojson.decode('{"Memory": "x", "NetworkMode": 5}', W)[1] == (
        "json: cannot unmarshal number into Go value of type container.NetworkMode")


@upstream("api/types/strslice/strslice.go", "L11-29: []string first, then string; the "
          "second error is returned")
def test_a_strslice_takes_a_string_or_a_list_and_its_error_names_string() -> None:
    v, err = gojson.decode('{"CapAdd": "NET_ADMIN"}', W)
    assert err is None and v["HostConfig"]["CapAdd"] == ["NET_ADMIN"]
    assert gojson.decode('{"CapAdd": [1]}', W)[1] == (
        "json: cannot unmarshal array into Go value of type string")
    assert gojson.decode('{"CapDrop": {}}', W)[1] == (
        "json: cannot unmarshal object into Go value of type string")


@upstream("Go 1.7 encoding/json scanner.go", "the error names the scanner's state")
@pytest.mark.parametrize(("body", "message"), [
    ("{not json at all}", "invalid character 'n' looking for beginning of object key string"),
    ('{"Memory" 5}      ', "invalid character '5' after object key"),
    ('{"Memory": 5 "x": 1}', "invalid character '\"' after object key:value pair"),
    ('{"Binds": ["a" "b"]}', "invalid character '\"' after array element"),
    ('{"Memory": -x}    ', "invalid character 'x' in numeric literal"),
    ('{"Memory": 1.x}   ', "invalid character 'x' after decimal point in numeric literal"),
    ('{"Memory": 1ex}   ', "invalid character 'x' in exponent of numeric literal"),
    ('{"Privileged": trux}', "invalid character 'x' in literal true (expecting 'e')"),
    ('{"Runtime": "a\\qb"}', "invalid character 'q' in string escape code"),
    ('{"Runtime": "\\u12x4"}', "invalid character 'x' in \\u hexadecimal character escape"),
    ('{"Runtime": "a\tb"}', "invalid character '\\t' in string literal"),
    ("{'Memory': 5}     ", "invalid character '\\'' looking for beginning of object key string"),
    ('{"Memory": 5      ', "unexpected EOF"),
    ("                  ", "EOF"),
])
def test_syntax_errors_are_gos(body: str, message: str) -> None:
    assert outcome(body) == (500, message)


@upstream("Go 1.7 encoding/json stream.go", "Decoder.Decode reads one value: what follows "
          "it is never read")
def test_bytes_after_the_value_are_ignored() -> None:
    status, _ = outcome('{"NetworkMode": "none"} trailing garbage')
    assert status == 204


@upstream("Go 1.7 encoding/json decode.go", "object(): exact name first, then the first "
          "case-insensitive match; unknown keys skipped")
def test_field_names_match_in_any_case_and_unknown_keys_are_skipped() -> None:
    hc, err = decode_host_config('{"networkmode": "none", "MEMORY": 8388608, "Bogus": [1]}')
    assert err is None and hc is not None
    assert (hc.network_mode, hc.memory) == ("none", 8388608)
    # the long s (U+017F) and the Kelvin sign (U+212A) fold to s and k in Go 1.7
    hc, _ = decode_host_config('{"Lin\u212a\u017f": ["db"]}')
    assert hc is not None and hc.links == ["db"]


@upstream("runconfig/config_unix.go", "L13-19, L22-59 (getHostConfig)")
def test_a_body_of_container_config_fields_only_is_no_host_config() -> None:
    assert decode_host_config('{"Image": "busybox", "Cpuset": "0"}') == (None, None)
    r = legacy({"Image": "busybox", "Cpuset": "0"})
    assert "legacy.hostconfig" not in stages(r)


@upstream("Go 1.7 encoding/json decode.go", "object(): an embedded pointer is allocated on "
          "the way to a field, even for null")
def test_naming_one_flat_field_even_with_null_makes_a_host_config() -> None:
    hc, err = decode_host_config('{"Dns": null}')
    assert err is None and hc is not None and hc.network_mode == "default"


@upstream("runconfig/config_unix.go", "L26-49: flat Memory, MemorySwap, CpuShares, "
          "CpusetCpus, VolumeDriver fill the inner HostConfig's empty ones; L51-55 Cpuset")
def test_get_host_config_merges_the_deprecated_flat_fields() -> None:
    hc, _ = decode_host_config(json.dumps({
        "Memory": 8388608, "CpuShares": 512, "Privileged": True, "Cpuset": "1",
        "HostConfig": {"MemorySwap": 0, "NetworkMode": "host"}}))
    assert hc is not None
    assert (hc.memory, hc.cpu_shares, hc.cpuset_cpus, hc.network_mode) == (
        8388608, 512, "1", "host")
    assert hc.privileged is False  # not one of the five: the inner HostConfig wins


# --- verifyContainerSettings over the whole HostConfig ------------------------------------

@upstream("daemon/container.go", "L269-306; daemon/daemon_unix.go L294-477, L516-580")
@pytest.mark.parametrize(("body", "status", "message"), [
    ({"Memory": 524287}, 500, "Minimum memory limit allowed is 4MB"),
    ({"Memory": 8388608, "MemorySwap": 4194304}, 500,
     "Minimum memoryswap limit should be larger than memory limit, see usage"),
    ({"MemorySwap": 8388608}, 500,
     "You should always set the Memory limit when using Memoryswap limit, see usage"),
    ({"MemorySwappiness": -2}, 500, "Invalid value: -2, valid memory swappiness range is 0-100"),
    ({"MemoryReservation": 1024}, 500, "Minimum memory reservation allowed is 4MB"),
    ({"Memory": 8388608, "MemoryReservation": 16777216}, 500,
     "Minimum memory limit can not be less than memory reservation limit, see usage"),
    ({"KernelMemory": 1024}, 500, "Minimum kernel memory limit allowed is 4MB"),
    ({"NanoCpus": 1, "CpuPeriod": 100000}, 409,
     "Conflicting options: Nano CPUs and CPU Period cannot both be set"),
    ({"NanoCpus": -1}, 500,
     "Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available"),
    ({"CpuPeriod": 1000001}, 500,
     "CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)"),
    ({"CpuQuota": 999}, 500, "CPU cfs quota can not be less than 1ms (i.e. 1000)"),
    ({"CpusetCpus": "1-0"}, 500, "Invalid value 1-0 for cpuset cpus"),
    ({"CpusetCpus": "0,2"}, 500, "Requested CPUs are not available - requested 0,2, "
     "available: 0-1"),
    ({"CpusetMems": "x"}, 500, "Invalid value x for cpuset mems"),
    ({"BlkioWeight": 1001}, 500, "Range of blkio weight is from 10 to 1000"),
    ({"IOMaximumIOps": 5}, 500, "Invalid QoS settings: linux does not support Maximum IO "
     "Bandwidth or Maximum IO IOps"),
    ({"ShmSize": -1}, 500, "SHM size can not be less than 0"),
    ({"OomScoreAdj": -1001}, 500, "Invalid value -1001, range for oom score adj is "
     "[-1000, 1000]"),
    ({"Runtime": "kata"}, 500, "Unknown runtime specified kata"),
    ({"Tmpfs": {"/": ""}}, 500, "invalid specification: destination can't be '/'"),
    ({"Tmpfs": {"run": ""}}, 500, "invalid mount path: 'run' mount path must be absolute"),
    ({"ExtraHosts": ["nocolon"]}, 500, 'bad format for add-host: "nocolon"'),
    ({"ExtraHosts": ["db:1.2.3"]}, 500, 'invalid IP address in add-host: "1.2.3"'),
    ({"AutoRemove": True, "RestartPolicy": {"Name": "always"}}, 500,
     "can't create 'AutoRemove' container with restart policy"),
    ({"PortBindings": {"80-81/tcp": [{"HostPort": "8080"}]}}, 500,
     'invalid port specification: "80-81"'),
    ({"PortBindings": {"80/tcp": [{"HostPort": "x"}]}}, 500,
     'invalid port specification: "x"'),
    ({"RestartPolicy": {"Name": "always", "MaximumRetryCount": 2}}, 500,
     "maximum retry count cannot be used with restart policy 'always'"),
    ({"RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": -1}}, 500,
     "maximum retry count cannot be negative"),
    ({"RestartPolicy": {"Name": "sometimes"}}, 500, "invalid restart policy 'sometimes'"),
])
def test_each_setting_is_refused_with_its_own_message(
        body: dict[str, Any], status: int, message: str) -> None:
    assert outcome(body) == (status, message)


@upstream("vendor/github.com/docker/go-connections/nat/parse.go", "L44-56: only two parts "
          "of a host port range are read")
def test_a_host_port_range_with_three_parts_passes() -> None:
    assert new_port("1-2-3") and not new_port("2-1") and new_port("")
    assert not new_port("65536") and not new_port("+1")


@upstream("pkg/sysinfo/sysinfo.go", "L119-134; daemon/daemon_unix.go L427-429")
def test_the_cpuset_is_checked_against_the_host_cpus() -> None:
    assert outcome({"CpusetCpus": "3"}, daemon={"cpus": 4})[0] == 204
    assert outcome({"CpusetCpus": "3"}, daemon={"cpus": 2}) == (
        500, "Requested CPUs are not available - requested 3, available: 0-1")


@upstream("daemon/start.go", "L52-75: setHostConfig persists before verifyContainerSettings")
def test_a_refused_host_config_is_still_the_stored_one() -> None:
    r = legacy({"Memory": 524287})
    assert r.trace.world.containers.names["/web"] in r.trace.world.containers.by_id
    c = r.trace.world.containers.by_id[r.trace.world.containers.names["/web"]]
    assert c.host_config.memory == 524287
    assert "legacy.to_disk" in stages(r)


# --- registerLinks --------------------------------------------------------------------------

@upstream("opts/opts.go", "L386-405")
def test_parse_link() -> None:
    assert parse_link("db") == ("db", "db", None)
    assert parse_link("db:data") == ("db", "data", None)
    assert parse_link("/db:/web/data") == ("db", "data", None)
    assert parse_link("") == ("", "", "empty string specified for links")
    assert parse_link("a:b:c") == ("", "", "bad format for links: a:b:c")


DB = {"name": "db", "image": "redis", "cmd": ["redis-server"]}


@upstream("daemon/daemon_unix.go", "L1130-1132: the target's host mode is refused")
def test_a_link_to_a_host_mode_target_is_a_409_by_keyword() -> None:
    assert outcome({"Links": ["db:d"]}, {**DB, "network_mode": "host"}) == (
        409, "conflicting options: host type networking can't be used with links. This "
        "would result in undefined behavior")


@upstream("daemon/daemon_unix.go", "L1109-1141: the container's own host mode is not checked")
def test_links_with_the_containers_own_host_mode_are_registered() -> None:
    r = legacy({"NetworkMode": "host", "Links": ["db:d"]}, DB)
    assert r.results[0].outcome.status == 204
    assert "/web/d" in r.trace.world.containers.names


@upstream("daemon/daemon_unix.go", "L1110-1112: a user-defined network skips links")
def test_a_user_defined_network_ignores_the_links() -> None:
    r = legacy({"NetworkMode": "backend", "Links": ["ghost"]}, networks=[{"name": "backend"}])
    assert r.results[0].outcome.status == 204
    assert "legacy.links_skipped" in stages(r)


@upstream("daemon/daemon_unix.go", "L1118-1121: the lookup error is replaced")
def test_a_missing_link_target_loses_its_404() -> None:
    assert outcome({"Links": ["ghost:g"]}) == (500, "Could not get container for ghost")


@upstream("daemon/daemon_unix.go", "L1122-1128: a target sharing a network is followed")
def test_a_link_target_that_shares_a_host_mode_network_is_refused() -> None:
    assert outcome({"Links": ["c:c"]}, {**DB, "network_mode": "host"},
                   {"name": "c", "image": "redis", "cmd": ["redis-server"],
                    "network_mode": "container:db"})[0] == 409


@upstream("daemon/daemon.go", "L422-433: a reserved alias is a warning, not an error")
def test_an_alias_already_taken_is_skipped_with_a_warning() -> None:
    # db is running: setupLinkedContainers (container_operations_unix.go L36) wants it so
    r = legacy({"Links": ["db:x", "q:x"]}, {**DB, "state": "running"},
               {"name": "q", "image": "redis", "cmd": ["redis-server"]})
    assert r.results[0].outcome.status == 204
    assert any("error registering link" in line.msg for line in r.trace.world.log)
    assert r.trace.world.containers.names["/web/x"] == r.trace.world.containers.names["/db"]


# --- registerMountPoints --------------------------------------------------------------------

@upstream("volume/volume.go", "L210-277; volume/volume_unix.go L130-141; volume/validate.go")
@pytest.mark.parametrize(("raw", "message"), [
    ("/a:/b:/c:/d", "invalid volume specification: '/a:/b:/c:/d'"),
    (":/b", "invalid volume specification: ':/b'"),
    ("/foo:rw", "invalid volume specification: '/foo:rw'"),
    ("/a:/b:xx", "invalid mode: xx"),
    ("/a:/b:ro,rw", "invalid mode: ro,rw"),
    ("/a:/", "invalid volume specification: '/a:/': invalid mount config for type \"bind\": "
     "invalid specification: destination can't be '/'"),
    ("/a:b", "invalid volume specification: '/a:b': invalid mount config for type \"bind\": "
     "invalid mount path: 'b' mount path must be absolute"),
    ("/a:/b:nocopy", "invalid volume specification: '/a:/b:nocopy': invalid mount config for "
     "type \"bind\": field VolumeOptions must not be specified"),
    ("vol:/b:shared", "invalid volume specification: 'vol:/b:shared': invalid mount config for "
     "type \"volume\": field BindOptions must not be specified"),
])
def test_parse_mount_raw_errors(raw: str, message: str) -> None:
    assert parse_mount_raw(raw, "") == (None, message)
    assert outcome({"Binds": [raw]}) == (500, message)


@upstream("volume/volume.go", "L179-205")
def test_parse_volumes_from() -> None:
    assert parse_volumes_from("data") == ("data", "rw", None)
    assert parse_volumes_from("data:ro") == ("data", "ro", None)
    assert parse_volumes_from("") == ("", "", "volumes-from specification cannot be an empty "
                                      "string")
    assert parse_volumes_from("data:rshared")[2] == "invalid mode: rshared"
    assert parse_volumes_from("data:nocopy")[2] == "invalid mode: nocopy"


@upstream("daemon/volumes.go", "L144-148 (#10618)")
def test_two_binds_for_one_destination_are_refused() -> None:
    assert outcome({"Binds": ["/a:/tmp", "/b:/tmp/"]}) == (500, "Duplicate mount point '/tmp'")
    assert outcome({"Binds": ["/a:/run"], "Tmpfs": {"/run": ""}}) == (
        500, "Duplicate mount point '/run'")


DATA = {"name": "data", "image": "busybox", "cmd": ["sh"], "binds": ["vol:/v", "/srv:/srv"]}


@upstream("daemon/volumes.go", "L102-134: VolumesFrom copies, :ro drops RW")
def test_volumes_from_copies_the_mount_points_read_only_with_ro() -> None:
    r = legacy({"VolumesFrom": ["data:ro"]}, DATA)
    assert r.results[0].outcome.status == 204
    c = r.trace.world.containers.by_id[r.trace.world.containers.names["/web"]]
    assert sorted((m.destination, m.rw) for m in c.mount_points.values()) == [
        ("/srv", False), ("/v", False)]
    # a local volume's mount point carries its path (Source), so no GetWithRef, no reference
    assert c.id not in r.trace.world.volumes["vol"].refs


@upstream("daemon/volumes.go", "L108-111: GetContainer's error is returned as it is")
def test_volumes_from_a_missing_container_keeps_the_404() -> None:
    assert outcome({"VolumesFrom": ["ghost"]}) == (404, "No such container: ghost")


@upstream("daemon/volumes.go", "L150-162; daemon/volumes_unix.go L56-66")
def test_a_named_volume_is_created_and_mounted_with_an_event() -> None:
    r = legacy({"Binds": ["cache:/cache"]})
    assert r.results[0].outcome.status == 204
    assert "cache" in r.trace.world.volumes
    ev = [e for e in r.trace.world.events if e.type == "volume"]
    assert [(e.action, e.actor_id, e.attributes["destination"]) for e in ev] == [
        ("mount", "cache", "/cache")]
    order = [f"{e.type} {e.action}" for e in r.trace.world.events]
    assert order.index("network connect") < order.index("volume mount") < order.index(
        "container start")


@upstream("daemon/volumes.go", "L77-85: the deferred Dereference on error")
def test_an_error_dereferences_the_volumes_gathered() -> None:
    r = legacy({"VolumesFrom": ["data"], "Binds": ["/a:/x", "/b:/x"]}, DATA)
    assert r.results[0].outcome.message == "Duplicate mount point '/x'"
    c = r.trace.world.containers.by_id[r.trace.world.containers.names["/web"]]
    assert c.id not in r.trace.world.volumes["vol"].refs


# --- registerMountPoints: HostConfig.Mounts -------------------------------------------------

@upstream("daemon/volumes.go", "L170-174 + volume/validate.go L19-104 validateMountConfig: "
          "a Mounts error is a typed 400")
@pytest.mark.parametrize(("mount", "message"), [
    ({"Type": "bind", "Source": "/nope", "Target": "/x"},
     'invalid mount config for type "bind": bind source path does not exist'),
    ({"Type": "bind", "Source": "/etc/hosts/x", "Target": "/x"},
     'invalid mount config for type "bind": stat /etc/hosts/x: not a directory'),
    ({"Type": "bind", "Target": "/x"},
     'invalid mount config for type "bind": field Source must not be empty'),
    ({"Type": "bind", "Source": "rel", "Target": "/x"},
     "invalid mount config for type \"bind\": invalid mount path: 'rel' mount path must be "
     "absolute"),
    ({"Type": "bind", "Source": "/tmp", "Target": "/x", "BindOptions": {"Propagation": "up"}},
     'invalid mount config for type "bind": invalid propagation mode: up'),
    ({"Type": "bind", "Source": "/tmp", "Target": "/x", "VolumeOptions": {}},
     'invalid mount config for type "bind": field VolumeOptions must not be specified'),
    ({"Type": "volume", "Target": "/x", "ReadOnly": True},
     'invalid mount config for type "volume": must not set ReadOnly mode when using anonymous '
     'volumes'),
    ({"Type": "volume", "Target": "/x", "BindOptions": {}},
     'invalid mount config for type "volume": field BindOptions must not be specified'),
    ({"Type": "volume", "Target": "//"},
     "invalid mount config for type \"volume\": invalid specification: destination can't be "
     "'/'"),
    ({"Type": "volume", "Target": "x"},
     "invalid mount config for type \"volume\": invalid mount path: 'x' mount path must be "
     "absolute"),
    ({"Type": "volume"}, 'invalid mount config for type "volume": field Target must not be '
                         'empty'),
    ({"Type": "tmpfs", "Source": "a", "Target": "/x"},
     'invalid mount config for type "tmpfs": field Source must not be specified'),
    ({"Type": "", "Target": "/x"}, 'invalid mount config for type "": mount type unknown'),
])
def test_a_bad_mount_is_a_typed_400(mount: dict[str, Any], message: str) -> None:
    r = legacy({"HostConfig": {"Mounts": [mount]}}, host={"paths": {"/etc/hosts": "file"}})
    o = r.results[0].outcome
    assert (o.status, o.message) == (400, message)
    assert not o.events


@upstream("daemon/volumes.go", "L176-178: a Mounts destination a bind has is a plain 500; "
          "volume/volume.go L157-166: a -v bind source is created, a --mount one must exist")
def test_mounts_after_binds() -> None:
    o = legacy({"HostConfig": {"Binds": ["/a:/data"], "Mounts": [
        {"Type": "volume", "Target": "/data/"}]}}).results[0].outcome
    assert (o.status, o.message) == (500, "Duplicate mount point '/data/'")
    r = legacy({"HostConfig": {"Binds": ["/made:/b"], "Mounts": [
        {"Type": "volume", "Source": "logs", "Target": "/logs"},
        {"Type": "tmpfs", "Target": "/run"},
        {"Type": "bind", "Source": "/srv", "Target": "/srv", "ReadOnly": True}]}},
        host={"paths": {"/srv": "dir"}})
    o = r.results[0].outcome
    assert o.status == 204
    assert tuple(o.events) == ("network connect", "volume mount", "container start")
    w = r.trace.world
    c = w.containers.by_id[w.containers.names["/web"]]
    assert c.mount_points["/srv"].rw is False and c.mount_points["/run"].type == "tmpfs"
    assert w.files["/made"] == "<directory>"  # the -v source, made by Setup
    assert "logs" in w.volumes


@upstream("opts/mount.go", "L27-168 MountOpt.Set: what docker create --mount refuses")
@pytest.mark.parametrize(("value", "why"), [
    ("type=bind,source=/a", "target is required"),
    ("type=bind,target=/a,volume-nocopy", "cannot mix 'volume-\\*' options with mount type "
                                          "'bind'"),
    ("target=/a,bind-propagation=shared", "cannot mix 'bind-\\*' options with mount type "
                                          "'volume'"),
    ("target=/a,ro=maybe", "invalid value for ro: maybe"),
    ("type=tmpfs,target=/a,tmpfs-mode=9", "invalid value for tmpfs-mode: 9"),
    ("target=/a,colour=red", "unexpected key 'colour' in 'colour=red'"),
    ("nonsense", "invalid field 'nonsense' must be a key=value pair"),
    ("type=bind,target=/a", 'field Source must not be empty'),
])
def test_what_the_cli_refuses_of_a_mount(value: str, why: str) -> None:
    from simstart.scenario import ScenarioError, loads

    from .conftest import scenario

    with pytest.raises(ScenarioError, match=why):
        loads(scenario([dict(WEB, mounts=[value])], [{"container": "web"}]), "t.yaml")


@upstream("daemon/volumes_unix.go", "L35-41: setupMounts leaves the tmpfs mounts to "
          "TmpfsMounts; a create-time --mount volume is mounted with its event")
def test_create_time_mounts() -> None:
    r = run([dict(WEB, mounts=["type=volume,source=cache,target=/cache",
                               "type=tmpfs,target=/tmp,tmpfs-size=1m"])])
    o = r.results[0].outcome
    assert o.status == 204
    assert tuple(o.events) == ("network connect", "volume mount", "container start")
    binds = [s for s in r.trace if s.stage == "spec.bind"]
    assert len(binds) == 1 and "/cache" in binds[0].text
