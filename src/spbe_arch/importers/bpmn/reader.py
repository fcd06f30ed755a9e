"""BPMN 2.0 XML -> RDF triples of the BPMN vocabulary.

Every element listed in `mapping.KINDS` becomes a resource: its IRI is minted from its
`id` (`<model>/e/<id>`) or, for elements without one (waypoints, labels...), from its
parent and position. Resources keep their parent (`bpmn:containedIn`) and position
(`bpmn:index`), so the file can be written back. Nothing is written to a store here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import quote

from lxml import etree
from rdflib import RDF, XSD
from rdflib.term import Literal, Node, URIRef

from spbe_arch.errors import InputError, InputProblems, Location
from spbe_arch.importers.bpmn import mapping as m
from spbe_arch.importers.bpmn.notices import Notice
from spbe_arch.importers.bpmn.vocabulary import BP
from spbe_arch.importers.bpmn.xmlsafe import parse_untrusted_xml

Triple = tuple[URIRef, URIRef, Node]


@dataclass
class ReadResult:
    """What one BPMN file says, as triples about `model` (not yet stored)."""

    model: URIRef
    triples: list[Triple]
    name: str | None
    counts: Counter[str]
    """Class local name -> number of resources of that class."""
    notices: list[Notice] = field(default_factory=list)


def element_iri(model: URIRef, element_id: str) -> URIRef:
    return URIRef(f"{model}/e/{quote(element_id, safe='-._~')}")


def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return "", tag


def _describe(element: etree._Element) -> str:
    _, local = _split(element.tag)
    element_id = element.get("id")
    return f"<{local} id=\"{element_id}\">" if element_id else f"<{local}>"


class _Reader:
    def __init__(self, root: etree._Element, file_name: str, model: URIRef) -> None:
        self.root = root
        self.file_name = file_name
        self.model = model
        self.triples: list[Triple] = []
        self.counts: Counter[str] = Counter()
        self.notices: list[Notice] = []
        self.problems: list[InputError] = []
        self.ids: dict[str, etree._Element] = {}
        self.child_index: Counter[URIRef] = Counter()
        self.generated: Counter[tuple[URIRef, str]] = Counter()
        self.unsupported: dict[str, list[int]] = {}
        self.target_namespace = root.get("targetNamespace")

    # --- helpers ------------------------------------------------------------------------
    def where(self, element: etree._Element) -> Location:
        return Location(file=self.file_name, line=element.sourceline, element=_describe(element))

    def add(self, subject: URIRef, prop: str, value: Node) -> None:
        self.triples.append((subject, BP[prop], value))

    def convert(self, element: etree._Element, attribute: str, raw: str,
                kind: m.ValueType) -> Node | None:
        text = raw.strip()
        if kind == "str":
            return Literal(raw)
        if kind == "ref":
            return self.reference(element, attribute, text)
        try:
            if kind == "bool":
                if text.lower() in ("true", "1"):
                    return Literal(True)
                if text.lower() in ("false", "0"):
                    return Literal(False)
                raise ValueError(text)
            if kind == "int":
                return Literal(int(text), datatype=XSD.integer)
            return Literal(float(text), datatype=XSD.double)
        except ValueError:
            self.notices.append(Notice(
                f"nilai atribut {attribute}=\"{raw}\" tidak sah dan tidak disimpan",
                f"invalid value {attribute}=\"{raw}\" was not stored",
                self.where(element)))
            return None

    def reference(self, element: etree._Element, attribute: str, raw: str) -> URIRef:
        local = raw
        if ":" in raw:
            prefix, _, rest = raw.partition(":")
            if prefix in (element.nsmap or {}):
                local = rest
        if local not in self.ids:
            required = m.REQUIRED_REFERENCES.get(_split(element.tag)[1], ())
            if attribute in required:
                self.problems.append(InputError(
                    f"{attribute}=\"{raw}\" merujuk elemen yang tidak ada dalam berkas",
                    f"{attribute}=\"{raw}\" refers to an element that is not in the file",
                    self.where(element)))
            else:
                self.notices.append(Notice(
                    f"{attribute}=\"{raw}\" merujuk elemen yang tidak ada dalam berkas"
                    " (rujukan disimpan apa adanya)",
                    f"{attribute}=\"{raw}\" refers to an element that is not in the file"
                    " (kept as is)",
                    self.where(element)))
        return element_iri(self.model, local)

    # --- pass 1: identifiers ----------------------------------------------------------------
    def collect_ids(self) -> None:
        def visit(element: etree._Element) -> None:
            for child in element:
                if not isinstance(child.tag, str):
                    continue
                key = _split(child.tag)
                if key == m.EXTENSION_ELEMENTS:
                    continue
                if key[0] in m.STANDARD_NAMESPACES:
                    element_id = child.get("id")
                    if element_id:
                        if element_id in self.ids:
                            first = self.ids[element_id].sourceline
                            self.problems.append(InputError(
                                f"id \"{element_id}\" dipakai lebih dari sekali (pertama di"
                                f" baris {first})",
                                f"id \"{element_id}\" is used more than once (first on line"
                                f" {first})",
                                self.where(child)))
                        else:
                            self.ids[element_id] = child
                    visit(child)

        root_id = self.root.get("id")
        if root_id:
            self.ids[root_id] = self.root
        visit(self.root)

    # --- pass 2: resources --------------------------------------------------------------------
    def resource(self, element: etree._Element, parent: URIRef | None, kind: m.Kind) -> URIRef:
        local = _split(element.tag)[1]
        element_id = element.get("id")
        if parent is None:
            iri = self.model
        elif element_id:
            iri = element_iri(self.model, element_id)
        else:
            number = self.generated[(parent, local)]
            self.generated[(parent, local)] += 1
            iri = URIRef(f"{parent}/{local}-{number}")
        self.triples.append((iri, RDF.type, BP[kind.cls]))
        self.counts[kind.cls] += 1
        if kind.family:
            self.triples.append((iri, RDF.type, BP[kind.family]))
        if parent is not None:
            self.add(iri, "containedIn", parent)
            self.add(iri, "index", Literal(self.child_index[parent], datatype=XSD.integer))
            self.child_index[parent] += 1
        if element_id:
            self.add(iri, "id", Literal(element_id))
        for attribute, raw in element.attrib.items():
            if attribute.startswith("{") or attribute == "id":
                continue
            spec = m.ATTRIBUTES.get(attribute)
            if spec is None:
                continue
            value = self.convert(element, attribute, raw, spec[1])
            if value is not None:
                self.add(iri, spec[0], value)
        for attribute in m.REQUIRED_REFERENCES.get(local, ()):
            if element.get(attribute) is None:
                self.problems.append(InputError(
                    f"atribut wajib {attribute} tidak ada",
                    f"required attribute {attribute} is missing",
                    self.where(element)))
        return iri

    def attributes_to(self, element: etree._Element, subject: URIRef,
                      table: dict[str, tuple[str, m.ValueType]]) -> None:
        for attribute, (prop, kind) in table.items():
            raw = element.get(attribute)
            if raw is not None:
                value = self.convert(element, attribute, raw, kind)
                if value is not None:
                    self.add(subject, prop, value)

    def extensions(self, element: etree._Element, parent: URIRef) -> None:
        for prop in element.iter(f"{{{m.BIZAGI}}}BizagiProperty"):
            iri = self.resource(prop, parent, m.Kind("BizagiProperty"))
            name = prop.get("name")
            if name is not None:
                self.add(iri, "propertyName", Literal(name))
            value = prop.get("value")
            if value is not None:
                self.add(iri, "propertyValue", Literal(value))

    def walk(self, element: etree._Element, parent: URIRef) -> None:
        for child in element:
            if not isinstance(child.tag, str):
                continue
            key = _split(child.tag)
            kind = m.KINDS.get(key)
            if kind is not None:
                self.walk(child, self.resource(child, parent, kind))
            elif key == m.EXTENSION_ELEMENTS:
                self.extensions(child, parent)
            elif key in m.TEXT_CHILDREN:
                text = "".join(child.itertext()).strip()
                if text:
                    self.add(parent, m.TEXT_CHILDREN[key], Literal(text))
            elif key in m.REF_CHILDREN:
                text = "".join(child.itertext()).strip()
                if text:
                    self.add(parent, m.REF_CHILDREN[key],
                             self.reference(child, m.REF_CHILDREN[key], text))
            elif key in m.ROLE_CHILDREN:
                for ref in child.iter(f"{{{m.MODEL}}}resourceRef"):
                    text = "".join(ref.itertext()).strip()
                    if text:
                        self.add(parent, m.ROLE_CHILDREN[key],
                                 self.reference(ref, "resourceRef", text))
            elif key == m.DATA_STATE:
                if child.get("name"):
                    self.add(parent, "dataState", Literal(child.get("name")))
            elif key == m.BOUNDS:
                self.attributes_to(child, parent, m.BOUNDS_ATTRIBUTES)
            elif key == m.FONT:
                self.attributes_to(child, parent, m.FONT_ATTRIBUTES)
            elif key in m.TRANSPARENT:
                self.walk(child, parent)
            elif key in m.DERIVED:
                continue
            elif key[0] in m.STANDARD_NAMESPACES:
                self.unsupported.setdefault(key[1], []).append(child.sourceline or 0)

    def read(self) -> ReadResult:
        namespace, local = _split(self.root.tag)
        if (namespace, local) != (m.MODEL, "definitions"):
            if namespace in m.DRAFT_MODEL_NAMESPACES:
                hint_id = (f"namespace {namespace} adalah draf lama BPMN 2.0; simpan ulang dengan"
                           " alat pemodelan sebagai BPMN 2.0 final")
                hint_en = (f"namespace {namespace} is an old BPMN 2.0 draft; save the model"
                           " again as final BPMN 2.0")
            else:
                shown = f"{{{namespace}}}{local}" if namespace else local
                hint_id = (f"elemen akarnya '{shown}', bukan 'definitions' dalam namespace"
                           f" {m.MODEL}")
                hint_en = (f"its root element is '{shown}', not 'definitions' in namespace"
                           f" {m.MODEL}")
            raise InputError(f"bukan berkas BPMN 2.0: {hint_id}", f"not a BPMN 2.0 file: {hint_en}",
                             Location(file=self.file_name, line=self.root.sourceline))
        self.collect_ids()
        self.resource(self.root, None, m.Kind("Definitions"))
        self.walk(self.root, self.model)
        if self.problems:
            if len(self.problems) == 1:
                raise self.problems[0]
            raise InputProblems(problems=list(self.problems))
        for local_name, lines in sorted(self.unsupported.items()):
            shown = ", ".join(str(line) for line in lines[:5]) + (" ..." if len(lines) > 5 else "")
            self.notices.append(Notice(
                f"elemen <{local_name}> ({len(lines)}x, baris {shown}) belum didukung dan tidak"
                " disimpan",
                f"element <{local_name}> ({len(lines)}x, line {shown}) is not supported and was"
                " not stored",
                Location(file=self.file_name)))
        if not any(kind in self.counts for kind in ("Process", "Collaboration")):
            self.notices.append(Notice("berkas tidak memuat proses maupun kolaborasi",
                                       "the file contains no process and no collaboration",
                                       Location(file=self.file_name)))
        return ReadResult(self.model, self.triples, self.root.get("name"), self.counts,
                          self.notices)


def read_bpmn(data: bytes, *, file_name: str, model: URIRef, max_bytes: int) -> ReadResult:
    """Parse `data` safely and map it to triples about `model` (the resource of the file).

    Raises `InputError` (or `InputProblems`) naming the file and line for malformed XML,
    a DTD, a non-BPMN root, duplicate ids and flows whose ends are missing.
    """
    notices: list[Notice] = []
    root = parse_untrusted_xml(data, file_name, max_bytes, notices)
    reader = _Reader(root, file_name, model)
    reader.notices.extend(notices)
    return reader.read()
