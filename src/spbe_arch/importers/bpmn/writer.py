"""RDF of the BPMN vocabulary -> BPMN 2.0 XML (with BPMN DI), the inverse of `reader`.

The output uses the usual prefixes (`bpmn:`, `bpmndi:`, `dc:`, `di:`) that bpmn.io, Camunda
and Bizagi read; Bizagi properties are written back as `bizagi:BizagiExtensions`. What the
reader derives instead of storing (`incoming`/`outgoing`, `inputSet`/`outputSet`) is
regenerated here, so an imported file exported again reads back to the same graph.
"""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import unquote

from lxml import etree
from rdflib import RDF, Graph
from rdflib.term import Literal, Node, URIRef

from spbe_arch import __version__
from spbe_arch.importers.bpmn import mapping as m
from spbe_arch.importers.bpmn.vocabulary import BP

NSMAP = {
    "bpmn": m.MODEL,
    "bpmndi": m.BPMNDI,
    "dc": m.DC,
    "di": m.DI,
    "xsi": m.XSI,
    "bizagi": m.BIZAGI,
}
_CONCRETE = {kind.cls for kind in m.KINDS.values()} | {"BizagiProperty"}
_FAMILIES = {"Activity", "Event", "Gateway"}
_IO_PARENTS = {"Process", "GlobalTask", "GlobalUserTask", "GlobalManualTask", "GlobalScriptTask",
               "GlobalBusinessRuleTask"}
_LOOPS = {"StandardLoopCharacteristics", "MultiInstanceLoopCharacteristics"}
_FORMAL = {"conditionExpression", "timeDate", "timeDuration", "timeCycle", "condition",
           "loopCardinality", "completionCondition", "loopCondition"}
# value children written before resource children, in schema order
_TEXT_ORDER = ("text", "script", "conditionExpression", "condition", "timeDate", "timeDuration",
               "timeCycle", "loopCondition", "loopCardinality", "completionCondition")
_REF_ORDER = ("flowNodeRef", "sourceRef", "targetRef", "inMessageRef", "outMessageRef",
              "linkSource", "linkTarget", "eventDefinitionRef")
_TEXT_ELEMENT = {prop: local for (_, local), prop in m.TEXT_CHILDREN.items()}
_REF_ELEMENT = {prop: local for (_, local), prop in m.REF_CHILDREN.items()}
# properties that are child elements even though the reader also knows them as attributes
_CHILD_REFS_OF = {"DataInputAssociation", "DataOutputAssociation"}


def _q(namespace: str, local: str) -> str:
    return f"{{{namespace}}}{local}"


def _lexical(value: Node) -> str:
    if isinstance(value, Literal):
        python = value.toPython()
        if isinstance(python, bool):
            return "true" if python else "false"
        if isinstance(python, float):
            return str(int(python)) if python.is_integer() else repr(python)
        return str(value)
    return str(value)


class _Writer:
    def __init__(self, graph: Graph, model: URIRef) -> None:
        self.graph = graph
        self.model = model
        # one pass over the graph: subject -> property -> values (rdflib lookups per
        # attribute were the bulk of the export time)
        self.index: dict[Node, dict[Node, list[Node]]] = defaultdict(lambda: defaultdict(list))
        for s, p, o in graph:
            self.index[s][p].append(o)
        self.children: dict[Node, list[tuple[int, URIRef]]] = defaultdict(list)
        for child, parent in graph.subject_objects(BP.containedIn):
            index = self.value(child, BP.index)
            position = int(index.toPython()) if isinstance(index, Literal) else 0
            if isinstance(child, URIRef):
                self.children[parent].append((position, child))
        for items in self.children.values():
            items.sort(key=lambda item: (item[0], str(item[1])))
        self.kind: dict[Node, str] = {}
        for subject, cls in graph.subject_objects(RDF.type):
            local = str(cls).removeprefix(str(BP))
            if local in _CONCRETE:
                self.kind[subject] = local
        self.incoming: dict[Node, list[Node]] = defaultdict(list)
        self.outgoing: dict[Node, list[Node]] = defaultdict(list)
        for flow in sorted(graph.subjects(RDF.type, BP.SequenceFlow), key=self.sort_key):
            source = self.value(flow, BP.sourceRef)
            target = self.value(flow, BP.targetRef)
            if source is not None:
                self.outgoing[source].append(flow)
            if target is not None:
                self.incoming[target].append(flow)

    def value(self, node: Node, prop: URIRef) -> Node | None:
        found = self.index.get(node, {}).get(prop)
        return found[0] if found else None

    def sort_key(self, node: Node) -> tuple[int, str]:
        index = self.value(node, BP.index)
        return (int(index.toPython()) if isinstance(index, Literal) else 0, str(node))

    def id_of(self, node: Node) -> str:
        element_id = self.value(node, BP.id)
        if element_id is not None:
            return str(element_id)
        text = str(node)
        marker = f"{self.model}/e/"
        if text.startswith(marker):
            return unquote(text[len(marker):])
        return text.rsplit("/", 1)[-1]

    def values(self, node: Node, prop: str) -> list[Node]:
        return sorted(self.index.get(node, {}).get(BP[prop], []), key=str)

    def tag_for(self, node: URIRef, parent_kind: str | None) -> str:
        kind = self.kind[node]
        if kind == "LaneSet" and parent_kind == "Lane":
            return _q(m.MODEL, "childLaneSet")
        namespace, local = m.CLASS_TO_ELEMENT[kind]
        return _q(namespace, local)

    # --- elements ---------------------------------------------------------------------------
    def attributes(self, element: etree._Element, node: Node, kind: str) -> None:
        element_id = self.value(node, BP.id)
        if element_id is not None:
            element.set("id", str(element_id))
        present = self.index.get(node, {})
        for prop, (attribute, value_type) in m.PROPERTY_TO_ATTRIBUTE.items():
            if kind in _CHILD_REFS_OF and prop in ("sourceRef", "targetRef"):
                continue
            if kind in ("BPMNShape", "BPMNLabel") and prop in ("x", "y"):
                continue  # these go to <dc:Bounds>
            found = present.get(BP[prop])
            if not found:
                continue
            value = found[0]
            element.set(attribute, self.id_of(value) if value_type == "ref" else _lexical(value))

    def bounds(self, element: etree._Element, node: Node) -> None:
        if self.value(node, BP.width) is None:
            return
        bounds = etree.SubElement(element, _q(m.DC, "Bounds"))
        for attribute, (prop, _) in m.BOUNDS_ATTRIBUTES.items():
            value = self.value(node, BP[prop])
            if value is not None:
                bounds.set(attribute, _lexical(value))

    def extension(self, element: etree._Element, properties: list[URIRef]) -> None:
        extension = etree.SubElement(element, _q(m.MODEL, "extensionElements"))
        holder = etree.SubElement(etree.SubElement(extension, _q(m.BIZAGI, "BizagiExtensions")),
                                  _q(m.BIZAGI, "BizagiProperties"))
        for prop in properties:
            item = etree.SubElement(holder, _q(m.BIZAGI, "BizagiProperty"))
            name = self.value(prop, BP.propertyName)
            value = self.value(prop, BP.propertyValue)
            if name is not None:
                item.set("name", str(name))
            if value is not None:
                item.set("value", str(value))

    def value_children(self, element: etree._Element, node: Node, kind: str) -> None:
        for prop in _TEXT_ORDER:
            for value in self.values(node, prop):
                child = etree.SubElement(element, _q(m.MODEL, _TEXT_ELEMENT[prop]))
                if prop in _FORMAL:
                    child.set(_q(m.XSI, "type"), "bpmn:tFormalExpression")
                child.text = str(value)
        for prop in _REF_ORDER:
            if prop in ("sourceRef", "targetRef") and kind not in _CHILD_REFS_OF:
                continue
            for value in self.values(node, prop):
                etree.SubElement(element, _q(m.MODEL, _REF_ELEMENT[prop])).text = self.id_of(value)
        if kind in _CHILD_REFS_OF:
            for value in self.values(node, "transformation"):
                etree.SubElement(element, _q(m.MODEL, "transformation")).text = str(value)
        for value in self.values(node, "dataState"):
            etree.SubElement(element, _q(m.MODEL, "dataState")).set("name", str(value))

    def roles(self, element: etree._Element, node: Node) -> None:
        for prop, local in (("performer", "performer"), ("potentialOwner", "potentialOwner")):
            for value in self.values(node, prop):
                role = etree.SubElement(element, _q(m.MODEL, local))
                etree.SubElement(role, _q(m.MODEL, "resourceRef")).text = self.id_of(value)

    def io_specification(self, element: etree._Element, items: list[URIRef], kind: str,
                         wrapped: bool) -> None:
        """Data inputs/outputs: inside <ioSpecification> for activities and processes,
        directly in the element for events."""
        holder = etree.SubElement(element, _q(m.MODEL, "ioSpecification")) if wrapped else element
        for item in items:
            self.element(holder, item, kind)
        if not wrapped:
            return
        input_set = etree.SubElement(holder, _q(m.MODEL, "inputSet"))
        for item in items:
            if self.kind[item] == "DataInput":
                etree.SubElement(input_set, _q(m.MODEL, "dataInputRefs")).text = self.id_of(item)
        output_set = etree.SubElement(holder, _q(m.MODEL, "outputSet"))
        for item in items:
            if self.kind[item] == "DataOutput":
                etree.SubElement(output_set, _q(m.MODEL, "dataOutputRefs")).text = self.id_of(item)

    def element(self, parent: etree._Element, node: URIRef, parent_kind: str | None) -> None:
        kind = self.kind[node]
        element = etree.SubElement(parent, self.tag_for(node, parent_kind))
        self.fill(element, node, kind)

    def fill(self, element: etree._Element, node: URIRef, kind: str) -> None:
        self.attributes(element, node, kind)
        if kind == "BPMNLabelStyle":
            font = etree.SubElement(element, _q(m.DC, "Font"))
            for attribute, (prop, _) in m.FONT_ATTRIBUTES.items():
                value = self.value(node, BP[prop])
                if value is not None:
                    font.set(attribute, _lexical(value))
        if kind in ("BPMNShape", "BPMNLabel"):
            self.bounds(element, node)
        for value in self.values(node, "documentation"):
            etree.SubElement(element, _q(m.MODEL, "documentation")).text = str(value)
        children = [child for _, child in self.children.get(node, []) if child in self.kind]
        bizagi = [c for c in children if self.kind[c] == "BizagiProperty"]
        if bizagi:
            self.extension(element, bizagi)
        types = self.index.get(node, {}).get(RDF.type, [])
        families = {str(t).removeprefix(str(BP)) for t in types}
        if families & _FAMILIES:
            for flow in self.incoming.get(node, []):
                etree.SubElement(element, _q(m.MODEL, "incoming")).text = self.id_of(flow)
            for flow in self.outgoing.get(node, []):
                etree.SubElement(element, _q(m.MODEL, "outgoing")).text = self.id_of(flow)
        self.value_children(element, node, kind)
        io_written = False
        roles_written = False
        is_io_parent = "Activity" in families or kind in _IO_PARENTS
        for child in children:
            child_kind = self.kind[child]
            if child_kind == "BizagiProperty":
                continue
            if child_kind in ("DataInput", "DataOutput"):
                if not io_written:
                    items = [c for c in children if self.kind[c] in ("DataInput", "DataOutput")]
                    self.io_specification(element, items, kind, wrapped=is_io_parent)
                    io_written = True
                continue
            if child_kind in _LOOPS and not roles_written:
                self.roles(element, node)
                roles_written = True
            self.element(element, child, kind)
        if not roles_written:
            self.roles(element, node)

    def write(self) -> bytes:
        root = etree.Element(_q(m.MODEL, "definitions"), nsmap=NSMAP)  # type: ignore[arg-type]
        self.fill(root, self.model, "Definitions")
        if root.get("id") is None:
            root.set("id", "Definitions_1")
        if root.get("targetNamespace") is None:
            root.set("targetNamespace", "https://w3id.org/spbe-arch/bpmn/export")
        root.set("exporter", "spbe-arch")
        root.set("exporterVersion", __version__)
        return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                    pretty_print=True))


def write_bpmn(graph: Graph, model: URIRef) -> bytes:
    """BPMN 2.0 XML for the model `model` whose triples are in `graph`."""
    return _Writer(graph, model).write()

