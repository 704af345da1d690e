"""Developer tasks: `nox -s tests lint typecheck docs demo bench`.

Each session builds its own virtualenv (with uv when it is installed, else virtualenv), installs
pmcore and every plugin under plugins/ from this checkout, and runs one job.
"""

from __future__ import annotations

from pathlib import Path

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["tests", "lint", "typecheck"]
nox.options.reuse_existing_virtualenvs = True

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml("pyproject.toml")
EXAMPLE = "examples/erp-infrastructure-upgrade.pmcore.json"


def plugin_dirs() -> list[Path]:
    """Every adapter plugin distribution: plugins/pmcore-<name>/ with a pyproject.toml."""
    return sorted(p.parent for p in ROOT.glob("plugins/pmcore-*/pyproject.toml"))


def install_pmcore(session: nox.Session, *groups: str) -> None:
    """pmcore with its extras, every plugin, and the named dependency groups."""
    requirements = [req for group in groups
                    for req in nox.project.dependency_groups(PYPROJECT, group)]
    plugins = [arg for path in plugin_dirs() for arg in ("-e", str(path))]
    session.install("-e", ".[cli,yaml]", *plugins, *requirements)


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suites of pmcore and of every plugin."""
    install_pmcore(session, "test")
    session.install("-e", f"{ROOT / 'plugins' / 'pmcore-msproject'}[mpp]")  # .mpp via Java
    suites = ["tests", *(str(p / "tests") for p in plugin_dirs() if (p / "tests").is_dir())]
    session.run("pytest", *suites, "-m", "not jvm", *session.posargs)
    # Tests that start a JVM (MPXJ) run in a process of their own: a JVM left running beside
    # the other tests, with pytest's faulthandler in front of its signal handlers, can crash
    # the process at random (JPype issue #842). Exit code 5: none were selected.
    session.run("pytest", *suites, "-m", "jvm", "-p", "no:faulthandler", *session.posargs,
                success_codes=[0, 5])


@nox.session
def lint(session: nox.Session) -> None:
    """ruff over the whole tree."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", ".", *session.posargs)


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict over src/ and every plugin's src/."""
    install_pmcore(session, "typecheck")
    sources = ["src", *(str(p / "src") for p in plugin_dirs())]
    session.run("mypy", "--strict", *sources, *session.posargs)


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation site strictly (warnings are errors) into site/."""
    install_pmcore(session, "docs")
    session.run("mkdocs", "build", "--strict", "--site-dir", "site", *session.posargs)


@nox.session
def demo(session: nox.Session) -> None:
    """The main job on the bundled example: validate it, show its WBS, schedule it, its
    earned value at a status date, and its schedule and cost risk (Monte Carlo)."""
    install_pmcore(session)
    session.run("pmcore", "validate", EXAMPLE)
    session.run("pmcore", "show", EXAMPLE)
    session.run("pmcore", "schedule", EXAMPLE)
    # costs and earned value: the example baselined and reported on at the end of March
    session.run("pmcore", "evm", "examples/erp-infrastructure-upgrade-status.pmcore.json",
                "--status-date", "2027-03-31", "--by", "account")
    # risk: 10,000 futures of the plan (three-point estimates, the register's risks): P50 and
    # P80 finish, the chance of closing by the end of August, the tasks and risks behind it
    session.run("pmcore", "simulate", EXAMPLE, "--iterations", "10000", "--seed", "2027",
                "--target-date", "2027-08-31")


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks, with their comparison peers measured in the same run."""
    install_pmcore(session, "bench")
    session.install("-e", f"{ROOT / 'plugins' / 'pmcore-msproject'}[mpp]")  # the MPXJ peer
    session.run("python", "bench/run.py", *session.posargs)
