"""What a SPARQL Update request changes, computed before it is committed.

pyoxigraph runs an update as one transaction but does not say what it added or removed,
and the audit trail must record exactly that. `compute_effect` works it out on the store
as it is, operation by operation, each operation seeing the effect of the ones before it
(SPARQL 1.1 Update §3: the operations of a request run in order):

- `INSERT DATA` / `DELETE DATA`: the data block, parsed by Oxigraph itself (run as
  `INSERT DATA` on an empty scratch store), added if absent / removed if present;
- `DELETE/INSERT … WHERE` (with `WITH`, `USING`, `USING NAMED`) and `DELETE WHERE`: the
  `WHERE` pattern is evaluated by Oxigraph as `SELECT *` over the same dataset the update
  would use, and each template is instantiated by Oxigraph too — the template run as
  `INSERT { template } WHERE { VALUES … }` on a scratch store, the solutions as the
  `VALUES` rows — so fresh blank nodes, unbound variables and ill-formed triples are
  treated exactly as in the real update. The deletions are applied first, then the
  insertions (§3.1.3);
- `CLEAR`, `DROP`, `COPY`, `MOVE`, `ADD`: the graphs' quads; `CREATE`: nothing;
  `LOAD`: the document as Oxigraph loads it into a scratch store.

When an earlier operation of the request changed a graph that a later `WHERE` can read
(its default graph(s), and every named graph if the pattern says `GRAPH`), that `WHERE`
is evaluated on a scratch copy of those graphs with the earlier changes applied;
otherwise on the store itself, so a small update on a big store stays fast.

Blank nodes cannot be written in `VALUES`, so a solution's blank node travels as a
placeholder IRI and is turned back afterwards (a placeholder that lands in the predicate
position is dropped: Oxigraph skips a triple whose predicate would be a blank node).

The computed effect is what the audit trail records; the update itself is then run by
Oxigraph with the record in the same transaction, so the store gets exactly what the
update does (tests/api/test_sparql_update_effect.py checks the two agree, update by
update). Past `max_quads` changed quads (or solutions), `EffectTooLargeError` is raised:
the caller records the update text and says the triples were too many to list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib.term import BNode, URIRef

from spbe_arch import iris
from spbe_arch.audit import apply_audited
from spbe_arch.repository import ChangeSet, Quad, Repository
from spbe_arch.repository.base import SPARQL_TOKEN as TOKEN
from spbe_arch.repository.terms import to_rdflib

GraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph

# --- tokens ----------------------------------------------------------------------------------

@dataclass
class Token:
    kind: str
    text: str
    start: int
    end: int
    depth: int
    """Brace depth: 0 at the top level of an operation (an `open` token carries the depth
    outside it, its matching `close` the same depth)."""


def split_operations(update: str) -> list[list[Token]]:
    """The tokens of each operation of an update request (split at top-level `;`);
    comments, strings and language tags are skipped."""
    operations: list[list[Token]] = [[]]
    depth = 0
    for match in TOKEN.finditer(update):
        kind = match.lastgroup or ""
        if kind in ("comment", "string", "lang"):
            continue
        if kind == "close":
            depth = max(0, depth - 1)
        if kind == "semi" and depth == 0:
            operations.append([])
            continue
        operations[-1].append(Token(kind, match.group(0), match.start(), match.end(), depth))
        if kind == "open":
            depth += 1
    return [op for op in operations if op]


def uses_keyword(text: str, *keywords: str) -> bool:
    """True if one of `keywords` (upper case) is used as a keyword in a query or update:
    not inside a string, IRI or comment, nor part of a variable or prefixed name."""
    lowered = text.lower()
    if not any(keyword.lower() in lowered for keyword in keywords):
        return False  # the usual case, without tokenizing
    if _stray_backslash(text):
        # an escape the tokens do not account for may hide the keyword from them
        return True
    return any(t.kind == "word" and t.text.upper() in keywords
               for operation in split_operations(text) for t in operation)


def _stray_backslash(text: str) -> bool:
    """A backslash outside every token (strings, IRIs, escaped names): not valid SPARQL,
    and a sign that the tokens may not be what Oxigraph reads."""
    position = 0
    for match in TOKEN.finditer(text):
        if "\\" in text[position:match.start()]:
            return True
        position = match.end()
    return "\\" in text[position:]


def _is_word(token: Token | None, *words: str) -> bool:
    return token is not None and token.kind == "word" and token.text.upper() in words


@dataclass
class Operation:
    """One operation of a request, with the prologue (PREFIX/BASE) in force for it."""

    source: str
    prologue: str
    tokens: list[Token]
    """The operation's tokens after its own PREFIX/BASE declarations."""

    @property
    def keyword(self) -> str:
        return self.tokens[0].text.upper() if self.tokens[0].kind == "word" else ""

    def text(self, start: int | None = None, end: int | None = None) -> str:
        first = self.tokens[0].start if start is None else start
        last = self.tokens[-1].end if end is None else end
        return self.source[first:last]


def operations(update: str) -> list[Operation]:
    """The request's operations; prefixes and base declared by one apply to the later ones."""
    result: list[Operation] = []
    declarations: list[str] = []
    for tokens in split_operations(update):
        i = 0
        while i < len(tokens) and _is_word(tokens[i], "PREFIX", "BASE"):
            end = i + (3 if _is_word(tokens[i], "PREFIX") else 2)
            if end > len(tokens):
                break
            declarations.append(update[tokens[i].start:tokens[end - 1].end])
            i = end
        if i < len(tokens):
            result.append(Operation(update, "\n".join(declarations), tokens[i:]))
    return result


def _group_end(tokens: list[Token], open_index: int) -> int:
    """Index of the `}` closing the `{` at `open_index`."""
    depth = tokens[open_index].depth
    for j in range(open_index + 1, len(tokens)):
        if tokens[j].kind == "close" and tokens[j].depth == depth:
            return j
    raise UnsupportedUpdateError("unbalanced braces")


# --- errors and results ----------------------------------------------------------------------


class UnsupportedUpdateError(Exception):
    """The request has a form this module does not take apart (recorded as text)."""


class TripleTermError(Exception):
    """The update writes an RDF 1.2 triple term, which the repository does not hold (its
    model, REST API, validation and exports work on rdflib terms)."""

    def __init__(self, term: object) -> None:
        super().__init__(f"<<( {term} )>>")


class EffectTooLargeError(Exception):
    """The update touches more quads than the audit trail lists one by one."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"more than {limit} quads")
        self.limit = limit


@dataclass
class UpdateEffect:
    """The net change: quads the update removes (present before) and adds (absent before)."""

    removed: list[ox.Quad]
    added: list[ox.Quad]


# --- the store as the request has changed it so far ---------------------------------------


class _State:
    def __init__(self, store: ox.Store, max_quads: int) -> None:
        self.store = store
        self.max_quads = max_quads
        self.added: set[ox.Quad] = set()
        self.removed: set[ox.Quad] = set()
        self.dirty: set[GraphName] = set()

    def contains(self, quad: ox.Quad) -> bool:
        if quad in self.added:
            return True
        return quad not in self.removed and quad in self.store

    def add(self, quad: ox.Quad) -> None:
        for term in (quad.subject, quad.object):
            if isinstance(term, ox.Triple):
                raise TripleTermError(term)
        if self.contains(quad):
            return
        if quad in self.removed:
            self.removed.discard(quad)
        else:
            self.added.add(quad)
        self.dirty.add(quad.graph_name)
        self._check()

    def remove(self, quad: ox.Quad) -> None:
        if not self.contains(quad):
            return
        if quad in self.added:
            self.added.discard(quad)
        else:
            self.removed.add(quad)
        self.dirty.add(quad.graph_name)
        self._check()

    def _check(self) -> None:
        if len(self.added) + len(self.removed) > self.max_quads:
            raise EffectTooLargeError(self.max_quads)

    def named_graphs(self) -> set[GraphName]:
        names: set[GraphName] = set(self.store.named_graphs())
        names.update(q.graph_name for q in self.added
                     if not isinstance(q.graph_name, ox.DefaultGraph))
        return names

    def graph(self, name: GraphName) -> Iterator[ox.Quad]:
        """The quads of one graph now."""
        for quad in self.store.quads_for_pattern(None, None, None, name):
            if quad not in self.removed:
                yield quad
        for quad in [q for q in self.added if q.graph_name == name]:
            yield quad

    def graph_list(self, name: GraphName) -> list[ox.Quad]:
        quads = []
        for quad in self.graph(name):
            quads.append(quad)
            if len(quads) > self.max_quads:
                raise EffectTooLargeError(self.max_quads)
        return quads


# --- helpers that let Oxigraph do the parsing -------------------------------------------------

_SCRATCH = "urn:spbe-arch:scratch"
_BNODE_PREFIX = "urn:spbe-arch:bnode:"


def _resolve_graph(prologue: str, token: Token) -> ox.NamedNode:
    """The IRI an IRI or prefixed-name token stands for (BASE and PREFIX applied)."""
    scratch = ox.Store()
    scratch.update(f"{prologue}\nINSERT DATA {{ GRAPH {token.text} {{ <{_SCRATCH}> <{_SCRATCH}>"
                   f" <{_SCRATCH}> }} }}")
    (quad,) = list(scratch)
    assert isinstance(quad.graph_name, ox.NamedNode)
    return quad.graph_name


def _graph_ref(op: Operation, i: int) -> tuple[GraphName | str, int]:
    """A graph reference at token i: (`GRAPH`)? iri | DEFAULT | NAMED | ALL."""
    tokens = op.tokens
    if _is_word(tokens[i] if i < len(tokens) else None, "DEFAULT", "NAMED", "ALL"):
        word = tokens[i].text.upper()
        return (ox.DefaultGraph() if word == "DEFAULT" else word), i + 1
    if _is_word(tokens[i] if i < len(tokens) else None, "GRAPH"):
        i += 1
    if i >= len(tokens) or tokens[i].kind not in ("iri", "pname"):
        raise UnsupportedUpdateError("graph reference expected")
    return _resolve_graph(op.prologue, tokens[i]), i + 1


def _term_text(term: object) -> str:
    if term is None:
        return "UNDEF"
    if isinstance(term, ox.BlankNode):
        return f"<{_BNODE_PREFIX}{term.value}>"
    return str(term)


def _unplace(term: object) -> object:
    if isinstance(term, ox.NamedNode) and term.value.startswith(_BNODE_PREFIX):
        return ox.BlankNode(term.value[len(_BNODE_PREFIX):])
    return term


def _instantiate(op: Operation, with_clause: str, template: str, variables: list[str],
                 rows: list[list[object]]) -> list[ox.Quad]:
    """The template's quads for every solution, as Oxigraph instantiates them."""
    if not rows:
        return []
    # only the template's variables: one the WHERE binds to a triple term but the template
    # does not use cannot be written in VALUES, and changes nothing
    used = set(re.findall(r"[?$](\w+)", template))
    keep = [i for i, name in enumerate(variables) if name in used]
    for row in rows:
        for i in keep:
            if isinstance(row[i], ox.Triple):
                raise TripleTermError(row[i])
    header = " ".join(f"?{variables[i]}" for i in keep)
    body = "\n".join("(" + " ".join(_term_text(row[i]) for i in keep) + ")" for row in rows)
    scratch = ox.Store()
    scratch.update(f"{op.prologue}\n{with_clause}INSERT {{ {template} }}\n"
                   f"WHERE {{ VALUES ({header}) {{\n{body}\n}} }}")
    quads = []
    for quad in scratch:
        predicate = quad.predicate
        if predicate.value.startswith(_BNODE_PREFIX):
            continue  # a blank node cannot be a predicate: the real update skips it
        quads.append(ox.Quad(_unplace(quad.subject), predicate,  # type: ignore[arg-type]
                             _unplace(quad.object), _unplace(quad.graph_name)))  # type: ignore[arg-type]
    return quads


# --- operations ----------------------------------------------------------------------------


@dataclass
class _Modify:
    with_graph: Token | None = None
    delete: str | None = None
    insert: str | None = None
    using: list[Token] = field(default_factory=list)
    using_named: list[Token] = field(default_factory=list)
    where: str = "{}"
    where_tokens: list[Token] = field(default_factory=list)
    template_tokens: list[list[Token]] = field(default_factory=list)
    """The tokens of the DELETE and INSERT templates (of the pattern for DELETE WHERE)."""


def _parse_modify(op: Operation) -> _Modify:
    tokens = op.tokens
    parsed = _Modify()
    i = 0
    if _is_word(tokens[0], "WITH"):
        parsed.with_graph = tokens[1]
        i = 2
    if _is_word(tokens[i], "DELETE") and _is_word(tokens[i + 1], "WHERE"):
        if tokens[i + 2].kind != "open":
            raise UnsupportedUpdateError("DELETE WHERE without a pattern")
        end = _group_end(tokens, i + 2)
        parsed.delete = op.text(tokens[i + 2].end, tokens[end].start)
        parsed.where = op.text(tokens[i + 2].start, tokens[end].end)
        parsed.where_tokens = tokens[i + 2:end + 1]
        parsed.template_tokens = [tokens[i + 3:end]]
        return parsed
    for keyword in ("DELETE", "INSERT"):
        if _is_word(tokens[i], keyword):
            if tokens[i + 1].kind != "open":
                raise UnsupportedUpdateError(f"{keyword} without a template")
            end = _group_end(tokens, i + 1)
            text = op.text(tokens[i + 1].end, tokens[end].start)
            setattr(parsed, keyword.lower(), text)
            parsed.template_tokens.append(tokens[i + 2:end])
            i = end + 1
    while _is_word(tokens[i], "USING"):
        if _is_word(tokens[i + 1], "NAMED"):
            parsed.using_named.append(tokens[i + 2])
            i += 3
        else:
            parsed.using.append(tokens[i + 1])
            i += 2
    if not _is_word(tokens[i], "WHERE") or tokens[i + 1].kind != "open":
        raise UnsupportedUpdateError("WHERE expected")
    end = _group_end(tokens, i + 1)
    if end != len(tokens) - 1:
        raise UnsupportedUpdateError("text after the WHERE pattern")
    parsed.where = op.text(tokens[i + 1].start, tokens[end].end)
    parsed.where_tokens = tokens[i + 1:end + 1]
    return parsed


def _run_modify(state: _State, op: Operation) -> None:
    parsed = _parse_modify(op)
    kwargs: dict[str, object] = {}
    default: list[GraphName] = [ox.DefaultGraph()]
    named: list[GraphName] | None = None  # None: every named graph
    if parsed.using or parsed.using_named:
        default = [_resolve_graph(op.prologue, t) for t in parsed.using]
        named = [_resolve_graph(op.prologue, t) for t in parsed.using_named]
        kwargs = {"default_graph": default, "named_graphs": named}
    elif parsed.with_graph is not None:
        default = [_resolve_graph(op.prologue, parsed.with_graph)]
        kwargs = {"default_graph": default}
    reads_named = any(_is_word(t, "GRAPH", "SERVICE") for t in parsed.where_tokens)
    readable: set[GraphName] = set(default)
    if reads_named:
        readable |= set(named) if named is not None else state.named_graphs()
    store = state.store
    if readable & state.dirty or (reads_named and named is None and state.dirty - {
            ox.DefaultGraph()}):
        store = _copy(state, readable, reads_named and named is None)
    result = store.query(f"{op.prologue}\nSELECT * WHERE {parsed.where}",
                         **kwargs)  # type: ignore[arg-type]
    assert isinstance(result, ox.QuerySolutions)
    variables = [v.value for v in result.variables]
    rows: list[list[object]] = []
    for solution in result:
        rows.append([solution[name] for name in variables])
        if len(rows) > state.max_quads:
            # the real run will go through every solution: so does this one, under the
            # caller's time limit, before saying the effect is too large to list
            rows.clear()
            for _ in result:
                pass
            raise EffectTooLargeError(state.max_quads)
    with_clause = f"WITH {parsed.with_graph.text} " if parsed.with_graph is not None else ""
    deleted = (_instantiate(op, with_clause, parsed.delete, variables, rows)
               if parsed.delete is not None else [])
    inserted = (_instantiate(op, with_clause, parsed.insert, variables, rows)
                if parsed.insert is not None else [])
    for quad in deleted:
        state.remove(quad)
    for quad in inserted:
        state.add(quad)


def _copy(state: _State, graphs: Iterable[GraphName], all_named: bool) -> ox.Store:
    """A scratch store holding the given graphs as the request has left them so far."""
    scratch = ox.Store()
    wanted = set(graphs) | (state.named_graphs() if all_named else set())
    count = 0
    for name in wanted:
        if not isinstance(name, ox.DefaultGraph):
            scratch.add_graph(name)
        quads = state.graph_list(name)
        count += len(quads)
        if count > state.max_quads:
            raise EffectTooLargeError(state.max_quads)
        scratch.extend(quads)
    return scratch


def _run_data(state: _State, op: Operation, insert: bool) -> None:
    if len(op.tokens) < 3 or op.tokens[2].kind != "open":
        raise UnsupportedUpdateError("data block expected")
    end = _group_end(op.tokens, 2)
    scratch = ox.Store()
    scratch.update(f"{op.prologue}\nINSERT DATA {op.text(op.tokens[2].start, op.tokens[end].end)}")
    for quad in scratch:
        if insert:
            state.add(quad)
        else:
            state.remove(quad)


def _targets(state: _State, ref: GraphName | str) -> list[GraphName]:
    if ref == "NAMED":
        return sorted(state.named_graphs(), key=str)
    if ref == "ALL":
        return [ox.DefaultGraph(), *sorted(state.named_graphs(), key=str)]
    assert not isinstance(ref, str)
    return [ref]


def _run_graph_management(state: _State, op: Operation) -> None:
    keyword = op.keyword
    i = 1
    if _is_word(op.tokens[i] if i < len(op.tokens) else None, "SILENT"):
        i += 1
    if keyword == "CREATE":
        return
    if keyword in ("CLEAR", "DROP"):
        ref, _ = _graph_ref(op, i)
        for name in _targets(state, ref):
            for quad in state.graph_list(name):
                state.remove(quad)
        return
    source, i = _graph_ref(op, i)
    if not _is_word(op.tokens[i] if i < len(op.tokens) else None, "TO"):
        raise UnsupportedUpdateError("TO expected")
    target, _ = _graph_ref(op, i + 1)
    if source == target or isinstance(source, str) or isinstance(target, str):
        return
    quads = state.graph_list(source)
    if keyword in ("COPY", "MOVE"):
        for quad in state.graph_list(target):
            state.remove(quad)
    if keyword == "MOVE":
        for quad in quads:
            state.remove(quad)
    for quad in quads:
        state.add(ox.Quad(quad.subject, quad.predicate, quad.object, target))


def _run_load(state: _State, op: Operation) -> None:
    scratch = ox.Store()
    scratch.update(f"{op.prologue}\n{op.text()}")
    for quad in scratch:
        state.add(quad)


def compute_effect(store: ox.Store, update: str, *, max_quads: int) -> UpdateEffect:
    """What running `update` on `store` now would remove and add (see the module docstring).

    Raises `SyntaxError` for a malformed request, `UnsupportedUpdateError` for a form this
    module does not take apart, `EffectTooLargeError` past `max_quads`, and whatever
    Oxigraph raises for a failing `LOAD`.
    """
    state = _State(store, max_quads)
    try:
        for op in operations(update):
            _run_operation(state, op)
    except IndexError as exc:  # an operation that ends early: not a form taken apart here
        raise UnsupportedUpdateError("incomplete operation") from exc
    return UpdateEffect(removed=sorted(state.removed, key=str),
                        added=sorted(state.added, key=str))


def _run_operation(state: _State, op: Operation) -> None:
    keyword = op.keyword
    second = op.tokens[1] if len(op.tokens) > 1 else None
    if keyword in ("INSERT", "DELETE") and _is_word(second, "DATA"):
        _run_data(state, op, insert=keyword == "INSERT")
    elif keyword in ("INSERT", "DELETE", "WITH"):
        _run_modify(state, op)
    elif keyword in ("CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY"):
        _run_graph_management(state, op)
    elif keyword == "LOAD":
        _run_load(state, op)
    else:
        raise UnsupportedUpdateError(f"operation {keyword or op.tokens[0].text!r}")


@dataclass(frozen=True)
class UpdateEffectTask:
    """`compute_effect` as a job for a query worker process (api.query_engine)."""

    update: str
    max_quads: int

    @property
    def needs_time_limit(self) -> bool:
        """False when no operation has a WHERE pattern or a document to fetch: data blocks
        and whole-graph operations cost what the data they name costs, so the effect can
        be worked out in the server's own process (no worker to fork after each write)."""
        if "where" in self.update.lower():
            # the bare word, not the tokens: were they misled, a WHERE read as part of a
            # data block would be evaluated here with no time limit
            return True
        ops = operations(self.update)
        for op in ops:
            second = op.tokens[1] if len(op.tokens) > 1 else None
            if op.keyword in ("INSERT", "DELETE") and _is_word(second, "DATA"):
                continue
            if op.keyword in ("CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY"):
                continue
            return True
        return not ops

    def run(self, store: ox.Store) -> tuple[str, object]:
        try:
            return ("ok", compute_effect(store, self.update, max_quads=self.max_quads))
        except EffectTooLargeError as exc:
            return ("too_large", exc.limit)
        except TripleTermError as exc:
            return ("triple_term", str(exc))
        except UnsupportedUpdateError as exc:
            return ("unsupported", str(exc))
        except SyntaxError as exc:
            return ("syntax", str(exc))
        except (OSError, RuntimeError, ValueError) as exc:
            # a LOAD that fails, a graph that does not exist: the real run reports it
            return ("failed", str(exc))


# --- committing an update with its record ---------------------------------------------------

MAX_RECORDED_ENTITIES = 500
"""`prov:used` lists each changed subject only up to this many."""


def _to_rdflib_quad(quad: ox.Quad) -> Quad:
    name = quad.graph_name
    graph = None if isinstance(name, ox.DefaultGraph) else to_rdflib(name)
    return (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object),
            graph)  # type: ignore[return-value]


def commit_update(repository: Repository, update: str, effect: tuple[str, object], *,
                  agent: str, label: str = "SPARQL Update") -> URIRef | None:
    """Run `update` and its audit record in one transaction.

    `effect` is what `UpdateEffectTask.run` answered for this update on this store (taken
    under the same write lock): ("ok", UpdateEffect) records every quad added and
    removed; ("too_large", limit), ("unsupported", why) and ("failed", why) record the
    update text with a label saying the triples are not listed.

    When the effect is listed, non-empty, free of blank nodes, and the update only inserts
    and deletes triples (`INSERT`/`DELETE` DATA or WHERE, `LOAD`), the listed quads are what
    is written: the differential tests prove them equal to what Oxigraph does with the
    text, and so the WHERE is not evaluated again without a time limit and a `LOAD` document
    is not fetched a second time. Otherwise the update text itself runs, so the store gets
    exactly what Oxigraph does with it: graph management also creates and drops empty named
    graphs, which no quad says, and blank nodes cannot be written by label (a change set
    gives them fresh identities, and removing one by its shape could remove another of the
    same shape). A failing update writes neither the change nor the record. `label` starts
    the record's label (the CLI says it came from there).
    """
    kind, value = effect
    recorded = ChangeSet()
    entities: list[URIRef] = []
    if kind == "ok":
        assert isinstance(value, UpdateEffect)
        recorded = ChangeSet(add=[_to_rdflib_quad(q) for q in value.added],
                             remove=[_to_rdflib_quad(q) for q in value.removed])
        subjects = sorted({q[0] for q in [*recorded.add, *recorded.remove]
                           if isinstance(q[0], URIRef)})
        if len(subjects) <= MAX_RECORDED_ENTITIES:
            entities = subjects
    elif kind == "too_large":
        label += (f": lebih dari {value} tripel berubah; yang tercatat hanya teks update"
                  " (terlalu banyak untuk dicatat satu per satu)")
    else:
        label += f": tripel yang berubah tidak tercatat, hanya teks update ({value})"
    blank = any(isinstance(t, BNode) for q in [*recorded.add, *recorded.remove] for t in q)
    if kind == "ok" and not recorded.is_empty() and not blank and _changes_triples_only(update):
        return apply_audited(repository, recorded, agent=agent, entities=entities,
                             label=label, update_text=update)
    return apply_audited(repository, ChangeSet(updates=[update]), agent=agent,
                         entities=entities, label=label, recorded=recorded)


def reserved_graph_refusal(update: str, effect: tuple[str, object]) -> tuple[str, str] | None:
    """Why `update` is refused (Indonesian, English), for the SPARQL endpoint and `spbe-arch
    update` alike, or None when it may run.

    The graphs that only spbe-arch itself writes (`iris.reserved_graph`: the audit trail,
    the stored validation reports; the Graph Store and `load` refuse them too) may not be
    added to, nor removed from except by `DROP ALL` / `CLEAR ALL`, after which the record
    of that update is the first again. When the effect is not known (too large to list, a
    form not taken apart, every update on a remote store), the update's text must show that
    it leaves them alone: it names every graph it changes by IRI."""
    kind, value = effect
    graph: str | None = None
    if kind != "ok":
        # the bare IRI in the text was the whole test once, and `PREFIX p: <…/graph/> DROP
        # GRAPH p:provenance`, `DROP NAMED` or `DELETE WHERE { GRAPH ?g {…} }` erased it
        written, unknown = written_graphs(update)
        graph = min((g for g in written if iris.reserved_graph(g) is not None), default=None)
        if graph is None and not unknown:
            return None
    else:
        assert isinstance(value, UpdateEffect)
        wipes = any(op.keyword in ("DROP", "CLEAR")
                    and any(_is_word(t, "ALL") for t in op.tokens[1:3])
                    for op in operations(update))
        changed = [*value.added, *([] if wipes else value.removed)]
        graph = min((g for g in (_graph_text(q.graph_name) for q in changed)
                     if iris.reserved_graph(g) is not None), default=None)
        if graph is None:
            return None
    what = (iris.reserved_graph(graph) if graph is not None else None) or (
        "jejak audit (graf provenance) atau laporan validasi tersimpan",
        "the audit trail (provenance graph) or a stored validation report")
    named = f" ({graph})" if graph is not None else ""
    known = kind == "ok"
    return (
        f"{what[0]}{named} tidak dapat diubah lewat SPARQL Update karena hanya ditulis oleh"
        " spbe-arch sendiri; hanya DROP ALL / CLEAR ALL yang mengosongkannya bersama"
        " seluruh repositori"
        + ("" if known else ". Perubahan update ini tidak dihitung lebih dulu, jadi"
           " update harus menyebut setiap graf yang diubahnya dengan IRI (bukan"
           " GRAPH ?variabel dalam templat, bukan DROP/CLEAR NAMED)"),
        f"{what[1]}{named} cannot be changed through SPARQL Update, as only spbe-arch"
        " itself writes it; only DROP ALL / CLEAR ALL empties it, with the whole"
        " repository"
        + ("" if known else ". This update's changes are not worked out beforehand,"
           " so it must name every graph it changes by IRI (no GRAPH ?variable in a"
           " template, no DROP/CLEAR NAMED)"),
    )


def written_graphs(update: str) -> tuple[set[str], bool]:
    """The IRIs of the named graphs `update` may change (prefixed names, BASE and escapes
    resolved), and whether it may also change graphs its text does not name: a variable
    graph in a template, `DROP`/`CLEAR NAMED`, a form not taken apart. Graphs that are
    only read (`USING`, `WHERE`, the source of `ADD`/`COPY`) are not counted; `DROP ALL` /
    `CLEAR ALL` change every graph and are left to the caller."""
    if _stray_backslash(update):
        return set(), True
    written: set[str] = set()
    unknown = False
    resolved: dict[tuple[str, str], str] = {}

    def name(op: Operation, token: Token) -> None:
        key = (op.prologue, token.text)
        if key not in resolved:
            try:
                resolved[key] = _resolve_graph(op.prologue, token).value
            except (SyntaxError, ValueError):
                resolved[key] = ""  # not a graph name Oxigraph takes: the update fails
        written.add(resolved[key])

    def template(op: Operation, tokens: list[Token]) -> bool:
        """Note the graphs of `GRAPH x` in a template; False for a variable one."""
        for i, token in enumerate(tokens[:-1]):
            if _is_word(token, "GRAPH"):
                following = tokens[i + 1]
                if following.kind in ("iri", "pname"):
                    name(op, following)
                else:
                    return False
        return True

    for op in operations(update):
        keyword = op.keyword
        tokens = op.tokens
        second = tokens[1] if len(tokens) > 1 else None
        try:
            if keyword in ("INSERT", "DELETE") and _is_word(second, "DATA"):
                unknown |= not template(op, tokens)
            elif keyword in ("INSERT", "DELETE", "WITH"):
                parsed = _parse_modify(op)
                if parsed.with_graph is not None:
                    name(op, parsed.with_graph)
                for template_tokens in parsed.template_tokens:
                    unknown |= not template(op, template_tokens)
            elif keyword in ("DROP", "CLEAR", "CREATE"):
                i = 2 if _is_word(second, "SILENT") else 1
                if _is_word(tokens[i], "NAMED"):
                    unknown = True
                elif not _is_word(tokens[i], "ALL", "DEFAULT"):
                    name(op, tokens[i + 1] if _is_word(tokens[i], "GRAPH") else tokens[i])
            elif keyword in ("ADD", "COPY", "MOVE"):
                to = next(j for j, t in enumerate(tokens) if _is_word(t, "TO"))
                # the target changes; MOVE empties its source too
                for part in (tokens[to + 1:], tokens[1:to] if keyword == "MOVE" else []):
                    for token in part:
                        if token.kind in ("iri", "pname"):
                            name(op, token)
            elif keyword == "LOAD":
                if any(_is_word(t, "INTO") for t in tokens):
                    name(op, tokens[-1])
            else:
                unknown = True
        except (IndexError, StopIteration, UnsupportedUpdateError):
            unknown = True
    written.discard("")
    return written, unknown


def mentions_triple_terms(update: str) -> bool:
    """Whether `update` may make RDF 1.2 triple terms: `<<` outside strings, IRIs and
    comments, or the TRIPLE function; for updates whose effect is not worked out."""
    if "<<" not in update and "triple" not in update.lower():
        return False
    position = 0
    for match in TOKEN.finditer(update):
        if "<<" in update[position:match.start()]:
            return True
        if match.lastgroup == "word" and match.group(0).upper() == "TRIPLE":
            return True
        position = match.end()
    return "<<" in update[position:]


def has_operations(update: str) -> bool:
    """Whether `update` holds an operation: a request of only a prologue and comments is
    valid SPARQL and does nothing (tokens that may be misread count as an operation)."""
    return bool(operations(update)) or _stray_backslash(update)


def _graph_text(graph: object) -> str:
    return graph.value if isinstance(graph, ox.NamedNode) else ""


def _changes_triples_only(update: str) -> bool:
    """Every operation inserts or deletes triples (no graph management)."""
    ops = operations(update)
    return bool(ops) and all(op.keyword in ("INSERT", "DELETE", "WITH", "LOAD") for op in ops)
