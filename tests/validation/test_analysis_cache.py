"""The dependency analysis of the compiled checks is kept on disk (`analysis_cache`): a
second process gets the same analysis without parsing, and a cache that cannot be used only
costs the parsing again."""

from __future__ import annotations

from pathlib import Path

import pytest

from spbe_arch.validation import incremental
from spbe_arch.validation.analysis_cache import analyse_all, cache_file, query_key
from spbe_arch.validation.dependencies import CheckDependencies, analyse
from spbe_arch.validation.service import load_validation_shapes, validator_for

QUERY = ("PREFIX ex: <urn:ex:>\nSELECT ?this WHERE { ?this ex:p ?x . #spbe:hash-join 3 ?x\n"
         "  ?x ex:q <urn:ex:v#spbe:not-a-comment> . }")
ROOT = "this"


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _shape(deps: CheckDependencies) -> list[tuple[str, str]]:
    return [(repr(t.pattern), repr(t.context)) for t in deps.triggers]


def _refuse(text: str, root: str) -> CheckDependencies:
    raise AssertionError(f"parsed again: {text[:60]}")


def test_a_second_run_reads_the_analysis_instead_of_parsing(own_cache: Path) -> None:
    first = analyse_all([(QUERY, ROOT)])
    assert cache_file().is_file() and cache_file().is_relative_to(own_cache)
    again = analyse_all([(QUERY, ROOT)], _refuse)
    assert _shape(again[0]) == _shape(first[0]) == _shape(analyse(QUERY, ROOT))
    assert (cache_file().parent.stat().st_mode & 0o777) == 0o700


def test_comments_and_spacing_do_not_change_the_key_but_the_query_does() -> None:
    renumbered = QUERY.replace("#spbe:hash-join 3 ?x", "#spbe:hash-join 17 ?x")
    assert query_key(renumbered, ROOT) == query_key(QUERY.replace("\n  ", "\n\n\t "), ROOT) \
        == query_key(QUERY, ROOT)
    # a '#' inside an IRI is not a comment
    assert query_key(QUERY.replace("#spbe:not-a-comment", "#spbe:other"), ROOT) \
        != query_key(QUERY, ROOT)
    assert query_key(QUERY.replace("ex:q", "ex:r"), ROOT) != query_key(QUERY, ROOT)
    assert query_key(QUERY, "x") != query_key(QUERY, ROOT)


def test_only_the_missing_queries_are_parsed() -> None:
    other = QUERY.replace("ex:q", "ex:r")
    analyse_all([(QUERY, ROOT)])
    parsed: list[str] = []

    def counting(text: str, root: str) -> CheckDependencies:
        parsed.append(text)
        return analyse(text, root)

    analyse_all([(QUERY, ROOT), (other, ROOT)], counting)
    assert parsed == [other]
    analyse_all([(other, ROOT), (QUERY, ROOT)], _refuse)


@pytest.mark.parametrize("content", [b"", b"not a pickle", b"\x80\x04K\x01."])  # 1: an int
def test_a_damaged_cache_file_is_analysed_again_and_replaced(content: bytes) -> None:
    analyse_all([(QUERY, ROOT)])
    cache_file().write_bytes(content)
    found = analyse_all([(QUERY, ROOT)])
    assert _shape(found[0]) == _shape(analyse(QUERY, ROOT))
    analyse_all([(QUERY, ROOT)], _refuse)  # rewritten whole


def test_a_cache_folder_that_cannot_be_written_only_costs_the_parsing(
        own_cache: Path) -> None:
    own_cache.parent.mkdir(parents=True, exist_ok=True)
    own_cache.write_text("a file where the folder should be", encoding="utf-8")
    found = analyse_all([(QUERY, ROOT)])
    assert _shape(found[0]) == _shape(analyse(QUERY, ROOT))


def test_the_validator_s_checks_come_from_the_cache_in_a_new_process(
        demo_repository: object, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a second process sees: the per-process memo is empty, the file is there."""
    validator = validator_for(load_validation_shapes(demo_repository))  # type: ignore[arg-type]
    monkeypatch.setattr(incremental, "_analyses", {})
    monkeypatch.setattr(incremental, "_indexes", {})
    first = incremental.dependencies(validator)
    monkeypatch.setattr(incremental, "_analyses", {})
    monkeypatch.setattr(incremental, "_indexes", {})
    monkeypatch.setattr(incremental, "analyse", _refuse)
    again = incremental.dependencies(validator)
    assert again.keys() == first.keys()
    assert all(_shape(again[key]) == _shape(first[key]) for key in first)


KEYS_OF_THE_SHIPPED_RULES = """
from spbe_arch.repository import open_repository
from spbe_arch.datasets import base_sources
from spbe_arch.validation.analysis_cache import query_key
from spbe_arch.validation.service import load_validation_shapes, validator_for
repository = open_repository("memory:")
repository.load(base_sources())
validator = validator_for(load_validation_shapes(repository))
for check in validator.fast_checks:
    for part in check.parts:
        print(query_key(part.standalone or check.sparql, check.root_var))
"""


@pytest.mark.slow
def test_every_process_gives_the_shipped_rules_the_same_keys() -> None:
    """Python orders sets differently in every process (hash randomisation): the compiled
    queries' keys must not follow (the PREFIX lines once came out in a set's order)."""
    import os
    import subprocess
    import sys

    keys = []
    for seed in ("1", "2"):
        run = subprocess.run([sys.executable, "-c", KEYS_OF_THE_SHIPPED_RULES],
                             capture_output=True, text=True, check=True,
                             env={**os.environ, "PYTHONHASHSEED": seed})
        keys.append(set(run.stdout.split()))
    assert len(keys[0]) > 100
    assert keys[0] == keys[1]
