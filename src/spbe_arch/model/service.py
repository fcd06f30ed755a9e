"""Reading entities as dicts, and planning writes as change sets.

Reads go through the .rq files in `sparql/`: one query for a page of entities (all their
triples at once) plus one for SOP sub-records, never one query per entity. Writes are
planned, not applied: `plan_upsert` / `plan_delete` / `plan_changes` return an
`EntityChangeSet` (a `ChangeSet` plus a per-entity summary and warnings) that the caller
checks (SHACL) and applies with `spbe_arch.audit.apply_audited`. Applying the same records
twice gives an empty change set the second time.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from typing import Any
from typing import Literal as TypingLiteral
from urllib.parse import unquote

from rdflib import RDF
from rdflib.term import Literal, Node, URIRef

from spbe_arch import iris
from spbe_arch.errors import InputError, InputProblems, SpbeError
from spbe_arch.model.catalogue import (
    KINDS,
    EntityKind,
    Field,
    get_kind,
    kind_of_class,
    reverse_links,
)
from spbe_arch.model.metadata import metadata
from spbe_arch.model.values import (
    DEFAULT_REFERENCE_VERSION,
    IGNORED_KEYS,
    Context,
    FieldProblem,
    Resolver,
    Triple,
    enum_display,
    local_name,
    record_code,
    record_to_triples,
    reference_code_problem,
)
from spbe_arch.repository import ChangeSet, Repository
from spbe_arch.repository.base import bind_values, fill_line
from spbe_arch.vocab import SPBE

BULK_THRESHOLD = 200
"""Above this many entities of a kind, read the stored triples of the whole kind at once
instead of listing the entities in a VALUES block."""


@cache
def sparql(name: str) -> str:
    """The text of `model/sparql/<name>.rq`."""
    return (resources.files("spbe_arch.model") / "sparql" / f"{name}.rq").read_text("utf-8")


def _without_prologue(text: str) -> str:
    # a sub-query cannot carry PREFIX declarations; the outer queries declare them
    return "\n".join(line for line in text.splitlines()
                     if not line.lstrip().upper().startswith("PREFIX")
                     and not line.lstrip().startswith("#"))


def _values_block(variable: str, terms: Iterable[Node]) -> str:
    return f"VALUES ?{variable} {{ {' '.join(t.n3() for t in terms)} }}"


# --- reading ----------------------------------------------------------------------------------

@dataclass
class Page:
    items: list[dict[str, Any]]
    total: int
    offset: int = 0
    limit: int | None = None


@dataclass
class _Selection:
    text: str
    order: str


def _sort_field(kind: EntityKind, sort: str | None) -> tuple[Field, bool]:
    name = (sort or "kode").strip()
    descending = name.startswith("-")
    name = name.lstrip("-+")
    if not kind.has_field(name) or kind.field(name).kind == "nested" or kind.field(name).many:
        allowed = ", ".join(f.name for f in kind.fields if not f.many and f.kind != "nested")
        raise InputError(
            f"tidak dapat mengurutkan menurut '{name}'; gunakan salah satu dari: {allowed}"
            " (awali dengan '-' untuk urutan menurun)",
            f"cannot sort by '{name}'; use one of: {allowed} (prefix '-' for descending)",
        )
    return kind.field(name), descending


def _selection(repository: Repository, kind: EntityKind, instansi: str, *,
               code: str | None = None, opd: str | None = None,
               reference_code: str | None = None, text: str | None = None,
               status: str | None = None, sort: str | None = None,
               offset: int = 0, limit: int | None = None) -> _Selection:
    if not kind.top_level:
        raise InputError(f"'{kind.name}' hanya dapat dibaca melalui induknya ({kind.nested_in})",
                         f"'{kind.name}' can only be read through its parent ({kind.nested_in})")
    sort_field, descending = _sort_field(kind, sort)
    bindings: dict[str, Node] = {
        "class": kind.rdf_class,
        "instansi": iris.instansi_iri(instansi),
        "sortPredicate": sort_field.predicate,
    }
    anchors: list[str] = []
    filters: list[str] = []
    if code is not None:
        anchors.append("?e spbe:kode ?filterCode .")
        bindings["filterCode"] = Literal(code)
    if opd:
        opd_iri = _stored_iri(repository, KINDS["opd"], instansi, opd) or iris.element_iri(
            instansi, "opd", opd)
        bindings["filterOpd"] = opd_iri
        if kind.name == "opd":
            filters.append("FILTER(?e = ?filterOpd || EXISTS { ?e spbe:indukOPD ?filterOpd })")
        else:
            assert kind.owner_field is not None
            anchors.append("?e ?ownerPredicate ?filterOpd .")
            bindings["ownerPredicate"] = kind.field(kind.owner_field).predicate
    if reference_code:
        if kind.reference_field is None:
            raise InputError(f"'{kind.name}' tidak diklasifikasikan dengan kode referensi",
                             f"'{kind.name}' has no reference classification")
        minted = _values_block("filterConcept", minted_reference_iris(repository,
                                                                      reference_code))
        filters.append(fill_line(sparql("filter_reference"), "#MINTED", minted))
        bindings["referencePredicate"] = kind.field(kind.reference_field).predicate
        bindings["filterReference"] = Literal(reference_code.strip())
    if text:
        filters.append(
            "?e spbe:kode ?filterKode . OPTIONAL { ?e spbe:nama ?filterNama }"
            " OPTIONAL { ?e spbe:uraian ?filterUraian }"
            " FILTER(CONTAINS(LCASE(STR(?filterKode)), ?filterText)"
            " || CONTAINS(LCASE(STR(COALESCE(?filterNama, \"\"))), ?filterText)"
            " || CONTAINS(LCASE(STR(COALESCE(?filterUraian, \"\"))), ?filterText))")
        bindings["filterText"] = Literal(text.strip().lower())
    if status:
        if kind.status_field is None:
            raise InputError(f"'{kind.name}' tidak memiliki status",
                             f"'{kind.name}' has no status")
        status_field = kind.field(kind.status_field)
        resolver = Resolver(instansi)
        value = resolver.enum(Context(kind, 0, None), status_field, status)
        if value is None:
            # a filter, not a record: say which parameter rather than "record #1"
            problem = resolver.problems[0]
            raise InputError(f"parameter 'status': {problem.message_id}",
                             f"parameter 'status': {problem.message_en}")
        filters.append("?e ?statusPredicate ?filterStatus .")
        bindings["statusPredicate"] = status_field.predicate
        bindings["filterStatus"] = value
    inner = fill_line(fill_line(sparql("selection"), "#ANCHORS", "\n  ".join(anchors)),
                  "#FILTERS", "\n  ".join(filters))
    # the prologue goes before binding: splitting bound text into lines would also split a
    # value at U+0085 or U+2028, which Python counts as line breaks and SPARQL does not
    inner = bind_values(_without_prologue(inner), bindings)
    order = "ORDER BY DESC(?sortKey) ?e" if descending else "ORDER BY ?sortKey ?e"
    return _Selection(inner, order)


def _paged(selection: _Selection, offset: int, limit: int | None) -> str:
    text = f"{selection.text}\n{selection.order}"
    if offset:
        text += f" OFFSET {int(offset)}"
    if limit is not None:
        text += f" LIMIT {int(limit)}"
    return text


def _read(repository: Repository, kind: EntityKind, selection_text: str,
          order: str) -> list[dict[str, Any]]:
    query = fill_line(sparql("page"), "#SELECTION", selection_text) + f"\n{order}\n"
    rows = repository.select(query)
    order_of: dict[URIRef, None] = {}
    values: dict[URIRef, dict[URIRef, dict[Node, str | None]]] = defaultdict(
        lambda: defaultdict(dict))
    for row in rows:
        subject = row["e"]
        assert isinstance(subject, URIRef)
        order_of.setdefault(subject)
        obj = row["o"]
        label = row.get("ocode") or row.get("onotation")
        existing = values[subject][row["p"]]  # type: ignore[index]
        if obj not in existing or existing[obj] is None:
            existing[obj] = str(label) if label is not None else None
    nested: dict[URIRef, dict[URIRef, dict[URIRef, list[Node]]]] = {}
    if kind.name == "sop" and order_of:
        query = fill_line(sparql("page_nested"), "#SELECTION", selection_text)
        for row in repository.select(query):
            parent, node = row["e"], row["n"]
            assert isinstance(parent, URIRef) and isinstance(node, URIRef)
            nested.setdefault(parent, {}).setdefault(node, defaultdict(list))[
                row["p"]].append(row["o"])  # type: ignore[index]
    return [_to_record(kind, subject, values[subject], nested.get(subject, {}))
            for subject in order_of]


def _convert(field: Field, obj: Node, label: str | None) -> Any:
    if field.kind in ("string", "text"):
        return str(obj)
    if field.kind == "integer":
        try:
            return int(str(obj))
        except ValueError:
            return str(obj)
    if field.kind == "date":
        return str(obj)
    if field.kind == "enum":
        return local_name(obj)
    if label is None and field.kind == "reference-code":
        return _unlisted_reference_code(obj)
    return label if label is not None else str(obj)


_REFERENCE_CONCEPT = re.compile(re.escape(f"{iris.BASE}ref/") + r"[a-z0-9-]+/([^/]+)")


def _unlisted_reference_code(obj: Node) -> str:
    """The code of a reference concept no loaded list holds (a code accepted outside a
    provisional list), read back from the IRI it was minted as (`iris.reference_concept_iri`)
    so that what is read can be written again unchanged; any other IRI as it is."""
    match = _REFERENCE_CONCEPT.fullmatch(str(obj))
    return unquote(match.group(1)) if match else str(obj)


def _to_record(kind: EntityKind, subject: URIRef, props: Mapping[Any, Mapping[Node, str | None]],
               nested: Mapping[URIRef, Mapping[Any, list[Node]]]) -> dict[str, Any]:
    record: dict[str, Any] = {"@id": str(subject)}
    for f in kind.fields:
        if f.kind == "nested":
            continue
        found = sorted((_convert(f, o, label) for o, label in props.get(f.predicate, {}).items()),
                       key=_sort_key)
        record[f.name] = found if f.many else (found[0] if found else None)
    if kind.name == "sop":
        record.update(_sop_parts(props, nested))
    return record


def _sort_key(value: Any) -> tuple[int, Any]:
    return (0, value) if isinstance(value, int) else (1, str(value))


def _first(values: list[Node] | None) -> Node | None:
    return sorted(values, key=str)[0] if values else None


def _sop_parts(props: Mapping[Any, Mapping[Node, str | None]],
               nested: Mapping[URIRef, Mapping[Any, list[Node]]]) -> dict[str, Any]:
    actor_nodes = set(props.get(SPBE.memilikiPelaksana, {}))
    step_nodes = set(props.get(SPBE.memilikiLangkah, {}))

    def order(node: URIRef) -> tuple[int, str]:
        value = _first(nested.get(node, {}).get(SPBE.urutan))
        try:
            return (int(str(value)), str(node))
        except (TypeError, ValueError):
            return (10**9, str(node))

    actors = sorted((n for n in actor_nodes if isinstance(n, URIRef)), key=order)
    names = {n: str(_first(nested.get(n, {}).get(SPBE.nama)) or "") for n in actors}
    numbers = {n: order(n)[0] for n in step_nodes if isinstance(n, URIRef)}
    steps: list[dict[str, Any]] = []
    step_kind = KINDS["sop-langkah"]
    for node in sorted(numbers, key=order):
        data = nested.get(node, {})
        step: dict[str, Any] = {}
        for f in step_kind.fields:
            value = _first(data.get(f.predicate))
            if value is None:
                step[f.name] = None
            elif f.name == "dilaksanakanOleh":
                step[f.name] = names.get(value, str(value))  # type: ignore[call-overload]
            elif f.kind == "ref":
                step[f.name] = numbers.get(value, str(value))  # type: ignore[call-overload]
            else:
                step[f.name] = _convert(f, value, None)
        steps.append(step)
    return {"memilikiPelaksana": [names[n] for n in actors], "memilikiLangkah": steps}


def list_entities(repository: Repository, kind: EntityKind | str, *, instansi: str,
                  opd: str | None = None, reference_code: str | None = None,
                  text: str | None = None, status: str | None = None,
                  sort: str | None = None, offset: int = 0,
                  limit: int | None = 50) -> Page:
    """One page of entities of a kind (limit None = all), and how many pass the filters.

    `opd`: an OPD code (its own entities; for kind `opd`, the OPD and its sub-units);
    `reference_code`: a reference code, matching it and everything below it (skos:broader);
    `text`: case-insensitive search in kode, nama and uraian; `status`: a status value
    (statusProses or statusSOP); `sort`: a field name, `-name` for descending.
    """
    kind = get_kind(kind) if isinstance(kind, str) else kind
    if offset < 0 or (limit is not None and limit < 0):
        raise InputError("offset dan limit tidak boleh negatif",
                         "offset and limit must not be negative")
    selection = _selection(repository, kind, instansi, opd=opd, reference_code=reference_code,
                           text=text, status=status, sort=sort)
    count_query = fill_line(sparql("count"), "#SELECTION", selection.text)
    total_rows = repository.select(count_query).rows
    total = int(str(total_rows[0]["total"])) if total_rows else 0
    if total == 0 or (limit == 0):
        return Page([], total, offset, limit)
    items = _read(repository, kind, _paged(selection, offset, limit), selection.order)
    return Page(items, total, offset, limit)


def get_entity(repository: Repository, kind: EntityKind | str, code: str, *,
               instansi: str) -> dict[str, Any] | None:
    """One entity by its code, or None."""
    kind = get_kind(kind) if isinstance(kind, str) else kind
    selection = _selection(repository, kind, instansi, code=code)
    items = _read(repository, kind, selection.text, selection.order)
    return items[0] if items else None


def iter_entities(repository: Repository, kind: EntityKind | str, *, instansi: str,
                  opd: str | None = None, page_size: int = 5000) -> Iterable[dict[str, Any]]:
    """Every entity of a kind, read a page at a time (for exports)."""
    offset = 0
    while True:
        page = list_entities(repository, kind, instansi=instansi, opd=opd, offset=offset,
                             limit=page_size)
        yield from page.items
        offset += len(page.items)
        if not page.items or offset >= page.total:
            return


# --- resolving codes against the repository ---------------------------------------------------

def stored_opds(repository: Repository) -> set[str]:
    """The IRI of every OPD the repository holds, in any graph: what an OPD named in a token
    or a filter is checked against (a mistyped code would otherwise pass unnoticed)."""
    rows = repository.select(sparql("opd_iris"), {"class": KINDS["opd"].rdf_class}).rows
    return {str(row["opd"]) for row in rows}


def require_known_instansi(repository: Repository, kode_wilayah: str) -> None:
    """A kode wilayah the repository does not know is a typo (3547 for 3574), not an empty
    instansi: `InputError` naming the known codes. Known: the instansi has data in its graph
    or is named by data elsewhere. A repository without any instansi accepts every code
    (nothing to compare with)."""
    if repository.ask(sparql("graph_has_data"), {"g": iris.instansi_graph(kode_wilayah)}):
        return
    prefix = str(iris.instansi_graph(""))
    known = sorted({str(row["kode"]) for row in repository.select(sparql("instansi_codes"))}
                   | {unquote(str(g)[len(prefix):]) for g in repository.graph_names()
                      if str(g).startswith(prefix)})
    if known and kode_wilayah not in known:
        listed = ", ".join(known)
        raise InputError(
            f"instansi dengan kode wilayah '{kode_wilayah}' tidak ada di repositori;"
            f" kode yang ada: {listed}",
            f"there is no instansi with kode wilayah '{kode_wilayah}' in the repository;"
            f" known codes: {listed}")


def _stored_iri(repository: Repository, kind: EntityKind, instansi: str,
                code: str) -> URIRef | None:
    rows = repository.select(sparql("codes"), {"class": kind.rdf_class,
                                                "instansi": iris.instansi_iri(instansi),
                                                "code": Literal(code)})
    found = [r["e"] for r in rows if isinstance(r.get("e"), URIRef)]
    return found[0] if found else None  # type: ignore[return-value]


@dataclass
class ReferenceConcept:
    iri: URIRef
    code: str
    name: str
    level: int | None
    scheme: str
    scheme_name: str
    version: URIRef | None
    broader: URIRef | None = None


def reference_concepts(repository: Repository, instansi: str | None = None,
                       ) -> dict[str, dict[str, ReferenceConcept]]:
    """Reference concepts per scheme prefix and code, of the reference version in force for
    `instansi` (its newest architecture period), or of every version when none is recorded."""
    version = reference_version_in_force(repository, instansi) if instansi else None
    out: dict[str, dict[str, ReferenceConcept]] = defaultdict(dict)
    for row in repository.select(sparql("reference_concepts")):
        concept_version = row.get("version")
        if version is not None and concept_version is not None and concept_version != version:
            continue
        level = row.get("level")
        concept = ReferenceConcept(
            row["concept"], str(row["code"]), str(row.get("name") or ""),  # type: ignore[arg-type]
            int(str(level)) if level is not None else None, str(row["prefix"]),
            str(row.get("schemeName") or ""),
            concept_version if isinstance(concept_version, URIRef) else None,
            row["broader"] if isinstance(row.get("broader"), URIRef) else None)  # type: ignore[arg-type]
        out[concept.scheme][concept.code] = concept
    return dict(out)


def minted_reference_iris(repository: Repository, code: str) -> list[URIRef]:
    """The concept IRI `code` has in each recorded reference version: what an element
    classified with a code outside a loaded list carries (`_outside_provisional_list`)."""
    found: set[URIRef] = set()
    for row in repository.select(sparql("reference_versions")):
        version, name = row.get("version"), str(row.get("name") or "")
        # a version whose IRI is not minted from its name mints no IRIs from it either
        if isinstance(version, URIRef) and iris.reference_version_iri(name) == version:
            found.add(iris.reference_concept_iri(name, code))
    return sorted(found)


def reference_code_in_use(repository: Repository, kind: EntityKind, code: str) -> bool:
    """Whether an element of `kind` anywhere in the repository is classified with `code`
    stored outside the loaded lists (under its minted IRI)."""
    if kind.reference_field is None:
        return False
    predicate = kind.field(kind.reference_field).predicate
    return any(repository.ask(sparql("reference_code_used"),
                              {"predicate": predicate, "concept": concept})
               for concept in minted_reference_iris(repository, code))


def reference_version_in_force(repository: Repository, instansi: str) -> URIRef | None:
    rows = repository.select(sparql("period_version"), {"instansi": iris.instansi_iri(instansi)})
    for row in rows:
        version = row.get("version")
        if isinstance(version, URIRef):
            return version
    return None


@dataclass(frozen=True)
class ProvisionalScheme:
    """A reference scheme whose code list is provisional (`spbe:provisional true`)."""

    prefix: str
    version: URIRef
    version_name: str
    name: str


def provisional_schemes(repository: Repository) -> dict[str, list[ProvisionalScheme]]:
    """The provisional schemes per prefix (RAA …), one per reference version holding one.
    A version whose IRI is not the one `iris` mints from its name is left out: the IRI a
    code outside the list is stored under would not be that of the same code in an
    official list of that version."""
    out: dict[str, list[ProvisionalScheme]] = defaultdict(list)
    for row in repository.select(sparql("provisional_schemes")):
        version, version_name = row.get("version"), str(row.get("versionName") or "")
        if not isinstance(version, URIRef) or iris.reference_version_iri(version_name) != version:
            continue
        scheme = ProvisionalScheme(str(row["prefix"]), version, version_name,
                                   str(row.get("schemeName") or ""))
        if scheme not in out[scheme.prefix]:
            out[scheme.prefix].append(scheme)
    return dict(out)


def scheme_name(concepts: Mapping[str, ReferenceConcept], prefix: str) -> str:
    for concept in concepts.values():
        if concept.scheme_name:
            return concept.scheme_name
    return prefix


class RepositoryResolver(Resolver):
    """Resolves codes against the repository (and the batch being written) and reports
    every unknown code, enumerated value or reference code."""

    def __init__(self, repository: Repository, instansi: str, *,
                 lenient_codes: bool = False) -> None:
        super().__init__(instansi, lenient_codes=lenient_codes,
                         reference_version=DEFAULT_REFERENCE_VERSION)
        self.repository = repository
        self._codes: dict[str, dict[str, URIRef]] = {}
        self._batch: dict[str, dict[str, URIRef]] = defaultdict(dict)
        self._references: dict[str, dict[str, ReferenceConcept]] | None = None
        self._provisional: dict[str, list[ProvisionalScheme]] | None = None

    def stored_codes(self, kind: EntityKind) -> dict[str, URIRef]:
        if kind.name not in self._codes:
            rows = self.repository.select(sparql("codes"), {
                "class": kind.rdf_class, "instansi": iris.instansi_iri(self.instansi)})
            self._codes[kind.name] = {str(r["code"]): r["e"] for r in rows  # type: ignore[misc]
                                      if isinstance(r.get("e"), URIRef)}
        return self._codes[kind.name]

    def add_batch_code(self, kind: EntityKind, code: str) -> None:
        self._batch[kind.name][code] = self.entity_iri(kind, code)

    def entity_iri(self, kind: EntityKind, code: str) -> URIRef:
        stored = self.stored_codes(kind).get(code) if kind.top_level else None
        return stored or super().entity_iri(kind, code)

    def _lookup(self, kind: EntityKind, code: str) -> tuple[str, URIRef] | None:
        for table in (self._batch.get(kind.name, {}), self.stored_codes(kind)):
            if code in table:
                return code, table[code]
        return None

    def ref(self, ctx: Context, field: Field, value: str) -> URIRef | None:
        assert field.ref_kind is not None
        target = KINDS[field.ref_kind]
        found = self._lookup(target, value)
        if found is None and self.lenient_codes:
            folded = value.casefold()
            matches = {(c, i) for table in (self._batch.get(target.name, {}),
                                             self.stored_codes(target))
                       for c, i in table.items() if c.casefold() == folded}
            if len(matches) == 1:
                found = matches.pop()
                self.warn(ctx, field.name, value,
                          f"kode '{value}' ditulis sebagai '{found[0]}'",
                          f"code '{value}' taken as '{found[0]}'")
        if found is None:
            what_id, what_en = target.label("id"), target.label("en")
            self.problem(ctx, field.name, value,
                         f"{what_id} dengan kode '{value}' tidak ada",
                         f"there is no {what_en} with code '{value}'")
            return None
        return found[1]

    def references(self) -> dict[str, dict[str, ReferenceConcept]]:
        if self._references is None:
            self._references = reference_concepts(self.repository, self.instansi)
        return self._references

    @cached_property
    def version_in_force(self) -> URIRef | None:
        return reference_version_in_force(self.repository, self.instansi)

    def provisional_scheme(self, prefix: str) -> ProvisionalScheme | None:
        """The provisional list of `prefix` a code outside the loaded lists is taken for:
        the one of the reference version in force, else (no period records a version) the
        only one loaded, or the one of the default version; None when the list is official
        (or absent), since then an unknown code is refused."""
        if self._provisional is None:
            self._provisional = provisional_schemes(self.repository)
        candidates = self._provisional.get(prefix, [])
        version = self.version_in_force
        if version is not None:
            candidates = [c for c in candidates if c.version == version]
        elif len(candidates) > 1:
            default = iris.reference_version_iri(self.reference_version)
            candidates = [c for c in candidates if c.version == default]
        return candidates[0] if len(candidates) == 1 else None

    def reference(self, ctx: Context, field: Field, value: str) -> URIRef | None:
        assert field.scheme is not None
        concepts = self.references().get(field.scheme, {})
        concept = concepts.get(value)
        code = value
        if concept is None and self.lenient_codes:
            normalised = re.sub(r"\s+", "", value).upper()
            concept = concepts.get(normalised)
            if concept is not None:
                self.warn(ctx, field.name, value,
                          f"kode referensi '{value}' ditulis sebagai '{normalised}'",
                          f"reference code '{value}' taken as '{normalised}'")
            elif reference_code_problem(field.scheme, value) is not None:
                # outside the list only the case and spaces beside a dot count as a slip
                # (`raa .07`); `RAA.07 baru` must not become the code `RAA.07BARU`
                code = re.sub(r"\s*\.\s*", ".", value).upper()
        if concept is not None:
            return concept.iri
        provisional = self.provisional_scheme(field.scheme)
        if provisional is not None:
            return self._outside_provisional_list(ctx, field, value, code, provisional)
        name = scheme_name(concepts, field.scheme)
        if not concepts:
            self.problem(ctx, field.name, value,
                         f"referensi {field.scheme} belum dimuat ke repositori, sehingga"
                         f" '{value}' tidak dapat diperiksa",
                         f"the {field.scheme} reference is not loaded in the repository,"
                         f" so '{value}' cannot be checked")
        else:
            self.problem(ctx, field.name, value, f"'{value}' tidak ada dalam {name}",
                         f"'{value}' is not in {name} ({field.scheme})")
        return None

    def _outside_provisional_list(self, ctx: Context, field: Field, value: str, code: str,
                                  scheme: ProvisionalScheme) -> URIRef | None:
        """A code no loaded list holds, for a scheme whose list is provisional: the rules
        only warn about it (`Elemen-klasifikasiRA?-dikenal`), so it is stored, under the
        IRI it would have in that version, which an official list loaded later will hold."""
        assert field.scheme is not None
        if reference_code_problem(field.scheme, code) is not None:
            # said of the code as written, which is malformed too (`code` differs from it
            # only when it is)
            malformed = reference_code_problem(field.scheme, value)
            assert malformed is not None
            self.problem(ctx, field.name, value, *malformed)
            return None
        if code != value:
            self.warn(ctx, field.name, value,
                      f"kode referensi '{value}' ditulis sebagai '{code}'",
                      f"reference code '{value}' taken as '{code}'")
        name = scheme.name or field.scheme
        self.warn(ctx, field.name, code,
                  f"kode '{code}' tidak ada dalam daftar {name} ({field.scheme}) yang dimuat;"
                  " daftar itu sementara (belum dari sumber resmi), maka kode ini diterima"
                  " dan disimpan dengan peringatan; periksa kodenya",
                  f"code '{code}' is not in the loaded {field.scheme} list ({name}); that"
                  " list is provisional (not from an official source), so the code is"
                  " accepted and stored with a warning; check the code")
        return iris.reference_concept_iri(scheme.version_name, code)


# --- planning writes ------------------------------------------------------------------------

Action = TypingLiteral["add", "change", "remove"]


@dataclass
class EntityChange:
    """What a change set does to one entity."""

    kind: str
    code: str
    iri: URIRef
    action: Action
    fields: list[str] = field(default_factory=list)
    """Names of the fields whose values change."""
    index: int | None = None
    """Position of the record in the input (for imports)."""


@dataclass
class EntityChangeSet(ChangeSet):
    """A `ChangeSet` that also says which entities it adds, changes and removes."""

    entity_changes: list[EntityChange] = field(default_factory=list)
    warnings: list[FieldProblem] = field(default_factory=list)
    unchanged: int = 0

    @property
    def entities(self) -> list[URIRef]:
        return [c.iri for c in self.entity_changes]

    def by_action(self, action: Action) -> list[EntityChange]:
        return [c for c in self.entity_changes if c.action == action]

    @property
    def added(self) -> list[EntityChange]:
        return self.by_action("add")

    @property
    def changed(self) -> list[EntityChange]:
        return self.by_action("change")

    @property
    def removed(self) -> list[EntityChange]:
        return self.by_action("remove")

    def summary(self, lang: str = "id") -> str:
        if lang == "en":
            return (f"{len(self.added)} added, {len(self.changed)} changed,"
                    f" {len(self.removed)} removed, {self.unchanged} unchanged")
        return (f"{len(self.added)} ditambah, {len(self.changed)} diubah,"
                f" {len(self.removed)} dihapus, {self.unchanged} tidak berubah")


_NESTED_LINKS = frozenset({SPBE.memilikiPelaksana, SPBE.memilikiLangkah})
_PART_PREDICATES = frozenset({RDF.type, *KINDS["sop-langkah"].predicates,
                              *KINDS["sop-pelaksana"].predicates})
"""What the catalogue says about an SOP's steps and pelaksana: all a record can state."""


def _stored(repository: Repository, kind: EntityKind, graph: URIRef,
            subjects: Sequence[URIRef]) -> tuple[dict[URIRef, set[Triple]],
                                                 dict[URIRef, set[Triple]]]:
    """Triples stored in `graph` about `subjects`, and about their SOP sub-records."""
    own: dict[URIRef, set[Triple]] = defaultdict(set)
    parts: dict[URIRef, set[Triple]] = defaultdict(set)
    if not subjects:
        return own, parts
    wanted = set(subjects)
    bulk = len(subjects) > BULK_THRESHOLD
    if bulk:
        rows = repository.select(sparql("stored_kind"), {"graph": graph,
                                                         "class": kind.rdf_class})
    else:
        query = fill_line(sparql("stored_entities"), "#ENTITIES", _values_block("e", subjects))
        rows = repository.select(query, {"graph": graph})
    for row in rows:
        s = row["e"]
        if isinstance(s, URIRef) and s in wanted:
            own[s].add((s, row["p"], row["o"]))  # type: ignore[arg-type]
    if kind.name == "sop":
        if bulk:
            rows = repository.select(sparql("stored_nested_kind"),
                                     {"graph": graph, "class": kind.rdf_class})
        else:
            query = fill_line(sparql("stored_nested_entities"), "#ENTITIES",
                                                             _values_block("e", subjects))
            rows = repository.select(query, {"graph": graph})
        for row in rows:
            s = row["e"]
            if isinstance(s, URIRef) and s in wanted:
                parts[s].add((row["n"], row["p"], row["o"]))  # type: ignore[arg-type]
    return own, parts


def _field_names(kind: EntityKind, predicates: Iterable[Node]) -> list[str]:
    names = []
    for f in kind.fields:
        if f.kind == "nested":
            if f.predicate in predicates:
                names.append(f.name)
        elif f.predicate in predicates:
            names.append(f.name)
    return names


@dataclass(frozen=True)
class _Desired:
    """One record of a batch as triples, with what the diff needs to know about it."""

    index: int
    code: str
    triples: set[Triple]
    present: set[str]
    """The record's keys (what a partial write replaces)."""


def plan_changes(repository: Repository, upserts: Mapping[str, Sequence[Mapping[str, Any]]],
                 *, instansi: str, deletes: Mapping[str, Sequence[str]] | None = None,
                 partial: bool | Collection[str] = False, lenient_codes: bool = False,
                 force_delete: bool = False) -> EntityChangeSet:
    """Plan writing several kinds at once (records may refer to each other).

    `upserts`: kind name -> full records (replace semantics: a field missing from a record
    is removed; with `partial`, fields missing from a record are left as stored; `partial`
    may also name the kinds it applies to).
    `deletes`: kind name -> codes to delete. Raises `InputProblems` (whose problems are
    `FieldProblem`s with kind, record index and field) if anything is wrong; nothing is
    planned then. With `lenient_codes`, a code that matches an existing one except for
    letter case is taken as that one (with a warning).
    """
    resolver = RepositoryResolver(repository, instansi, lenient_codes=lenient_codes)
    graph = iris.instansi_graph(instansi)
    kinds = _written_kinds([*upserts, *(deletes or {})])
    problems = _batch_codes(upserts, kinds, resolver)
    desired = {name: _desired(kinds[name], records, resolver)
               for name, records in upserts.items()}
    problems.extend(resolver.problems)
    delete_subjects = {name: _delete_subjects(kinds[name], codes, resolver, problems)
                       for name, codes in (deletes or {}).items()}
    if problems:
        raise InputProblems(problems)

    result = EntityChangeSet(warnings=list(resolver.warnings))
    for name, per_subject in desired.items():
        kind_partial = partial if isinstance(partial, bool) else name in partial
        _plan_upserts(repository, kinds[name], graph, per_subject, kind_partial, result)
    # entities deleted together may refer to each other (a process and its SOP)
    deleted = {subject for subjects in delete_subjects.values() for subject in subjects}
    for name, subjects in delete_subjects.items():
        problems += _plan_deletes(repository, kinds[name], graph, subjects, deleted,
                                  force_delete, result)
    if problems:
        raise InputProblems(problems)
    return result


def _written_kinds(names: Sequence[str]) -> dict[str, EntityKind]:
    """The kinds a batch writes; only top-level ones can be written on their own."""
    kinds = {name: get_kind(name) for name in names}
    for name, kind in kinds.items():
        if not kind.top_level:
            raise InputError(f"'{name}' hanya dapat ditulis melalui induknya ({kind.nested_in})",
                             f"'{name}' can only be written through its parent"
                             f" ({kind.nested_in})")
    return kinds


def _batch_codes(upserts: Mapping[str, Sequence[Mapping[str, Any]]],
                 kinds: Mapping[str, EntityKind], resolver: RepositoryResolver,
                 ) -> list[SpbeError]:
    """Tell `resolver` the codes of the batch, so records may refer to each other; a record
    that is not an object and a code given twice are problems."""
    problems: list[SpbeError] = []
    for name, records in upserts.items():
        kind = kinds[name]
        seen: dict[str, int] = {}
        for index, record in enumerate(records):
            if not isinstance(record, Mapping):
                problems.append(_not_an_object(kind, index, record))
                continue
            code = record_code(kind, record)
            if not code:
                continue
            if code in seen:
                problems.append(_duplicate_code(kind, index, code, seen[code]))
                continue
            seen[code] = index
            resolver.add_batch_code(kind, code)
    return problems


def _desired(kind: EntityKind, records: Sequence[Mapping[str, Any]],
             resolver: RepositoryResolver) -> dict[URIRef, _Desired]:
    """The records of one kind as triples, by subject (the first record of a subject wins;
    problems go to `resolver`)."""
    per_subject: dict[URIRef, _Desired] = {}
    for index, record in enumerate(records):
        if not isinstance(record, Mapping):
            continue
        subject, triples = record_to_triples(kind, record, resolver, index)
        if subject is None or subject in per_subject:
            continue
        present = {k for k in record if k not in IGNORED_KEYS}
        per_subject[subject] = _Desired(index, record_code(kind, record) or "", set(triples),
                                        present)
    return per_subject


def _delete_subjects(kind: EntityKind, codes: Sequence[str], resolver: RepositoryResolver,
                     problems: list[SpbeError]) -> dict[URIRef, str]:
    """The stored entities to delete (IRI -> code); a code that does not exist is a
    problem."""
    stored = resolver.stored_codes(kind)
    subjects: dict[URIRef, str] = {}
    for index, code in enumerate(codes):
        if code not in stored:
            problems.append(_no_such_code(kind, index, code))
        else:
            subjects[stored[code]] = code
    return subjects


# --- planning writes: the diff of one kind's records against the store ---------------------

def _plan_upserts(repository: Repository, kind: EntityKind, graph: URIRef,
                  per_subject: Mapping[URIRef, _Desired], kind_partial: bool,
                  result: EntityChangeSet) -> None:
    """Add to `result` what writing these records changes against what is stored."""
    own, parts = _stored(repository, kind, graph, list(per_subject))
    for subject, record in per_subject.items():
        to_add, to_remove, is_new = _entity_diff(kind, subject, record,
                                                 own.get(subject, set()),
                                                 parts.get(subject, set()), kind_partial)
        if to_add or to_remove:
            result.entity_changes.append(EntityChange(
                kind.name, record.code, subject, "add" if is_new else "change",
                [] if is_new else _field_names(kind, _touched(subject, to_add | to_remove)),
                record.index))
        else:
            result.unchanged += 1
        result.add += [(s, p, o, graph) for s, p, o in sorted(to_add)]
        result.remove += [(s, p, o, graph) for s, p, o in sorted(to_remove)]


def _entity_diff(kind: EntityKind, subject: URIRef, record: _Desired, own: set[Triple],
                 parts: set[Triple], kind_partial: bool,
                 ) -> tuple[set[Triple], set[Triple], bool]:
    """(triples to add, triples to remove, whether the entity is new) for one record."""
    existing = own | parts
    manage_parts = kind.name == "sop" and bool(
        not kind_partial or record.present & {"memilikiLangkah", "memilikiPelaksana"})
    managed_predicates = _managed_predicates(kind, record.present, kind_partial, manage_parts)
    managed = {t for t in own if t[1] in managed_predicates}
    if manage_parts:
        # a step or pelaksana the record keeps loses only what the record describes
        # (a step's prov:wasDerivedFrom to its BPMN element stays); one it drops goes
        # with all of its triples
        kept_parts = {t[0] for t in record.triples if t[0] != subject}
        managed |= {t for t in parts if t[0] not in kept_parts or t[1] in _PART_PREDICATES}
    wanted = {t for t in record.triples
              if t[0] != subject or t[1] in managed_predicates or t[1] == RDF.type}
    is_new = (subject, RDF.type, kind.rdf_class) not in existing
    return wanted - existing, managed - wanted, is_new


def _managed_predicates(kind: EntityKind, present: set[str], kind_partial: bool,
                        manage_parts: bool) -> set[Node]:
    """The predicates of an entity that a record replaces: all of its kind's, or with a
    partial write only those of the fields the record gives."""
    managed: set[Node] = set(kind.predicates) | {SPBE.instansi}
    if kind_partial:
        managed = {kind.field(k).predicate for k in present
                   if kind.has_field(k)} | {SPBE.instansi, SPBE.kode}
    if manage_parts:
        managed |= _NESTED_LINKS
    return managed


def _touched(subject: URIRef, changed: set[Triple]) -> set[Node]:
    """The predicates of the entity that change; a change to its steps or pelaksana counts
    as a change of its steps."""
    touched: set[Node] = {t[1] for t in changed if t[0] == subject}
    if any(t[0] != subject for t in changed):
        touched.add(SPBE.memilikiLangkah)
    return touched


def _plan_deletes(repository: Repository, kind: EntityKind, graph: URIRef,
                  subjects: Mapping[URIRef, str], deleted: set[URIRef], force_delete: bool,
                  result: EntityChangeSet) -> list[SpbeError]:
    """Add to `result` the removal of these entities, or return why they cannot go: other
    entities (not deleted with them) still link to them and the delete is not forced."""
    own, parts = _stored(repository, kind, graph, list(subjects))
    owned_nodes = {t[0] for ts in parts.values() for t in ts}
    referrers = _referrers(repository, graph, list(subjects))
    blocking = [(s, p, e, c) for s, p, e, c, _ in referrers
                if s not in deleted and s not in owned_nodes]
    if blocking and not force_delete:
        return [_still_referred(kind, subjects[e], s, p, c) for s, p, e, c in blocking]
    for subject, code in subjects.items():
        stored_triples = own.get(subject, set()) | parts.get(subject, set())
        result.remove += [(s, p, o, graph) for s, p, o in sorted(stored_triples)]
        result.entity_changes.append(EntityChange(kind.name, code, subject, "remove"))
    result.remove += [(s, p, e, graph) for s, p, e, _ in blocking]
    # the entities losing a link change too: the caller checks their OPD scope and
    # records them in the audit trail as it does for the deleted ones
    lost: dict[URIRef, tuple[str, str, set[URIRef]]] = {}
    for s, p, _e, c, referrer_kind in referrers:
        if s in deleted or s in owned_nodes or c is None or referrer_kind is None:
            continue
        lost.setdefault(s, (referrer_kind, c, set()))[2].add(p)
    for s, (referrer_kind, c, predicates) in lost.items():
        result.entity_changes.append(EntityChange(
            referrer_kind, c, s, "change", _field_names(KINDS[referrer_kind], predicates)))
    return []


# --- planning writes: refusals ----------------------------------------------------------------

def _not_an_object(kind: EntityKind, index: int, record: object) -> FieldProblem:
    return FieldProblem(kind, index, None, "", record, "setiap entri harus berupa objek",
                        "every entry must be an object")


def _duplicate_code(kind: EntityKind, index: int, code: str, first: int) -> FieldProblem:
    return FieldProblem(
        kind, index, code, kind.identity_field.name, code,
        f"kode '{code}' muncul lebih dari sekali (pertama pada entri ke-{first + 1})",
        f"code '{code}' occurs more than once (first in entry {first + 1})")


def _no_such_code(kind: EntityKind, index: int, code: str) -> FieldProblem:
    return FieldProblem(kind, index, code, kind.identity_field.name, code,
                        f"{kind.label('id')} dengan kode '{code}' tidak ada",
                        f"there is no {kind.label('en')} with code '{code}'")


def _still_referred(kind: EntityKind, code: str, referrer: URIRef, predicate: URIRef,
                    referrer_code: str | None) -> FieldProblem:
    return FieldProblem(
        kind, 0, code, kind.identity_field.name, code,
        f"masih dirujuk oleh '{referrer_code or referrer}' ({local_name(predicate)}); hapus"
        " rujukan itu dahulu",
        f"still referred to by '{referrer_code or referrer}' ({local_name(predicate)}); remove"
        " that link first")


def _referrers(repository: Repository, graph: URIRef, subjects: Sequence[URIRef],
               ) -> list[tuple[URIRef, URIRef, URIRef, str | None, str | None]]:
    """(referrer, predicate, entity, the referrer's code, its kind name) of every link to
    `subjects`, once each; the kind is None for what is not a top-level entity."""
    query = fill_line(sparql("referrers"), "#ENTITIES", _values_block("e", subjects))
    found: dict[tuple[Node, Node, Node], tuple[str | None, str | None]] = {}
    for row in repository.select(query, {"graph": graph}):
        key = (row["s"], row["p"], row["e"])
        code = row.get("code")
        rdf_type = row.get("type")
        kind = kind_of_class(rdf_type) if isinstance(rdf_type, URIRef) else None
        kind_name = kind.name if kind is not None and kind.top_level else None
        previous = found.get(key)
        if previous is None or (previous[1] is None and kind_name is not None):
            found[key] = (str(code) if code is not None else None, kind_name)
    # in the order of the entities' and referrers' codes, not the store's row order (which
    # differs between stores holding the same data): refusals and plans read the same
    listed = [(s, p, e, code, kind_name)
              for (s, p, e), (code, kind_name) in found.items()]
    listed.sort(key=lambda r: (str(r[2]), r[3] or "", str(r[0]), str(r[1])))
    return listed  # type: ignore[return-value]


def plan_upsert(repository: Repository, kind: EntityKind | str,
                records: Sequence[Mapping[str, Any]], *, instansi: str,
                partial: bool = False, lenient_codes: bool = False) -> EntityChangeSet:
    """Plan creating or replacing entities of one kind (upsert by code).

    A record may name, under `@reverse`, entities of other kinds that are to link to it
    (`catalogue.reverse_links`): those links are added to them in the same change.
    Re-planning the same records after applying the result gives an empty change set.
    """
    entity_kind = get_kind(kind) if isinstance(kind, str) else kind
    own: list[Mapping[str, Any]] = []
    linking: dict[str, dict[str, dict[str, Any]]] = {}
    problems: list[SpbeError] = []
    for index, record in enumerate(records):
        if isinstance(record, Mapping) and "@reverse" in record:
            record = {k: v for k, v in record.items() if k != "@reverse"}
            problems += _reverse_records(repository, entity_kind, index, record,
                                         records[index]["@reverse"], instansi, linking)
        own.append(record)
    if problems:
        raise InputProblems(problems)
    upserts: dict[str, Sequence[Mapping[str, Any]]] = {entity_kind.name: own}
    upserts.update({name: list(by_code.values()) for name, by_code in linking.items()})
    return plan_changes(repository, upserts, instansi=instansi,
                        partial=partial or set(linking), lenient_codes=lenient_codes)


def _reverse_records(repository: Repository, kind: EntityKind, index: int,
                     record: Mapping[str, Any], reverse: object, instansi: str,
                     linking: dict[str, dict[str, dict[str, Any]]]) -> list[SpbeError]:
    """Partial records (into `linking`: kind -> code -> record) adding a link to `record`
    to every entity its `@reverse` names; the problems found."""
    code = record_code(kind, record)
    links = reverse_links(kind)
    allowed = ", ".join(links) or "-"
    if not isinstance(reverse, Mapping):
        return [FieldProblem(kind, index, code, "@reverse", reverse,
                             "@reverse harus berupa objek: nama tautan -> daftar kode",
                             "@reverse must be an object: link name -> list of codes")]
    problems: list[SpbeError] = []
    for name, values in reverse.items():
        if name not in links:
            problems.append(FieldProblem(
                kind, index, code, f"@reverse.{name}", values,
                f"tautan balik '{name}' tidak dikenal untuk {kind.label('id')}; yang ada:"
                f" {allowed}",
                f"unknown reverse link '{name}' for a {kind.label('en')}; known: {allowed}"))
            continue
        other, link = links[name]
        for value in values if isinstance(values, list | tuple) else [values]:
            if isinstance(value, Mapping):
                # JSON-LD wants node objects under @reverse: {"kode": "…"} names one too
                value = value.get("kode")
            if not isinstance(value, str) or not value.strip():
                problems.append(FieldProblem(
                    kind, index, code, f"@reverse.{name}", value,
                    f"kode {other.label('id')} harus berupa teks",
                    f"a {other.label('en')} code must be text"))
                continue
            target = value.strip()
            partial_record = linking.setdefault(other.name, {}).get(target)
            if partial_record is None:
                stored = get_entity(repository, other, target, instansi=instansi)
                if stored is None:
                    problems.append(FieldProblem(
                        kind, index, code, f"@reverse.{name}", target,
                        f"{other.label('id')} dengan kode '{target}' tidak ada",
                        f"there is no {other.label('en')} with code '{target}'"))
                    continue
                partial_record = {"kode": target, link.name: list(stored.get(link.name) or [])}
                linking[other.name][target] = partial_record
            if link.name not in partial_record:  # the same entity, through another link
                stored = get_entity(repository, other, target, instansi=instansi) or {}
                partial_record[link.name] = list(stored.get(link.name) or [])
            if code and code not in partial_record[link.name]:
                partial_record[link.name].append(code)
    return problems


def plan_delete(repository: Repository, kind: EntityKind | str, codes: Sequence[str], *,
                instansi: str, force: bool = False) -> EntityChangeSet:
    """Plan deleting entities (with their SOP sub-records). If other entities still link to
    one, that is an error, unless `force`, which removes those links too."""
    name = kind if isinstance(kind, str) else kind.name
    return plan_changes(repository, {}, instansi=instansi, deletes={name: list(codes)},
                        force_delete=force)


def enum_choices(field: Field, lang: str = "id") -> list[tuple[str, str]]:
    """(value, label) pairs of an enumerated field, in order."""
    assert field.enum_class is not None
    return [(local_name(v), enum_display(v, lang))
            for v in metadata().enum_values(field.enum_class)]

