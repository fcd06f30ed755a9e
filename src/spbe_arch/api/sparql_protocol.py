"""Reading a SPARQL 1.1 Protocol request: which operation, its text, its dataset.

https://www.w3.org/TR/sparql11-protocol/ — query by GET (`?query=`), POST form
(`application/x-www-form-urlencoded`) or POST direct (`application/sparql-query`); update
by POST form or POST direct (`application/sparql-update`). Every way a request can be
malformed raises `ProtocolError` with its HTTP status (4xx) and a message naming the
problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from spbe_arch.api.negotiation import FORMAT_PARAMS
from spbe_arch.errors import InputError
from spbe_arch.sparql_update import Token, split_operations, uses_keyword

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
DATASET_PARAMS = ("default-graph-uri", "named-graph-uri")
USING_PARAMS = ("using-graph-uri", "using-named-graph-uri")


class ProtocolError(InputError):
    """A request the SPARQL protocol does not allow; `status` is the HTTP answer."""

    def __init__(self, message_id: str, message_en: str, status: int = 400) -> None:
        super().__init__(message_id, message_en)
        self.status = status


@dataclass
class ProtocolRequest:
    operation: str
    """"query", "update" or "description" (no operation: the service description)."""
    text: str = ""
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    using_graphs: list[str] = field(default_factory=list)
    using_named_graphs: list[str] = field(default_factory=list)
    format_values: list[str] = field(default_factory=list)

    @property
    def has_dataset(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


def parse_pairs(text: str, where_id: str, where_en: str) -> list[tuple[str, str]]:
    """Decode `a=1&b=2` exactly once (`+` is a space), refusing invalid UTF-8."""
    try:
        return parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except (UnicodeDecodeError, ValueError) as exc:
        raise ProtocolError(f"{where_id} tidak dapat diurai sebagai UTF-8: {exc}",
                            f"cannot decode the {where_en} as UTF-8: {exc}") from exc


def media_type_of(content_type: str | None) -> tuple[str, dict[str, str]]:
    """(`type/subtype` in lower case, parameters) of a Content-Type header."""
    if not content_type:
        return "", {}
    main, *rest = content_type.split(";")
    params: dict[str, str] = {}
    for item in rest:
        key, _, value = item.partition("=")
        params[key.strip().lower()] = value.strip().strip('"')
    return main.strip().lower(), params


def _check_charset(params: dict[str, str]) -> None:
    charset = params.get("charset")
    if charset and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise ProtocolError(
            f"charset {charset} tidak didukung; kirim teks SPARQL dalam UTF-8",
            f"charset {charset} is not supported; send the SPARQL text as UTF-8",
            415,
        )


def _decode(body: bytes) -> str:
    # utf-8-sig: Windows editors (Notepad) start a saved .rq file with a byte-order mark,
    # which `curl --data-binary @kueri.rq` sends on and Oxigraph takes for a syntax error
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProtocolError(f"isi permintaan bukan UTF-8 yang sah: {exc}",
                            f"the request body is not valid UTF-8: {exc}") from exc


def read_request(method: str, query_string: str, content_type: str | None,
                 body: bytes) -> ProtocolRequest:
    """The protocol operation a GET or POST request asks for."""
    pairs = parse_pairs(query_string, "parameter URL", "URL parameters")
    media, params = media_type_of(content_type)
    direct: tuple[str, str] | None = None
    if method == "POST":
        if media == FORM:
            _check_charset(params)
            pairs += parse_pairs(_decode(body), "isi formulir", "form body")
        elif media == SPARQL_QUERY:
            _check_charset(params)
            direct = ("query", _decode(body))
        elif media == SPARQL_UPDATE:
            _check_charset(params)
            direct = ("update", _decode(body))
        else:
            shown = media or "tanpa Content-Type"
            raise ProtocolError(
                f"jenis isi '{shown}' tidak diterima; pakai {FORM}, {SPARQL_QUERY} atau"
                f" {SPARQL_UPDATE}",
                f"content type '{media or 'none'}' is not accepted; use {FORM},"
                f" {SPARQL_QUERY} or {SPARQL_UPDATE}",
                415,
            )
    values: dict[str, list[str]] = {}
    for key, value in pairs:
        # YASGUI (Yasqe `sparql.ts`) names its update dataset `using-graph-uri ` and
        # `using-named-graph-uri ` with a trailing space; ignored as unknown, the update
        # would run on another dataset than the one the user chose
        values.setdefault(key.strip(), []).append(value)
    queries = values.get("query", [])
    updates = values.get("update", [])
    if direct is not None:
        if queries or updates:
            raise ProtocolError(
                "teks kueri/update dikirim di isi permintaan sekaligus di parameter URL",
                "the query/update text is both in the request body and in a URL parameter",
            )
        (queries if direct[0] == "query" else updates).append(direct[1])
    if len(queries) > 1 or len(updates) > 1:
        raise ProtocolError("permintaan memuat lebih dari satu parameter query/update",
                            "the request carries more than one query/update parameter")
    if queries and updates:
        raise ProtocolError("permintaan memuat query dan update sekaligus",
                            "the request carries both a query and an update")
    request = ProtocolRequest(
        operation="query" if queries else "update" if updates else "description",
        text=(queries or updates or [""])[0],
        default_graphs=values.get("default-graph-uri", []),
        named_graphs=values.get("named-graph-uri", []),
        using_graphs=values.get("using-graph-uri", []),
        using_named_graphs=values.get("using-named-graph-uri", []),
        format_values=[v for name in FORMAT_PARAMS for v in values.get(name, [])],
    )
    if request.operation == "update" and method != "POST":
        raise ProtocolError("SPARQL Update harus dikirim dengan POST",
                            "SPARQL Update must be sent with POST", 405)
    if request.operation == "update" and request.has_dataset:
        raise ProtocolError("default-graph-uri/named-graph-uri berlaku untuk kueri; untuk"
                            " update pakai using-graph-uri/using-named-graph-uri",
                            "default-graph-uri/named-graph-uri apply to queries; updates take"
                            " using-graph-uri/using-named-graph-uri")
    if request.operation == "query" and (request.using_graphs or request.using_named_graphs):
        raise ProtocolError("using-graph-uri/using-named-graph-uri hanya berlaku untuk update",
                            "using-graph-uri/using-named-graph-uri apply to updates only")
    if request.operation != "description" and not request.text.strip():
        raise ProtocolError("teks kueri/update kosong", "the query/update text is empty")
    for graph in [*request.default_graphs, *request.named_graphs, *request.using_graphs,
                  *request.using_named_graphs]:
        if not _ABSOLUTE_IRI.match(graph):
            raise ProtocolError(f"'{graph}' bukan IRI graf absolut yang sah",
                                f"'{graph}' is not a valid absolute graph IRI")
    return request


_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|^`\\]*$")

# --- update text: dataset clauses -----------------------------------------------------------

# the tokenizer is shared with the update-effect computation (spbe_arch.sparql_update)
_Token = Token
_operations = split_operations


def _keywords(operation: list[_Token]) -> list[_Token]:
    """Top-level words of an operation after its prologue (PREFIX/BASE declarations)."""
    words = [t for t in operation if t.depth == 0 and t.kind in ("word", "open", "iri")]
    while words and words[0].kind == "word" and words[0].text.upper() in ("PREFIX", "BASE"):
        words = words[1:]
        if words and words[0].kind == "iri":
            words = words[1:]
    return words


def has_dataset_clause(update: str) -> bool:
    """True if any operation names its own dataset with USING or WITH."""
    return any(t.kind == "word" and t.text.upper() in ("USING", "WITH")
               for op in _operations(update) for t in op if t.depth == 0)


def apply_using(update: str, using: list[str], using_named: list[str]) -> str:
    """The update with the protocol's dataset applied to every operation with a WHERE.

    `DELETE WHERE { P }` cannot carry USING, so it becomes `DELETE { P } USING … WHERE { P }`.
    """
    if not using and not using_named:
        return update
    clauses = "".join(f" USING <{g}>" for g in using) + "".join(
        f" USING NAMED <{g}>" for g in using_named)
    edits: list[tuple[int, int, str]] = []
    for operation in _operations(update):
        words = _keywords(operation)
        if not words or words[0].kind != "word":
            continue
        first = words[0].text.upper()
        second = words[1].text.upper() if len(words) > 1 and words[1].kind == "word" else ""
        if first == "DELETE" and second == "WHERE":
            body_start = next((i for i, t in enumerate(operation)
                               if t.kind == "open" and t.depth == 0), None)
            if body_start is None:
                continue
            body_end = next((i for i in range(body_start + 1, len(operation))
                             if operation[i].kind == "close" and operation[i].depth == 0),
                            None)
            if body_end is None:
                continue
            pattern = update[operation[body_start].start:operation[body_end].end]
            edits.append((words[1].start, operation[body_end].end,
                          f"{pattern}{clauses} WHERE {pattern}"))
        elif first in ("DELETE", "INSERT", "WITH") and second != "DATA":
            where = next((t for t in words if t.kind == "word" and t.text.upper() == "WHERE"),
                         None)
            if where is not None:
                edits.append((where.start, where.start, clauses.lstrip() + " "))
    for start, end, text in sorted(edits, reverse=True):
        update = update[:start] + text + update[end:]
    return update


def with_base(text: str, base_iri: str) -> str:
    """Resolve relative IRIs against the endpoint (the protocol leaves the base to the
    service); a BASE in the text itself still wins, being later."""
    return f"BASE <{base_iri}>\n{text}"


def normalize_update(text: str) -> str:
    """The update text ready to be followed by more operations in the same request: no
    trailing `;`, and a final newline so that a trailing comment cannot swallow them."""
    stripped = text.rstrip()
    if stripped.endswith(";"):
        stripped = stripped[:-1]
    return stripped + "\n"


def uses_load(update: str) -> bool:
    return uses_keyword(update, "LOAD")


def update_syntax_error(update: str, base_iri: str) -> str | None:
    """Oxigraph's message if `update` does not parse, found by running it on an empty
    store (for the parser's own message with the user's line and column; the real run
    carries a BASE line and the audit record)."""
    import pyoxigraph as ox

    if uses_load(update):  # running it would fetch the document once more
        return None
    try:
        ox.Store().update(update, base_iri=base_iri)
    except SyntaxError as exc:
        return str(exc)
    except (OSError, RuntimeError, ValueError):
        return None  # not a syntax problem (e.g. DROP of a graph the empty store lacks)
    return None


def check_update_syntax(update: str, base_iri: str) -> None:
    message = update_syntax_error(update, base_iri)
    if message is not None:
        raise ProtocolError(f"kesalahan sintaks SPARQL Update: {message}",
                            f"SPARQL Update syntax error: {message}")


ISOLATED_UPDATE_CHARS = 2048
"""An update longer than this is parsed first in a query worker, not in the server."""
ISOLATED_UPDATE_DEPTH = 64


def bracket_depth(text: str) -> int:
    """The deepest nesting of (, [ and { in `text`, brackets in strings and IRIs included
    (an overestimate is harmless here)."""
    depth = deepest = 0
    for char in text:
        if char in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]}":
            depth = max(0, depth - 1)
    return deepest


@dataclass(frozen=True)
class UpdateSyntaxTask:
    """The syntax check of an update as a job for a query worker (api.query_engine).

    Oxigraph parses recursively: an update nested a few thousand levels deep, or a chain
    of thousands of UNION/BIND/operators, overflows the stack of the process parsing it,
    which for the server would be the end of the service (SIGSEGV, no exception to catch).
    A long or deeply nested update is therefore parsed first in a worker, where such a
    crash ends only the worker (the engine answers 400); one that parses there parses
    in the server too. Short ones cannot nest deep enough and are parsed in place, so
    that a small update needs no worker to be forked after the previous write."""

    update: str
    base_iri: str

    @property
    def needs_time_limit(self) -> bool:
        return (len(self.update) > ISOLATED_UPDATE_CHARS
                or bracket_depth(self.update) > ISOLATED_UPDATE_DEPTH)

    def run(self, store: object) -> tuple[str, str | None]:
        message = update_syntax_error(self.update, self.base_iri)
        return ("ok", None) if message is None else ("syntax", message)
