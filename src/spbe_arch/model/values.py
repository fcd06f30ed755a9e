"""Turning field values into RDF terms and back, and checking them.

A `Resolver` knows how to turn the codes in a record into IRIs: enumerated values into
ontology individuals, entity codes into element IRIs, reference codes into reference
concepts. The base class works offline (pure mapping, for `entity_to_graph`); the
repository-backed one in `spbe_arch.model.service` also checks that every code exists.
Problems are collected, not raised one by one, so a whole batch is reported at once.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rdflib import RDF, XSD
from rdflib.term import Literal, Node, URIRef

from spbe_arch import iris
from spbe_arch.errors import InputError, Location
from spbe_arch.model.catalogue import KINDS, EntityKind, Field
from spbe_arch.model.metadata import metadata
from spbe_arch.vocab import SPBE

Triple = tuple[URIRef, URIRef, Node]

DEFAULT_REFERENCE_VERSION = "Perpres 132/2022"
MAX_CODE_LENGTH = 200
"""The longest code an entity may have: the REST API names an entity by its code in the
address (`/api/{kind}/{kode}`) and takes at most this many characters there."""
IGNORED_KEYS = frozenset({"@id", "@type", "@context"})
_SPBE_NS = str(SPBE._NS)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
"""The code pattern of the shapes (`spbesh:Elemen-kode-pola`); a test keeps the two equal."""


class FieldProblem(InputError):
    """A bad value in one field of one record; carries where it is for the caller to map
    (the Excel importer turns `index` and `field` into sheet, row and column)."""

    def __init__(self, kind: EntityKind, index: int, code: str | None, field: str,
                 value: object, message_id: str, message_en: str,
                 *, warning: bool = False) -> None:
        element = f"{kind.name} '{code}'" if code else f"{kind.name} #{index + 1}"
        super().__init__(message_id, message_en, Location(element=element, field=field))
        self.kind = kind
        self.index = index
        self.code = code
        self.field = field
        self.value = value
        self.warning = warning


def local_name(iri: Node) -> str:
    text = str(iri)
    return text[len(_SPBE_NS):] if text.startswith(_SPBE_NS) else text


def display_value(value: object) -> str:
    return "" if value is None else str(value)


@dataclass
class Context:
    """Where a value comes from, for messages."""

    kind: EntityKind
    index: int
    code: str | None


class Resolver:
    """Offline resolution: maps codes to IRIs without checking that they exist."""

    def __init__(self, instansi: str, *, lenient_codes: bool = False,
                 reference_version: str = DEFAULT_REFERENCE_VERSION) -> None:
        self.instansi = instansi
        self.lenient_codes = lenient_codes
        self.reference_version = reference_version
        self.problems: list[FieldProblem] = []
        self.warnings: list[FieldProblem] = []
        self._enum_tables: dict[URIRef, dict[str, URIRef]] = {}

    # --- reporting -------------------------------------------------------------------------
    def problem(self, ctx: Context, field: str, value: object, message_id: str,
                message_en: str) -> None:
        self.problems.append(FieldProblem(ctx.kind, ctx.index, ctx.code, field, value,
                                          message_id, message_en))

    def warn(self, ctx: Context, field: str, value: object, message_id: str,
             message_en: str) -> None:
        self.warnings.append(FieldProblem(ctx.kind, ctx.index, ctx.code, field, value,
                                          message_id, message_en, warning=True))

    # --- IRIs ------------------------------------------------------------------------------
    def entity_iri(self, kind: EntityKind, code: str) -> URIRef:
        assert kind.iri_kind is not None
        return iris.element_iri(self.instansi, kind.iri_kind, code)

    def enum_table(self, enum_class: URIRef) -> dict[str, URIRef]:
        """Every accepted spelling (local name, notation, labels; case-folded) -> value."""
        table = self._enum_tables.get(enum_class)
        if table is None:
            table = {}
            meta = metadata()
            for candidate in meta.enum_values(enum_class):
                names = [local_name(candidate), meta.notation(candidate),
                         meta.label(candidate, "id"), meta.label(candidate, "en")]
                for name in names:
                    if name:
                        table.setdefault(name.strip().casefold(), candidate)
            self._enum_tables[enum_class] = table
        return table

    def enum(self, ctx: Context, field: Field, value: str) -> URIRef | None:
        assert field.enum_class is not None
        found = self.enum_table(field.enum_class).get(value.strip().casefold())
        if found is not None:
            return found
        allowed = metadata().enum_values(field.enum_class)
        shown = ", ".join(enum_display(v) for v in allowed) or "-"
        self.problem(ctx, field.name, value,
                     f"'{value}' bukan nilai yang diizinkan; pilih salah satu dari: {shown}",
                     f"'{value}' is not an allowed value; choose one of: {shown}")
        return None

    def ref(self, ctx: Context, field: Field, value: str) -> URIRef | None:
        assert field.ref_kind is not None
        return self.entity_iri(KINDS[field.ref_kind], value)

    def reference(self, ctx: Context, field: Field, value: str) -> URIRef | None:
        return iris.reference_concept_iri(self.reference_version, value)


def enum_display(value: URIRef, lang: str = "id") -> str:
    """How an enumerated value is shown to people (its label, else its local name)."""
    return metadata().label(value, lang) or local_name(value)


# --- record -> triples -----------------------------------------------------------------------

def _clean_code(ctx: Context, resolver: Resolver, field: str, value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        shown = shown_value(value)
        resolver.problem(ctx, field, value, f"kode harus berupa teks, bukan {shown}",
                         f"a code must be text, not {shown}")
        return None
    text = str(value)
    stripped = text.strip().replace("\u00a0", " ").strip()
    if stripped != text:
        resolver.warn(ctx, field, value,
                      f"spasi di awal/akhir kode '{text}' dihapus",
                      f"leading/trailing spaces removed from code '{text}'")
    return stripped or None


def shown_value(value: object) -> str:
    """A value as its sender wrote it (JSON: `true`, `["a"]`), not as Python prints it."""
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except ValueError:  # a float that JSON has no word for
        return str(value)


def _as_list(value: object) -> list[object]:
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple):
        return [v for v in value if v is not None and v != ""]
    return [value]


def _literal(ctx: Context, resolver: Resolver, field: Field, value: object) -> Literal | None:
    if field.kind in ("string", "text"):
        if isinstance(value, dt.date | dt.datetime | bool):
            resolver.problem(ctx, field.name, value, "harus berupa teks", "must be text")
            return None
        text = str(value).strip()
        return Literal(text) if text else None
    if field.kind == "integer":
        number: int | None = None
        if isinstance(value, bool):
            number = None
        elif isinstance(value, int):
            number = value
        elif (isinstance(value, float) and value.is_integer()) or (
                isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value)):
            number = int(value)
        if number is None:
            resolver.problem(ctx, field.name, value,
                             f"'{value}' bukan bilangan bulat", f"'{value}' is not an integer")
            return None
        return Literal(number, datatype=XSD.integer)
    if field.kind == "date":
        if isinstance(value, dt.datetime):
            if value.time() != dt.time(0):
                resolver.problem(ctx, field.name, value,
                                 f"'{value}' berisi jam; isi tanggal saja",
                                 f"'{value}' has a time of day; give a date only")
                return None
            return Literal(value.date().isoformat(), datatype=XSD.date)
        if isinstance(value, dt.date):
            return Literal(value.isoformat(), datatype=XSD.date)
        if isinstance(value, str) and _ISO_DATE.match(value.strip()):
            try:
                parsed = dt.date.fromisoformat(value.strip())
            except ValueError:
                parsed = None
            if parsed is not None:
                return Literal(parsed.isoformat(), datatype=XSD.date)
        resolver.problem(ctx, field.name, value,
                         f"'{value}' bukan tanggal yang sah (format TTTT-BB-HH)",
                         f"'{value}' is not a valid date (format YYYY-MM-DD)")
        return None
    raise AssertionError(field.kind)


def record_code(kind: EntityKind, record: Mapping[str, Any]) -> str | None:
    value = record.get(kind.identity_field.name)
    if value is None or isinstance(value, bool) or not isinstance(value, str | int):
        return None  # not a code at all: record_to_triples says so
    text = str(value).replace("\u00a0", " ").strip()
    return text or None


def code_syntax_problem(code: str) -> tuple[str, str] | None:
    """Why `code` (already stripped) cannot name anything, as (Indonesian, English), or None.
    The same checks hold for an entity's own code and for a reference code taken outside a
    provisional list, since both become an address segment and an IRI."""
    if len(code) > MAX_CODE_LENGTH:
        return (f"kode terlalu panjang ({len(code)} karakter); paling banyak"
                f" {MAX_CODE_LENGTH} karakter",
                f"the code is too long ({len(code)} characters); at most"
                f" {MAX_CODE_LENGTH} characters")
    if _CONTROL.search(code):
        # a tab or NUL in a code passed the code-pattern rule as a mere warning; such a
        # code cannot be typed into an address, a cell or a file name afterwards
        return ("kode memuat karakter kendali (tab, baris baru, NUL, …)",
                "the code holds a control character (tab, line break, NUL, …)")
    if code in (".", ".."):
        # a dot segment: clients and RDF tools resolve `…/proses-bisnis/..` to another
        # address and IRI (`…/id/3574/`), so the entity could be neither read nor deleted
        return (f"kode '{code}' tidak dapat dipakai: alamat dan IRI dengan segmen"
                f" '{code}' menunjuk ke tempat lain",
                f"the code '{code}' cannot be used: an address or IRI with the"
                f" segment '{code}' points elsewhere")
    return None


def reference_code_problem(scheme: str, code: str) -> tuple[str, str] | None:
    """Why `code` cannot be a code of the reference `scheme` (RAA …) that no loaded list
    holds, as (Indonesian, English), or None. Such a code is stored as the concept IRI it
    would have, so it must be one an official list could hold: the scheme's prefix and a
    dot, then the shapes' code pattern (no spaces)."""
    syntax = code_syntax_problem(code)
    if syntax is not None:
        return syntax
    if (not code.startswith(f"{scheme}.") or len(code) == len(scheme) + 1
            or not CODE_PATTERN.fullmatch(code)):
        return (f"'{code}' bukan kode {scheme} yang sah: kode diawali '{scheme}.', lalu hanya"
                " huruf, angka, titik, garis bawah, garis miring atau tanda hubung, tanpa"
                " spasi",
                f"'{code}' is not a well-formed {scheme} code: it starts with '{scheme}.',"
                " then only letters, digits, dots, underscores, slashes or hyphens, without"
                " spaces")
    return None


def record_to_triples(kind: EntityKind, record: Mapping[str, Any], resolver: Resolver,
                      index: int = 0) -> tuple[URIRef | None, list[Triple]]:
    """The triples of one top-level record; problems go to `resolver.problems`."""
    code = record_code(kind, record)
    ctx = Context(kind, index, code)
    for key in record:
        if key not in IGNORED_KEYS and not kind.has_field(key):
            resolver.problem(ctx, key, record[key], f"kolom/atribut '{key}' tidak dikenal",
                             f"unknown field '{key}'")
    reported = len(resolver.problems)
    code = _clean_code(ctx, resolver, kind.identity_field.name,
                       record.get(kind.identity_field.name))
    if not code:
        if len(resolver.problems) == reported:  # not already refused as a non-text code
            resolver.problem(ctx, kind.identity_field.name, None, "kode wajib diisi",
                             "the code is required")
        return None, []
    syntax = code_syntax_problem(code)
    if syntax is not None:
        resolver.problem(ctx, kind.identity_field.name, code, *syntax)
        return None, []
    subject = resolver.entity_iri(kind, code)
    triples: list[Triple] = [
        (subject, RDF.type, kind.rdf_class),
        (subject, SPBE.instansi, iris.instansi_iri(resolver.instansi)),
        (subject, SPBE.kode, Literal(code)),
    ]
    for field in kind.fields:
        if field.identity or field.kind == "nested":
            continue
        triples += _field_triples(ctx, resolver, subject, field, record.get(field.name))
    if kind.name == "sop":
        triples += _sop_parts(ctx, resolver, subject, record)
    return subject, triples


def _field_triples(ctx: Context, resolver: Resolver, subject: URIRef, field: Field,
                   raw: object) -> list[Triple]:
    values = _as_list(raw)
    if not field.many and len(values) > 1:
        resolver.problem(ctx, field.name, raw, "hanya boleh berisi satu nilai",
                         "only one value is allowed")
        values = values[:1]
    out: list[Triple] = []
    for value in values:
        if not _single_value(ctx, resolver, field.name, value):
            continue
        term: Node | None
        if field.kind in ("string", "text", "integer", "date"):
            term = _literal(ctx, resolver, field, value)
        else:
            text = _clean_code(ctx, resolver, field.name, value)
            if not text:
                continue
            if field.kind == "enum":
                term = resolver.enum(ctx, field, text)
            elif field.kind == "ref":
                term = resolver.ref(ctx, field, text)
            else:
                term = resolver.reference(ctx, field, text)
        if term is not None:
            out.append((subject, field.predicate, term))
    return out


def _single_value(ctx: Context, resolver: Resolver, field: str, value: object) -> bool:
    """False (with a problem) for what no field holds: an object or a list inside the
    value, or text that is not valid Unicode (a lone surrogate, which JSON can escape but
    no RDF store can write)."""
    if isinstance(value, Mapping | list | tuple | set):
        resolver.problem(ctx, field, value,
                         "harus berupa satu nilai (teks, angka atau tanggal), bukan objek"
                         " atau daftar bersarang",
                         "must be a single value (text, number or date), not an object or a"
                         " nested list")
        return False
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            resolver.problem(ctx, field, value.encode("utf-8", "backslashreplace").decode(),
                             "berisi karakter Unicode yang tidak sah (surrogate tunggal)",
                             "contains an invalid Unicode character (a lone surrogate)")
            return False
    return True


# --- SOP pelaksana and langkah ---------------------------------------------------------------

def _sop_parts(ctx: Context, resolver: Resolver, sop: URIRef,
               record: Mapping[str, Any]) -> list[Triple]:
    steps = _numbered_steps(ctx, resolver, record)
    names = _pelaksana_names(ctx, resolver, record, steps)
    triples, actor_iris = _pelaksana_triples(ctx, resolver, sop, names)
    step_iris = {s["urutan"]: iris.sop_step_iri(sop, s["urutan"]) for s in steps}
    last = steps[-1]["urutan"] if steps else None
    first = steps[0]["urutan"] if steps else None
    for i, step in enumerate(steps):
        # by number, not position: steps sharing the last number (already a problem) all
        # count as the last
        following = step_iris[steps[i + 1]["urutan"]] if step["urutan"] != last else None
        triples += _step_triples(ctx, resolver, sop, step, step_iris, actor_iris, following,
                                 first=step["urutan"] == first)
    return triples


def _numbered_steps(ctx: Context, resolver: Resolver,
                    record: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The record's steps that have a usable number, sorted by it (`urutan` made an int);
    problems go to `resolver`, a number used twice among them."""
    steps: list[dict[str, Any]] = []
    for position, raw in enumerate(_as_list(record.get("memilikiLangkah")), start=1):
        step = _numbered_step(ctx, resolver, position, raw)
        if step is not None:
            steps.append(step)
    numbers = [s["urutan"] for s in steps]
    for number in sorted({n for n in numbers if numbers.count(n) > 1}):
        resolver.problem(ctx, "memilikiLangkah", number,
                         f"nomor urut langkah {number} dipakai lebih dari sekali",
                         f"step number {number} is used more than once")
    steps.sort(key=lambda s: s["urutan"])
    return steps


def _numbered_step(ctx: Context, resolver: Resolver, position: int,
                   raw: object) -> dict[str, Any] | None:
    """A copy of one step with its number (`urutan`, else its position) as an int, or None
    (with a problem) when it is not an object or its number is not an integer ≥ 1."""
    if not isinstance(raw, Mapping):
        resolver.problem(ctx, "memilikiLangkah", raw,
                         f"langkah ke-{position} harus berupa objek",
                         f"step {position} must be an object")
        return None
    step = dict(raw)
    steps_kind = KINDS["sop-langkah"]
    for key in step:
        if key not in IGNORED_KEYS and not steps_kind.has_field(key):
            resolver.problem(ctx, f"memilikiLangkah[{position}].{key}", step[key],
                             f"atribut langkah '{key}' tidak dikenal",
                             f"unknown step field '{key}'")
    number = step.get("urutan", position)
    if isinstance(number, str) and number.strip().isdigit():
        number = int(number)
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        resolver.problem(ctx, f"memilikiLangkah[{position}].urutan", number,
                         f"nomor urut langkah '{number}' harus bilangan bulat ≥ 1",
                         f"step number '{number}' must be an integer ≥ 1")
        return None
    step["urutan"] = number
    return step


def _pelaksana_names(ctx: Context, resolver: Resolver, record: Mapping[str, Any],
                     steps: list[dict[str, Any]]) -> list[str]:
    """The SOP's pelaksana, in order, each once."""
    names: list[str] = []
    for raw in _as_list(record.get("memilikiPelaksana")):
        name = raw.get("nama") if isinstance(raw, Mapping) else raw
        if name is not None and not _single_value(ctx, resolver, "memilikiPelaksana", name):
            continue
        text = str(name).strip() if name is not None else ""
        if text and text not in names:
            names.append(text)
    if not names:
        # pelaksana not listed: take them from the steps, in order of first appearance
        for step in steps:
            actor = str(step.get("dilaksanakanOleh") or "").strip()
            if actor and actor not in names:
                names.append(actor)
    return names


def _pelaksana_triples(ctx: Context, resolver: Resolver, sop: URIRef,
                       names: list[str]) -> tuple[list[Triple], dict[str, URIRef]]:
    """The pelaksana's triples, and their IRIs by case-folded name; a name whose IRI another
    one already has is a problem."""
    triples: list[Triple] = []
    actor_iris: dict[str, URIRef] = {}
    for order, name in enumerate(names, start=1):
        actor = iris.sop_pelaksana_iri(sop, name)
        if actor in actor_iris.values():
            resolver.problem(ctx, "memilikiPelaksana", name,
                             f"nama pelaksana '{name}' terlalu mirip dengan pelaksana lain",
                             f"pelaksana name '{name}' is too similar to another one")
            continue
        actor_iris[name.casefold()] = actor
        triples += [(sop, SPBE.memilikiPelaksana, actor), (actor, RDF.type, SPBE.PelaksanaSOP),
                    (actor, SPBE.nama, Literal(name)),
                    (actor, SPBE.urutan, Literal(order, datatype=XSD.integer))]
    return triples, actor_iris


def _step_triples(ctx: Context, resolver: Resolver, sop: URIRef, step: Mapping[str, Any],
                  step_iris: Mapping[int, URIRef], actor_iris: Mapping[str, URIRef],
                  following: URIRef | None, *, first: bool) -> list[Triple]:
    """The triples of one numbered step; `following` is the next step's IRI (None for the
    last step)."""
    number = step["urutan"]
    node = step_iris[number]
    prefix = f"memilikiLangkah[{number}]"
    triples: list[Triple] = [(sop, SPBE.memilikiLangkah, node),
                             (node, RDF.type, SPBE.LangkahSOP),
                             (node, SPBE.urutan, Literal(number, datatype=XSD.integer))]
    symbol: Node | None = None
    for field in KINDS["sop-langkah"].fields:
        if field.identity:
            continue
        raw = step.get(field.name)
        if raw is None or raw == "":
            continue
        if not _single_value(ctx, resolver, f"{prefix}.{field.name}", raw):
            continue
        term = _step_term(ctx, resolver, field, prefix, raw, step_iris, actor_iris)
        if field.name == "jenisSimbol":
            symbol = term
        if term is not None:
            triples.append((node, field.predicate, term))
    # A step without an explicit successor continues with the next one, except a
    # decision (it has Ya/Tidak), a closing terminator and the last step.
    explicit = any(step.get(n) not in (None, "")
                   for n in ("langkahBerikutnya", "jikaYa", "jikaTidak"))
    closing = symbol == SPBE.Terminator and not first
    if not explicit and symbol != SPBE.Keputusan and not closing and following is not None:
        triples.append((node, SPBE.langkahBerikutnya, following))
    return triples


def _step_term(ctx: Context, resolver: Resolver, field: Field, prefix: str, raw: object,
               step_iris: Mapping[int, URIRef], actor_iris: Mapping[str, URIRef]) -> Node | None:
    """The value of one field of a step, or None (with a problem)."""
    if field.name == "jenisSimbol":
        return resolver.enum(ctx, _renamed(field, f"{prefix}.jenisSimbol"), str(raw))
    if field.name == "dilaksanakanOleh":
        actor_name = str(raw).strip()
        found = actor_iris.get(actor_name.casefold())
        if found is None:
            resolver.problem(ctx, f"{prefix}.dilaksanakanOleh", raw,
                             f"pelaksana '{actor_name}' tidak ada dalam daftar pelaksana"
                             " SOP ini",
                             f"pelaksana '{actor_name}' is not in this SOP's list")
        return found
    if field.kind == "ref":  # successors, by step number
        target = _step_number(raw)
        if target is None or target not in step_iris:
            resolver.problem(ctx, f"{prefix}.{field.name}", raw,
                             f"langkah nomor '{raw}' tidak ada dalam SOP ini",
                             f"there is no step number '{raw}' in this SOP")
            return None
        return step_iris[target]
    return _literal(ctx, resolver, _renamed(field, f"{prefix}.{field.name}"), raw)


def _renamed(field: Field, name: str) -> Field:
    return Field(name, field.predicate, field.kind, field.many, field.enum_class,
                 field.ref_kind, field.scheme, field.nested_kind, field.identity)


def _step_number(raw: object) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if isinstance(raw, str) and raw.strip().isdigit():
        return int(raw.strip())
    return None


def entity_to_graph(kind: EntityKind | str, data: Mapping[str, Any], instansi: str,
                    *, resolver: Resolver | None = None) -> list[Triple]:
    """The triples representing one record (offline: codes are mapped, not checked).

    Raises `InputProblems` when a value cannot be converted at all (bad date, unknown
    enumerated value, …).
    """
    from spbe_arch.errors import InputProblems

    kind = KINDS[kind] if isinstance(kind, str) else kind
    resolver = resolver or Resolver(instansi)
    _, triples = record_to_triples(kind, data, resolver)
    if resolver.problems:
        raise InputProblems(list(resolver.problems))
    return triples


def predicates_of(kinds: Iterable[EntityKind]) -> set[URIRef]:
    return {p for k in kinds for p in k.predicates}
