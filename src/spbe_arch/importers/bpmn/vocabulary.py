"""The BPMN vocabulary (`ontology/bpmn.ttl`) as a closed namespace.

`BP` lists every term declared in `ontology/bpmn.ttl`; `_fail = True` turns a typo into an
error at import time. tests/bpmn/test_vocabulary.py checks that this list and the ontology
agree and that each term has Indonesian and English labels and definitions.
"""

from __future__ import annotations

from rdflib.namespace import DefinedNamespace
from rdflib.term import URIRef

from spbe_arch.vocab import BPMN


class BP(DefinedNamespace):
    """`https://w3id.org/spbe-arch/bpmn#` (same IRI as `spbe_arch.vocab.BPMN`)."""

    _NS = BPMN
    _fail = True


    # --- classes -------------------------------------------------------------------------
    Definitions: URIRef
    ModelVersion: URIRef
    Import: URIRef
    Collaboration: URIRef
    Participant: URIRef
    Process: URIRef
    LaneSet: URIRef
    Lane: URIRef
    FlowNode: URIRef
    Activity: URIRef
    Task: URIRef
    UserTask: URIRef
    ServiceTask: URIRef
    SendTask: URIRef
    ReceiveTask: URIRef
    ManualTask: URIRef
    BusinessRuleTask: URIRef
    ScriptTask: URIRef
    SubProcess: URIRef
    AdHocSubProcess: URIRef
    Transaction: URIRef
    CallActivity: URIRef
    Event: URIRef
    StartEvent: URIRef
    EndEvent: URIRef
    IntermediateCatchEvent: URIRef
    IntermediateThrowEvent: URIRef
    BoundaryEvent: URIRef
    ImplicitThrowEvent: URIRef
    Gateway: URIRef
    ExclusiveGateway: URIRef
    InclusiveGateway: URIRef
    ParallelGateway: URIRef
    EventBasedGateway: URIRef
    ComplexGateway: URIRef
    EventDefinition: URIRef
    MessageEventDefinition: URIRef
    TimerEventDefinition: URIRef
    SignalEventDefinition: URIRef
    EscalationEventDefinition: URIRef
    ConditionalEventDefinition: URIRef
    ErrorEventDefinition: URIRef
    LinkEventDefinition: URIRef
    CompensateEventDefinition: URIRef
    TerminateEventDefinition: URIRef
    CancelEventDefinition: URIRef
    SequenceFlow: URIRef
    MessageFlow: URIRef
    DataObject: URIRef
    DataObjectReference: URIRef
    DataStore: URIRef
    DataStoreReference: URIRef
    DataInput: URIRef
    DataOutput: URIRef
    DataInputAssociation: URIRef
    DataOutputAssociation: URIRef
    Association: URIRef
    TextAnnotation: URIRef
    Group: URIRef
    Category: URIRef
    CategoryValue: URIRef
    Message: URIRef
    Signal: URIRef
    Error: URIRef
    Escalation: URIRef
    ItemDefinition: URIRef
    Interface: URIRef
    Operation: URIRef
    Resource: URIRef
    GlobalTask: URIRef
    GlobalUserTask: URIRef
    GlobalManualTask: URIRef
    GlobalScriptTask: URIRef
    GlobalBusinessRuleTask: URIRef
    StandardLoopCharacteristics: URIRef
    MultiInstanceLoopCharacteristics: URIRef
    BPMNDiagram: URIRef
    BPMNPlane: URIRef
    BPMNShape: URIRef
    BPMNEdge: URIRef
    BPMNLabel: URIRef
    BPMNLabelStyle: URIRef
    Waypoint: URIRef
    BizagiProperty: URIRef

    # --- references between elements -----------------------------------------------------
    containedIn: URIRef
    processRef: URIRef
    sourceRef: URIRef
    targetRef: URIRef
    messageRef: URIRef
    flowNodeRef: URIRef
    attachedToRef: URIRef
    default: URIRef
    calledElement: URIRef
    dataObjectRef: URIRef
    dataStoreRef: URIRef
    itemSubjectRef: URIRef
    signalRef: URIRef
    errorRef: URIRef
    escalationRef: URIRef
    categoryValueRef: URIRef
    eventDefinitionRef: URIRef
    operationRef: URIRef
    activityRef: URIRef
    inMessageRef: URIRef
    outMessageRef: URIRef
    performer: URIRef
    potentialOwner: URIRef
    linkSource: URIRef
    linkTarget: URIRef
    bpmnElement: URIRef
    sourceElement: URIRef
    targetElement: URIRef
    labelStyle: URIRef

    # --- attributes, text and geometry ---------------------------------------------------
    id: URIRef
    name: URIRef
    documentation: URIRef
    text: URIRef
    index: URIRef
    propertyName: URIRef
    propertyValue: URIRef
    fileName: URIRef
    sha256: URIRef
    modelVersion: URIRef
    tripleCount: URIRef
    conditionExpression: URIRef
    condition: URIRef
    timeDate: URIRef
    timeDuration: URIRef
    timeCycle: URIRef
    dataState: URIRef
    script: URIRef
    transformation: URIRef
    loopCardinality: URIRef
    completionCondition: URIRef
    loopCondition: URIRef
    isExecutable: URIRef
    processType: URIRef
    isClosed: URIRef
    cancelActivity: URIRef
    isInterrupting: URIRef
    parallelMultiple: URIRef
    triggeredByEvent: URIRef
    isForCompensation: URIRef
    startQuantity: URIRef
    completionQuantity: URIRef
    implementation: URIRef
    instantiate: URIRef
    gatewayDirection: URIRef
    eventGatewayType: URIRef
    isCollection: URIRef
    associationDirection: URIRef
    isImmediate: URIRef
    isSequential: URIRef
    behavior: URIRef
    testBefore: URIRef
    loopMaximum: URIRef
    errorCode: URIRef
    escalationCode: URIRef
    structureRef: URIRef
    implementationRef: URIRef
    itemKind: URIRef
    capacity: URIRef
    isUnlimited: URIRef
    scriptFormat: URIRef
    method: URIRef
    ordering: URIRef
    cancelRemainingInstances: URIRef
    waitForCompletion: URIRef
    targetNamespace: URIRef
    exporter: URIRef
    exporterVersion: URIRef
    expressionLanguage: URIRef
    typeLanguage: URIRef
    namespace: URIRef
    location: URIRef
    importType: URIRef
    value: URIRef
    isExpanded: URIRef
    isHorizontal: URIRef
    isMarkerVisible: URIRef
    isMessageVisible: URIRef
    resolution: URIRef
    x: URIRef
    y: URIRef
    width: URIRef
    height: URIRef
    fontName: URIRef
    fontSize: URIRef
    isBold: URIRef
    isItalic: URIRef
    isUnderline: URIRef
    isStrikeThrough: URIRef
