"""§2.G — the checks createSpec makes of what a container carries: docker-init, the PID
namespace target, --device nodes, the host's /dev/shm; each with its real text and status."""

from __future__ import annotations

from typing import Any

import pytest

from simstart.scenario import ScenarioError, loads

from .conftest import run, scenario, stages, upstream

BOX = {"name": "app", "image": "busybox", "cmd": ["top"]}
DB = {"name": "db", "image": "redis", "cmd": ["redis-server"], "state": "running"}


def _c(r: Any, name: str = "app") -> Any:
    w = r.trace.world
    return w.containers.by_id[w.containers.names["/" + name]]


def _bundle(r: Any, name: str = "app") -> str:
    return str(r.trace.world.files[f"/var/run/docker/libcontainerd/{_c(r, name).id}/config.json"])


def _one(containers: list[dict[str, Any]], **top: Any) -> Any:
    return run(containers, [{"container": "app"}], **top)


@upstream("daemon/oci_linux.go", "L622-642: /dev/init -- the command, docker-init bind-mounted")
def test_init_runs_the_command_under_docker_init() -> None:
    r = _one([dict(BOX, init=True)])
    assert r.results[0].outcome.status == 204
    assert _bundle(r).startswith("args=['/dev/init', '--', 'top'] ")
    assert " mounts=11" in _bundle(r)  # the read-only bind of /dev/init
    # unset follows dockerd --init; false opts out; a shared PID namespace has an init already
    assert "/dev/init" in _bundle(_one([BOX], daemon={"init": True}))
    assert "/dev/init" not in _bundle(_one([dict(BOX, init=False)], daemon={"init": True}))
    assert "/dev/init" not in _bundle(_one([dict(BOX, init=True, pid_mode="host")]))
    assert "/dev/init" not in _bundle(_one([BOX]))


@upstream("daemon/oci_linux.go", "L627-631: exec.LookPath(\"docker-init\") in dockerd's PATH, "
          "its error returned raw")
def test_docker_init_not_found_is_a_raw_404() -> None:
    r = _one([dict(BOX, init=True)], host={"paths": {"/usr/bin/docker-init": "absent"}})
    o = r.results[0].outcome
    assert (o.status, o.message) == (404, 'exec: "docker-init": executable file not found in '
                                          '$PATH')
    assert o.state is not None and o.state["exit_code"] == 128
    assert tuple(o.events) == ("network connect", "network disconnect")
    # found elsewhere in dockerd's PATH
    found = _one([dict(BOX, init=True)], host={"paths": {"/usr/bin/docker-init": "absent",
                                                         "/sbin/docker-init": "exec"}})
    assert found.results[0].outcome.status == 204
    assert any(s.stage == "spec.init" and "/sbin/docker-init" in s.text for s in found.trace)
    # a file that is not executable is no docker-init
    plain = _one([dict(BOX, init=True)], host={"paths": {"/usr/bin/docker-init": "file"}})
    assert plain.results[0].outcome.status == 404


@upstream("daemon/oci_linux.go", "L633-634: --init-path is used as it is, without a lookup")
def test_init_path_is_not_looked_up() -> None:
    r = _one([dict(BOX, init=True)], daemon={"init_path": "/opt/tini"},
             host={"paths": {"/usr/bin/docker-init": "absent"}})
    assert r.results[0].outcome.status == 204
    assert any(s.stage == "spec.init" and "/opt/tini" in s.text for s in r.trace)


@upstream("runc@9c2d8d1 libcontainer/standard_init_linux.go", "L154: with --init, args[0] is "
          "/dev/init, so a missing command passes the start")
def test_with_init_a_missing_command_passes_the_start() -> None:
    assert _one([dict(BOX, cmd=["nope"], init=True)]).results[0].outcome.status == 204
    assert _one([dict(BOX, cmd=["nope"])]).results[0].outcome.status == 404


@upstream("daemon/oci_linux.go", "L321-339: the pid namespace joined or removed")
def test_the_pid_namespace() -> None:
    r = run([DB, dict(BOX, pid_mode="container:db")], [{"container": "app"}])
    assert _bundle(r).endswith(f" pidns=/proc/{_c(r, 'db').state.pid}/ns/pid")
    assert _bundle(_one([dict(BOX, pid_mode="host")])).endswith(" pidns=host")
    assert " pidns=" not in _bundle(_one([BOX]))


@upstream("daemon/container_operations_unix.go", "L68-75 getPidContainer + L77-89 "
          "checkContainer; wrapped at daemon/oci_linux.go L717-719")
def test_a_pid_target_not_running_or_restarting() -> None:
    stopped = dict(DB, state="exited")
    r = run([stopped, dict(BOX, pid_mode="container:db")], [{"container": "app"}])
    o = r.results[0].outcome
    assert (o.status, o.message) == (500, f"linux spec namespaces: container {_c(r, 'db').id} "
                                          "is not running")
    assert tuple(o.events) == ("network connect", "network disconnect")
    r = run([dict(DB, state="restarting"), dict(BOX, pid_mode="container:db")],
            [{"container": "app"}])
    o = r.results[0].outcome
    assert o.status == 500  # the typed 409 lost in the wrap
    assert o.message == (f"linux spec namespaces: Container {_c(r, 'db').id} is restarting, "
                         "wait until the container is running")


@upstream("daemon/container_operations_unix.go", "L70-72: the shadowed container, nil when the "
          "lookup fails: a panic")
def test_a_removed_pid_target_panics() -> None:
    r = run([dict(BOX, pid_mode="container:gone"), {"name": "gone", "state": "removed"}],
            [{"container": "app"}])
    o = r.results[0].outcome
    assert o.status == 0
    assert "spec.pid_panic" in stages(r)
    assert o.state is not None and o.state["error"] == ""  # no deferred cleanup
    assert o.resources["sandboxes"] == 1


@upstream("daemon/oci_linux.go", "L107-113 setDevices + oci/devices_linux.go L39-86 "
          "DevicesFromPath; wrapped at L708-710")
def test_devices_are_lstated_when_the_spec_is_made() -> None:
    def outcome(dev: str, **c: Any) -> Any:
        return _one([dict(BOX, devices=[dev], **c)], host={"paths": {
            "/dev/snd": "dir", "/dev/snd/timer": "char", "/dev/empty": "dir",
            "/dev/sda1": "block"}}).results[0].outcome

    prefix = "linux runtime spec devices: error gathering device information while adding " \
             "custom device "
    o = outcome("/dev/nope:/dev/x:rw")
    assert (o.status, o.message) == (404, prefix + '"/dev/nope": lstat /dev/nope: no such file '
                                                   'or directory')
    assert o.state is not None and o.state["exit_code"] == 128
    assert tuple(o.events) == ("network connect", "network disconnect")
    o = outcome("/etc/hosts")
    assert (o.status, o.message) == (500, prefix + '"/etc/hosts": not a device node')
    assert outcome("/dev/empty").message == prefix + '"/dev/empty": not a device node'
    assert outcome("/etc/hosts/x").message == prefix + ('"/etc/hosts/x": lstat /etc/hosts/x: '
                                                       'not a directory')
    assert outcome("/dev/snd").status == 204
    assert outcome("/dev/sda1:/dev/xvda").status == 204
    # privileged: every host device, --device ignored
    assert outcome("/dev/nope", privileged=True).status == 204


@upstream("daemon/oci_linux.go", "L96-98, L107-112: the device nodes found, in a directory "
          "renamed under the container path")
def test_a_directory_of_devices_is_walked() -> None:
    r = _one([dict(BOX, devices=["/dev/snd:/dev/audio"])],
             host={"paths": {"/dev/snd/timer": "char", "/dev/snd/pcm": "char",
                             "/dev/snd/readme": "file"}})
    assert _bundle(r).endswith(" devices=/dev/audio/pcm,/dev/audio/timer")


@upstream("daemon/container_operations_unix.go", "L105-109: --ipc=host needs the host's "
          "/dev/shm")
def test_ipc_host_needs_dev_shm() -> None:
    o = _one([dict(BOX, ipc_mode="host")], host={"paths": {"/dev/shm": "absent"}}
             ).results[0].outcome
    assert (o.status, o.message) == (500, "/dev/shm is not mounted, but must be for --ipc=host")
    assert _one([dict(BOX, ipc_mode="host")]).results[0].outcome.status == 204


@upstream("cli/command/container/opts.go", "L717-749 parseDevice, L786-828 validatePath; "
          "api/types/container/host_config.go L198-210 PidMode.Valid; opts/opts.go "
          "ValidateIPAddress, ValidateDNSSearch; jsonfilelog.go L122-135 ValidateLogOpt")
@pytest.mark.parametrize(("key", "value", "why"), [
    ("devices", ["/dev/a:/dev/b:x"], "bad mode specified: x"),
    ("devices", ["dev/a"], "dev/a is not an absolute path"),
    ("devices", ["/dev/a:b"], "b is not an absolute path"),
    ("devices", ["/a:/b:rw:x"], "bad format for path: /a:/b:rw:x"),
    ("pid_mode", "container:", "is not a PID mode"),
    ("pid_mode", "container:a:b", "is not a PID mode"),
    ("pid_mode", "private", "is not a PID mode"),
    ("dns", ["8.8.8"], "8.8.8 is not an ip address"),
    ("dns_search", ["-corp.example"], "-corp.example is not a valid domain"),
    ("log_opts", {"maxsize": "1m"}, "unknown log opt 'maxsize' for json-file log driver "
     r"\(docker create refuses it\) \(did you mean `max-size`\?\)"),
])
def test_what_docker_create_refuses_is_refused(key: str, value: Any, why: str) -> None:
    with pytest.raises(ScenarioError, match=why):
        loads(scenario([dict(BOX, **{key: value})], [{"container": "app"}]), "t.yaml")


@upstream("daemon/container_operations_unix.go", "L26-57 setupLinkedContainers, called by "
          "populateCommonSpec (daemon/oci_linux.go L601-604) after the network is set up")
def test_a_link_to_a_stopped_container_fails_after_networking() -> None:
    r = run([dict(DB, state="exited"), dict(BOX, links=["db:database"])], [{"container": "app"}])
    o = r.results[0].outcome
    assert (o.status, o.message) == (500, "Cannot link to a non running container: /db AS "
                                          "/app/database")
    assert tuple(o.events) == ("network connect", "network disconnect")
    st = stages(r)
    assert st.index("network.begin") < st.index("spec.link") < st.index("cleanup.begin")
    # the target on another network
    nets = [{"name": "backend"}]
    r = run([dict(DB, network_mode="backend"), dict(BOX, links=["db:db"])],
            [{"container": "app"}], networks=nets)
    assert r.results[0].outcome.message == (f"container {_c(r, 'db').id} not attached to "
                                            "default bridge network")
    # a container that is not on the default bridge does not look at its links
    r = run([dict(DB, state="exited"), dict(BOX, links=["db:db"], network_mode="backend")],
            [{"container": "app"}], networks=nets)
    assert r.results[0].outcome.status == 204
    assert any(s.stage == "spec.links" for s in r.trace)


@upstream("daemon/links/links.go", "L48-136 Link.ToEnv and nextContiguous")
def test_the_link_environment() -> None:
    from simstart.moby.container_operations import link_to_env

    env = link_to_env("/web/my-db", "172.17.0.2", ["V=1", "PATH=/x", "HOME=/r", "BARE"],
                      ["5432/tcp"])
    assert env == ["MY_DB_PORT=tcp://172.17.0.2:5432", "MY_DB_PORT_5432_TCP=tcp://172.17.0.2:5432",
                   "MY_DB_PORT_5432_TCP_ADDR=172.17.0.2", "MY_DB_PORT_5432_TCP_PORT=5432",
                   "MY_DB_PORT_5432_TCP_PROTO=tcp", "MY_DB_NAME=/web/my-db", "MY_DB_ENV_V=1"]
    ranged = link_to_env("/a/b", "10.0.0.2", [], ["81/tcp", "80/tcp", "80/udp", "9000/tcp"])
    assert ranged[0] == "B_PORT=tcp://10.0.0.2:80"  # the lowest, tcp before udp
    # 80/tcp, 80/udp, 81/tcp count as contiguous (the udp one too): a range 80-81
    assert "B_PORT_80_TCP_START=tcp://10.0.0.2:80" in ranged
    assert "B_PORT_80_TCP_END=tcp://10.0.0.2:81" in ranged
    assert link_to_env("/a/b", "10.0.0.2", [], []) == ["B_NAME=/a/b"]


@upstream("daemon/container_operations_unix.go", "L45-53: a running link target's variables "
          "reach the spec (container/container_unix.go L65 appends them)")
def test_a_working_link_adds_its_variables() -> None:
    r = run([dict(DB, env=["REDIS_VERSION=3.2.8"], ports=["6379:6379"]),
             dict(BOX, links=["db:cache"])], [{"container": "app"}])
    assert r.results[0].outcome.status == 204
    (step,) = [s for s in r.trace if s.stage == "spec.link"]
    assert "gives 7 variable(s)" in step.text  # _PORT, four _PORT_6379_TCP…, _NAME, _ENV_…
