"""The named-query library: the saved SPARQL queries users see in the CLI, the API and the UI.

Each query is one `.rq` file in this folder. Its header — comment lines starting with
`#+` — describes it; the rest is plain SPARQL that any SPARQL tool can run as it is:

    #+ name: proses-per-opd
    #+ title_id: Proses bisnis per OPD
    #+ title_en: Business processes per OPD
    #+ description_id: Daftar proses bisnis setiap perangkat daerah …
    #+ description_en: The business processes of each OPD …
    #+ param: kode_opd | string | optional | Kode OPD, mis. DISKOMINFO | OPD code
    PREFIX spbe: <https://w3id.org/spbe-arch/ontology#>
    SELECT … WHERE { … }

- `name` equals the file name without `.rq` (kebab-case).
- A key may repeat (`description_id` over several lines): the values are joined with spaces.
- `param: NAME | TYPE | required/optional | Indonesian description | English description`.
  NAME is the SPARQL variable the value is bound to (`?kode_opd`); TYPE is one of
  `iri`, `string`, `integer`. Values are bound with a `VALUES` block (never pasted into
  the query text, see `repository.base.bind_values`); an optional parameter left out
  stays unbound, so the query then covers everything.

The format is documented for users in docs/panduan.md (§ Kueri bernama).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import XSD
from rdflib.term import Literal, Node, URIRef

from spbe_arch.errors import ConfigurationError, InputError
from spbe_arch.repository import Repository, SelectResult
from spbe_arch.repository.base import bind_values
from spbe_arch.vocab import BASE, PROV, SPBE

QUERY_DIR = Path(__file__).resolve().parent
PARAM_TYPES = ("iri", "string", "integer")

PREFIXES: dict[str, str] = {
    "spbe": str(SPBE),
    "prov": str(PROV),
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "ref": f"{BASE}ref/",
    "id": f"{BASE}id/",
    "graph": f"{BASE}graph/",
}
"""Prefixes an `iri` parameter may use (`spbe:Elektronik`), and that tables abbreviate with."""

_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_HEADER = re.compile(r"^#\+\s*([a-z_]+)\s*:\s?(.*)$")
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|^`\\]*$")
_REQUIRED_KEYS = ("name", "title_id", "title_en", "description_id", "description_en")
_KNOWN_KEYS = (*_REQUIRED_KEYS, "param")


class UnknownQueryError(InputError):
    """No named query has that name."""


class QueryParameterError(InputError):
    """A parameter of a named query is unknown, missing or of the wrong type."""


@dataclass(frozen=True)
class QueryParam:
    """One parameter of a named query, bound to the SPARQL variable of the same name."""

    name: str
    type: str
    required: bool
    description_id: str
    description_en: str

    def description(self, lang: str = "id") -> str:
        return self.description_en if lang == "en" else self.description_id

    def convert(self, value: str, query: str) -> Node:
        """The RDF term for a value given as text; `QueryParameterError` if it does not fit."""
        if self.type == "integer":
            try:
                return Literal(int(value.strip()), datatype=XSD.integer)
            except ValueError:
                raise self._invalid(value, query, "bilangan bulat", "an integer") from None
        if self.type == "iri":
            text = value.strip()
            if text.startswith("<") and text.endswith(">"):
                text = text[1:-1]
            prefix, colon, local = text.partition(":")
            if colon and prefix in PREFIXES and not local.startswith("//"):
                text = PREFIXES[prefix] + local
            if not _IRI.match(text):
                raise self._invalid(value, query, "IRI (mis. https://… atau spbe:Elektronik)",
                                    "an IRI (e.g. https://… or spbe:Elektronik)")
            return URIRef(text)
        return Literal(value)

    def _invalid(self, value: str, query: str, kind_id: str, kind_en: str) -> QueryParameterError:
        return QueryParameterError(
            f"parameter '{self.name}' kueri '{query}' harus {kind_id}, bukan '{value}'",
            f"parameter '{self.name}' of query '{query}' must be {kind_en}, not '{value}'",
        )


@dataclass(frozen=True)
class NamedQuery:
    """A saved query: its metadata and its SPARQL text (header comments included)."""

    name: str
    title_id: str
    title_en: str
    description_id: str
    description_en: str
    sparql: str
    params: tuple[QueryParam, ...] = field(default_factory=tuple)
    source: str = ""

    def title(self, lang: str = "id") -> str:
        return self.title_en if lang == "en" else self.title_id

    def description(self, lang: str = "id") -> str:
        return self.description_en if lang == "en" else self.description_id

    def param(self, name: str) -> QueryParam | None:
        return next((p for p in self.params if p.name == name), None)

    def bindings(self, values: Mapping[str, str] | None = None) -> dict[str, Node]:
        """Typed RDF terms for parameter values given as text, checked against the header.

        Values are read without surrounding white space, strings too: a code pasted from a
        spreadsheet cell or typed in a URL often ends in a space or line break, and bound
        as it is it matched nothing, an empty answer that looks like a true one."""
        values = {name: value.strip() for name, value in (values or {}).items()}
        unknown = [name for name in values if self.param(name) is None]
        if unknown:
            accepted = ", ".join(p.name for p in self.params) or "-"
            raise QueryParameterError(
                f"kueri '{self.name}' tidak mengenal parameter {', '.join(unknown)};"
                f" parameter yang diterima: {accepted}",
                f"query '{self.name}' has no parameter {', '.join(unknown)};"
                f" accepted parameters: {accepted}",
            )
        missing = [p.name for p in self.params if p.required and not values.get(p.name)]
        if missing:
            raise QueryParameterError(
                f"kueri '{self.name}' memerlukan parameter {', '.join(missing)}"
                f" (contoh: {missing[0]}=…)",
                f"query '{self.name}' needs the parameter {', '.join(missing)}"
                f" (e.g. {missing[0]}=…)",
            )
        bound: dict[str, Node] = {}
        for param in self.params:
            value = values.get(param.name)
            if value is not None and value != "":
                bound[param.name] = param.convert(value, self.name)
        return bound

    def bound_sparql(self, values: Mapping[str, str] | None = None) -> str:
        """The query text with the parameters bound (for engines that serialise results)."""
        return bind_values(self.sparql, self.bindings(values))


def parse_query(text: str, source: str = "<query>", *, name: str | None = None,
                require_meta: bool = True) -> NamedQuery:
    """Read a `.rq` text with a `#+` header. `ConfigurationError` names the file and line.

    With `require_meta=False` (a user's own file) only the parameters matter: missing
    titles and descriptions default to the name.
    """
    meta: dict[str, list[str]] = {}
    params: list[QueryParam] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped.startswith("#+"):
            continue
        match = _HEADER.match(stripped)
        if not match or match.group(1) not in _KNOWN_KEYS:
            raise _header_error(source, number, f"baris kepala tidak dikenal: {stripped}",
                                f"unknown header line: {stripped}")
        key, value = match.group(1), match.group(2).strip()
        if key == "param":
            params.append(_parse_param(value, source, number))
        else:
            meta.setdefault(key, []).append(value)
    if name is not None:
        meta.setdefault("name", [name])
    if not require_meta:
        fallback = meta.get("name", ["query"])
        for key in _REQUIRED_KEYS:
            meta.setdefault(key, fallback)
    missing = [key for key in _REQUIRED_KEYS if key not in meta]
    if missing:
        raise _header_error(source, None, f"kepala kueri tidak memuat {', '.join(missing)}",
                            f"the query header lacks {', '.join(missing)}")
    values = {key: " ".join(parts).strip() for key, parts in meta.items()}
    if require_meta and not _NAME.match(values["name"]):
        raise _header_error(source, None, f"nama kueri '{values['name']}' harus kebab-case",
                            f"query name '{values['name']}' must be kebab-case")
    if len({p.name for p in params}) != len(params):
        raise _header_error(source, None, "nama parameter ganda", "duplicate parameter name")
    for param in params:
        if not re.search(rf"[?$]{param.name}\b", text):
            raise _header_error(source, None,
                                f"parameter '{param.name}' tidak dipakai sebagai ?{param.name}",
                                f"parameter '{param.name}' is not used as ?{param.name}")
    return NamedQuery(
        name=values["name"],
        title_id=values["title_id"],
        title_en=values["title_en"],
        description_id=values["description_id"],
        description_en=values["description_en"],
        sparql=text,
        params=tuple(params),
        source=source,
    )


def has_header(text: str) -> bool:
    return any(line.strip().startswith("#+") for line in text.splitlines())


def _parse_param(value: str, source: str, line: int) -> QueryParam:
    parts = [part.strip() for part in value.split("|")]
    if len(parts) != 5:
        raise _header_error(
            source, line,
            "param harus berbentuk NAMA | JENIS | required/optional | deskripsi | description",
            "param must read NAME | TYPE | required/optional | deskripsi | description",
        )
    name, kind, need, description_id, description_en = parts
    if not _VARIABLE.match(name):
        raise _header_error(source, line, f"nama parameter '{name}' tidak sah",
                            f"invalid parameter name '{name}'")
    if kind not in PARAM_TYPES:
        raise _header_error(source, line,
                            f"jenis parameter '{kind}' tidak dikenal ({', '.join(PARAM_TYPES)})",
                            f"unknown parameter type '{kind}' ({', '.join(PARAM_TYPES)})")
    if need not in ("required", "optional"):
        raise _header_error(source, line, "tulis 'required' atau 'optional'",
                            "write 'required' or 'optional'")
    return QueryParam(name, kind, need == "required", description_id, description_en)


def _header_error(source: str, line: int | None, message_id: str,
                  message_en: str) -> ConfigurationError:
    from spbe_arch.errors import Location

    return ConfigurationError(message_id, message_en, Location(file=source, line=line))


@lru_cache(maxsize=1)
def _library() -> dict[str, NamedQuery]:
    queries: dict[str, NamedQuery] = {}
    for path in sorted(QUERY_DIR.glob("*.rq")):
        query = parse_query(path.read_text(encoding="utf-8"), path.name)
        if query.name != path.stem:
            raise ConfigurationError(
                f"{path.name}: nama kueri '{query.name}' harus sama dengan nama berkas",
                f"{path.name}: query name '{query.name}' must equal the file name",
            )
        queries[query.name] = query
    return queries


def list_queries() -> list[NamedQuery]:
    """Every named query, sorted by name."""
    return list(_library().values())


def get_query(name: str) -> NamedQuery:
    """The named query `name`; `UnknownQueryError` (with close matches) if there is none."""
    library = _library()
    try:
        return library[name]
    except KeyError:
        close = difflib.get_close_matches(name, list(library), n=3)
        hint_id = f"; mungkin maksud Anda: {', '.join(close)}" if close else ""
        hint_en = f"; did you mean: {', '.join(close)}" if close else ""
        raise UnknownQueryError(
            f"tidak ada kueri bernama '{name}'{hint_id} (daftar: spbe-arch query --list)",
            f"there is no query named '{name}'{hint_en} (list: spbe-arch query --list)",
        ) from None


def run_query(repository: Repository, name: str, params: Mapping[str, str] | None = None,
              *, timeout_s: float | None = None) -> SelectResult:
    """Run a named query with parameters given as text (converted by their declared type)."""
    query = get_query(name)
    result = repository.query(query.sparql, query.bindings(params), timeout_s=timeout_s)
    if not isinstance(result, SelectResult):
        raise ConfigurationError(f"kueri '{name}' bukan kueri SELECT",
                                 f"query '{name}' is not a SELECT query")
    return result


__all__ = [
    "PARAM_TYPES",
    "PREFIXES",
    "QUERY_DIR",
    "NamedQuery",
    "QueryParam",
    "QueryParameterError",
    "UnknownQueryError",
    "get_query",
    "has_header",
    "list_queries",
    "parse_query",
    "run_query",
]
