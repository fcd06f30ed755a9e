"""Core commands: init, load, export, query, update, stats, dump, restore, demo.

Each command opens the repository, calls one service function and prints the outcome;
errors are `SpbeError`s, which the app turns into one sentence and exit code 2.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal

import pyoxigraph as ox
import typer
from rdflib import Graph
from rdflib.term import URIRef
from rich.table import Table

from spbe_arch import demo as demo_service
from spbe_arch import iris
from spbe_arch.audit import index_on_open, load_record
from spbe_arch.cli.common import (
    TableOrJson,
    agent_name,
    err_console,
    out_console,
    progress,
    repository,
    settings,
    state,
    t,
    working,
)
from spbe_arch.errors import ConfigurationError, InputError, Location
from spbe_arch.queries import (
    PREFIXES,
    NamedQuery,
    get_query,
    has_header,
    list_queries,
    parse_query,
)
from spbe_arch.queries.results import ask_to_json, compact, serialize
from spbe_arch.repository import (
    LoadSource,
    Repository,
    SelectResult,
    format_for_path,
)
from spbe_arch.repository.base import (
    QUAD_FORMATS,
    SPARQL_TOKEN,
    literal_or_iri,
    rdfxml_unwritable_predicate,
)
from spbe_arch.repository.oxigraph import RDF_FORMAT
from spbe_arch.settings import Settings
from spbe_arch.sparql_update import (
    UpdateEffectTask,
    commit_update,
    operations,
    reserved_graph_refusal,
    uses_keyword,
)

_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|^`\\]*$")
_QUERY_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_QUERY_SUFFIXES = (".rq", ".sparql", ".ru", ".txt")


class RdfFormat(StrEnum):
    turtle = "turtle"
    trig = "trig"
    ntriples = "ntriples"
    nquads = "nquads"
    jsonld = "jsonld"
    rdfxml = "rdfxml"


class DumpFormat(StrEnum):
    nquads = "nquads"
    trig = "trig"


class ResultFormat(StrEnum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"


# --- helpers --------------------------------------------------------------------------------

def _echo(text: str) -> None:
    typer.echo(text)


def _note(text: str) -> None:
    """A message about what happened (stderr, so results on stdout stay clean)."""
    typer.echo(text, err=True)


def _graph_iri(value: str | None) -> URIRef | None:
    if value is None:
        return None
    text = value[1:-1] if value.startswith("<") and value.endswith(">") else value
    if not _IRI.match(text):
        example = iris.instansi_graph("3574")
        raise InputError(f"'{value}' bukan IRI graf yang sah (contoh: {example})",
                         f"'{value}' is not a valid graph IRI (e.g. {example})")
    return URIRef(text)


def _read_text(path: Path) -> str:
    try:
        # utf-8-sig: Notepad starts a "UTF-8" file with a byte order mark, which SPARQL
        # parsers read as a stray character before the first keyword
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raw = path.read_bytes()[:exc.start]
        line = raw.count(b"\n") + 1
        column = len(raw) - (raw.rfind(b"\n") + 1) + 1
        raise InputError("berkas tidak tersimpan sebagai UTF-8 (mis. Latin-1/ANSI); simpan ulang"
                         " dengan pengodean UTF-8",
                         "the file is not saved as UTF-8 (e.g. Latin-1/ANSI); save it again"
                         " with UTF-8 encoding",
                         Location(file=str(path), line=line, column=column)) from exc
    except OSError as exc:
        raise InputError(f"berkas tidak dapat dibaca: {exc}", f"cannot read the file: {exc}",
                         Location(file=str(path))) from exc


def _existing_file(name: str) -> Path:
    path = Path(name)
    if path.is_dir():
        raise InputError(f"'{name}' adalah folder; sebutkan berkasnya (mis. {name}/*.ttl)",
                         f"'{name}' is a folder; name its files (e.g. {name}/*.ttl)",
                         Location(file=name))
    if not path.is_file():
        raise InputError(f"berkas '{name}' tidak ada", f"the file '{name}' does not exist",
                         Location(file=name))
    return path


def _write_output(data: bytes, out: Path | None) -> None:
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return

    def write(path: Path) -> None:
        with path.open("wb") as handle:
            handle.write(data)

    _replace_file(out, write)


def _replace_file(out: Path, write: Callable[[Path], object]) -> int:
    """Write a file through `write(path)` beside `out` and rename it over `out` once complete
    (a full disk must not leave half a backup in place of the last good one); its size."""
    target = out.resolve() if out.is_symlink() else out
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        write(temporary)
        with temporary.open("rb") as handle:
            os.fsync(handle.fileno())
        size = temporary.stat().st_size
        os.replace(temporary, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise InputError(f"tidak dapat menulis berkas ini ({exc}); berkas yang sudah ada tidak"
                         " diubah",
                         f"cannot write this file ({exc}); an existing file was left as it was",
                         Location(file=str(out))) from exc
    return size


def _parse_params(values: list[str] | None) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in values or []:
        name, equals, value = item.partition("=")
        name = name.strip()
        if not equals or not _VARIABLE.match(name):
            raise InputError(f"--param '{item}' harus berbentuk NAMA=NILAI",
                             f"--param '{item}' must read NAME=VALUE")
        params[name] = value
    return params


# --- init / load / export -------------------------------------------------------------------

def init(
    instansi: Annotated[str | None, typer.Option(
        "--instansi", metavar="KODE",
        help="Catat juga instansi ini: kode wilayah 2 atau 4 angka, mis. 3513. (Also record"
             " this government body: its 2- or 4-digit region code.)")] = None,
    nama: Annotated[str | None, typer.Option(
        "--nama", metavar="TEKS",
        help="Dengan --instansi: nama instansi, mis. 'Pemerintah Kabupaten Probolinggo'."
             " (With --instansi: the body's name.)")] = None,
    periode: Annotated[str | None, typer.Option(
        "--periode", metavar="TAHUN-TAHUN",
        help="Dengan --instansi: periode arsitektur, mis. 2025-2029 (draf, referensi"
             " Perpres 132/2022). (With --instansi: the architecture period.)")] = None,
) -> None:
    """Siapkan repositori baru. (Prepare a new repository.)

    Membuat penyimpanan lalu memuat ontologi, shapes SHACL dan arsitektur referensi
    nasional (RAB, RAL, RAD, …), tanpa data contoh. Aman dijalankan ulang. Dengan
    --instansi, --nama dan --periode juga mencatat instansi Anda sendiri.
    (Creates the store and loads the ontology, SHACL shapes and the national reference
    architectures, without sample data. Safe to run again. With --instansi, --nama and
    --periode it also records your own government body.)
    """
    if instansi is None and (nama is not None or periode is not None):
        raise InputError("--nama dan --periode dipakai bersama --instansi",
                         "--nama and --periode go with --instansi",
                         Location(field="--instansi"))
    from spbe_arch.cli.instansi import cli_words

    if instansi is not None:
        from spbe_arch.model.instansi import check_instansi_input

        with cli_words():
            check_instansi_input(instansi, periode)  # before the store is touched
    with repository() as repo, working(t("Menyiapkan repositori", "Preparing the repository")):
        summary = demo_service.load_base_data(repo, agent=agent_name())
        recorded = None
        if instansi is not None:
            from spbe_arch.model.instansi import record_instansi

            with cli_words():
                recorded = record_instansi(repo, instansi, nama, periode,
                                           agent=agent_name(), lang=state.lang)
    _echo(t(f"Repositori {repo.description} siap: {summary.quads} tripel dasar dimuat.",
            f"Repository {repo.description} is ready: {summary.quads} base triples loaded."))
    for line in summary.kept_lines(state.lang):
        _echo(f"  {line}")
    for line in summary.lines(state.lang):
        _echo(f"  {line}")
    if recorded is not None:
        kode = instansi.strip() if instansi else ""
        done = (t("dicatat", "recorded") if recorded.created else
                t("diperbarui", "updated") if recorded.activity else
                t("sudah tercatat, tidak berubah", "already recorded, unchanged"))
        _echo(t(f"Instansi {kode} {done}.", f"Instansi {kode} {done}."))
        if kode != settings().instansi:
            _echo(t(f"  Perintah lain memakai instansi {settings().instansi}: setel"
                    f" SPBE_INSTANSI={kode} (atau --instansi {kode}).",
                    f"  Other commands use instansi {settings().instansi}: set"
                    f" SPBE_INSTANSI={kode} (or --instansi {kode})."))


def load(
    files: Annotated[list[str], typer.Argument(
        metavar="BERKAS",
        help="Berkas RDF: .ttl .trig .nt .nq .jsonld .rdf/.owl/.xml. (RDF files.)",
        show_default=False,
    )],
    graph: Annotated[str | None, typer.Option(
        "--graph", "-g", metavar="IRI",
        help=("Graf tujuan untuk format tripel; bawaan: graf instansi SPBE_INSTANSI, mis."
              " https://w3id.org/spbe-arch/graph/instansi/3574. TriG/N-Quads memakai grafnya"
              " sendiri. (Target graph for triple formats.)"),
    )] = None,
    replace: Annotated[bool, typer.Option(
        "--replace",
        help="Kosongkan graf tujuan dulu, dalam transaksi yang sama. (Replace the target graphs.)",
    )] = False,
    fmt: Annotated[RdfFormat | None, typer.Option(
        "--format", "-f",
        help="Format semua berkas; bawaan: dari akhiran nama berkas. (Format; default: suffix.)",
    )] = None,
) -> None:
    """Muat berkas RDF ke repositori. (Load RDF files into the repository.)

    Semua berkas dibaca dulu; bila satu saja salah, tidak ada yang dimuat dan pesan
    menyebut berkas, baris dan kolomnya. (All files are read first; if one is malformed
    nothing is loaded, and the message names the file, line and column.)
    """
    target = _graph_iri(graph)
    if target is None:
        instansi = settings().instansi.strip()
        if not instansi:  # `export SPBE_INSTANSI=` in a script: the graph would be …/instansi/
            raise ConfigurationError(
                "SPBE_INSTANSI kosong; isi dengan kode wilayah (mis. 3574) atau sebutkan graf"
                " tujuan dengan --graph",
                "SPBE_INSTANSI is empty; set it to a region code (e.g. 3574) or name the"
                " target graph with --graph")
        target = iris.instansi_graph(instansi)
    # the audit trail and the stored validation reports are written by spbe-arch itself
    # only, as through the API
    sources = []
    for name in files:
        path = _existing_file(name)
        file_format = fmt.value if fmt is not None else format_for_path(path)
        sources.append(LoadSource(path, file_format, target, name,
                                  reserved=iris.reserved_graph))
    quad_inputs = sum(1 for s in sources if s.format in QUAD_FORMATS)
    reserved = iris.reserved_graph(str(target))
    if reserved is not None and quad_inputs < len(sources):
        raise InputError(
            f"graf {target} adalah {reserved[0]}, yang hanya ditulis oleh spbe-arch sendiri;"
            " pilih graf lain",
            f"the graph {target} is {reserved[1]}, which only spbe-arch itself writes;"
            " choose another graph", Location(field="--graph"))
    with repository() as repo, working(t(f"Memuat {len(sources)} berkas",
                                         f"Loading {_files(len(sources))}")):
        # the record's label in Indonesian, as every other record's
        into = str(target) if quad_inputs < len(sources) else "graf yang dinamai berkasnya"
        names = ", ".join(Path(n).name for n in files)
        count = repo.load(sources, replace=replace, record=load_record(
            agent=agent_name(), entities=[target] if quad_inputs < len(sources) else [],
            label=lambda n: f"Muat lewat CLI {names} -> {into} ({n} tripel"
                            f"{', menggantikan isinya' if replace else ''})"))
    where = t(f"ke graf {target}", f"into graph {target}") if quad_inputs < len(sources) else t(
        "ke graf yang dinamai berkasnya", "into the graphs named in the files")
    _echo(t(f"{count} tripel dari {len(sources)} berkas dimuat {where}"
            f"{' (menggantikan isi lama)' if replace else ''}.",
            f"{count} triple{'' if count == 1 else 's'} from {_files(len(sources))} loaded"
            f" {where}"
            f"{' (replacing the old content)' if replace else ''}."))


def _files(count: int) -> str:
    return f"{count} file{'' if count == 1 else 's'}"


def export(
    graph: Annotated[str | None, typer.Option(
        "--graph", "-g", metavar="IRI",
        help="Graf yang diekspor; tanpa opsi ini seluruh repositori (TriG/N-Quads). (Graph.)",
    )] = None,
    fmt: Annotated[RdfFormat | None, typer.Option(
        "--format", "-f",
        help=("Format keluaran; bawaan: dari akhiran --out, atau turtle (satu graf) / trig"
              " (seluruh repositori). (Output format.)"),
    )] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", metavar="BERKAS",
        help="Tulis ke berkas ini, bukan ke layar. (Write to this file instead of stdout.)",
    )] = None,
) -> None:
    """Ekspor satu graf atau seluruh repositori. (Export a graph or the whole repository.)

    Tanpa --graph seluruh repositori ditulis sebagai TriG atau N-Quads.
    (Without --graph the whole repository is written as TriG or N-Quads.)
    """
    target = _graph_iri(graph)
    if fmt is not None:
        name = fmt.value
    elif out is not None and out.suffix:
        name = format_for_path(out)
    else:
        name = "turtle" if target is not None else "trig"
    if target is None and name not in QUAD_FORMATS:
        raise InputError(
            f"format {name} hanya memuat satu graf; pilih graf dengan --graph atau gunakan"
            " --format trig/nquads untuk seluruh repositori",
            f"format {name} holds one graph only; choose one with --graph or use"
            " --format trig/nquads for the whole repository",
        )
    with repository(read_only=True) as repo:
        if target is not None and target not in repo.graph_names():
            raise InputError(f"graf {target} tidak ada atau kosong (lihat spbe-arch stats)",
                             f"graph {target} does not exist or is empty (see spbe-arch stats)")
        if name == "rdfxml" and target is not None:
            _check_rdfxml_predicates(repo, target)
        with working(t("Mengekspor", "Exporting")):
            data = repo.export(target, name)
    _write_output(data, out)
    if out is not None:
        _note(t(f"{len(data)} bita ({name}) ditulis ke {out}.",
                f"{len(data)} bytes ({name}) written to {out}."))


def _check_rdfxml_predicates(repo: Repository, graph: URIRef) -> None:
    predicate = rdfxml_unwritable_predicate(repo, graph)
    if predicate is not None:
        raise InputError(
            f"predikat <{predicate}> tidak dapat ditulis dalam RDF/XML (IRI-nya tidak"
            " berakhir dengan nama); gunakan --format turtle, ntriples atau jsonld",
            f"the predicate <{predicate}> cannot be written in RDF/XML (its IRI does not"
            " end in a name); use --format turtle, ntriples or jsonld",
            Location(field="--format"))


# --- query / update -------------------------------------------------------------------------

def _names_a_file(text: str) -> bool:
    """Whether a QUERY/UPDATE argument is a file name rather than SPARQL text."""
    if "{" in text or "\n" in text:  # SPARQL text; also never stat() a 300-character query
        return False
    path = Path(text)
    try:
        return path.suffix.lower() in _QUERY_SUFFIXES or path.is_file()
    except OSError:  # e.g. a name too long for the file system
        return False


def _resolve_query(text: str) -> tuple[str, NamedQuery | None, str | None]:
    """(SPARQL text, its parsed header if any, the file it came from) for a named query, a
    file or query text."""
    path = Path(text)
    if _names_a_file(text):
        source = _read_text(_existing_file(text))
        if has_header(source):
            return source, parse_query(source, text, name=path.stem, require_meta=False), text
        return source, None, text
    if _QUERY_NAME.match(text):
        named = get_query(text)
        return named.sparql, named, None
    return text, None, None


def _located_syntax_error(sparql: str, file: str | None) -> InputError | None:
    """The query's syntax error with the line and column in the user's own text (the
    store saw it with parameters bound, and a remote store answers only "HTTP 400"), or
    None if it parses. Parsed by an empty embedded store; a query with SERVICE is not
    tried there, since evaluating it could call the service."""
    if uses_keyword(sparql, "SERVICE"):
        return None
    try:
        ox.Store().query(sparql)
    except SyntaxError as exc:
        return _sparql_syntax_error(str(exc), update=False, file=file)
    except (OSError, RuntimeError, ValueError):
        return None
    return None


def _print_query_list() -> None:
    table = Table(title=t("Kueri bernama", "Named queries"), show_lines=False)
    table.add_column(t("nama", "name"), no_wrap=True)
    table.add_column(t("judul", "title"))
    table.add_column(t("parameter", "parameters"))
    for named in list_queries():
        params = ", ".join(
            f"{p.name} ({p.type}{'' if p.required else ', ' + t('opsional', 'optional')})"
            for p in named.params)
        table.add_row(named.name, named.title(state.lang), params or "-")
    out_console().print(table)
    _note(t("Jalankan: spbe-arch query NAMA [--param NAMA=NILAI]",
            "Run: spbe-arch query NAME [--param NAME=VALUE]"))


def _print_select(result: SelectResult, fmt: ResultFormat) -> None:
    if fmt is not ResultFormat.table:
        sys.stdout.write(serialize(result, fmt.value))
        sys.stdout.flush()
        return
    table = Table(show_lines=False)
    for name in result.variables:
        table.add_column(name, overflow="fold")
    for row in result.rows:
        table.add_row(*(compact(row.get(name)) for name in result.variables))
    out_console().print(table)
    _note(t(f"{len(result)} baris", f"{len(result)} rows"))


def query(
    text: Annotated[str | None, typer.Argument(
        metavar="KUERI",
        help=("Nama kueri bernama (lihat --list), berkas .rq, atau teks SPARQL."
              " (A named query, a .rq file, or SPARQL text.)"),
        show_default=False,
    )] = None,
    param: Annotated[list[str] | None, typer.Option(
        "--param", "-p", metavar="NAMA=NILAI",
        help="Nilai parameter, boleh berulang. (Parameter value; repeatable.)",
        show_default=False,
    )] = None,
    fmt: Annotated[ResultFormat, typer.Option(
        "--format", "-f", help="Format hasil. (Result format.)",
    )] = ResultFormat.table,
    list_: Annotated[bool, typer.Option(
        "--list", "-l", help="Tampilkan daftar kueri bernama. (List the named queries.)",
    )] = False,
) -> None:
    """Jalankan kueri SPARQL atau kueri bernama. (Run a SPARQL query or a named query.)

    KUERI adalah nama kueri bernama dari pustaka (lihat --list), berkas .rq, atau teks
    SPARQL (SELECT, ASK, CONSTRUCT, DESCRIBE) atas gabungan semua graf. Parameter diikat
    dengan aman, tidak ditempelkan ke teks kueri. (QUERY is a named query from the library,
    a .rq file or SPARQL text, run over the union of all graphs. Parameters are bound
    safely, never pasted into the query text.)
    """
    if list_:
        _print_query_list()
        return
    if not text:
        raise InputError("sebutkan kueri: nama kueri bernama, berkas .rq atau teks SPARQL"
                         " (daftar: spbe-arch query --list)",
                         "give a query: a named query, a .rq file or SPARQL text"
                         " (list: spbe-arch query --list)")
    sparql, header, file = _resolve_query(text)
    values = _parse_params(param)
    if header is not None:
        bindings = header.bindings(values)
    else:
        bindings = {name: literal_or_iri(value) for name, value in values.items()}
    limit = settings().query_timeout_s
    try:
        with repository(read_only=True) as repo, working(t("Menjalankan kueri",
                                                           "Running the query")):
            result = repo.query(sparql, bindings, timeout_s=limit)
    except TimeoutError:
        raise InputError(
            f"kueri melewati batas waktu {limit:g} detik; persempit kueri (mis. dengan LIMIT"
            " atau parameter) atau naikkan batasnya dengan SPBE_QUERY_TIMEOUT_S",
            f"the query ran past the time limit of {limit:g} s; narrow it (e.g. with LIMIT or"
            " a parameter) or raise the limit with SPBE_QUERY_TIMEOUT_S",
            Location(file=file) if file else None) from None
    except InputError:
        located = _located_syntax_error(sparql, file)
        if located is None:
            raise
        raise located from None
    if isinstance(result, SelectResult):
        _print_select(result, fmt)
    elif isinstance(result, bool):
        if fmt is ResultFormat.json:
            sys.stdout.write(ask_to_json(result))
        else:
            _echo("true" if result else "false")
    else:
        if fmt in (ResultFormat.csv, ResultFormat.tsv):
            raise InputError(f"format {fmt.value} hanya untuk SELECT; hasil CONSTRUCT/DESCRIBE"
                             " ditulis sebagai Turtle (atau JSON-LD dengan --format json)",
                             f"format {fmt.value} is for SELECT only; CONSTRUCT/DESCRIBE"
                             " results are written as Turtle (or JSON-LD with --format json)")
        _print_graph(result, "json-ld" if fmt is ResultFormat.json else "turtle")


def _print_graph(graph: Graph, rdflib_format: str) -> None:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    sys.stdout.write(graph.serialize(format=rdflib_format))
    sys.stdout.flush()


def update(
    text: Annotated[str, typer.Argument(
        metavar="UPDATE",
        help="Teks SPARQL Update atau berkas .ru/.rq berisi itu. (SPARQL Update text or file.)",
        show_default=False,
    )],
) -> None:
    """Jalankan SPARQL Update. (Run a SPARQL Update.)

    Satu transaksi: semua atau tidak sama sekali. Perubahan dicatat di jejak audit (graf
    provenance) atas nama pengguna sistem. (One transaction, all or nothing; the change is
    recorded in the audit trail under the system user's name.)
    """
    file = text if _names_a_file(text) else None
    sparql = _read_text(_existing_file(text)) if file is not None else text
    sparql = _update_request(sparql, file)
    with repository() as repo, working(t("Menjalankan update", "Running the update")):
        # worked out before anything is written, as the SPARQL endpoint does
        effect = _update_effect(repo, sparql)
        if effect[0] == "syntax":
            raise _sparql_syntax_error(str(effect[1]), update=True, file=file)
        if effect[0] == "failed" and uses_keyword(sparql, "LOAD"):
            # the document could not be fetched or read (found on a scratch store); the real
            # run would blame the store ("cannot write to the store"), which is not the cause
            raise InputError(f"LOAD gagal, tidak ada yang diubah: {effect[1]}",
                             f"LOAD failed, nothing was changed: {effect[1]}",
                             Location(file=file) if file else None)
        refusal = reserved_graph_refusal(sparql, effect)
        if refusal is not None:
            raise InputError(*refusal, Location(file=file) if file else None)
        # the same recording as the SPARQL endpoint's (sparql_update.commit_update)
        activity = commit_update(repo, sparql, effect, agent=agent_name(),
                                 label="SPARQL Update (CLI)")
    _echo(t(f"Update selesai; tercatat sebagai {activity}.",
            f"Update done; recorded as {activity}."))


def _update_request(sparql: str, file: str | None) -> str:
    """The update ready to have its audit record appended in the same request: its
    syntax checked on its own (so an error points into the user's text, not into the
    record), without a trailing `;` and ending in a newline (a trailing comment would
    otherwise swallow what follows)."""
    if not operations(sparql):  # valid SPARQL, but surely not what was meant
        raise InputError("teks update kosong: tidak ada operasi di dalamnya; tidak ada yang"
                         " diubah",
                         "the update is empty: it holds no operation; nothing was changed",
                         Location(file=file) if file else None)
    if not uses_keyword(sparql, "LOAD"):  # checking would fetch the document once more
        try:
            ox.Store().update(sparql)
        except SyntaxError as exc:
            raise _sparql_syntax_error(str(exc), update=True, file=file) from None
        except (OSError, RuntimeError, ValueError):
            pass  # not a syntax problem (e.g. DROP of a graph the empty store lacks)
    return _without_final_semicolon(sparql) + "\n"


def _without_final_semicolon(sparql: str) -> str:
    """The text without a `;` that ends it (a valid empty last operation), comments after
    it kept."""
    last = None
    for match in SPARQL_TOKEN.finditer(sparql):
        if match.lastgroup != "comment":
            last = match
    if last is None or last.lastgroup != "semi":
        return sparql
    if re.sub(r"#[^\n\r]*", "", sparql[last.end():]).strip():
        return sparql  # something the tokens do not cover follows: leave it to the parser
    return sparql[:last.start()] + sparql[last.end():]


def _update_effect(repo: Repository, sparql: str) -> tuple[str, object]:
    """What the update will add and remove (`sparql_update.compute_effect`), worked out on
    the embedded store; a remote store's effect is not known beforehand."""
    from spbe_arch.repository.oxigraph import OxigraphRepository

    if not isinstance(repo, OxigraphRepository):
        return ("unsupported", "remote store")
    return UpdateEffectTask(sparql, settings().update_audit_max_quads).run(repo.store)


_SPARQL_POSITION = re.compile(r"^\s*error at (\d+):(\d+):\s*", re.DOTALL)


def _sparql_syntax_error(message: str, *, update: bool, file: str | None) -> InputError:
    """Oxigraph's SPARQL parse error as one sentence with the file, line and column.

    Oxigraph writes the position into the text ("error at 4:3: …") and lists the
    characters it expected as Rust ranges over several lines; the ranges are left out."""
    line = column = None
    match = _SPARQL_POSITION.match(message)
    if match:
        line, column = int(match.group(1)), int(match.group(2))
        message = message[match.end():]
    message = _without_character_ranges(" ".join(message.split()))
    what_id, what_en = (("kesalahan sintaks SPARQL Update", "SPARQL Update syntax error")
                        if update else ("kesalahan sintaks SPARQL", "SPARQL syntax error"))
    location = Location(file=file, line=line, column=column)
    return InputError(f"{what_id}: {message}", f"{what_en}: {message}",
                      location if file or line is not None else None)


_EXPECTED_ITEM = re.compile(
    r"""\s*("(?:[^"\\]|\\.)*"|\[(?:'(?:[^'\\]|\\.)*'|[^\]'])*\]|[^,]+)\s*(?:,|$)""")


def _without_character_ranges(message: str) -> str:
    """`expected one of ".", ['A' ..= 'Z' | …], [_]` -> `expected one of ".", …`."""
    head, sep, listed = message.partition("expected one of ")
    if not sep:
        return message
    items = [m.group(1) for m in _EXPECTED_ITEM.finditer(listed) if m.group(1)]
    kept = [item for item in items if not item.startswith("[")]
    if len(kept) < len(items):
        kept.append("…")
    return f"{head}{sep}{', '.join(kept)}"


# --- stats / dump / restore -----------------------------------------------------------------

def stats(
    fmt: Annotated[TableOrJson, typer.Option(
        "--format", "-f", help="Format keluaran. (Output format.)",
    )] = TableOrJson.table,
) -> None:
    """Statistik repositori. (Repository statistics.)

    Jumlah tripel per graf dan jumlah entitas per kelas.
    (Triples per graph and entities per class.)
    """
    with repository(read_only=True) as repo:
        result = repo.stats()
    if fmt is TableOrJson.json:
        import json

        sys.stdout.write(json.dumps({
            "total_triples": result.total_triples,
            "triples_per_graph": result.triples_per_graph,
            "entities_per_class": result.entities_per_class,
        }, indent=2, ensure_ascii=False) + "\n")
        return
    console = out_console()
    graphs = Table(title=t("Tripel per graf", "Triples per graph"))
    graphs.add_column(t("graf", "graph"), overflow="fold")
    graphs.add_column(t("tripel", "triples"), justify="right")
    for name, count in sorted(result.triples_per_graph.items()):
        graphs.add_row(name or t("(graf bawaan)", "(default graph)"), str(count))
    graphs.add_row(t("jumlah", "total"), str(result.total_triples), style="bold")
    console.print(graphs)
    classes = Table(title=t("Entitas per kelas", "Entities per class"))
    classes.add_column(t("kelas", "class"), overflow="fold")
    classes.add_column(t("entitas", "entities"), justify="right")
    for name, count in sorted(result.entities_per_class.items(), key=lambda i: (-i[1], i[0])):
        classes.add_row(compact(URIRef(name)), str(count))
    console.print(classes)


def dump(
    file: Annotated[Path, typer.Argument(
        metavar="BERKAS", help="Berkas tujuan (.nq atau .trig). (Target file.)",
        show_default=False,
    )],
    fmt: Annotated[DumpFormat | None, typer.Option(
        "--format", "-f",
        help="nquads (.nq) atau trig (.trig); bawaan: dari akhiran berkas. (Format.)",
    )] = None,
) -> None:
    """Cadangkan seluruh repositori ke satu berkas. (Dump the whole repository to a file.)

    Semua graf ditulis ke satu berkas N-Quads atau TriG, yang bisa dipulihkan dengan
    spbe-arch restore. (Every graph goes to one N-Quads or TriG file that
    spbe-arch restore reads back.)
    """
    # restore knows a dump's format by its suffix only: refuse what it could not read back
    by_suffix = {".nq": "nquads", ".trig": "trig"}.get(file.suffix.lower())
    name = fmt.value if fmt is not None else by_suffix
    if by_suffix is None or name != by_suffix:
        wanted = {"nquads": ".nq", "trig": ".trig"}.get(name or "", ".nq atau .trig")
        wanted_en = wanted.replace(" atau ", " or ")
        raise InputError(
            f"cadangan harus berakhiran {wanted}, agar spbe-arch restore dapat membacanya"
            f" kembali (mis. {file.with_suffix(wanted.split()[0]).name})",
            f"a dump must end in {wanted_en} so that spbe-arch restore can read it back"
            f" (e.g. {file.with_suffix(wanted.split()[0]).name})",
            Location(file=str(file)))
    dump_format: Literal["nquads", "trig"] = "trig" if name == "trig" else "nquads"
    with repository(read_only=True) as repo, working(t("Mencadangkan", "Dumping")):
        # streamed to the file by the store: a dump is the size of the repository
        size = _replace_file(file, lambda path: repo.dump(path, dump_format))
    _echo(t(f"Repositori dicadangkan ke {file} ({name}, {size} bita).",
            f"Repository dumped to {file} ({name}, {size} bytes)."))


def restore(
    file: Annotated[str, typer.Argument(
        metavar="BERKAS", help="Cadangan dari spbe-arch dump (.nq atau .trig). (Dump file.)",
        show_default=False,
    )],
    yes: Annotated[bool, typer.Option(
        "--yes", "-y", help="Jangan minta konfirmasi. (Do not ask for confirmation.)",
    )] = False,
) -> None:
    """Pulihkan repositori dari cadangan. (Restore the repository from a dump.)

    SELURUH isi repositori diganti secara atomik: bila berkas rusak, repositori tetap
    seperti semula. (The WHOLE repository is replaced atomically: if the file is
    malformed, the repository stays as it was.)
    """
    path = _existing_file(file)
    fmt = format_for_path(path)
    if fmt not in QUAD_FORMATS:
        raise InputError("cadangan harus berformat N-Quads (.nq) atau TriG (.trig)",
                         "a dump must be N-Quads (.nq) or TriG (.trig)", Location(file=file))
    if _holds_no_quad(path, fmt):
        # a dump that failed and left an empty file would otherwise wipe the repository
        raise InputError(
            "cadangan ini tidak berisi satu tripel pun; repositori tidak diubah (untuk"
            " mengosongkannya: spbe-arch update 'DROP ALL')",
            "this dump holds no triple at all; the repository was not changed (to empty it:"
            " spbe-arch update 'DROP ALL')", Location(file=file))
    if not yes:
        try:
            confirmed = typer.confirm(t("Seluruh isi repositori akan diganti. Lanjutkan?",
                                        "The whole repository will be replaced. Continue?"))
        except typer.Abort:  # no answer (end of input, Ctrl-C): click would say "Aborted."
            confirmed = False
        if not confirmed:
            typer.echo(t("Dibatalkan; repositori tidak diubah (tanpa tanya: --yes).",
                         "Cancelled; the repository was not changed (no question: --yes)."),
                       err=True)
            raise typer.Exit(1)
    # the dump's audit trail replaces the repository's: the record of the restore itself,
    # written after it in the same transaction, is what tells that it happened
    record = load_record(
        agent=agent_name(), entities=[],
        label=lambda n: f"Pemulihan dari cadangan {path.name} ({n} tripel; seluruh isi"
                        " repositori, jejak audit termasuk, diganti isi cadangan)")
    with repository() as repo, working(t("Memulihkan", "Restoring")):
        count = repo.restore(path, fmt, record=record)
        # a dump of an older version brings records without the history's index
        index_on_open(repo)
    _echo(t(f"Repositori dipulihkan dari {file}: {count} tripel.",
            f"Repository restored from {file}: {count} triples."))


def _holds_no_quad(path: Path, fmt: str) -> bool:
    """Whether a dump parses to nothing (read only up to its first quad); a syntax error
    is left to the restore, which reports it with its line."""
    try:
        return next(iter(ox.parse(path=str(path), format=RDF_FORMAT[fmt])), None) is None
    except (SyntaxError, OSError, MemoryError):
        return False


# --- demo -----------------------------------------------------------------------------------

def demo(
    no_serve: Annotated[bool, typer.Option(
        "--no-serve", help="Jalankan semua langkah kecuali menyalakan server. (Skip serving.)",
    )] = False,
    store: Annotated[str | None, typer.Option(
        "--store", metavar="STORE",
        help="Penyimpanan untuk demo (menggantikan --store global). (Store for the demo.)",
    )] = None,
    host: Annotated[str, typer.Option(
        "--host", help="Alamat server demo. (Address the demo server listens on.)",
    )] = "127.0.0.1",
    port: Annotated[int, typer.Option(
        "--port", help="Port server demo. (Port of the demo server.)",
    )] = 8000,
) -> None:
    """Seluruh produk pada data demo Kota Probolinggo. (The whole product on demo data.)

    Memuat ontologi, referensi dan data contoh ke penyimpanan (bawaan
    oxigraph:./spbe-data), menjalankan langkah-langkah demo, lalu menyalakan server
    (kecuali dengan --no-serve). Aman dijalankan ulang: tidak ada data yang berganda.
    (Loads the ontology, references and sample into the store, runs the demo steps, then
    starts the server unless --no-serve is given. Safe to run again: nothing is doubled.)
    """
    if store:
        state.store = store
    demo_settings = settings()
    if state.store:
        demo_settings = demo_settings.model_copy(update={"store": state.store})
    server = None if no_serve else _demo_server(host, port)
    console = err_console()
    with repository() as repo, progress() as bar:
        task = bar.add_task(t("Demo", "Demo"), total=len(demo_service.steps(serve=False)))

        def started(step: demo_service.DemoStep, index: int, total: int) -> None:
            if step.serves:  # the server runs until stopped: no bar under its log
                bar.stop()
                console.print(step.title(state.lang), highlight=False)
                return
            bar.update(task, description=step.title(state.lang))

        def finished(step: demo_service.DemoStep, result: demo_service.StepResult) -> None:
            bar.advance(task)
            console.print(f"[green]✓[/green] {step.title(state.lang)}: "
                          f"{result.summary(state.lang)}", markup=True, highlight=False)
            for line in result.details(state.lang):
                console.print(f"    {line}", markup=False, highlight=False)

        demo_service.run_demo(repo, demo_settings, server=server,
                              on_start=started, on_done=finished)
    _echo(t(f"Demo selesai di {repo.description}. Coba: spbe-arch query --list",
            f"Demo finished in {repo.description}. Try: spbe-arch query --list"))


def _demo_server(host: str, port: int) -> demo_service.Server | None:
    """The `spbe-arch serve` function bound to host and port (None while the service feature
    is not installed in this tree)."""
    try:
        from spbe_arch.cli.serve import serve
    except ModuleNotFoundError as exc:
        if exc.name != "spbe_arch.cli.serve":
            raise
        _note(t("Server belum tersedia di versi ini; demo berhenti tanpa menyalakannya.",
                "The server is not available in this version; the demo ends without it."))
        return None

    def run(repository: Repository, settings: Settings) -> None:
        serve(settings, repository, host, port)

    return run


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("load")(load)
    app.command("export")(export)
    app.command("query")(query)
    app.command("update")(update)
    app.command("stats")(stats)
    app.command("dump")(dump)
    app.command("restore")(restore)
    app.command("demo")(demo)


__all__ = ["register"]
