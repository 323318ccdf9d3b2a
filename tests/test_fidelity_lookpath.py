"""runc's standard_init_linux.go L154 runs Go 1.7.5's exec.LookPath (os/exec/lp_unix.go)."""

from __future__ import annotations

from simstart.moby.runc import look_path, stat

from .conftest import run, upstream

FILES = {"/bin": "dir", "/bin/sh": "exec", "/etc": "dir", "/etc/passwd": "file",
         "/usr/local/bin/app": "exec"}
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def msg(name: str, path_env: str = PATH) -> str | None:
    err = look_path(FILES, path_env, name)
    return None if err is None else err.msg


@upstream("go1.7.5 src/os/exec/lp_unix.go", "LookPath: a name with a slash is tried directly "
          "and the os.Stat *PathError kept")
def test_a_name_with_a_slash_keeps_the_stat_error() -> None:
    assert msg("/bin/foo") == 'exec: "/bin/foo": stat /bin/foo: no such file or directory'
    assert msg("/bin/sh/x") == 'exec: "/bin/sh/x": stat /bin/sh/x: not a directory'
    assert msg("./foo") == 'exec: "./foo": stat ./foo: no such file or directory'
    assert msg("/bin/sh") is None


@upstream("go1.7.5 src/os/exec/lp_unix.go", "findExecutable: a directory or a file without "
          "an x bit is os.ErrPermission")
def test_a_directory_or_a_plain_file_is_permission_denied() -> None:
    assert msg("/etc") == 'exec: "/etc": permission denied'
    assert msg("/etc/passwd") == 'exec: "/etc/passwd": permission denied'


@upstream("go1.7.5 src/os/exec/lp_unix.go", "LookPath: a bare name searches PATH; an empty "
          "PATH is no directory at all; ErrNotFound")
def test_a_bare_name_searches_the_path() -> None:
    assert msg("app") is None
    assert msg("app", "/bin") == 'exec: "app": executable file not found in $PATH'
    assert msg("sh", "") == 'exec: "sh": executable file not found in $PATH'
    # a directory on the PATH that is the name itself is skipped, not an error
    assert msg("bin", "/") == 'exec: "bin": executable file not found in $PATH'


@upstream("go1.7.5 src/os/stat.go", "Stat follows the path; a parent that is a file is ENOTDIR")
def test_stat() -> None:
    assert stat(FILES, "/usr/local") == ("dir", None)
    assert stat(FILES, "/") == ("dir", None)
    assert stat(FILES, "/etc/passwd/x") == (None, "stat /etc/passwd/x: not a directory")


@upstream("daemon/start.go", "L168-190: the exit code follows from the LookPath text")
def test_exit_codes_follow_from_the_real_text() -> None:
    r = run([{"name": "a", "cmd": ["/bin/foo"]}, {"name": "b", "cmd": ["/bin/sh/x"]},
             {"name": "c", "cmd": ["/etc"]}],
            [{"container": "a"}, {"container": "b"}, {"container": "c"}])
    got = [(x.outcome.status, (x.outcome.state or {}).get("exit_code")) for x in r.results]
    assert got == [(404, 127), (500, 127), (500, 126)]
    assert r.results[1].outcome.message.endswith(
        "Are you trying to mount a directory onto a file (or vice-versa)? Check if the "
        "specified host path exists and is the expected type")
