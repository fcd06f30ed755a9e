"""Every fixture imports, with as many resources of each element kind in RDF as in the XML.

The XML is counted here with lxml by namespace-qualified tag, independently of the
importer; extension content (inside <extensionElements>) is vendor territory and is only
counted for Bizagi properties.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from lxml import etree
from rdflib import Literal, URIRef

from spbe_arch.importers.bpmn.service import import_bpmn_file
from spbe_arch.repository import Repository

MODEL = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
BIZAGI = "http://www.bizagi.com/bpmn20"
V = "https://w3id.org/spbe-arch/bpmn#"
P = f"PREFIX bpmn: <{V}>\n"

# XML element (namespace, local name) -> class in the BPMN vocabulary
ELEMENT_CLASS: dict[tuple[str, str], str] = {
    (MODEL, "definitions"): "Definitions",
    (MODEL, "import"): "Import",
    (MODEL, "collaboration"): "Collaboration",
    (MODEL, "participant"): "Participant",
    (MODEL, "messageFlow"): "MessageFlow",
    (MODEL, "process"): "Process",
    (MODEL, "laneSet"): "LaneSet",
    (MODEL, "childLaneSet"): "LaneSet",
    (MODEL, "lane"): "Lane",
    (MODEL, "sequenceFlow"): "SequenceFlow",
    (MODEL, "task"): "Task",
    (MODEL, "userTask"): "UserTask",
    (MODEL, "serviceTask"): "ServiceTask",
    (MODEL, "sendTask"): "SendTask",
    (MODEL, "receiveTask"): "ReceiveTask",
    (MODEL, "manualTask"): "ManualTask",
    (MODEL, "businessRuleTask"): "BusinessRuleTask",
    (MODEL, "scriptTask"): "ScriptTask",
    (MODEL, "subProcess"): "SubProcess",
    (MODEL, "adHocSubProcess"): "AdHocSubProcess",
    (MODEL, "transaction"): "Transaction",
    (MODEL, "callActivity"): "CallActivity",
    (MODEL, "startEvent"): "StartEvent",
    (MODEL, "endEvent"): "EndEvent",
    (MODEL, "intermediateCatchEvent"): "IntermediateCatchEvent",
    (MODEL, "intermediateThrowEvent"): "IntermediateThrowEvent",
    (MODEL, "boundaryEvent"): "BoundaryEvent",
    (MODEL, "exclusiveGateway"): "ExclusiveGateway",
    (MODEL, "inclusiveGateway"): "InclusiveGateway",
    (MODEL, "parallelGateway"): "ParallelGateway",
    (MODEL, "eventBasedGateway"): "EventBasedGateway",
    (MODEL, "complexGateway"): "ComplexGateway",
    (MODEL, "messageEventDefinition"): "MessageEventDefinition",
    (MODEL, "timerEventDefinition"): "TimerEventDefinition",
    (MODEL, "signalEventDefinition"): "SignalEventDefinition",
    (MODEL, "escalationEventDefinition"): "EscalationEventDefinition",
    (MODEL, "conditionalEventDefinition"): "ConditionalEventDefinition",
    (MODEL, "errorEventDefinition"): "ErrorEventDefinition",
    (MODEL, "linkEventDefinition"): "LinkEventDefinition",
    (MODEL, "compensateEventDefinition"): "CompensateEventDefinition",
    (MODEL, "terminateEventDefinition"): "TerminateEventDefinition",
    (MODEL, "cancelEventDefinition"): "CancelEventDefinition",
    (MODEL, "dataObject"): "DataObject",
    (MODEL, "dataObjectReference"): "DataObjectReference",
    (MODEL, "dataStore"): "DataStore",
    (MODEL, "dataStoreReference"): "DataStoreReference",
    (MODEL, "dataInput"): "DataInput",
    (MODEL, "dataOutput"): "DataOutput",
    (MODEL, "dataInputAssociation"): "DataInputAssociation",
    (MODEL, "dataOutputAssociation"): "DataOutputAssociation",
    (MODEL, "association"): "Association",
    (MODEL, "textAnnotation"): "TextAnnotation",
    (MODEL, "group"): "Group",
    (MODEL, "category"): "Category",
    (MODEL, "categoryValue"): "CategoryValue",
    (MODEL, "message"): "Message",
    (MODEL, "signal"): "Signal",
    (MODEL, "error"): "Error",
    (MODEL, "escalation"): "Escalation",
    (MODEL, "itemDefinition"): "ItemDefinition",
    (MODEL, "interface"): "Interface",
    (MODEL, "operation"): "Operation",
    (MODEL, "resource"): "Resource",
    (MODEL, "globalTask"): "GlobalTask",
    (MODEL, "globalUserTask"): "GlobalUserTask",
    (MODEL, "standardLoopCharacteristics"): "StandardLoopCharacteristics",
    (MODEL, "multiInstanceLoopCharacteristics"): "MultiInstanceLoopCharacteristics",
    (BPMNDI, "BPMNDiagram"): "BPMNDiagram",
    (BPMNDI, "BPMNPlane"): "BPMNPlane",
    (BPMNDI, "BPMNShape"): "BPMNShape",
    (BPMNDI, "BPMNEdge"): "BPMNEdge",
    (BPMNDI, "BPMNLabel"): "BPMNLabel",
    (BPMNDI, "BPMNLabelStyle"): "BPMNLabelStyle",
    (DI, "waypoint"): "Waypoint",
}
# standard elements kept as properties of their parent, or derivable, or wrappers
AS_PROPERTY = {
    (MODEL, name) for name in (
        "documentation", "text", "conditionExpression", "condition", "timeDate", "timeDuration",
        "timeCycle", "flowNodeRef", "sourceRef", "targetRef", "dataState", "incoming",
        "outgoing", "ioSpecification", "inputSet", "outputSet", "dataInputRefs",
        "dataOutputRefs", "inputSetRefs", "outputSetRefs", "performer", "potentialOwner",
        "resourceRef", "resourceAssignmentExpression", "formalExpression", "inMessageRef",
        "outMessageRef", "source", "target", "transformation", "extensionElements",
        "loopCardinality", "completionCondition", "script")
} | {(DC, "Bounds"), (DC, "Font"), (DI, "extension")}
# standard elements the importer announces as not supported (a notice, not silence)
NOT_SUPPORTED = {(MODEL, "relationship")}


def _split(tag: str) -> tuple[str, str]:
    namespace, _, local = tag[1:].partition("}")
    return namespace, local


def xml_counts(path: Path) -> tuple[Counter[str], Counter[tuple[str, str]]]:
    """Class -> number of elements, and the other standard elements seen."""
    counts: Counter[str] = Counter()
    others: Counter[tuple[str, str]] = Counter()
    root = etree.parse(str(path)).getroot()

    def visit(element: etree._Element, inside_extension: bool) -> None:
        if not isinstance(element.tag, str) or not element.tag.startswith("{"):
            if isinstance(element.tag, str):
                for child in element:
                    visit(child, inside_extension)
            return
        key = _split(element.tag)
        if inside_extension:
            if key == (BIZAGI, "BizagiProperty"):
                counts["BizagiProperty"] += 1
        elif key in ELEMENT_CLASS:
            counts[ELEMENT_CLASS[key]] += 1
        elif key[0] in (MODEL, BPMNDI, DC, DI):
            others[key] += 1
        if key in NOT_SUPPORTED:
            return
        for child in element:
            visit(child, inside_extension or key == (MODEL, "extensionElements"))

    visit(root, False)
    return counts, others


def rdf_counts(repository: Repository, graph: URIRef) -> Counter[str]:
    rows = repository.select(
        "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a ?class } }"
        " GROUP BY ?class", {"g": graph})
    counts: Counter[str] = Counter()
    for row in rows:
        name = str(row["class"])
        if name.startswith(V):
            counts[name[len(V):]] = int(row["n"])  # type: ignore[call-overload]
    for family in ("Activity", "Event", "Gateway", "EventDefinition"):
        counts.pop(family, None)
    return counts


def test_fixture_imports_with_the_same_number_of_each_element_kind(
        fixture_file: Path, memory_repository: Repository) -> None:
    result = import_bpmn_file(memory_repository, fixture_file, kode_wilayah="3574",
                              agent="test")
    expected, others = xml_counts(fixture_file)
    assert rdf_counts(memory_repository, result.graph) == expected
    assert set(others) <= AS_PROPERTY | NOT_SUPPORTED, set(others) - AS_PROPERTY
    for key in set(others) & NOT_SUPPORTED:
        assert any(f"<{key[1]}>" in notice.message("en") for notice in result.notices)


def test_fixture_properties_match_the_xml(fixture_file: Path,
                                          memory_repository: Repository) -> None:
    """Names, documentation, lane membership, flow ends and geometry are all there."""
    result = import_bpmn_file(memory_repository, fixture_file, kode_wilayah="3574",
                              agent="test")
    root = etree.parse(str(fixture_file)).getroot()

    def outside_extensions(tag: str) -> list[etree._Element]:
        return [e for e in root.iter(tag)
                if not any(_split(a.tag) == (MODEL, "extensionElements")
                           for a in e.iterancestors() if isinstance(a.tag, str))]

    def count(sparql: str) -> int:
        rows = memory_repository.select(sparql, {"g": result.graph})
        return int(rows.rows[0]["n"])  # type: ignore[call-overload]

    docs = {(e.getparent().get("id"), "".join(e.itertext()).strip())  # type: ignore[union-attr]
            for e in outside_extensions(f"{{{MODEL}}}documentation")
            if "".join(e.itertext()).strip()}
    assert count(P + "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s bpmn:documentation ?d } }"
                 ) == len(docs)
    refs = outside_extensions(f"{{{MODEL}}}flowNodeRef")
    lane_refs = {(r.getparent().get("id"), (r.text or "").strip())  # type: ignore[union-attr]
                 for r in refs}
    assert count(P + "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s bpmn:flowNodeRef ?d } }"
                 ) == len(lane_refs)
    bounds = outside_extensions(f"{{{DC}}}Bounds")
    assert count(P + "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s bpmn:width ?w } }"
                 ) == len(bounds)
    flows = outside_extensions(f"{{{MODEL}}}sequenceFlow")
    assert count(P + "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a bpmn:SequenceFlow ;"
                 " bpmn:sourceRef ?a ; bpmn:targetRef ?b } }") == len(flows)
    named = [e for e in outside_extensions(f"{{{MODEL}}}task") if e.get("name")]
    for task in named[:3]:
        rows = memory_repository.select(
            P + "SELECT ?name WHERE { GRAPH ?g { ?s bpmn:id ?id ; bpmn:name ?name } }",
            {"g": result.graph, "id": Literal(task.get("id"))})
        assert [str(r["name"]) for r in rows] == [task.get("name")]


@pytest.mark.parametrize("name", ["A.1.0-roundtrip.bpmn", "B.1.0-roundtrip.bpmn"])
def test_bizagi_quirks(name: str, fixtures_dir: Path, memory_repository: Repository) -> None:
    """Default namespace, re-declared DI namespaces and the hidden main participant."""
    result = import_bpmn_file(memory_repository, fixtures_dir / "bizagi" / name,
                              kode_wilayah="3574", agent="test")
    rows = memory_repository.select(
        P + "SELECT ?p WHERE { GRAPH ?g { ?p a bpmn:Participant . ?prop bpmn:containedIn ?p ;"
        " bpmn:propertyName 'isMainParticipant' } }", {"g": result.graph})
    assert len(rows) == 1
    shapes = memory_repository.select(
        P + "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a bpmn:BPMNShape ; bpmn:bpmnElement ?e ;"
        " bpmn:x ?x ; bpmn:width ?w } }", {"g": result.graph})
    assert int(shapes.rows[0]["n"]) == result.counts["BPMNShape"] > 0  # type: ignore[call-overload]
