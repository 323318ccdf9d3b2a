"""§2.D — verifyContainerSettings and verifyPlatformContainerSettings, re-run on every start."""

from __future__ import annotations

import pytest

from .conftest import WEB, run, upstream


@upstream("daemon/container.go", "L269-271")
def test_autoremove_with_a_restart_policy() -> None:
    o = run([dict(WEB, auto_remove=True, restart_policy="on-failure")]).results[0].outcome
    assert o.message == "can't create 'AutoRemove' container with restart policy"


@upstream("daemon/container.go", "L279-290")
def test_an_unparsable_host_port() -> None:
    o = run([dict(WEB, ports=["80a:80"])]).results[0].outcome
    assert (o.status, o.message) == (500, 'invalid port specification: "80a"')


@upstream("daemon/container.go", "L292-307")
@pytest.mark.parametrize(("policy", "msg"), [
    ("sometimes", "invalid restart policy 'sometimes'"),
])
def test_restart_policies(policy: str, msg: str) -> None:
    o = run([dict(WEB, restart_policy=policy)]).results[0].outcome
    assert (o.status, o.message) == (500, msg)


@upstream("daemon/daemon_unix.go", "L298-300")
def test_memory_below_4mb() -> None:
    o = run([dict(WEB, memory=1024)]).results[0].outcome
    assert (o.status, o.message) == (500, "Minimum memory limit allowed is 4MB")


@upstream("daemon/daemon_unix.go", "L369-374")
def test_nano_cpus_with_cpu_quota_is_409_by_keyword() -> None:
    o = run([dict(WEB, nano_cpus=10**9, cpu_quota=50000)]).results[0].outcome
    assert (o.status, o.message) == (409, "Conflicting options: Nano CPUs and CPU Quota cannot "
                                          "both be set")


@upstream("daemon/daemon_unix.go", "L565-571")
def test_an_empty_runtime_is_filled_in_and_an_unknown_one_refused() -> None:
    r = run([WEB])
    c = next(iter(r.trace.world.containers.by_id.values()))
    assert c.host_config.runtime == "runc"
    o = run([dict(WEB, runtime="kata")]).results[0].outcome
    assert (o.status, o.message) == (500, "Unknown runtime specified kata")
