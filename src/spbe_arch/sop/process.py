"""A read-only Python view of one imported BPMN model (its RDF graph), for SOP derivation."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import RDF, Graph
from rdflib.term import Literal, Node, URIRef

from spbe_arch.importers.bpmn.vocabulary import BP

Bounds = tuple[float, float, float, float]
_DATA = ("DataObjectReference", "DataStoreReference", "DataObject", "DataStore")


def _local(node: Node) -> str:
    return str(node).removeprefix(str(BP))


def clean(text: str | None) -> str:
    """One line, single spaces (Bizagi names often hold line breaks)."""
    return " ".join((text or "").split())


@dataclass
class FlowNode:
    iri: URIRef
    kind: str
    """Concrete class: Task, UserTask, ExclusiveGateway, StartEvent..."""
    family: str
    """Activity, Event or Gateway."""
    name: str
    container: URIRef
    """The process or sub-process the node is written in."""
    documentation: list[str] = field(default_factory=list)
    properties: dict[str, str] = field(default_factory=dict)
    """Bizagi properties, by lower-case name."""
    event_definitions: list[str] = field(default_factory=list)
    link_name: str | None = None
    attached_to: URIRef | None = None
    bounds: Bounds | None = None
    expanded: bool | None = None
    default_flow: URIRef | None = None
    inputs: list[str] = field(default_factory=list)
    """Names of the data objects/stores the node reads."""
    outputs: list[str] = field(default_factory=list)
    index: int = 0


@dataclass
class Flow:
    iri: URIRef
    source: URIRef
    target: URIRef
    name: str
    condition: str
    index: int = 0


@dataclass
class Lane:
    iri: URIRef
    name: str
    parent: URIRef | None
    """Parent lane for nested lanes."""
    process: URIRef
    nodes: set[URIRef]
    bounds: Bounds | None
    horizontal: bool
    order: tuple[int, ...]
    """Document position (depth-first), used when the diagram gives no geometry."""


@dataclass
class ProcessView:
    iri: URIRef
    name: str
    participant: str | None
    main_participant: bool
    nodes: dict[URIRef, FlowNode]
    flows: list[Flow]
    lanes: list[Lane]

    @property
    def activity_count(self) -> int:
        return sum(1 for n in self.nodes.values() if n.family == "Activity")

    def label(self) -> str:
        return self.participant or self.name or str(self.iri).rsplit("/", 1)[-1]


class ModelView:
    """Processes, lanes, flow nodes and flows of one model graph."""

    def __init__(self, graph: Graph, model: URIRef) -> None:
        self.graph = graph
        self.model = model
        g = graph
        self.kind: dict[Node, str] = {}
        self.families: dict[Node, set[str]] = defaultdict(set)
        for subject, cls in g.subject_objects(RDF.type):
            local = _local(cls)
            if local in ("Activity", "Event", "Gateway", "EventDefinition"):
                self.families[subject].add(local)
            elif str(cls).startswith(str(BP)):
                self.kind[subject] = local
        self.parent: dict[Node, Node] = dict(g.subject_objects(BP.containedIn))
        self.children: dict[Node, list[Node]] = defaultdict(list)
        for child, parent in self.parent.items():
            self.children[parent].append(child)
        for items in self.children.values():
            items.sort(key=lambda n: (self.index(n), str(n)))
        self.shapes: dict[Node, Node] = {}
        for shape in g.subjects(RDF.type, BP.BPMNShape):
            element = g.value(shape, BP.bpmnElement)
            if element is not None:
                self.shapes[element] = shape
        self.processes = [self._process(p) for p in sorted(
            (s for s, k in self.kind.items() if k == "Process" and isinstance(s, URIRef)),
            key=lambda n: (self.index(n), str(n)))]

    # --- small readers --------------------------------------------------------------------
    def index(self, node: Node) -> int:
        value = self.graph.value(node, BP.index)
        return int(value.toPython()) if isinstance(value, Literal) else 0

    def text(self, node: Node, prop: URIRef) -> str:
        value = self.graph.value(node, prop)
        return str(value) if value is not None else ""

    def bounds(self, element: Node) -> Bounds | None:
        shape = self.shapes.get(element)
        if shape is None or self.graph.value(shape, BP.width) is None:
            return None
        numbers = [self.graph.value(shape, p) for p in (BP.x, BP.y, BP.width, BP.height)]
        if any(not isinstance(v, Literal) for v in numbers):
            return None
        return tuple(float(v.toPython()) for v in numbers)  # type: ignore[union-attr,return-value]

    def bizagi(self, node: Node) -> dict[str, str]:
        out: dict[str, str] = {}
        for child in self.children.get(node, []):
            if self.kind.get(child) == "BizagiProperty":
                name = self.text(child, BP.propertyName).strip().lower()
                if name:
                    out[name] = self.text(child, BP.propertyValue).strip()
        return out

    def data_name(self, ref: Node | None) -> str:
        if ref is None:
            return ""
        name = clean(self.text(ref, BP.name))
        if not name:
            target = (self.graph.value(ref, BP.dataObjectRef)
                      or self.graph.value(ref, BP.dataStoreRef))
            name = clean(self.text(target, BP.name)) if target is not None else ""
        state = clean(self.text(ref, BP.dataState))
        return f"{name} [{state}]" if name and state else name

    def process_of(self, node: Node) -> Node | None:
        seen = set()
        while node is not None and node not in seen:
            seen.add(node)
            if self.kind.get(node) == "Process":
                return node
            node = self.parent.get(node)  # type: ignore[assignment]
        return None

    # --- building ---------------------------------------------------------------------------
    def _node(self, iri: URIRef, container: URIRef) -> FlowNode:
        g = self.graph
        families = self.families.get(iri, set())
        family = next(iter(sorted(families & {"Activity", "Event", "Gateway"})), "Activity")
        node = FlowNode(
            iri=iri, kind=self.kind.get(iri, "Task"), family=family,
            name=clean(self.text(iri, BP.name)), container=container)
        node.index = self.index(iri)
        node.documentation = sorted(str(d) for d in g.objects(iri, BP.documentation))
        node.properties = self.bizagi(iri)
        node.bounds = self.bounds(iri)
        shape = self.shapes.get(iri)
        expanded = g.value(shape, BP.isExpanded) if shape is not None else None
        node.expanded = bool(expanded.toPython()) if isinstance(expanded, Literal) else None
        attached = g.value(iri, BP.attachedToRef)
        node.attached_to = attached if isinstance(attached, URIRef) else None
        default = g.value(iri, BP["default"])
        node.default_flow = default if isinstance(default, URIRef) else None
        for child in self.children.get(iri, []):
            kind = self.kind.get(child, "")
            if "EventDefinition" in self.families.get(child, set()):
                node.event_definitions.append(kind)
                if kind == "LinkEventDefinition":
                    node.link_name = clean(self.text(child, BP.name)) or node.name
            elif kind == "DataInputAssociation":
                for source in g.objects(child, BP.sourceRef):
                    name = self.data_name(source)
                    if name and self.kind.get(source, "") in _DATA:
                        node.inputs.append(name)
            elif kind == "DataOutputAssociation":
                for target in g.objects(child, BP.targetRef):
                    name = self.data_name(target)
                    if name and self.kind.get(target, "") in _DATA:
                        node.outputs.append(name)
        return node

    def _collect(self, container: Node, process: URIRef, nodes: dict[URIRef, FlowNode],
                 flows: list[Flow]) -> None:
        for child in self.children.get(container, []):
            if not isinstance(child, URIRef):
                continue
            kind = self.kind.get(child, "")
            if kind == "SequenceFlow":
                source = self.graph.value(child, BP.sourceRef)
                target = self.graph.value(child, BP.targetRef)
                if isinstance(source, URIRef) and isinstance(target, URIRef):
                    flows.append(Flow(child, source, target, clean(self.text(child, BP.name)),
                                      clean(self.text(child, BP.conditionExpression)),
                                      self.index(child)))
            elif self.families.get(child, set()) & {"Activity", "Event", "Gateway"}:
                assert isinstance(container, URIRef)
                nodes[child] = self._node(child, container)
                if kind in ("SubProcess", "AdHocSubProcess", "Transaction"):
                    self._collect(child, process, nodes, flows)

    def _lanes(self, process: URIRef) -> list[Lane]:
        lanes: list[Lane] = []

        def visit(holder: Node, parent_lane: URIRef | None, path: tuple[int, ...]) -> None:
            for lane_set in self.children.get(holder, []):
                if self.kind.get(lane_set) != "LaneSet":
                    continue
                for position, lane in enumerate(c for c in self.children.get(lane_set, [])
                                                if self.kind.get(c) == "Lane"):
                    assert isinstance(lane, URIRef)
                    shape = self.shapes.get(lane)
                    horizontal = self.graph.value(shape, BP.isHorizontal) if shape else None
                    lanes.append(Lane(
                        lane, clean(self.text(lane, BP.name)), parent_lane, process,
                        {n for n in self.graph.objects(lane, BP.flowNodeRef)
                         if isinstance(n, URIRef)},
                        self.bounds(lane),
                        not isinstance(horizontal, Literal) or bool(horizontal.toPython()),
                        (*path, position)))
                    visit(lane, lane, (*path, position))

        visit(process, None, ())
        return lanes

    def _process(self, process: URIRef) -> ProcessView:
        nodes: dict[URIRef, FlowNode] = {}
        flows: list[Flow] = []
        self._collect(process, process, nodes, flows)
        participant_name = None
        main = False
        for participant in self.graph.subjects(BP.processRef, process):
            participant_name = clean(self.text(participant, BP.name)) or participant_name
            if "ismainparticipant" in self.bizagi(participant):
                main = True
        return ProcessView(process, clean(self.text(process, BP.name)), participant_name, main,
                           nodes, sorted(flows, key=lambda f: (f.index, str(f.iri))),
                           self._lanes(process))
