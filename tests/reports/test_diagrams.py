"""Diagrams: well-formed SVG, PNG of the same layout, bounded size."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

from PIL import Image

from spbe_arch.reports import diagrams
from spbe_arch.reports.diagrams import Node


def _tree(n: int) -> tuple[list[Node], dict[str, list[Node]]]:
    nodes = [Node(f"p{i}", f"PB.{i:03d}", f"Proses bisnis nomor {i} & <lainnya>")
             for i in range(n)]
    children: dict[str, list[Node]] = {"p0": nodes[1:4], "p1": nodes[4:n]}
    return [nodes[0]], children


def test_hierarchy_svg_and_png() -> None:
    roots, children = _tree(10)
    diagram = diagrams.process_hierarchy("Peta", roots, lambda i: children.get(i, []))
    root = ET.fromstring(diagram.svg())  # well-formed, text escaped
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "PB.000" in texts and "<lainnya>" in texts and any("&" in t for t in texts)
    assert len(diagram.boxes) == 10 and len(diagram.connectors) == 9
    image = Image.open(io.BytesIO(diagram.png(1.0)))
    assert image.size == (round(diagram.width), round(diagram.height))


def test_hierarchy_limit_and_cycles() -> None:
    roots, children = _tree(100)
    children["p99"] = [roots[0]]  # a cycle back to the root
    diagram = diagrams.process_hierarchy("Peta", roots, lambda i: children.get(i, []),
                                         max_nodes=20)
    assert diagram.omitted == 80
    assert diagram.boxes[-1].kind == "more" and "80" in diagram.boxes[-1].lines[0]


def test_hierarchy_flows_into_columns() -> None:
    nodes = [Node(f"p{i}", f"PB.{i:03d}", f"Proses {i}") for i in range(45)]
    roots = nodes[::5]  # nine top-level processes with four sub-processes each
    children = {root.id: nodes[i + 1:i + 5] for i, root in zip(range(0, 45, 5), roots,
                                                                 strict=True)}
    diagram = diagrams.process_hierarchy("Peta", roots, lambda i: children.get(i, []),
                                         max_height=500)
    columns = sorted({round(b.x) for b in diagram.boxes if b.x < 20 or b.kind == "more"})
    assert diagram.height <= 500
    assert len({round(b.x // 200) for b in diagram.boxes}) >= 2  # more than one column
    # a top-level process starts each column: no group is split across columns
    tops = {}
    for box in diagram.boxes:
        tops.setdefault(round(box.x // 200), box)
    assert all(box.lines[0] in {r.code for r in roots} for box in tops.values())
    assert columns


def test_chain_columns_and_links() -> None:
    p, s, a, d = (Node("p", "PB.1", "Proses"), Node("s", "LY.1", "Layanan"),
                  Node("a", "AP.1", "Aplikasi"), Node("d", "DT.1", "Data"))
    diagram = diagrams.chain("Rantai", [("proses-bisnis", "Proses", [p]),
                                        ("layanan", "Layanan", [s]),
                                        ("aplikasi", "Aplikasi", [a]),
                                        ("data", "Data", [d])],
                             [("p", "s"), ("s", "a"), ("a", "d"), ("p", "d")])
    # p -> d skips a column and is not drawn; the other three are
    assert len(diagram.connectors) == 3
    xs = sorted({box.x for box in diagram.boxes})
    assert len(xs) == 4
    ET.fromstring(diagram.svg())


def test_long_labels_are_cut_to_the_box() -> None:
    lines = diagrams.wrap("Penyelenggaraan " * 20, 150, max_lines=2)
    assert len(lines) == 2 and lines[-1].endswith("…")
    assert all(diagrams.text_width(line) <= 150 for line in lines)
