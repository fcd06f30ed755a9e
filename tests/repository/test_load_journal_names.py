"""The bulk-load journal reads back the graph names it wrote, whatever they hold."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from spbe_arch.repository.oxigraph import _LoadJournal


def test_a_graph_name_holding_a_line_separator_is_read_back_whole(tmp_path: Path) -> None:
    # an IRI may hold U+2028 (and U+0085 in a literal, not here): str.splitlines cut it in
    # two, and the recovery of an interrupted load then failed on half an IRI
    store = ox.Store(str(tmp_path / "store"))
    names = [ox.NamedNode("http://contoh.go.id/graf\u2028dua"), ox.DefaultGraph(),
             ox.NamedNode("http://contoh.go.id/biasa")]
    journal = _LoadJournal(tmp_path / "store")
    journal.begin(store, whole=False, graphs=names[:1])
    for graph in names[1:]:
        journal.add_graph(graph)
    assert _LoadJournal(tmp_path / "store").graphs() == (False, names)
