"""The one table that says how BPMN 2.0 XML maps to the BPMN vocabulary (and back).

Elements are matched by namespace IRI and local name, never by prefix: Bizagi writes the
BPMN namespace as the default namespace and re-declares default namespaces on each DI
element, other tools use `bpmn:`, `semantic:`, `bpmn2:`... The reader and the writer both
use these tables, so what is imported can be exported again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

MODEL = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
BIZAGI = "http://www.bizagi.com/bpmn20"
XSI = "http://www.w3.org/2001/XMLSchema-instance"

STANDARD_NAMESPACES = frozenset({MODEL, BPMNDI, DC, DI})

# Older drafts of BPMN 2.0 used other namespace IRIs; name them in the error message.
DRAFT_MODEL_NAMESPACES = frozenset({
    "http://www.omg.org/spec/BPMN/20100501/MODEL",
    "http://schema.omg.org/spec/BPMN/2.0",
})


@dataclass(frozen=True)
class Kind:
    """An XML element stored as its own resource."""

    cls: str
    """Class local name in the BPMN vocabulary."""
    family: str | None = None
    """Abstract class also asserted (Activity, Event, Gateway, EventDefinition)."""


def _family(family: str, *locals_: str) -> dict[tuple[str, str], Kind]:
    return {(MODEL, local): Kind(local[0].upper() + local[1:], family) for local in locals_}


def _plain(namespace: str, *locals_: str) -> dict[tuple[str, str], Kind]:
    return {(namespace, local): Kind(local[0].upper() + local[1:]) for local in locals_}


KINDS: dict[tuple[str, str], Kind] = {
    **_plain(MODEL, "import", "collaboration", "participant", "messageFlow", "process", "laneSet",
             "lane", "sequenceFlow", "dataObject", "dataObjectReference", "dataStore",
             "dataStoreReference", "dataInput", "dataOutput", "dataInputAssociation",
             "dataOutputAssociation", "association", "textAnnotation", "group", "category",
             "categoryValue", "message", "signal", "error", "escalation", "itemDefinition",
             "interface", "operation", "resource", "globalTask", "globalUserTask",
             "globalManualTask", "globalScriptTask", "globalBusinessRuleTask",
             "standardLoopCharacteristics", "multiInstanceLoopCharacteristics"),
    (MODEL, "childLaneSet"): Kind("LaneSet"),
    **_family("Activity", "task", "userTask", "serviceTask", "sendTask", "receiveTask",
              "manualTask", "businessRuleTask", "scriptTask", "subProcess", "adHocSubProcess",
              "transaction", "callActivity"),
    **_family("Event", "startEvent", "endEvent", "intermediateCatchEvent",
              "intermediateThrowEvent", "boundaryEvent", "implicitThrowEvent"),
    **_family("Gateway", "exclusiveGateway", "inclusiveGateway", "parallelGateway",
              "eventBasedGateway", "complexGateway"),
    **_family("EventDefinition", "messageEventDefinition", "timerEventDefinition",
              "signalEventDefinition", "escalationEventDefinition",
              "conditionalEventDefinition", "errorEventDefinition", "linkEventDefinition",
              "compensateEventDefinition", "terminateEventDefinition", "cancelEventDefinition"),
    (BPMNDI, "BPMNDiagram"): Kind("BPMNDiagram"),
    (BPMNDI, "BPMNPlane"): Kind("BPMNPlane"),
    (BPMNDI, "BPMNShape"): Kind("BPMNShape"),
    (BPMNDI, "BPMNEdge"): Kind("BPMNEdge"),
    (BPMNDI, "BPMNLabel"): Kind("BPMNLabel"),
    (BPMNDI, "BPMNLabelStyle"): Kind("BPMNLabelStyle"),
    (DI, "waypoint"): Kind("Waypoint"),
}

CLASS_TO_ELEMENT: dict[str, tuple[str, str]] = {}
for _key, _kind in KINDS.items():
    CLASS_TO_ELEMENT.setdefault(_kind.cls, _key)  # LaneSet -> laneSet (childLaneSet by parent)

ValueType = Literal["str", "bool", "int", "double", "ref"]

# attribute (no namespace) -> (property local name, value type). Unknown attributes and
# attributes in other namespaces (vendor extensions) are not stored.
ATTRIBUTES: dict[str, tuple[str, ValueType]] = {
    "name": ("name", "str"),
    "isExecutable": ("isExecutable", "bool"),
    "processType": ("processType", "str"),
    "isClosed": ("isClosed", "bool"),
    "processRef": ("processRef", "ref"),
    "sourceRef": ("sourceRef", "ref"),
    "targetRef": ("targetRef", "ref"),
    "messageRef": ("messageRef", "ref"),
    "attachedToRef": ("attachedToRef", "ref"),
    "default": ("default", "ref"),
    "calledElement": ("calledElement", "ref"),
    "dataObjectRef": ("dataObjectRef", "ref"),
    "dataStoreRef": ("dataStoreRef", "ref"),
    "itemSubjectRef": ("itemSubjectRef", "ref"),
    "signalRef": ("signalRef", "ref"),
    "errorRef": ("errorRef", "ref"),
    "escalationRef": ("escalationRef", "ref"),
    "categoryValueRef": ("categoryValueRef", "ref"),
    "operationRef": ("operationRef", "ref"),
    "activityRef": ("activityRef", "ref"),
    "bpmnElement": ("bpmnElement", "ref"),
    "sourceElement": ("sourceElement", "ref"),
    "targetElement": ("targetElement", "ref"),
    "labelStyle": ("labelStyle", "ref"),
    "structureRef": ("structureRef", "str"),
    "implementationRef": ("implementationRef", "str"),
    "cancelActivity": ("cancelActivity", "bool"),
    "isInterrupting": ("isInterrupting", "bool"),
    "parallelMultiple": ("parallelMultiple", "bool"),
    "triggeredByEvent": ("triggeredByEvent", "bool"),
    "isForCompensation": ("isForCompensation", "bool"),
    "startQuantity": ("startQuantity", "int"),
    "completionQuantity": ("completionQuantity", "int"),
    "implementation": ("implementation", "str"),
    "instantiate": ("instantiate", "bool"),
    "gatewayDirection": ("gatewayDirection", "str"),
    "eventGatewayType": ("eventGatewayType", "str"),
    "isCollection": ("isCollection", "bool"),
    "associationDirection": ("associationDirection", "str"),
    "isImmediate": ("isImmediate", "bool"),
    "isSequential": ("isSequential", "bool"),
    "behavior": ("behavior", "str"),
    "testBefore": ("testBefore", "bool"),
    "loopMaximum": ("loopMaximum", "int"),
    "errorCode": ("errorCode", "str"),
    "escalationCode": ("escalationCode", "str"),
    "itemKind": ("itemKind", "str"),
    "capacity": ("capacity", "int"),
    "isUnlimited": ("isUnlimited", "bool"),
    "scriptFormat": ("scriptFormat", "str"),
    "method": ("method", "str"),
    "ordering": ("ordering", "str"),
    "cancelRemainingInstances": ("cancelRemainingInstances", "bool"),
    "waitForCompletion": ("waitForCompletion", "bool"),
    "targetNamespace": ("targetNamespace", "str"),
    "exporter": ("exporter", "str"),
    "exporterVersion": ("exporterVersion", "str"),
    "expressionLanguage": ("expressionLanguage", "str"),
    "typeLanguage": ("typeLanguage", "str"),
    "namespace": ("namespace", "str"),
    "location": ("location", "str"),
    "importType": ("importType", "str"),
    "value": ("value", "str"),
    "isExpanded": ("isExpanded", "bool"),
    "isHorizontal": ("isHorizontal", "bool"),
    "isMarkerVisible": ("isMarkerVisible", "bool"),
    "isMessageVisible": ("isMessageVisible", "bool"),
    "resolution": ("resolution", "double"),
    "x": ("x", "double"),
    "y": ("y", "double"),
}
PROPERTY_TO_ATTRIBUTE = {prop: (attr, kind) for attr, (prop, kind) in ATTRIBUTES.items()}

# child elements whose text becomes a literal property of the enclosing resource
TEXT_CHILDREN: dict[tuple[str, str], str] = {
    (MODEL, "documentation"): "documentation",
    (MODEL, "text"): "text",
    (MODEL, "conditionExpression"): "conditionExpression",
    (MODEL, "condition"): "condition",
    (MODEL, "timeDate"): "timeDate",
    (MODEL, "timeDuration"): "timeDuration",
    (MODEL, "timeCycle"): "timeCycle",
    (MODEL, "script"): "script",
    (MODEL, "transformation"): "transformation",
    (MODEL, "loopCardinality"): "loopCardinality",
    (MODEL, "completionCondition"): "completionCondition",
    (MODEL, "loopCondition"): "loopCondition",
}
# child elements whose text is a reference to another element
REF_CHILDREN: dict[tuple[str, str], str] = {
    (MODEL, "flowNodeRef"): "flowNodeRef",
    (MODEL, "sourceRef"): "sourceRef",
    (MODEL, "targetRef"): "targetRef",
    (MODEL, "inMessageRef"): "inMessageRef",
    (MODEL, "outMessageRef"): "outMessageRef",
    (MODEL, "eventDefinitionRef"): "eventDefinitionRef",
    (MODEL, "source"): "linkSource",
    (MODEL, "target"): "linkTarget",
}
# resource roles: the referenced resource (child <resourceRef>) becomes a reference
ROLE_CHILDREN: dict[tuple[str, str], str] = {
    (MODEL, "performer"): "performer",
    (MODEL, "humanPerformer"): "performer",
    (MODEL, "potentialOwner"): "potentialOwner",
}
# containers whose children belong to the enclosing resource
TRANSPARENT = frozenset({(MODEL, "ioSpecification")})
# elements whose content is derivable from what is stored (regenerated on export)
DERIVED = frozenset({
    (MODEL, "incoming"), (MODEL, "outgoing"), (MODEL, "inputSet"), (MODEL, "outputSet"),
    (DI, "extension"),
})
BOUNDS = (DC, "Bounds")
FONT = (DC, "Font")
DATA_STATE = (MODEL, "dataState")
EXTENSION_ELEMENTS = (MODEL, "extensionElements")
BIZAGI_PROPERTY = (BIZAGI, "BizagiProperty")

FONT_ATTRIBUTES: dict[str, tuple[str, ValueType]] = {
    "name": ("fontName", "str"),
    "size": ("fontSize", "double"),
    "isBold": ("isBold", "bool"),
    "isItalic": ("isItalic", "bool"),
    "isUnderline": ("isUnderline", "bool"),
    "isStrikeThrough": ("isStrikeThrough", "bool"),
}
BOUNDS_ATTRIBUTES: dict[str, tuple[str, ValueType]] = {
    "x": ("x", "double"), "y": ("y", "double"),
    "width": ("width", "double"), "height": ("height", "double"),
}

# references that must resolve inside the file, or the model is broken
REQUIRED_REFERENCES: dict[str, tuple[str, ...]] = {
    "sequenceFlow": ("sourceRef", "targetRef"),
    "messageFlow": ("sourceRef", "targetRef"),
}
