"""A cache on disk of the dependency analysis of the compiled checks (`dependencies.analyse`).

Parsing the ~200 SPARQL queries of the shipped rules with rdflib's parser takes seconds
(3-6 s on a 2-core machine), and every process that writes pays it once: a server on its
first write, but a command-line write (`spbe-arch sop set ...`) on every run, where it was
most of the command's time. The analysis depends only on the query text, this module's
analyser and rdflib's parser, so it is kept in the user's cache folder
(`$XDG_CACHE_HOME/spbe-arch/analysis`, else `~/.cache/spbe-arch/analysis`): one file per
version of the analyser and of rdflib, one entry per query text. Changed rules or a new
version of either give new keys, never a stale answer. The cache only saves time: a file
that cannot be read (missing, damaged, another format) is analysed again, and a folder that
cannot be written is left alone.

The files are pickles, read only from a folder of the user's own (created 0700); whoever
can write there can already change what the user runs.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

import rdflib

from spbe_arch.validation import dependencies
from spbe_arch.validation.dependencies import CheckDependencies
from spbe_arch.validation.sparql_text import SparqlTextError, tokenize

FORMAT = b"spbe-arch analysis cache 2"
"""Changed when what is stored changes shape."""
MAX_ENTRIES = 4096
"""A file holding more analyses than this keeps only those of the run that rewrites it."""

Query = tuple[str, str]
"""(query text, root variable) of one analysis."""


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "spbe-arch" / "analysis"


@cache
def _code_digest() -> str:
    """What the analysis is computed by: the analyser's own source and rdflib's version."""
    digest = hashlib.sha256(FORMAT)
    digest.update(Path(dependencies.__file__).read_bytes())
    digest.update(rdflib.__version__.encode())
    return digest.hexdigest()


def query_key(text: str, root: str) -> str:
    """The query's tokens without comments and spacing, which the analysis ignores: the
    compiler's `#spbe:` marks number patterns in the order the rules are read, which
    differs from process to process, while the queries are the same."""
    try:
        words = [token.text for token in tokenize(text)]
    except SparqlTextError:
        words = [text]
    digest = hashlib.sha256(root.encode() + b"\0")
    for word in words:
        digest.update(word.encode() + b"\x1f")
    return digest.hexdigest()


def _read(path: Path) -> dict[str, CheckDependencies]:
    try:
        with path.open("rb") as stream:
            found = pickle.load(stream)  # the user's own cache folder (see above)
    except Exception:  # any file that cannot be read back is analysed again
        return {}
    if isinstance(found, dict) and all(
            isinstance(key, str) and isinstance(value, CheckDependencies)
            for key, value in found.items()):
        return found
    return {}


def _write(path: Path, analyses: dict[str, CheckDependencies]) -> None:
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pickle")
        try:
            with os.fdopen(handle, "wb") as stream:
                pickle.dump(analyses, stream, protocol=pickle.HIGHEST_PROTOCOL)
            # whole or not at all, also when several processes write the file at once (the
            # last one wins; what the other added is analysed again by the next run)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except (OSError, pickle.PicklingError, RecursionError):
        pass  # no cache this time; the analysis itself is in hand


def cache_file() -> Path:
    return cache_dir() / f"{_code_digest()}.pickle"


def analyse_all(queries: Sequence[Query],
                analyse: Callable[[str, str], CheckDependencies] = dependencies.analyse,
                ) -> list[CheckDependencies]:
    """`analyse(text, root)` of every query, in order: from the cache where it has them,
    and the cache completed with the others."""
    keys = [query_key(text, root) for text, root in queries]
    path = cache_file()
    stored = _read(path)
    missing = [(key, query) for key, query in zip(keys, queries, strict=True)
               if key not in stored]
    for key, (text, root) in missing:
        stored[key] = analyse(text, root)
    if missing:
        if len(stored) > MAX_ENTRIES:
            stored = {key: stored[key] for key in keys}
        _write(path, stored)
    return [stored[key] for key in keys]


__all__ = ["analyse_all", "cache_dir", "cache_file", "query_key"]
