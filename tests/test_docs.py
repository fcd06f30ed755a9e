"""The user guide cannot drift from the CLI, and the README Quickstart stays runnable.

docs/panduan.md (Indonesian) and docs/guide.md (English) each need, for every command of
`spbe-arch` (all registered modules, nested groups included):
- a heading that names the command in backticks, e.g. ``### `spbe-arch query` ``;
- under it, an example: a line starting with `spbe-arch … query` in a fenced code block;
- under it, every option of the command by its long name (`--format`).
The global options belong under a heading naming just ``` `spbe-arch` ```.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer

from spbe_arch.cli import app

ROOT = Path(__file__).resolve().parents[1]
GUIDES = {"docs/panduan.md": "id", "docs/guide.md": "en"}
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_COMMAND_IN_HEADING = re.compile(r"`spbe-arch((?:\s+[a-z][a-z0-9-]*)*)`")


@dataclass
class Command:
    path: str  # "" for the root, "query", "evaluation status"
    options: list[str]
    leaf: bool


def command_tree() -> list[Command]:
    found: list[Command] = []

    def walk(command: Any, path: list[str]) -> None:
        options = []
        for param in command.params:
            if param.param_type_name != "option" or getattr(param, "hidden", False):
                continue
            longs = [o for o in param.opts if o.startswith("--")]
            options.append(longs[0] if longs else param.opts[0])
        subcommands = getattr(command, "commands", {})
        found.append(Command(" ".join(path), options, not subcommands))
        for name, sub in sorted(subcommands.items()):
            if not getattr(sub, "hidden", False):
                walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return found


def sections(text: str) -> dict[str, str]:
    """Command path -> the text under the heading naming it (up to the next heading of the
    same or a higher level)."""
    lines = text.splitlines()
    headings = []
    in_code = False
    for number, line in enumerate(lines):
        if line.lstrip().startswith("```"):
            in_code = not in_code
        match = None if in_code else _HEADING.match(line)
        if match:
            headings.append((number, len(match.group(1)), match.group(2)))
    found: dict[str, str] = {}
    for index, (number, level, title) in enumerate(headings):
        command = _COMMAND_IN_HEADING.search(title)
        if not command:
            continue
        end = len(lines)
        for later_number, later_level, _ in headings[index + 1:]:
            if later_level <= level:
                end = later_number
                break
        path = " ".join(command.group(1).split())
        found[path] = found.get(path, "") + "\n".join(lines[number:end])
    return found


def has_example(section: str, path: str) -> bool:
    in_code = False
    words = path.split()
    for line in section.splitlines():
        if line.lstrip().startswith("```"):
            in_code = not in_code
            continue
        if not in_code:
            continue
        tokens = line.strip().removeprefix("$ ").split()
        if not tokens or tokens[0] != "spbe-arch":
            continue
        # global options may come first: `spbe-arch --store memory: query …`
        rest = [t for t in tokens[1:] if not t.startswith("-")]
        if not words or any(rest[i:i + len(words)] == words for i in range(len(rest))):
            return True
    return False


@pytest.mark.parametrize("guide", sorted(GUIDES))
def test_guide_covers_every_command_and_option(guide: str) -> None:
    text = (ROOT / guide).read_text(encoding="utf-8")
    found = sections(text)
    problems = []
    for command in command_tree():
        name = f"spbe-arch {command.path}".strip()
        if not command.leaf and not command.options:
            continue  # a group: its subcommands are checked one by one
        section = found.get(command.path)
        if section is None:
            problems.append(
                f"{guide} has no section for `{name}`: add a heading '### `{name}`' with what"
                f" it does, an example in a ``` block (a line starting with `{name}`)"
                + (f" and its options {', '.join(command.options)}" if command.options else ""))
            continue
        if command.path and not has_example(section, command.path):
            problems.append(f"{guide}, section `{name}`: add an example, a line starting with"
                            f" `{name}` inside a ``` code block")
        for option in command.options:
            if not re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", section):
                problems.append(f"{guide}, section `{name}`: option {option} is not described;"
                                f" add a line such as '- `{option}` …' under that heading")
    assert not problems, "the guide is behind the CLI:\n" + "\n".join(problems)


def test_every_guide_section_names_a_real_command() -> None:
    real = {c.path for c in command_tree()}
    for guide in GUIDES:
        stale = sorted(set(sections((ROOT / guide).read_text(encoding="utf-8"))) - real)
        assert not stale, f"{guide} documents commands that no longer exist: {stale}"


def quickstart_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^## Quickstart\s*$(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    assert match, "README.md needs a '## Quickstart' section"
    blocks = re.findall(r"```[a-z]*\n(.*?)```", match.group(1), re.DOTALL)
    return [line.strip().removeprefix("$ ") for block in blocks for line in block.splitlines()
            if line.strip() and not line.strip().startswith("#")]


def test_quickstart_has_exactly_two_commands() -> None:
    commands = quickstart_commands()
    assert len(commands) == 2, commands
    assert "spbe-arch demo" in commands[0]
    assert "scripts/test" in commands[1]


def test_ci_runs_the_quickstart_test_command() -> None:
    test_command = quickstart_commands()[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    lines = [line.strip() for line in ci.splitlines()
             if line.strip() and not line.strip().startswith("#")]
    assert test_command in lines, f".ci/run must run `{test_command}`"
    assert (ROOT / ".ci" / "run").stat().st_mode & 0o111, ".ci/run must be executable"


def test_scripts_are_executable_shell() -> None:
    for name in ("scripts/test", "scripts/install-system-deps"):
        path = ROOT / name
        assert path.read_text().startswith("#!/usr/bin/env bash\n"), name
        assert path.stat().st_mode & 0o111, f"{name} must be executable"


@pytest.mark.parametrize("guide", sorted(GUIDES))
def test_guide_lists_every_named_query(guide: str) -> None:
    from spbe_arch.queries import list_queries

    text = (ROOT / guide).read_text(encoding="utf-8")
    missing = [q.name for q in list_queries() if f"| `{q.name}` |" not in text]
    assert not missing, (f"{guide}: add a row '| `NAME` | title | parameters |' to the named"
                         f" query table for: {', '.join(missing)}")


def command_headings(text: str) -> list[str]:
    """The command path of every heading that names one, in the order of the text."""
    found = []
    in_code = False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            in_code = not in_code
        match = None if in_code else _HEADING.match(line)
        command = match and _COMMAND_IN_HEADING.search(match.group(2))
        if command:
            found.append(" ".join(command.group(1).split()))
    return found


@pytest.mark.parametrize("guide", sorted(GUIDES))
def test_each_command_has_one_section(guide: str) -> None:
    """sections() joins two sections of one command, so a pasted second copy of a chapter
    passed the coverage test while the copies told different things."""
    headings = command_headings((ROOT / guide).read_text(encoding="utf-8"))
    twice = sorted({path for path in headings if headings.count(path) > 1})
    assert not twice, f"{guide} describes these commands in more than one section: {twice}"


def test_both_guides_have_the_same_sections_in_the_same_order() -> None:
    """guide.md follows panduan.md; a section added to one only is drift."""
    order = {guide: command_headings((ROOT / guide).read_text(encoding="utf-8"))
             for guide in GUIDES}
    assert order["docs/panduan.md"] == order["docs/guide.md"]


def setting_variables() -> set[str]:
    from spbe_arch.settings import Settings

    names = {f"SPBE_{field.upper()}" for field in Settings.model_fields}

    def walk(command: Any) -> None:
        for param in command.params:
            envvar = getattr(param, "envvar", None)
            for name in [envvar] if isinstance(envvar, str) else envvar or []:
                names.add(name)
        for sub in getattr(command, "commands", {}).values():
            walk(sub)

    walk(typer.main.get_command(app))
    return names


@pytest.mark.parametrize("guide", sorted(GUIDES))
def test_settings_table_lists_every_variable(guide: str) -> None:
    rows = [line for line in (ROOT / guide).read_text(encoding="utf-8").splitlines()
            if line.startswith("| `SPBE_")]
    missing = sorted(name for name in setting_variables()
                     if not any(f"`{name}`" in row.split("|")[1] for row in rows))
    assert not missing, (f"{guide}: add a row '| `NAME` | meaning | default |' to the settings"
                         f" table for: {', '.join(missing)}")


@pytest.mark.parametrize("guide", sorted(GUIDES))
def test_report_section_names_every_report(guide: str) -> None:
    from spbe_arch.reports import reports

    section = sections((ROOT / guide).read_text(encoding="utf-8"))["report"]
    missing = [spec.name for spec in reports() if f"`{spec.name}`" not in section]
    assert not missing, f"{guide}, section `spbe-arch report`: name the reports {missing}"


# --- docs/architecture.md: the layer table is the import rule -------------------------------

LAYERS = ("interfaces", "services", "core")


def layer_table() -> dict[str, int]:
    """Module -> rank (interfaces 3, services 2, core 1) from docs/architecture.md."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    ranks: dict[str, int] = {}
    for layer in LAYERS:
        match = re.search(rf"^\| {layer} \|(.*)\|\s*$", text, re.MULTILINE)
        assert match, f"docs/architecture.md: the layer table needs a row '| {layer} | … |'"
        for module in re.findall(r"`([a-z_]+)`", match.group(1)):
            ranks[module] = len(LAYERS) - LAYERS.index(layer)
    return ranks


def test_every_module_has_a_layer_in_architecture_md() -> None:
    ranks = layer_table()
    package = ROOT / "src" / "spbe_arch"
    present = {p.stem for p in package.glob("*.py") if not p.stem.startswith("__")}
    present |= {p.name for p in package.iterdir()
                if p.is_dir() and (p / "__init__.py").exists()}
    unplaced = sorted(present - set(ranks))
    assert not unplaced, ("docs/architecture.md: add these modules of spbe_arch to a row of"
                          f" the layer table (interfaces/services/core): {unplaced}")
    gone = sorted(set(ranks) - present)
    assert not gone, f"docs/architecture.md lists modules that do not exist: {gone}"


def test_imports_point_downwards() -> None:
    import ast

    ranks = layer_table()
    package = ROOT / "src" / "spbe_arch"
    problems = []
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package).with_suffix("").parts
        own = ranks.get(parts[0])
        if own is None:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                targets = [node.module]
            else:
                continue
            for target in targets:
                bits = target.split(".")
                if bits[0] == "spbe_arch" and len(bits) > 1 and ranks.get(bits[1], 0) > own:
                    problems.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {target}")
    assert not problems, ("imports must point downwards (interfaces -> services -> core,"
                          " docs/architecture.md):\n" + "\n".join(problems))
