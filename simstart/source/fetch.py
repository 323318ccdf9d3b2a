"""``simstart sources get``: the upstream files the catalog needs, fetched with git.

For each of the three repositories, a shallow fetch of the pinned commit (depth 1, without
blobs where the server allows it) and a sparse checkout of exactly the files the catalog's
entries live in, into the user's cache directory (``$XDG_CACHE_HOME/simstart/sources`` or
``~/.cache/simstart/sources``): ``moby/``, ``containerd/`` and ``runc/`` there. ``sources
verify`` and the TUI's ``u`` look there when no checkout option is given.

The remote is ``https://github.com/<owner>/<name>.git``; ``SIMSTART_SOURCES_REMOTE`` replaces
it with a template where ``{repo}`` stands for ``owner/name``, ``{owner}`` and ``{name}`` for
its parts (the tests point it at local repositories; a mirror laid out as ``owner+name`` is
``file:///srv/{owner}+{name}``). Nothing is read from the network but through git.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .catalog import REPO_DIRS

# owner/name → (the revision as the project names it, the full commit it is)
PINS: dict[str, tuple[str, str]] = {
    "moby/moby": ("v17.05.0-ce", "89658bed64c2a8fe05a978e5b87dbec409d57a0f"),
    "containerd/containerd": ("9048e5e", "9048e5e50717ea4497b757314bad98ea3763c145"),
    "docker/runc": ("9c2d8d1", "9c2d8d184e5da67c95d601382adf14862e4f2228"),
}
REMOTE_ENV = "SIMSTART_SOURCES_REMOTE"
DEFAULT_REMOTE = "https://github.com/{repo}.git"


class GetError(Exception):
    """Why the files could not be fetched, in one line (exit status 2)."""


def cache_dir(env: Mapping[str, str] | None = None) -> Path:
    """Where ``sources get`` puts the checkouts by default."""
    env = os.environ if env is None else env
    xdg = env.get("XDG_CACHE_HOME", "")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / "simstart" / "sources"


def checkout_dir(base: Path, repo: str) -> Path:
    """The checkout of ``repo`` (``owner/name``) under ``base``."""
    return base / REPO_DIRS[repo]


def cached_root(repo: str, env: Mapping[str, str] | None = None) -> Path | None:
    """The checkout ``sources get`` made of ``repo`` in the cache directory, or None (none
    there, or one a failed fetch left without the pinned commit checked out)."""
    d = checkout_dir(cache_dir(env), repo)
    try:
        head = (d / ".git" / "HEAD").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return d if head == PINS[repo][1] else None  # sources get leaves HEAD detached there


def remote_url(repo: str, env: Mapping[str, str] | None = None) -> str:
    """The URL ``repo`` is fetched from."""
    env = os.environ if env is None else env
    owner, _, name = repo.partition("/")
    template = env.get(REMOTE_ENV) or DEFAULT_REMOTE
    return template.replace("{repo}", repo).replace("{owner}", owner).replace("{name}", name)


def needed_files() -> dict[str, list[str]]:
    """For each repository, the files the catalog's entries live in, sorted."""
    from . import catalog

    out: dict[str, set[str]] = {repo: set() for repo in PINS}
    for e in catalog.entries():
        out.setdefault(e.repo_name, set()).add(e.file)
    return {repo: sorted(files) for repo, files in out.items()}


@dataclass(frozen=True)
class Got:
    """One repository fetched: where, at which revision, how many files, whether it was
    already there."""

    repo: str
    rev: str
    path: Path
    files: int
    fetched: bool


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0", LC_ALL="C")
    return subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, text=True,
                          env=env, check=False)


def _last_line(p: subprocess.CompletedProcess[str]) -> str:
    lines = [ln.strip() for ln in (p.stderr or p.stdout).splitlines() if ln.strip()]
    return lines[-1] if lines else f"git exited with status {p.returncode}"


def get_repo(base: Path, repo: str, files: list[str], env: Mapping[str, str] | None = None
             ) -> Got:
    """Fetch ``files`` of ``repo`` at its pinned commit into ``base``; ``GetError`` if git
    cannot (offline, a wrong remote) or the directory is someone else's."""
    rev, sha = PINS[repo]
    url = remote_url(repo, env)
    target = checkout_dir(base, repo)
    if target.exists() and not (target / ".git").is_dir():
        raise GetError(f"{target} exists and is not a checkout made by sources get: remove it "
                       "or choose another --dir")
    target.mkdir(parents=True, exist_ok=True)
    if not (target / ".git").is_dir():
        p = _git(target, "init", "-q")
        if p.returncode != 0:
            raise GetError(f"git init {target}: {_last_line(p)}")
    for key, value in (("remote.origin.url", url), ("remote.origin.promisor", "true"),
                       ("remote.origin.partialclonefilter", "blob:none"),
                       ("core.sparseCheckout", "true"), ("advice.detachedHead", "false")):
        _git(target, "config", key, value)
    info = target / ".git" / "info"
    info.mkdir(exist_ok=True)
    (info / "sparse-checkout").write_text("".join(f"/{f}\n" for f in files), encoding="utf-8")
    head = _git(target, "rev-parse", "-q", "--verify", "HEAD^{commit}").stdout.strip()
    fetched = head != sha
    if fetched:
        p = _git(target, "fetch", "-q", "--depth", "1", "--filter=blob:none", "origin", sha)
        if p.returncode != 0:
            raise GetError(f"cannot fetch {repo} {rev} from {url} (offline?): {_last_line(p)}")
    p = _git(target, "checkout", "-q", "--force", sha)
    if p.returncode == 0:
        p = _git(target, "read-tree", "-mu", "HEAD")  # the sparse patterns, applied again
    if p.returncode != 0:
        raise GetError(f"cannot check out {repo} {rev} in {target}: {_last_line(p)}")
    missing = [f for f in files if not (target / f).is_file()]
    if missing:
        raise GetError(f"{repo} {rev} has no {missing[0]} (the catalog names it)")
    return Got(repo, rev, target, len(files), fetched)


def get(base: Path, env: Mapping[str, str] | None = None) -> list[Got]:
    """Fetch every repository's files into ``base``; ``GetError`` on the first failure."""
    if shutil.which("git") is None:
        raise GetError("git is not installed: it is what fetches the upstream files")
    return [get_repo(base, repo, files, env) for repo, files in needed_files().items()]
