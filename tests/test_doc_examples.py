"""The example commands of the user guides run as written, on the Kota Probolinggo demo.

Every line of docs/panduan.md and of docs/guide.md that starts with `spbe-arch` inside a
shell code block is run in order, each guide on its own store (what one example creates, a
later one uses: a token created, then revoked), in a folder holding the sample BPMN files,
against a store with the demo data, models and SOPs (what `spbe-arch demo` leaves, without
its documents). Each must succeed: exit 0, or 1 for `validate`, which reports the demo's
violations; and together they must
add no violation of the architecture rules (an example that teaches a half-done change, such
as an SOP set to `ditetapkan` without its pengesah, fails here). Left out, with the reason:
syntax summaries (`[--format table|json]`, `BERKAS`), commands that serve or replace the
whole store, and commands that read the reader's own files (`opd.ttl`, `fixes.ru`,
`perbaikan.ru`, …); and from the English guide, the lines writing documents that the
Indonesian guide has too (`DOCUMENTS`).
An example that names an OPD, SOP or page the demo does not have fails here.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from rdflib.namespace import SH
from typer.testing import CliRunner

from spbe_arch import datasets
from spbe_arch.cli import app
from spbe_arch.repository import open_repository
from spbe_arch.sop.demo import demo_step
from spbe_arch.validation import validate

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_BPMN = ROOT / "data" / "samples" / "kota-probolinggo" / "bpmn"

SKIPPED = {
    "syntax summary": re.compile(r"\[|\bBERKAS\b|\bKODE\b|\.\.\.|…|\|"),
    "serves or replaces the whole store": re.compile(
        r"^spbe-arch (?:.*\s)?(?:demo|serve|init|restore)\b"),
    "another store": re.compile(r"--store "),
    "the reader's own files": re.compile(
        r"\b(?:opd|fixes|export|my-query|proposed-processes|dinkes-export"
        r"|perbaikan|ekspor|kueri-saya|usulan-proses|ekspor-dinkes)\.\w+"
        r"|city-rules|aturan-kota|templat-kota|aturan-lokal|data/\*|\.xlsx\b(?!.*--out)"),
}
SHELL_BLOCKS = {"", "sh", "bash", "console"}
DOCUMENTS = re.compile(r"^spbe-arch (?:report|sop render) ")
"""Lines that only read the repository and write documents. The English guide's test leaves
out those the Indonesian guide has too (but for the name after `--out`): the Indonesian
guide's test runs them on the same data, and rendering the architecture document as PDF
twice more was the suite's slowest minute."""
_OUT = re.compile(r"\s--out\s+\S+")
_FENCE = re.compile(r"^\s*(`{3,})\s*([\w+-]*)")


def code_blocks(text: str) -> list[tuple[str, list[str]]]:
    """(info string, lines) of every fenced block. A fence is closed by a fence alone on
    its line: matching opening and closing fences in one regular expression paired a
    block's closing fence with the next opening one after any ```sparql block, so every
    example further down was silently left out."""
    blocks: list[tuple[str, list[str]]] = []
    fence: str | None = None
    info = ""
    lines: list[str] = []
    for line in text.splitlines():
        if fence is None:
            match = _FENCE.match(line)
            if match:
                fence, info, lines = match.group(1), match.group(2), []
        elif line.strip().startswith(fence) and not line.strip().strip("`"):
            blocks.append((info, lines))
            fence = None
        else:
            lines.append(line)
    return blocks


def examples(doc: Path) -> list[str]:
    found = []
    for info, block in code_blocks(doc.read_text(encoding="utf-8")):
        if info not in SHELL_BLOCKS:
            continue
        for line in block:
            line = re.sub(r"\s+#\s.*$", "", line.strip())  # a comment after the command
            line = re.sub(r"\s*>\s*\S+$", "", line)  # a shell redirection
            if line.startswith("spbe-arch ") and not any(
                    pattern.search(line) for pattern in SKIPPED.values()):
                found.append(line)
    return found


def rendered_in_panduan(lines: list[str]) -> set[str]:
    """The document-writing lines of `lines` that docs/panduan.md also has, but for the
    name after `--out`."""
    indonesian = {_OUT.sub("", line) for line in examples(ROOT / "docs" / "panduan.md")}
    return {line for line in lines
            if DOCUMENTS.match(line) and _OUT.sub("", line) in indonesian}


def violations(store: Path) -> set[tuple[str, str]]:
    with open_repository(f"oxigraph:{store}") as repository:
        report = validate(repository)
    return {(str(r.focus_node), str(r.source_shape)) for r in report.results
            if r.severity == SH.Violation}


def test_the_english_guide_leaves_out_only_documents_the_indonesian_one_renders() -> None:
    english = examples(ROOT / "docs" / "guide.md")
    left_out = rendered_in_panduan(english)
    assert any("--all" in line for line in left_out)  # the costly one is still found
    assert any("--format pdf" in line for line in left_out)
    assert all(DOCUMENTS.match(line) for line in left_out)
    assert rendered_in_panduan(["spbe-arch report arsitektur --format pdf --out x.pdf",
                                "spbe-arch report arsitektur --format odt"]) == {
        "spbe-arch report arsitektur --format pdf --out x.pdf"}


def test_examples_after_a_non_shell_block_are_found(tmp_path: Path) -> None:
    doc = tmp_path / "guide.md"
    doc.write_text("```sparql\nSELECT * WHERE { ?s ?p ?o }\n```\n\ntext `spbe-arch x`\n\n"
                   "```sh\nspbe-arch stats\n```\n\n````md\n```sh\nspbe-arch nested\n```\n````\n"
                   "```\nspbe-arch evaluation frameworks\n```\n", encoding="utf-8")
    assert examples(doc) == ["spbe-arch stats", "spbe-arch evaluation frameworks"]


@pytest.mark.slow
@pytest.mark.parametrize("guide", ["panduan.md", "guide.md"])
def test_the_guide_s_examples_run_on_the_demo(guide: str, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    with open_repository(f"oxigraph:{tmp_path / 'store'}") as repository:
        datasets.load_demo(repository)  # and, as `spbe-arch demo` does, the models and SOPs
        demo_step(repository, tmp_path / "sop", formats=())
    before = violations(tmp_path / "store")
    work = tmp_path / "work"
    work.mkdir()
    for model in SAMPLE_BPMN.glob("*.bpmn"):
        shutil.copy(model, work / model.name)
    monkeypatch.chdir(work)
    monkeypatch.setenv("SPBE_STORE", f"oxigraph:{tmp_path / 'store'}")
    monkeypatch.setenv("SPBE_TOKENS_FILE", str(tmp_path / "tokens.json"))
    lines = examples(ROOT / "docs" / guide)
    assert len(lines) > 30, lines  # the guide's examples, not a filter gone wrong
    if guide != "panduan.md":
        lines = [line for line in lines if line not in rendered_in_panduan(lines)]
    runner = CliRunner()
    failed = []
    for line in lines:
        result = runner.invoke(app, shlex.split(line)[1:])
        allowed = {0, 1} if line.startswith("spbe-arch validate") else {0}
        if result.exit_code not in allowed:
            failed.append(f"{line}\n  exit {result.exit_code}: {result.output[-400:]}")
    assert not failed, "\n".join(failed)
    added = sorted(violations(tmp_path / "store") - before)
    assert not added, f"{guide}'s examples leave new violations (focus node, rule): {added}"
