"""An SOP written back as a BPMN 2.0 process with diagram geometry (opens in Bizagi, bpmn.io).

One pool (the SOP's unit) with one lane per pelaksana; terminators become start/end
events, kegiatan become tasks, keputusan become exclusive gateways whose outgoing flows are
named Ya/Tidak, off-page connectors become link events. Mutu baku and keterangan go into
each element's documentation with the `Kelengkapan:`/`Waktu:`/`Output:`/`Keterangan:` convention,
so importing the file and deriving again gives the same SOP. Steps are laid out left to
right in SOP order, each in its lane; arrows are orthogonal.

An imported model (not an SOP) is exported with `importers.bpmn.writer.write_bpmn`, which
keeps its original geometry.
"""

from __future__ import annotations

from lxml import etree

from spbe_arch import __version__, iris
from spbe_arch.importers.bpmn import mapping as m
from spbe_arch.importers.bpmn.writer import NSMAP
from spbe_arch.repository import Repository
from spbe_arch.sop.document import Langkah, SopDocument, load_sop

LANE_HEIGHT = 130.0
POOL_X, POOL_Y = 30.0, 30.0
HEAD = 30.0
STEP_DX = 140.0
SIZES = {"task": (110.0, 64.0), "startEvent": (36.0, 36.0), "endEvent": (36.0, 36.0),
         "exclusiveGateway": (50.0, 50.0), "intermediateThrowEvent": (36.0, 36.0),
         "intermediateCatchEvent": (36.0, 36.0)}


def _q(namespace: str, local: str) -> str:
    return f"{{{namespace}}}{local}"


def _n(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _documentation(step: Langkah) -> str:
    lines = []
    for label, value in (("Kelengkapan", step.kelengkapan), ("Waktu", step.waktu),
                         ("Output", step.output), ("Keterangan", step.keterangan)):
        if value:
            lines.append(f"{label}: {' '.join(value.split())}")
    return "\n".join(lines)


class _Exporter:
    def __init__(self, document: SopDocument) -> None:
        self.doc = document
        self.slug = iris.slug(document.kode) or "sop"
        self.by_number = {s.urutan: s for s in document.langkah}
        self.incoming: dict[int, int] = {}
        for step in document.langkah:
            for target in (step.next, step.ya, step.tidak):
                if target is not None:
                    self.incoming[target] = self.incoming.get(target, 0) + 1
        self.elements: list[tuple[str, str, Langkah, str]] = []  # (id, tag, step, link name)
        self.element_of: dict[int, str] = {}
        self.exit_of: dict[int, str] = {}
        self.lane_of_element: dict[str, int] = {}
        self.position: dict[str, int] = {}

    def lane(self, step: Langkah) -> int:
        return self.doc.column_of(step)

    def plan(self) -> None:
        column = 0
        for step in self.doc.langkah:
            base = f"Langkah_{step.urutan}"
            if step.simbol == "Terminator":
                tag = "endEvent" if step.next is None else "startEvent"
                if tag == "startEvent" and self.incoming.get(step.urutan):
                    tag = "intermediateThrowEvent"
                self.add(base, tag, step, "", column)
            elif step.simbol == "Keputusan":
                self.add(base, "exclusiveGateway", step, "", column)
            elif step.simbol == "PenghubungHalaman":
                previous_is_connector = any(
                    s.simbol == "PenghubungHalaman" and s.next == step.urutan
                    for s in self.doc.langkah)
                next_step = self.by_number.get(step.next) if step.next else None
                link = f"P{step.urutan}"
                if previous_is_connector:
                    source = next(s for s in self.doc.langkah if s.simbol == "PenghubungHalaman"
                                  and s.next == step.urutan)
                    self.add(base, "intermediateCatchEvent", step, f"P{source.urutan}", column)
                elif next_step is not None and next_step.simbol == "PenghubungHalaman":
                    self.add(base, "intermediateThrowEvent", step, link, column)
                    self.exit_of[step.urutan] = ""  # continues through the link, not a flow
                else:
                    self.add(base, "intermediateThrowEvent", step, link, column)
                    column += 1
                    self.add(f"{base}_sambungan", "intermediateCatchEvent", step, link, column,
                             register=False)
                    self.exit_of[step.urutan] = f"{base}_sambungan"
            else:
                self.add(base, "task", step, "", column)
            column += 1

    def add(self, element_id: str, tag: str, step: Langkah, link: str, column: int, *,
            register: bool = True) -> None:
        self.elements.append((element_id, tag, step, link))
        if register:
            self.element_of[step.urutan] = element_id
            self.exit_of.setdefault(step.urutan, element_id)
        self.lane_of_element[element_id] = self.lane(step)
        self.position[element_id] = column

    def flows(self) -> list[tuple[str, str, str, str]]:
        out = []
        used: set[str] = set()
        for step in self.doc.langkah:
            source = self.exit_of.get(step.urutan, "")
            if not source:
                continue
            for target, name in ((step.next, ""), (step.ya, "Ya"), (step.tidak, "Tidak")):
                if target is None or target not in self.element_of:
                    continue
                # a decision whose Ya and Tidak lead to the same step has two flows between
                # the same elements, and each needs its own id
                flow_id = f"Alur_{step.urutan}_{target}"
                if flow_id in used:
                    flow_id = f"{flow_id}_{name or 'Lanjut'}"
                used.add(flow_id)
                out.append((flow_id, source, self.element_of[target], name))
        return out

    def bounds(self, element_id: str, tag: str) -> tuple[float, float, float, float]:
        w, h = SIZES[tag]
        cx = POOL_X + HEAD + 90 + self.position[element_id] * STEP_DX
        cy = POOL_Y + (self.lane_of_element[element_id] + 0.5) * LANE_HEIGHT
        return cx - w / 2, cy - h / 2, w, h

    def write(self) -> bytes:
        self.plan()
        flows = self.flows()
        namespaces = {k: v for k, v in NSMAP.items() if k != "bizagi"}
        root = etree.Element(_q(m.MODEL, "definitions"), nsmap=namespaces)  # type: ignore[arg-type]
        root.set("id", f"Definitions_{self.slug}")
        root.set("name", self.doc.nama)
        root.set("targetNamespace", f"https://w3id.org/spbe-arch/sop/{self.slug}")
        root.set("exporter", "spbe-arch")
        root.set("exporterVersion", __version__)
        process_id = f"Proses_{self.slug}"
        collaboration = etree.SubElement(root, _q(m.MODEL, "collaboration"),
                                         id=f"Kolaborasi_{self.slug}")
        participant = etree.SubElement(collaboration, _q(m.MODEL, "participant"),
                                       id=f"Pool_{self.slug}",
                                       name=self.doc.unit or self.doc.nama,
                                       processRef=process_id)
        del participant
        process = etree.SubElement(root, _q(m.MODEL, "process"), id=process_id,
                                   name=self.doc.nama, isExecutable="false")
        documentation = [f"SOP {self.doc.kode}: {self.doc.nama}"]
        if self.doc.nomor:
            documentation.append(f"Nomor SOP: {self.doc.nomor}")
        etree.SubElement(process, _q(m.MODEL, "documentation")).text = "\n".join(documentation)
        lane_set = etree.SubElement(process, _q(m.MODEL, "laneSet"), id=f"Jalur_{self.slug}")
        actors = self.doc.pelaksana or []
        lanes = [(f"Pelaksana_{i + 1}", a.nama) for i, a in enumerate(actors)] or [
            ("Pelaksana_1", "Pelaksana")]
        for index, (lane_id, name) in enumerate(lanes):
            lane = etree.SubElement(lane_set, _q(m.MODEL, "lane"), id=lane_id, name=name)
            for element_id, _tag, _step, _link in self.elements:
                if self.lane_of_element[element_id] == index:
                    etree.SubElement(lane, _q(m.MODEL, "flowNodeRef")).text = element_id
        incoming: dict[str, list[str]] = {}
        outgoing: dict[str, list[str]] = {}
        for flow_id, source, target, _ in flows:
            outgoing.setdefault(source, []).append(flow_id)
            incoming.setdefault(target, []).append(flow_id)
        for element_id, tag, step, link in self.elements:
            node = etree.SubElement(process, _q(m.MODEL, tag), id=element_id, name=step.nama)
            text = _documentation(step)
            if text and not element_id.endswith("_sambungan"):
                etree.SubElement(node, _q(m.MODEL, "documentation")).text = text
            for flow_id in incoming.get(element_id, []):
                etree.SubElement(node, _q(m.MODEL, "incoming")).text = flow_id
            for flow_id in outgoing.get(element_id, []):
                etree.SubElement(node, _q(m.MODEL, "outgoing")).text = flow_id
            if link:
                etree.SubElement(node, _q(m.MODEL, "linkEventDefinition"),
                                 id=f"{element_id}_tautan", name=link)
        for flow_id, source, target, name in flows:
            etree.SubElement(process, _q(m.MODEL, "sequenceFlow"), id=flow_id, name=name,
                             sourceRef=source, targetRef=target)
        self.diagram(root, collaboration.get("id") or "", lanes, flows)
        return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                    pretty_print=True))

    def diagram(self, root: etree._Element, collaboration_id: str,
                lanes: list[tuple[str, str]], flows: list[tuple[str, str, str, str]]) -> None:
        diagram = etree.SubElement(root, _q(m.BPMNDI, "BPMNDiagram"),
                                   id=f"Diagram_{self.slug}", name=self.doc.nama)
        plane = etree.SubElement(diagram, _q(m.BPMNDI, "BPMNPlane"), id=f"Bidang_{self.slug}",
                                 bpmnElement=collaboration_id)
        columns = max(self.position.values(), default=0) + 1
        width = HEAD + 90 + columns * STEP_DX + 40
        height = LANE_HEIGHT * len(lanes)

        def shape(element: str, x: float, y: float, w: float, h: float,
                  **attrs: str) -> etree._Element:
            node = etree.SubElement(plane, _q(m.BPMNDI, "BPMNShape"), id=f"{element}_di",
                                    bpmnElement=element, **attrs)
            etree.SubElement(node, _q(m.DC, "Bounds"), x=_n(x), y=_n(y), width=_n(w),
                             height=_n(h))
            return node

        shape(f"Pool_{self.slug}", POOL_X, POOL_Y, width, height, isHorizontal="true")
        for index, (lane_id, _) in enumerate(lanes):
            shape(lane_id, POOL_X + HEAD, POOL_Y + index * LANE_HEIGHT, width - HEAD,
                  LANE_HEIGHT, isHorizontal="true")
        boxes: dict[str, tuple[float, float, float, float]] = {}
        for element_id, tag, _step, _link in self.elements:
            boxes[element_id] = self.bounds(element_id, tag)
            node = shape(element_id, *boxes[element_id])
            if tag != "task":
                x, y, w, h = boxes[element_id]
                label = etree.SubElement(node, _q(m.BPMNDI, "BPMNLabel"))
                etree.SubElement(label, _q(m.DC, "Bounds"), x=_n(x - 30), y=_n(y + h + 4),
                                 width=_n(w + 60), height="28")
        for index, (flow_id, source, target, name) in enumerate(flows):
            points = self.waypoints(boxes, source, target, index)
            edge = etree.SubElement(plane, _q(m.BPMNDI, "BPMNEdge"), id=f"{flow_id}_di",
                                    bpmnElement=flow_id)
            for x, y in points:
                etree.SubElement(edge, _q(m.DI, "waypoint"), x=_n(x), y=_n(y))
            if name:
                label = etree.SubElement(edge, _q(m.BPMNDI, "BPMNLabel"))
                etree.SubElement(label, _q(m.DC, "Bounds"), x=_n(points[0][0] + 4),
                                 y=_n(points[0][1] - 18), width="36", height="14")


    def waypoints(self, boxes: dict[str, tuple[float, float, float, float]], source: str,
                  target: str, index: int) -> list[tuple[float, float]]:
        """Orthogonal route that crosses no other shape: every step has its own column, so
        vertical runs between or at columns are free, and horizontal runs that pass other
        columns use a corridor near the bottom of the source lane, below every shape."""
        sx, sy, sw, sh = boxes[source]
        tx, ty, tw, th = boxes[target]
        source_column, target_column = self.position[source], self.position[target]
        source_lane, target_lane = self.lane_of_element[source], self.lane_of_element[target]
        if target_column == source_column + 1:
            start, end = (sx + sw, sy + sh / 2), (tx, ty + th / 2)
            if abs(start[1] - end[1]) < 0.5:
                return [start, end]
            middle = (start[0] + end[0]) / 2
            return [start, (middle, start[1]), (middle, end[1]), end]
        corridor = POOL_Y + (source_lane + 1) * LANE_HEIGHT - 10 - (index % 5) * 4
        start = (sx + sw / 2, sy + sh)
        centre = tx + tw / 2
        # enter from the side facing the corridor: the top when the target lane is lower
        end = (centre, ty) if target_lane > source_lane else (centre, ty + th)
        return [start, (start[0], corridor), (centre, corridor), end]


def sop_to_bpmn(document: SopDocument) -> bytes:
    return _Exporter(document).write()


def export_sop_bpmn(repository: Repository, kode: str, *,
                    kode_wilayah: str | None = None) -> bytes:
    """BPMN 2.0 XML (with BPMN DI) of the SOP `kode`."""
    return sop_to_bpmn(load_sop(repository, kode, kode_wilayah))
