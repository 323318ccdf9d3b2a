"""§2.G — what a container carries from create, read where createSpec and runc read it: the
user, the working directory, the environment (its PATH), the terminal and stdin."""

from __future__ import annotations

from typing import Any

from simstart.moby.oci_linux import get_exec_user

from .conftest import run, stages, upstream

BUSYBOX = {"name": "app", "image": "busybox", "cmd": ["top"]}


def _c(r: Any, name: str = "app") -> Any:
    w = r.trace.world
    return w.containers.by_id[w.containers.names["/" + name]]


def _bundle(r: Any, name: str = "app") -> str:
    return str(r.trace.world.files[f"/var/run/docker/libcontainerd/{_c(r, name).id}/config.json"])


def _outcome(**c: Any) -> Any:
    return run([dict(BUSYBOX, **c)]).results[0].outcome


PASSWD = ["root:x:0:0:root:/root:/bin/sh", " app:x:1000:1001::/home/app:/bin/sh ",
          "app:x:2000:2000::/:/bin/sh", "odd:x:abc"]
GROUP = ["root:x:0:", "app:x:1001:", "staff:x:50:app,other", "wheel:x:10:app"]


@upstream("runc libcontainer/user/user.go (vendored at v17.05.0-ce)", "L240-373 GetExecUser")
def test_get_exec_user_names_numbers_groups_and_ranges() -> None:
    assert get_exec_user("", PASSWD, GROUP) == ((0, 0, []), None)
    # a name: the first entry wins (the line is trimmed); its groups by membership
    assert get_exec_user("app", PASSWD, GROUP) == ((1000, 1001, [50, 10]), None)
    # a number needs no entry, and an explicit group replaces the gid (no sgids then)
    assert get_exec_user("4242", PASSWD, GROUP) == ((4242, 0, []), None)
    assert get_exec_user("app:staff", PASSWD, GROUP) == ((1000, 50, []), None)
    assert get_exec_user("app:77", PASSWD, GROUP) == ((1000, 77, []), None)
    # a field that is not a number reads as 0
    assert get_exec_user("odd", PASSWD, GROUP) == ((0, 0, []), None)
    _, err = get_exec_user("nginx", PASSWD, GROUP)
    assert err is not None and err.msg == ("unable to find user nginx: no matching entries in "
                                           "passwd file")
    _, err = get_exec_user("app:nogroup", PASSWD, GROUP)
    assert err is not None and err.msg == ("unable to find group nogroup: no matching entries "
                                           "in group file")
    _, err = get_exec_user("-1", PASSWD, GROUP)
    assert err is not None and err.msg == "uids and gids must be in range 0-2147483647"
    _, err = get_exec_user("0:2147483648", PASSWD, GROUP)
    assert err is not None and err.msg == "uids and gids must be in range 0-2147483647"


@upstream("daemon/oci_linux.go", "L176-238 setUser/getUser; L714-716 the wrap")
def test_an_unknown_user_fails_the_spec_after_networking() -> None:
    r = run([dict(BUSYBOX, user="nginx")])
    o = r.results[0].outcome
    assert (o.status, o.message) == (500, "linux spec user: unable to find user nginx: no "
                                          "matching entries in passwd file")
    assert tuple(o.events) == ("network connect", "network disconnect")
    assert o.state is not None and o.state["exit_code"] == 128
    st = stages(r)
    assert st.index("network.begin") < st.index("spec.user_lookup") < st.index("spec.user_failed")


@upstream("daemon/oci_linux.go", "L187-193 readUserFile: an /etc/passwd that cannot be opened "
          "reads as empty")
def test_an_image_without_passwd_knows_numbers_only() -> None:
    bare = {"name": "bare", "files": {"/bin": "dir", "/bin/top": "exec"}}
    ok = run([dict(BUSYBOX, image="bare", user="1000")], images=[bare]).results[0].outcome
    assert ok.status == 204
    bad = run([dict(BUSYBOX, image="bare", user="root")], images=[bare]).results[0].outcome
    assert bad.message == ("linux spec user: unable to find user root: no matching entries in "
                           "passwd file")
    # an empty user is uid 0, looked up all the same, and found without an entry
    assert run([dict(BUSYBOX, image="bare")], images=[bare]).results[0].outcome.status == 204


@upstream("daemon/oci_linux.go", "L181-183: the uid, gid and additional gids go into the spec")
def test_the_user_reaches_the_spec() -> None:
    r = run([dict(BUSYBOX, user="www-data")])
    assert r.results[0].outcome.status == 204
    assert _bundle(r).endswith(" user=33:33")
    assert " user=" not in _bundle(run([BUSYBOX]))


@upstream("daemon/commit.go", "L41-63 merge: the image's variables after the container's, "
          "unless named")
def test_create_merges_the_image_env_after_the_containers() -> None:
    c = _c(run([dict(BUSYBOX, env=["A=1", "PATH=/opt"])]))
    assert c.config.env == ["A=1", "PATH=/opt"]
    c = _c(run([dict(BUSYBOX, env=["A=1"])]))
    assert c.config.env == ["A=1", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:"
                                   "/sbin:/bin"]
    images = [{"name": "opt", "files": {"/opt/bin/top": "exec"}, "path_env": "/opt/bin"}]
    c = _c(run([dict(BUSYBOX, image="opt")], images=images))
    assert c.config.env == ["PATH=/opt/bin"]


@upstream("container/container_unix.go", "L56-71 CreateDaemonEnvironment + container/env.go "
          "L9-43 ReplaceOrAppendEnvValues")
def test_the_spec_environment() -> None:
    from simstart.moby.oci_linux import create_daemon_environment

    c = _c(run([dict(BUSYBOX, hostname="h", env=["HOSTNAME=other", "B=2", "B=3", "PATH"])]))
    assert create_daemon_environment(c, True, ["DB_NAME=/app/db"]) == [
        "HOSTNAME=other", "TERM=xterm", "DB_NAME=/app/db", "B=2", "B=3"]
    c = _c(run([BUSYBOX]))
    env = create_daemon_environment(c, False, [])
    assert env[0].startswith("PATH=") and env[1] == f"HOSTNAME={c.id[:12]}" and len(env) == 2


@upstream("runc@9c2d8d1 libcontainer/standard_init_linux.go", "L154: exec.LookPath in the PATH "
          "runc init was given (init_linux.go L96-107 populateProcessEnvironment)")
def test_the_command_is_looked_up_in_the_containers_path() -> None:
    not_found = ('oci runtime error: container_linux.go:247: starting container process caused '
                 '"exec: \\"top\\": executable file not found in $PATH"')
    o = _outcome(env=["PATH=/usr/local/bin"])
    assert (o.status, o.message, o.state["exit_code"]) == (404, not_found, 127)
    assert _outcome(env=["PATH"]).message == not_found
    assert _outcome(env=["PATH=/nope:/bin"]).status == 204
    # an empty entry is the working directory
    assert _outcome(env=["PATH=:/nope"], working_dir="/bin").status == 204


@upstream("container/container.go", "L218-240 SetupWorkingDirectory + pkg/idtools/"
          "idtools_unix.go L23-37 (an existing path is left alone, even a file)")
def test_the_working_directory_is_made_in_the_rw_layer() -> None:
    r = run([dict(BUSYBOX, working_dir="/srv//app/")])
    c = _c(r)
    assert r.results[0].outcome.status == 204
    assert c.config.working_dir == "/srv/app"  # filepath.Clean, written back
    upper = f"/var/lib/docker/overlay2/{c.rw_layer}/diff"
    assert r.trace.world.files[f"{upper}/srv"] == "<directory>"
    assert r.trace.world.files[f"{upper}/srv/app"] == "<directory>"
    assert _bundle(r).endswith(" cwd=/srv/app")
    assert "spec.workdir" not in stages(run([BUSYBOX]))


@upstream("container/container.go", "L230-236: a file above the working directory, "
          "os.MkdirAll's *PathError returned as it is")
def test_a_file_above_the_working_directory() -> None:
    r = run([dict(BUSYBOX, working_dir="/etc/passwd/x/y")])
    o, c = r.results[0].outcome, _c(r)
    assert o.status == 500
    assert o.message == (f"mkdir /var/lib/docker/overlay2/{c.rw_layer}/merged/etc/passwd: not a "
                         "directory")
    assert o.state is not None and o.state["exit_code"] == 128
    assert tuple(o.events) == ("network connect", "network disconnect")


@upstream("runc@9c2d8d1 libcontainer/init_linux.go", "L146-149 finalizeNamespace's chdir, "
          "before the LookPath of standard_init_linux.go L154")
def test_a_working_directory_that_is_a_file_fails_in_runc() -> None:
    o = _outcome(working_dir="/bin/cat", cmd=["nope"])
    assert o.message == (
        'oci runtime error: container_linux.go:247: starting container process caused "chdir '
        'to cwd (\\"/bin/cat\\") set in config.json failed: not a directory": Are you trying '
        'to mount a directory onto a file (or vice-versa)? Check if the specified host path '
        'exists and is the expected type')
    assert (o.status, o.state["exit_code"]) == (500, 127)


@upstream("container/container.go", "L942-948 InitializeStdio: stdin stays open with -i or -t")
def test_stdin_stays_open_with_a_pipe_or_a_terminal() -> None:
    assert "runtime.stdin_open" not in stages(run([BUSYBOX]))
    r = run([dict(BUSYBOX, open_stdin=True)])
    (step,) = [s for s in r.trace if s.stage == "runtime.stdin_open"]
    assert "OpenStdin" in step.text
    assert "TERM=xterm" in next(s for s in run([dict(BUSYBOX, tty=True)]).trace
                                if s.stage == "runtime.stdin_open").text


@upstream("daemon/oci_linux.go", "L279 + daemon/container_operations.go L881: NetworkDisabled "
          "skips the network")
def test_a_disabled_network_has_no_endpoint() -> None:
    o = _outcome(network_disabled=True)
    assert (o.status, tuple(o.events)) == (204, ("container start",))
    assert o.resources["endpoints"] == 0


@upstream("daemon/daemon_unix.go", "L424-436: cpuset against the host's CPUs and memory nodes, "
          "at every start")
def test_a_cpuset_is_rechecked_against_the_host() -> None:
    o = run([dict(BUSYBOX, cpuset_cpus="0-3")], daemon={"cpus": 2}).results[0].outcome
    assert (o.status, o.message) == (500, "Requested CPUs are not available - requested 0-3, "
                                          "available: 0-1")
    assert tuple(o.events) == ()
    assert run([dict(BUSYBOX, cpuset_cpus="0-3")], daemon={"cpus": 4}).results[0].outcome.status \
        == 204
    o = run([dict(BUSYBOX, cpuset_mems="0,2")]).results[0].outcome
    assert o.message == "Requested memory nodes are not available - requested 0,2, available: 0"


@upstream("daemon/logger/jsonfilelog/jsonfilelog.go", "L43-61 New: max-size and max-file "
          "parsed when logging starts (go-units size.go L91-110; Go 1.7 strconv.Atoi)")
def test_json_file_options_are_parsed_only_when_logging_starts() -> None:
    from simstart.moby.libcontainerd import json_file_options

    assert json_file_options({"max-size": "10m", "max-file": "3"}) is None
    assert json_file_options({"max-size": "1.5 KB"}) is None
    assert json_file_options({"max-size": "10x"}) == "invalid size: '10x'"
    assert json_file_options({"max-size": "1.2.3m"}) == ('strconv.ParseFloat: parsing "1.2.3": '
                                                         'invalid syntax')
    assert json_file_options({"max-file": "0"}) == "max-file cannot be less than 1"
    assert json_file_options({"max-file": "two"}) == ('strconv.ParseInt: parsing "two": invalid '
                                                      'syntax')
    o = _outcome(log_opts={"max-file": "-1"})
    assert (o.status, o.message) == (500, "failed to initialize logging driver: max-file cannot "
                                          "be less than 1")
    assert tuple(o.events) == ("network connect", "network disconnect")
    assert o.resources["containerd"] == 0


@upstream("libnetwork sandbox_dns_unix.go (vendored)", "L210-229 setupDNS with DNS options; "
          "resolvconf/resolvconf.go L226-254 Build")
def test_dns_options_build_the_resolv_conf() -> None:
    def resolv(**c: Any) -> str:
        r = run([dict(BUSYBOX, **c)])
        return str(r.trace.world.files[f"{_c(r).croot()}/resolv.conf"])

    assert resolv() == "nameserver 10.0.2.3\nsearch example.lan\n"  # the host's, filtered
    assert resolv(dns=["8.8.8.8", "1.1.1.1"]) == ("search example.lan\nnameserver 8.8.8.8\n"
                                                  "nameserver 1.1.1.1\n")
    assert resolv(dns_search=["."]) == "nameserver 10.0.2.3\n"  # "." means none
    assert resolv(dns_options=["ndots:2", "timeout:1"]) == (
        "search example.lan\nnameserver 10.0.2.3\noptions ndots:2 timeout:1\n")


@upstream("daemon/start.go", "L113-118 (the error written over, an old exit code kept), "
          "L153-155 ResetRestartManager; container/state.go L252-257 SetRunning")
def test_state_error_and_restart_count_from_an_earlier_run() -> None:
    r = run([dict(BUSYBOX, state="exited", exit_code=3, error="old", restart_count=4)])
    c = _c(r)
    assert (c.state.error, c.restart_count, c.state.exit_code) == ("", 0, 0)
    r = run([dict(BUSYBOX, state="exited", exit_code=3, error="old", restart_count=4,
                  user="ghost")])
    c = _c(r)
    assert c.state.error == ("linux spec user: unable to find user ghost: no matching entries "
                             "in passwd file")
    assert (c.state.exit_code, c.restart_count) == (3, 4)  # failed before the reset at L155


@upstream("layer/mounted_layer.go + daemon/graphdriver/overlay2/overlay.go L474-559",
          "the RW layer is mounted by its mount ID, not the container ID")
def test_the_mount_id_names_the_layer_directories() -> None:
    mid = "ab" * 32
    r = run([dict(BUSYBOX, mount_id=mid)])
    c = _c(r)
    assert c.rw_layer == mid and c.base_fs == f"/var/lib/docker/overlay2/{mid}/merged"
    assert f"/var/lib/docker/overlay2/{mid}/merged" in r.trace.world.mounts.table


@upstream("daemon/volumes.go", "L152-159: a named volume that exists is found "
          "(VolumeStore.CreateWithRef), not created")
def test_an_existing_volume_is_found() -> None:
    r = run([dict(BUSYBOX, name="app")], [{"container": "app", "api_version": "1.23",
                                           "body": {"Binds": ["data:/data"]}}],
            volumes=[{"name": "data"}])
    assert r.results[0].outcome.status == 204
    st = stages(r)
    assert "legacy.volume_found" in st and "legacy.volume_create" not in st
    assert r.trace.world.volumes["data"].refs == (_c(r).id,)
    assert tuple(r.results[0].outcome.events) == ("network connect", "volume mount",
                                                  "container start")


@upstream("daemon/commit.go", "L28-30 merge: the image's USER when docker create had none")
def test_the_image_user_is_the_default() -> None:
    images = [{"name": "svc", "files": {"/bin/top": "exec"}, "user": "svc",
               "passwd": ["svc:x:500:500::/:/bin/sh"]}]
    r = run([dict(BUSYBOX, image="svc")], images=images)
    assert _c(r).config.user == "svc" and _bundle(r).endswith(" user=500:500")
    r = run([dict(BUSYBOX, image="svc", user="0")], images=images)
    assert _c(r).config.user == "0" and " user=" not in _bundle(r)
