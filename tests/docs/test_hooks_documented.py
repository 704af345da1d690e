"""Every ``pmcore_*`` hook is documented for plugin authors and exercised by a test.

The hooks are read from ``src/pmcore/hookspecs.py`` (every function marked ``@hookspec``), so a
new hook fails these tests until it has a section in ``docs/reference/hooks.md`` and a test
under ``tests/`` that names it. The docs tests themselves do not count as exercising a hook.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
HOOKSPECS = ROOT / "src" / "pmcore" / "hookspecs.py"
REFERENCE = ROOT / "docs" / "reference" / "hooks.md"
GUIDE = ROOT / "docs" / "plugins.md"
DOCS_TESTS = Path(__file__).parent


def _hookspec_names() -> list[str]:
    tree = ast.parse(HOOKSPECS.read_text(encoding="utf-8"))
    names = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("pmcore_"):
            decorators = [d.func if isinstance(d, ast.Call) else d for d in node.decorator_list]
            if any(isinstance(d, ast.Name) and d.id == "hookspec" for d in decorators):
                names.append(node.name)
    return names


HOOKS = _hookspec_names()


def _test_sources() -> dict[Path, str]:
    return {path: path.read_text(encoding="utf-8")
            for path in sorted((ROOT / "tests").rglob("*.py"))
            if DOCS_TESTS not in path.parents}


def test_hookspecs_are_found() -> None:
    assert len(HOOKS) >= 6, HOOKS


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_has_a_reference_section(hook: str) -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    assert re.search(rf"^#+ `?{hook}`?", text, re.MULTILINE), (
        f"docs/reference/hooks.md has no heading for {hook}")


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_explained_to_plugin_authors(hook: str) -> None:
    texts = [GUIDE.read_text(encoding="utf-8"), REFERENCE.read_text(encoding="utf-8")]
    assert any(hook in text for text in texts), (
        f"{hook} is mentioned in neither docs/plugins.md nor docs/reference/hooks.md")


def test_reference_documents_no_hook_that_does_not_exist() -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    headed = set(re.findall(r"^#+ `?(pmcore_\w+)`?", text, re.MULTILINE))
    assert headed <= set(HOOKS), f"hooks.md documents unknown hooks {sorted(headed - set(HOOKS))}"


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_exercised_by_a_test(hook: str) -> None:
    users = [path for path, text in _test_sources().items() if hook in text]
    assert users, f"no test under tests/ (outside tests/docs/) exercises {hook}"
