"""The reference schemes as the repository holds them: which version is in force, and per
scheme its concepts, whether its list is official or provisional, and its source.

`spbe-arch reference list` shows this; `reference import` uses the same version lookup to
know which graph it replaces a list in.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from rdflib.term import Literal, Node, URIRef

from spbe_arch import iris
from spbe_arch.errors import InputError, Location
from spbe_arch.reference.turtle import natural_key
from spbe_arch.repository import Repository

SCHEME_ORDER = ("RAB", "RAL", "RAD", "RAA", "RAI", "RAK")


def sparql(name: str) -> str:
    """The text of `reference/sparql/<name>.rq`."""
    return (resources.files("spbe_arch.reference") / "sparql" / f"{name}.rq").read_text("utf-8")


@dataclass(frozen=True)
class ReferenceVersion:
    iri: URIRef
    name: str
    """The version's name (`Perpres 132/2022`); concept IRIs are minted from it."""
    graph: URIRef


class ReferenceNotLoadedError(InputError):
    """No reference version is in the store: `spbe-arch init` loads it."""


def recorded_versions(repository: Repository) -> list[ReferenceVersion]:
    found: dict[URIRef, ReferenceVersion] = {}
    for row in repository.select(sparql("versions")):
        version, graph, name = row.get("version"), row.get("graph"), row.get("name")
        if not isinstance(version, URIRef) or not isinstance(graph, URIRef):
            continue
        # a version without its name: the IRI's last segment is its slug, and a slug slugs
        # to itself, so the IRIs minted from it are the same
        shown = str(name) if isinstance(name, Literal) else str(version).rsplit("/", 1)[-1]
        if iris.reference_version_iri(shown) == version:
            found.setdefault(version, ReferenceVersion(version, shown, graph))
    return sorted(found.values(), key=lambda v: natural_key(v.name))


def version_in_force(repository: Repository, instansi: str | None) -> ReferenceVersion:
    """The reference version of `instansi`'s newest architecture period; without one, the
    only version recorded. `InputError` when none is loaded, or several are and the body has
    no period to choose by."""
    versions = recorded_versions(repository)
    if not versions:
        raise ReferenceNotLoadedError(
            "referensi nasional belum dimuat di repositori", "no national reference is loaded"
            " in the repository")
    if instansi:
        # imported here: model pulls in the whole catalogue, and `reference list` needs none
        from spbe_arch.model.service import reference_version_in_force

        wanted = reference_version_in_force(repository, instansi)
        for version in versions:
            if version.iri == wanted:
                return version
    if len(versions) == 1:
        return versions[0]
    names = ", ".join(v.name for v in versions)
    raise InputError(
        f"repositori memuat beberapa versi referensi ({names}) dan instansi {instansi} tidak"
        " punya periode arsitektur yang menentukan versi yang berlaku",
        f"the repository holds several reference versions ({names}) and instansi {instansi}"
        " has no architecture period saying which one is in force",
        Location(field="instansi"))


@dataclass
class SchemeView:
    """One scheme of the version in force."""

    prefix: str
    iri: URIRef
    label_id: str = ""
    label_en: str = ""
    provisional: bool = False
    sources: list[str] = field(default_factory=list)
    note_id: str = ""
    note_en: str = ""
    levels: dict[int, int] = field(default_factory=dict)
    """Concepts per level (0: no level given)."""

    @property
    def concepts(self) -> int:
        return sum(self.levels.values())

    def to_json(self) -> dict[str, Any]:
        return {"skema": self.prefix, "iri": str(self.iri),
                "nama": {"id": self.label_id, "en": self.label_en},
                "sementara": self.provisional, "sumber": self.sources,
                "catatan": {"id": self.note_id, "en": self.note_en},
                "konsep": self.concepts,
                "per_level": {str(k): v for k, v in sorted(self.levels.items())}}


@dataclass
class SchemesView:
    version: ReferenceVersion
    schemes: list[SchemeView]

    def to_json(self) -> dict[str, Any]:
        return {"versi": self.version.name, "iri": str(self.version.iri),
                "graph": str(self.version.graph),
                "skema": [s.to_json() for s in self.schemes]}


def describe_schemes(repository: Repository, instansi: str | None) -> SchemesView:
    """The schemes of the reference version in force for `instansi`."""
    version = version_in_force(repository, instansi)
    return SchemesView(version, list(scheme_views(repository, version).values()))


def scheme_views(repository: Repository, version: ReferenceVersion) -> dict[str, SchemeView]:
    """Prefix → scheme of `version`, in the order of Perpres 132/2022 (others after)."""
    views: dict[URIRef, SchemeView] = {}
    for row in repository.select(sparql("schemes"), {"version": version.iri,
                                                     "graph": version.graph}):
        scheme, prefix = row.get("scheme"), row.get("prefix")
        if not isinstance(scheme, URIRef) or prefix is None:
            continue
        view = views.setdefault(scheme, SchemeView(str(prefix), scheme))
        _take(view, row)
    counts: dict[URIRef, dict[int, int]] = defaultdict(dict)
    for row in repository.select(sparql("scheme_counts"), {"graph": version.graph}):
        scheme, level, count = row.get("scheme"), row.get("level"), row.get("count")
        if isinstance(scheme, URIRef) and count is not None:
            key = int(str(level)) if level is not None and str(level).isdigit() else 0
            counts[scheme][key] = counts[scheme].get(key, 0) + int(str(count))
    for scheme, view in views.items():
        view.levels = dict(sorted(counts.get(scheme, {}).items()))
        view.sources.sort()
    ordered = sorted(views.values(), key=lambda v: (
        SCHEME_ORDER.index(v.prefix) if v.prefix in SCHEME_ORDER else len(SCHEME_ORDER),
        v.prefix))
    return {v.prefix: v for v in ordered}


def _take(view: SchemeView, row: dict[str, Node]) -> None:
    provisional, source = row.get("provisional"), row.get("source")
    if isinstance(provisional, Literal) and provisional.toPython() is True:
        view.provisional = True
    if source is not None and str(source) not in view.sources:
        view.sources.append(str(source))
    for key, attr in (("label", "label"), ("note", "note")):
        value = row.get(key)
        if isinstance(value, Literal) and value.language in ("id", "en"):
            setattr(view, f"{attr}_{value.language}", str(value))
