"""The reports' own SPARQL (`reports/sparql/*.rq`) and running it with plain-text results.

Every query reads one instansi in one pass (no query per row), so a document over thousands
of elements costs a handful of queries.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from spbe_arch import iris
from spbe_arch.repository import Repository
from spbe_arch.repository.base import bind_values

SPARQL_DIR = Path(__file__).with_name("sparql")

Row = dict[str, str]


@cache
def sparql(name: str) -> str:
    """The text of `reports/sparql/<name>.rq`."""
    return (SPARQL_DIR / f"{name}.rq").read_text(encoding="utf-8")


def _run(repository: Repository, name: str, instansi: str | None) -> list[dict[str, Any]]:
    """The bindings of query `name` as SPARQL JSON results (engine-serialised: converting
    every term to rdflib costs more than the query itself on large instansi)."""
    text = sparql(name)
    if instansi is not None:
        text = bind_values(text, {"instansi": iris.instansi_iri(instansi)})
    _form, payload = repository.query_serialized(text, "application/sparql-results+json")
    bindings: list[dict[str, Any]] = json.loads(payload)["results"]["bindings"]
    return bindings


def select_rows(repository: Repository, name: str, instansi: str | None = None) -> list[Row]:
    """Run query `name`, bound to the instansi's IRI when given; terms become strings.

    A literal keeps its lexical form; an IRI its full text. Unbound variables are absent.
    """
    return [{key: value["value"] for key, value in row.items()}
            for row in _run(repository, name, instansi)]


def select_terms(repository: Repository, name: str,
                 instansi: str | None = None) -> list[dict[str, Term]]:
    """Like `select_rows` but each value keeps its kind and language tag."""
    return [{key: Term(value["value"], value.get("type", ""), value.get("xml:lang", ""))
             for key, value in row.items()}
            for row in _run(repository, name, instansi)]


@dataclass(frozen=True)
class Term:
    value: str
    type: str
    """"uri", "literal", "bnode" (SPARQL JSON results)."""
    lang: str = ""

    def __str__(self) -> str:
        return self.value
