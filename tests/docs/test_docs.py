"""Every code example in docs/ runs, and the reference pages cover what they claim to cover.

How a page is run (``test_page_examples``):

* The fenced blocks of one Markdown file run top to bottom in one namespace, in a fresh
  temporary working directory, the way a reader would paste them into one notebook.
* ```` ```python ```` blocks are executed. Where a page shows a result it asserts it, so a
  page that no longer tells the truth fails here. Tracebacks point at the Markdown line.
* Where a page shows an error (``try: ... except pmcore.CycleError as error: ...``), the
  ``except`` clause must run: a page whose example no longer raises fails, although nothing in
  the block says ``else: raise AssertionError``.
* A block of any language with a file title, ```` ```python title="src/pkg/mod.py" ```` or
  ```` ```toml title="pyproject.toml" ````, is not executed: it is written to that path in the
  working directory, so later blocks can import or read it (the plugin guide builds its example
  package this way). Later blocks with the same title add to the file, so a module can be shown
  in parts with text between them. Written files named ``test_*.py`` are then run with pytest,
  in a separate process, as the package's own test suite would be.
* ```` ```{ .python .notest } ```` marks a block that must not run (it would need a network,
  a real Microsoft Project file, ...). It is still compiled. Use it sparingly.
* ```` ```console ```` blocks are not run: they hold real output pasted from a terminal.

Installed plugins are kept out (``PMCORE_DISABLE_PLUGIN_AUTOLOAD``), so the pages describe
pmcore itself whatever else is installed in the environment that runs the tests.
"""

from __future__ import annotations

import ast
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import CodeType

import pytest

import pmcore
from pmcore.plugins import reset_default_plugins

ROOT = Path(__file__).parents[2]
DOCS = ROOT / "docs"
PAGES = [*sorted(DOCS.rglob("*.md")), ROOT / "README.md", ROOT / "plugins" / "README.md"]

_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`]*?)[ \t]*$")
_TITLE = re.compile(r"""\btitle=(?:"([^"]*)"|'([^']*)')""")


@dataclass
class Block:
    """One fenced code block of a page."""

    page: Path
    line: int  # 1-based line of the first line of code
    language: str
    code: str
    classes: set[str] = field(default_factory=set)
    title: str | None = None

    @property
    def is_python(self) -> bool:
        return self.language in {"python", "py"}

    @property
    def skipped(self) -> bool:
        return "notest" in self.classes


def _shown(page: Path) -> str:
    return str(page.relative_to(ROOT)) if page.is_relative_to(ROOT) else str(page)


def _parse_info(info: str) -> tuple[str, set[str], str | None]:
    """The language, the extra classes and the title of a fence's info string."""
    title_match = _TITLE.search(info)
    title = next((g for g in title_match.groups() if g is not None), None) if title_match \
        else None
    if info.startswith("{"):
        words = info.strip("{} ").split()
        classes = [w[1:] for w in words if w.startswith(".")]
        language = classes[0] if classes else ""
        return language, set(classes[1:]), title
    language, _, _ = info.partition(" ")
    return language, set(), title


def blocks(page: Path) -> list[Block]:
    """Every fenced block of ``page``, in order, with its code dedented to the fence's indent."""
    lines = page.read_text(encoding="utf-8").splitlines()
    found: list[Block] = []
    index = 0
    while index < len(lines):
        match = _OPEN.match(lines[index])
        if match is None:
            index += 1
            continue
        indent, fence = match["indent"], match["fence"]
        language, classes, title = _parse_info(match["info"])
        closing = re.compile(rf"^{re.escape(indent)}{fence[0]}{{{len(fence)},}}[ \t]*$")
        body: list[str] = []
        start = index + 1
        index += 1
        while index < len(lines) and not closing.match(lines[index]):
            line = lines[index]
            body.append(line[len(indent):] if line.startswith(indent) else line.lstrip())
            index += 1
        if index == len(lines):
            raise AssertionError(f"{_shown(page)}:{start}: unclosed code fence")
        index += 1
        found.append(Block(page, start + 1, language, "\n".join(body) + "\n", classes, title))
    return found


_REACHED = "__docs_except_clauses_reached__"


def _instrument(source: str, filename: str) -> tuple[CodeType, list[int]]:
    """Compile ``source`` so that each ``except`` clause records its line when it runs."""
    tree = ast.parse(source, filename)
    handlers: list[int] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ExceptHandler):
            handlers.append(node.lineno)
            record = ast.parse(f"{_REACHED}.add({node.lineno})").body[0]
            node.body.insert(0, ast.copy_location(record, node.body[0]))
    ast.fix_missing_locations(tree)
    return compile(tree, filename, "exec"), handlers


def _page_id(page: Path) -> str:
    base = DOCS if page.is_relative_to(DOCS) else ROOT  # the READMEs outside docs/
    return page.relative_to(base).as_posix()


@pytest.fixture
def no_installed_plugins(monkeypatch: pytest.MonkeyPatch):
    """pmcore's built-ins only, and a default plugin manager built fresh for the page."""
    monkeypatch.setenv("PMCORE_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.delenv("PMCORE_DISABLE_PLUGINS", raising=False)
    reset_default_plugins()
    yield
    reset_default_plugins()


@pytest.fixture
def isolated_imports(tmp_path: Path):
    """Undo what a page does to ``sys.path`` and forget the modules it imported from tmp_path."""
    saved_path = sys.path[:]
    yield
    sys.path[:] = saved_path
    for name, module in list(sys.modules.items()):
        origin = getattr(module, "__file__", None) or ""
        if origin.startswith(str(tmp_path)):
            del sys.modules[name]


def _run_written_tests(written: list[Path], tmp_path: Path) -> None:
    tests = [p for p in written if p.suffix == ".py" and p.name.startswith("test_")]
    if not tests:
        return
    # Each written package's src/ goes on the path, as `pip install -e` would put it.
    sources = {str(tmp_path / Path(*p.relative_to(tmp_path).parts[: i + 1]))
               for p in written for i, part in enumerate(p.relative_to(tmp_path).parts)
               if part == "src"}
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [*sorted(sources), str(ROOT / "src"), *filter(None, [env.get("PYTHONPATH")])])
    env["PMCORE_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    settings = tmp_path / "conftest.py"
    if not settings.exists():  # as the repository's own tests: examples are never timed
        settings.write_text(_HYPOTHESIS_SETTINGS, encoding="utf-8")
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
               "--rootdir", str(tmp_path), *map(str, tests)]
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, (
        f"the test files written by the page failed ({shlex.join(command)}):\n"
        f"{result.stdout}\n{result.stderr}")


_HYPOTHESIS_SETTINGS = """\
from hypothesis import HealthCheck, settings

settings.register_profile("docs", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("docs")
"""


def run_page(page: Path, workdir: Path) -> None:
    """Run the page's blocks as the module docstring says, in ``workdir`` (the current dir)."""
    reached: set[int] = set()
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem.replace('-', '_')}",
                                    _REACHED: reached}
    written: list[Path] = []
    handlers: list[int] = []
    for block in blocks(page):
        if block.title is not None:
            target = workdir / block.title
            target.parent.mkdir(parents=True, exist_ok=True)
            if target in written:  # a file shown in several parts, with text between them
                target.write_text(target.read_text(encoding="utf-8") + "\n" + block.code,
                                  encoding="utf-8")
            else:
                target.write_text(block.code, encoding="utf-8")
                written.append(target)
            continue
        if not block.is_python:
            continue
        # Padding with blank lines makes tracebacks name the line in the Markdown file.
        source = "\n" * (block.line - 1) + block.code
        code, block_handlers = _instrument(source, str(page))
        if block.skipped:
            continue
        handlers += block_handlers
        try:
            exec(code, namespace)
        except Exception as exc:
            exc.add_note(f"in the code block at {_shown(page)}:{block.line}")
            raise
    never = [f"{_shown(page)}:{line}" for line in handlers if line not in reached]
    assert not never, (f"these except clauses never ran, so the errors they show are not "
                       f"raised: {never}")
    _run_written_tests(written, workdir)


@pytest.mark.parametrize("page", PAGES, ids=_page_id)
@pytest.mark.usefixtures("no_installed_plugins", "isolated_imports")
def test_page_examples(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    run_page(page, tmp_path)


# --------------------------------------------------------------------------- the harness itself


def test_every_page_is_collected() -> None:
    names = {_page_id(p) for p in PAGES}
    for expected in ("index.md", "tutorial.md", "plugins.md", "how-to/files.md",
                     "how-to/calendars.md", "how-to/validate.md", "reference/file-format.md",
                     "reference/cli.md", "reference/hooks.md", "explanation/model.md"):
        assert expected in names


def test_fences_are_read_as_documented(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "Text.\n\n```python\nx = 1\n```\n\n"
        "```{ .python .notest }\nimport network\n```\n\n"
        '```toml title="pkg/pyproject.toml"\n[project]\n```\n\n'
        "!!! note\n\n    ```python\n    y = 2\n    ```\n",
        encoding="utf-8")
    found = blocks(page)
    assert [(b.language, b.skipped, b.title, b.code) for b in found] == [
        ("python", False, None, "x = 1\n"),
        ("python", True, None, "import network\n"),
        ("toml", False, "pkg/pyproject.toml", "[project]\n"),
        ("python", False, None, "y = 2\n"),
    ]
    assert found[0].line == 4


@pytest.mark.usefixtures("isolated_imports")
def test_files_shown_in_parts_are_joined_and_importable(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        '```python title="pkg/mod.py"\ndef one():\n    return 1\n```\n\nText.\n\n'
        '```python title="pkg/mod.py"\ndef two():\n    return 2\n```\n\n'
        '```python\nimport sys\nsys.path.insert(0, "pkg")\nimport mod\n'
        'assert (mod.one(), mod.two()) == (1, 2)\n```\n', encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    run_page(page, work)


def test_an_error_the_code_no_longer_raises_fails_the_page(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    page = tmp_path / "page.md"
    page.write_text("```python\ntry:\n    x = int('12')\nexcept ValueError as error:\n"
                    "    assert 'invalid literal' in str(error)\n```\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(AssertionError, match=r"except clauses never ran.*page.md:4"):
        run_page(page, tmp_path)


# --------------------------------------------------------------------------- reference coverage


def test_the_api_reference_lists_every_public_name() -> None:
    text = (DOCS / "reference" / "api.md").read_text(encoding="utf-8")
    missing = [name for name in pmcore.__all__ if f"`{name}`" not in text]
    assert not missing, f"docs/reference/api.md does not list {missing}"


def _problem_codes() -> set[str]:
    tree = ast.parse((ROOT / "src" / "pmcore" / "model" / "rules.py").read_text("utf-8"))
    return {kw.value.value for node in ast.walk(tree) if isinstance(node, ast.Call)
            for kw in node.keywords if kw.arg == "code" and isinstance(kw.value, ast.Constant)}


def test_every_problem_code_is_documented() -> None:
    codes = _problem_codes()
    assert codes, "no problem codes found in src/pmcore/model/rules.py"
    text = (DOCS / "how-to" / "validate.md").read_text(encoding="utf-8")
    missing = sorted(code for code in codes if f"`{code}`" not in text)
    assert not missing, f"docs/how-to/validate.md does not explain {missing}"


def test_every_cli_command_is_documented() -> None:
    pytest.importorskip("typer")
    from pmcore.cli.commands import BUILTIN_COMMANDS

    text = (DOCS / "reference" / "cli.md").read_text(encoding="utf-8")
    missing = [c.name for c in BUILTIN_COMMANDS if f"## `pmcore {c.name}`" not in text]
    assert not missing, f"docs/reference/cli.md has no section for {missing}"
