"""The example commands of the user guide run as written, on the Kota Probolinggo demo.

Every line of docs/guide.md that starts with `spbe-arch` inside a code block is run in
order (what one example creates, a later one uses: a token created, then revoked), in a
folder holding the sample BPMN files, against a store with the demo data, models and SOPs
(what `spbe-arch demo` leaves, without its documents). It must succeed:
exit 0, or 1 for `validate`, which reports the demo's violations. Left out, with the reason:
syntax summaries (`[--format table|json]`, `BERKAS`), commands that serve or replace the
whole store, and commands that read the reader's own files (`opd.ttl`, `fixes.ru`, …).
An example that names an OPD, SOP or page the demo does not have fails here.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spbe_arch import datasets
from spbe_arch.cli import app
from spbe_arch.repository import open_repository
from spbe_arch.sop.demo import demo_step

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_BPMN = ROOT / "data" / "samples" / "kota-probolinggo" / "bpmn"

SKIPPED = {
    "syntax summary": re.compile(r"\[|\bBERKAS\b|\bKODE\b|\.\.\.|…|\|"),
    "serves or replaces the whole store": re.compile(
        r"^spbe-arch (?:.*\s)?(?:demo|serve|init|restore)\b"),
    "another store": re.compile(r"--store "),
    "the reader's own files": re.compile(
        r"\b(?:opd|fixes|export|my-query|proposed-processes|dinkes-export)\.\w+|fixes\.ru"
        r"|city-rules|templat-kota|aturan-lokal|data/\*|\.xlsx\b(?!.*--out)"),
}


def examples(doc: Path) -> list[str]:
    found = []
    for block in re.findall(r"```(?:sh|bash|console)?\n(.*?)```", doc.read_text(), re.S):
        for line in block.splitlines():
            line = re.sub(r"\s+#\s.*$", "", line.strip())  # a comment after the command
            line = re.sub(r"\s*>\s*\S+$", "", line)  # a shell redirection
            if line.startswith("spbe-arch ") and not any(
                    pattern.search(line) for pattern in SKIPPED.values()):
                found.append(line)
    return found


@pytest.mark.slow
def test_the_guide_s_examples_run_on_the_demo(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    with open_repository(f"oxigraph:{tmp_path / 'store'}") as repository:
        datasets.load_demo(repository)  # and, as `spbe-arch demo` does, the models and SOPs
        demo_step(repository, tmp_path / "sop", formats=())
    work = tmp_path / "work"
    work.mkdir()
    for model in SAMPLE_BPMN.glob("*.bpmn"):
        shutil.copy(model, work / model.name)
    monkeypatch.chdir(work)
    monkeypatch.setenv("SPBE_STORE", f"oxigraph:{tmp_path / 'store'}")
    monkeypatch.setenv("SPBE_TOKENS_FILE", str(tmp_path / "tokens.json"))
    lines = examples(ROOT / "docs" / "guide.md")
    assert len(lines) > 30, lines  # the guide's examples, not a filter gone wrong
    runner = CliRunner()
    failed = []
    for line in lines:
        result = runner.invoke(app, shlex.split(line)[1:])
        allowed = {0, 1} if line.startswith("spbe-arch validate") else {0}
        if result.exit_code not in allowed:
            failed.append(f"{line}\n  exit {result.exit_code}: {result.output[-400:]}")
    assert not failed, "\n".join(failed)
