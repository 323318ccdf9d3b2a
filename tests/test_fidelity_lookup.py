"""§2.C — GetContainer: full ID, then exact name (link aliases too), then a unique prefix."""

from __future__ import annotations

from simstart.engine.build import _drive, build_world
from simstart.moby.container import get_container
from simstart.scenario import loads

from .conftest import WEB, run, scenario, stages, upstream

ID_A = "ab12" + "0" * 59 + "1"
ID_B = "ab34" + "0" * 59 + "2"


@upstream("daemon/container.go", "L35-38")
def test_a_full_id_is_found_first() -> None:
    r = run([dict(WEB, id=ID_A)], [{"container": ID_A}])
    assert "lookup.by_id" in stages(r) and r.results[0].outcome.status == 204


@upstream("daemon/container.go", "L41-44")
def test_an_exact_name_with_or_without_the_slash() -> None:
    r = run([WEB], [{"container": "web"}])
    assert "lookup.by_name" in stages(r) and r.results[0].outcome.status == 204
    # a request never carries "/web" as a name (the router redirects /containers//web/start:
    # tests/test_fidelity_router.py); GetContainer itself takes it, as ContainerInspect does
    w = build_world(loads(scenario([WEB], [{"container": "web"}]), "t.yaml"))
    c, err = _drive(w, get_container, "/web")
    assert err is None and c.name == "/web"


@upstream("daemon/container.go", "L41-44 + daemon/daemon.go L422-433")
def test_a_name_beats_a_prefix_that_is_also_a_name() -> None:
    # a container *named* like the other's ID prefix is found by name
    r = run([dict(WEB, id=ID_A), {"name": "ab12", "image": "busybox", "cmd": ["top"]}],
            [{"container": "ab12"}])
    assert r.results[0].outcome.container == "/ab12"


@upstream("daemon/container.go", "L46-55")
def test_a_unique_prefix() -> None:
    r = run([dict(WEB, id=ID_A)], [{"container": "ab1"}])
    assert "lookup.by_prefix" in stages(r) and r.results[0].outcome.status == 204


@upstream("daemon/container.go", "L49-51")
def test_not_found_is_a_typed_404_with_the_input_as_given() -> None:
    o = run([WEB], [{"container": "Web "}]).results[0].outcome
    assert (o.status, o.message) == (404, "No such container: Web ")


@upstream("pkg/truncindex/truncindex.go", "L107-115; daemon/container.go L53")
def test_ambiguous_prefix_names_the_second_full_id_and_is_500() -> None:
    cs = [dict(WEB, id=ID_B), {"name": "one", "id": ID_A, "image": "busybox", "cmd": ["top"]}]
    o = run(cs, [{"container": "ab"}]).results[0].outcome
    assert (o.status, o.message) == (500, f"Multiple IDs found with provided prefix: {ID_B}")


@upstream("daemon/daemon.go", "L422-433")
def test_a_link_alias_names_the_linked_child() -> None:
    db = {"name": "db", "image": "redis", "cmd": ["redis-server"]}
    r = run([db, dict(WEB, links=["db:database"])], [{"container": "web/database"}])
    assert r.results[0].outcome.container == "/db"
