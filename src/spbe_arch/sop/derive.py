"""From a BPMN process to the rows of an SOP AP flowchart (PermenPANRB 35/2012).

Mapping (domain brief §5.5): lanes -> pelaksana columns (the pool when there are no lanes);
tasks, call activities, collapsed sub-processes and named intermediate events -> Kegiatan;
exclusive (and event-based) gateways with two or more ways out -> Keputusan with Ya/Tidak;
start and end events -> Terminator; link events -> PenghubungHalaman (off-page connector).
Expanded sub-processes are inlined; merging gateways, parallel gateways and unnamed
intermediate events are not rows, the flow simply passes through them.

Order: steps follow the sequence flows from the start event in reverse post-order (a
topological order that ignores the edges closing a loop), so a step comes after every step
that leads to it. At a decision the branch with fewer steps of its own comes first (on a
tie the Ya branch). An SOP runs from one start to one end: every end event becomes the
same final terminator, the last row (an end event's own name stays as a remark on the steps
leading to it). An SOP has no parallel symbol: parallel branches are written one after
the other, the end of each branch leads to the start of the next, and keterangan says
which steps may run at the same time. Loops stay as arrows back to an earlier step, and
keterangan names the step they return to. Everything that cannot be said in the SOP's
symbols also becomes a notice.

Mutu baku and keterangan of a step come from, in order: Bizagi extension properties named
Kelengkapan/Waktu/Output/Keterangan, lines `Kelengkapan: …`, `Waktu: …`, `Output: …`,
`Keterangan: …` in the element's documentation, and the data objects the task reads
(kelengkapan) or writes (output). Anything else is filled in later (`spbe-arch sop set`).
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field

from rdflib.term import URIRef

from spbe_arch.importers.bpmn.notices import Notice
from spbe_arch.sop.process import FlowNode, ProcessView

TERMINATOR = "Terminator"
KEGIATAN = "Kegiatan"
KEPUTUSAN = "Keputusan"
PENGHUBUNG = "PenghubungHalaman"

MUTU_FIELDS = ("kelengkapan", "waktu", "output", "keterangan")
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "kelengkapan": ("kelengkapan", "persyaratan", "mutu baku kelengkapan", "requirements"),
    "waktu": ("waktu", "durasi", "mutu baku waktu", "time", "duration"),
    "output": ("output", "keluaran", "mutu baku output"),
    "keterangan": ("keterangan", "catatan", "remarks"),
}
_DOC_LINE = re.compile(
    r"^\s*(" + "|".join(re.escape(a) for aliases in FIELD_ALIASES.values() for a in aliases)
    + r")\s*[:=]\s*(.+?)\s*$", re.IGNORECASE | re.MULTILINE)
_ALIAS_TO_FIELD = {a: f for f, aliases in FIELD_ALIASES.items() for a in aliases}

# a "no" word anywhere wins ("tidak memenuhi syarat"); otherwise a "yes" word anywhere
_NO = re.compile(r"\b(tidak|tdk|tak|no|not|bukan|belum|ditolak|tolak|menolak|kurang|gagal|salah|"
                 r"false|invalid|n|refused|rejected|reject|declined|denied|failed)\b")
_YES = re.compile(r"\b(ya|iya|yes|y|ok|oke|setuju|disetujui|lengkap|sesuai|benar|valid|memenuhi|"
                  r"diterima|terima|lolos|lulus|ada|true|tersedia|terbuka|sah|approved|accepted|"
                  r"accept|passed|complete|available)\b")

_SPLITS = {"ParallelGateway", "InclusiveGateway", "ComplexGateway"}
_DECISIONS = {"ExclusiveGateway", "EventBasedGateway"}
_SUBPROCESSES = {"SubProcess", "AdHocSubProcess", "Transaction"}


@dataclass
class DerivedStep:
    key: str
    source: URIRef | None
    nama: str
    simbol: str
    pelaksana: str
    kelengkapan: str | None = None
    waktu: str | None = None
    output: str | None = None
    keterangan: str | None = None
    notes_id: list[str] = field(default_factory=list)
    notes_en: list[str] = field(default_factory=list)
    next: str | None = None
    ya: str | None = None
    tidak: str | None = None
    number: int = 0

    def note(self, text_id: str, text_en: str) -> None:
        if text_id not in self.notes_id:
            self.notes_id.append(text_id)
            self.notes_en.append(text_en)

    def full_keterangan(self) -> str | None:
        """Keterangan from the model plus the derivation's own remarks (each once: a model
        exported from an SOP already carries the remarks of the first derivation)."""
        parts = [self.keterangan] if self.keterangan else []
        parts += [note for note in self.notes_id
                  if not self.keterangan or note not in self.keterangan]
        return "; ".join(parts) if parts else None

    def targets(self) -> list[str]:
        return [t for t in (self.next, self.ya, self.tidak) if t]


@dataclass
class Derivation:
    process: ProcessView
    pelaksana: list[str]
    steps: list[DerivedStep]
    notices: list[Notice]

    def step(self, key: str) -> DerivedStep:
        for step in self.steps:
            if step.key == key:
                return step
        raise KeyError(key)


def decision_answer(label: str) -> bool | None:
    """True for a Ya label, False for a Tidak label, None when it says neither."""
    text = re.sub(r"[^\w\s]", " ", label.lower()).strip()
    if not text:
        return None
    if _NO.search(text):
        return False
    if _YES.search(text):
        return True
    return None


def mutu_baku(node: FlowNode) -> dict[str, str]:
    """Kelengkapan/waktu/output/keterangan from Bizagi properties, documentation, data."""
    found: dict[str, str] = {}
    for field_name, aliases in FIELD_ALIASES.items():
        for alias in aliases:
            value = node.properties.get(alias, "").strip()
            if value:
                found[field_name] = value
                break
    from_doc: dict[str, list[str]] = {}
    for text in node.documentation:
        for match in _DOC_LINE.finditer(text):
            from_doc.setdefault(_ALIAS_TO_FIELD[match.group(1).lower()], []).append(match.group(2))
    for field_name, values in from_doc.items():
        found.setdefault(field_name, "; ".join(values))
    if node.inputs:
        found.setdefault("kelengkapan", "; ".join(dict.fromkeys(node.inputs)))
    if node.outputs:
        found.setdefault("output", "; ".join(dict.fromkeys(node.outputs)))
    return found


class _Deriver:
    def __init__(self, process: ProcessView) -> None:
        self.p = process
        self.nodes = process.nodes
        self.notices: list[Notice] = []
        self.out: dict[URIRef, list[tuple[URIRef, str, str]]] = {n: [] for n in self.nodes}
        self.incoming: dict[URIRef, int] = dict.fromkeys(self.nodes, 0)
        for flow in process.flows:
            if flow.source in self.nodes and flow.target in self.nodes:
                self.out[flow.source].append((flow.target, flow.name, flow.condition))
                self.incoming[flow.target] += 1
        self.lane_names = self._lane_names()
        self.lane_of = self._lanes()
        self.lane_order = self._lane_order()
        self.hidden = {iri for iri in self.nodes if self._inside_collapsed(iri)}

    def _inside_collapsed(self, iri: URIRef) -> bool:
        """Inside a sub-process drawn collapsed: that sub-process is one row on its own."""
        container = self.nodes[iri].container
        seen: set[URIRef] = set()
        while container in self.nodes and container not in seen:
            seen.add(container)
            if not self.entered(self.nodes[container]):
                return True
            container = self.nodes[container].container
        return False

    # --- lanes ----------------------------------------------------------------------------
    def _lane_names(self) -> dict[URIRef, str]:
        """The pelaksana name of each lane. Nested lanes of the same name under different
        parents ('Kepala Seksi' in two bidang) are different people: each is qualified by
        its parent lane, instead of both becoming one column."""
        base = {lane.iri: lane.name or f"Jalur {lane.order[-1] + 1}" for lane in self.p.lanes}
        parent_name = {lane.iri: base.get(lane.parent, "") if lane.parent else ""
                       for lane in self.p.lanes}
        names = dict(base)
        by_name: dict[str, list[URIRef]] = {}
        for lane in self.p.lanes:
            by_name.setdefault(base[lane.iri], []).append(lane.iri)
        for name, lanes in by_name.items():
            parents = {parent_name[iri] for iri in lanes}
            if len(parents) < 2:
                continue  # the same role drawn twice under one parent: one column
            for iri in lanes:
                if parent_name[iri]:
                    names[iri] = f"{name} ({parent_name[iri]})"
            shown = ", ".join(f"'{names[iri]}'" for iri in lanes)
            self.notices.append(Notice(
                f"beberapa jalur bernama '{name}' di bawah jalur induk yang berbeda; pelaksana"
                f" dibedakan dengan nama induknya: {shown}",
                f"several lanes are named '{name}' under different parent lanes; the actors"
                f" are told apart by their parent's name: {shown}"))
        return names

    def _lanes(self) -> dict[URIRef, str]:
        depth: dict[URIRef, int] = {}
        by_iri = {lane.iri: lane for lane in self.p.lanes}
        for lane in self.p.lanes:
            d, parent = 0, lane.parent
            while parent is not None and d < 50:
                d, parent = d + 1, by_iri[parent].parent if parent in by_iri else None
            depth[lane.iri] = d
        best: dict[URIRef, tuple[int, str]] = {}
        for lane in self.p.lanes:
            name = self.lane_names[lane.iri]
            for node in lane.nodes:
                if node not in best or depth[lane.iri] > best[node][0]:
                    best[node] = (depth[lane.iri], name)
        fallback = self.p.participant or self.p.name or "Pelaksana"
        result: dict[URIRef, str] = {}
        for iri in self.nodes:
            current: URIRef | None = iri
            while current is not None and current not in best:
                holder = self.nodes.get(current)
                current = holder.container if holder is not None and holder.container != \
                    self.p.iri else None
            result[iri] = best[current][1] if current is not None else fallback
        if not self.p.lanes:
            self.notices.append(Notice(
                f"proses '{self.p.label()}' tidak memiliki jalur (lane); pelaksana diambil dari"
                " nama pool",
                f"process '{self.p.label()}' has no lanes; the pool's name is the actor"))
        return result

    def _lane_order(self) -> dict[str, tuple[float, ...]]:
        order: dict[str, tuple[float, ...]] = {}
        for lane in self.p.lanes:
            name = self.lane_names[lane.iri]
            if lane.bounds is not None:
                key: tuple[float, ...] = (0, lane.bounds[1] if lane.horizontal else lane.bounds[0])
            else:
                key = (1, *lane.order)
            order.setdefault(name, key)
        return order

    # --- classification ---------------------------------------------------------------------
    def top_level(self, node: FlowNode) -> bool:
        return node.container == self.p.iri

    def ends_the_path(self, node: FlowNode) -> bool:
        """An end event inside sub-processes none of which is followed by anything (an event
        sub-process, a sub-process drawn last without an end event after it): the path ends
        here as at a top-level end event, instead of leading nowhere."""
        container = node.container
        seen: set[URIRef] = set()
        while container in self.nodes and container not in seen:
            seen.add(container)
            if self.out[container]:
                return False
            container = self.nodes[container].container
        return True

    def entered(self, node: FlowNode) -> bool:
        """An expanded sub-process the derivation walks into."""
        return (node.kind in _SUBPROCESSES and node.expanded is not False
                and any(n.container == node.iri for n in self.nodes.values()))

    def role(self, iri: URIRef) -> str:
        node = self.nodes[iri]
        if node.family == "Gateway":
            if len(self.out[iri]) >= 2:
                return "decision" if node.kind in _DECISIONS else "split"
            return "pass"
        if node.family == "Event":
            if node.kind == "BoundaryEvent":
                return "pass"
            if node.kind == "StartEvent":
                return "step" if self.top_level(node) else "pass"
            if node.kind == "EndEvent":
                return "step" if self.top_level(node) or self.ends_the_path(node) else "pass"
            if node.link_name is not None:
                return "step"
            return "step" if node.name else "pass"
        if self.entered(node):
            return "pass"
        if len(self.out[iri]) >= 2:
            return "step-split"
        return "step"

    def is_step(self, iri: URIRef) -> bool:
        return self.role(iri) in ("step", "decision", "step-split")

    def successors(self, iri: URIRef) -> list[URIRef]:
        node = self.nodes[iri]
        targets = [t for t, _, _ in self.out[iri]]
        if node.link_name is not None and node.kind == "IntermediateThrowEvent":
            catches = [n.iri for n in self.nodes.values()
                       if n.kind == "IntermediateCatchEvent" and n.link_name == node.link_name]
            if not catches:
                self.notices.append(Notice(
                    f"peristiwa tautan '{node.link_name}' tidak memiliki pasangan penangkap",
                    f"link event '{node.link_name}' has no matching catch event"))
            targets += catches
        if self.entered(node):
            starts = [n.iri for n in self.nodes.values()
                      if n.container == iri and n.kind == "StartEvent"]
            if not starts:
                starts = [n.iri for n in self.nodes.values()
                          if n.container == iri and self.incoming[n.iri] == 0
                          and n.kind != "BoundaryEvent"]
            return starts + [t for t in targets if t not in starts]
        if not targets and not self.top_level(node) and node.kind == "EndEvent":
            parent = node.container
            return [t for t, _, _ in self.out.get(parent, [])]
        return targets

    # --- ordering -------------------------------------------------------------------------
    def position(self, iri: URIRef) -> tuple[float, ...]:
        node = self.nodes[iri]
        lane = self.lane_order.get(self.lane_of[iri], (2,))
        if node.bounds is not None:
            return (*lane, node.bounds[1], node.bounds[0])
        return (*lane, node.index)

    def reach(self, start: URIRef, stop: set[URIRef]) -> set[URIRef]:
        seen: set[URIRef] = set()
        queue = deque([start])
        while queue:
            current = queue.popleft()
            if current in seen or current in stop:
                continue
            seen.add(current)
            queue.extend(self.successors(current))
        return seen

    def reaches(self, target: URIRef) -> set[URIRef]:
        """Every node from which `target` can be reached (loop members above a gateway)."""
        back: dict[URIRef, list[URIRef]] = {n: [] for n in self.nodes}
        for n in self.nodes:
            for s in self.successors(n):
                back.setdefault(s, []).append(n)
        seen: set[URIRef] = set()
        queue = deque([target])
        while queue:
            current = queue.popleft()
            for previous in back.get(current, []):
                if previous not in seen:
                    seen.add(previous)
                    queue.append(previous)
        return seen

    def answers(self, iri: URIRef) -> list[tuple[URIRef, bool, str]]:
        """(target, is_ya, label) for each way out of a decision, in Ya/Tidak terms."""
        node = self.nodes[iri]
        outs = self.out[iri]
        labels = [name or condition for _, name, condition in outs]
        verdicts = [decision_answer(label) for label in labels]
        if len(outs) == 2:
            a, b = verdicts
            if a is None and b is not None:
                a = not b
            elif b is None and a is not None:
                b = not a
            if a is None or b is None or a == b:
                default = next((i for i, (t, _, _) in enumerate(outs)
                                if node.default_flow is not None
                                and self._flow_target(node.default_flow) == t), None)
                a, b = (default != 0, default == 0) if default is not None else (True, False)
                self.notices.append(Notice(
                    f"cabang Ya/Tidak pada keputusan '{node.name or '(tanpa nama)'}' tidak dapat"
                    f" dibedakan dari nama alirannya ({', '.join(repr(x) for x in labels)});"
                    f" cabang '{labels[0 if a else 1] or '(tanpa nama)'}' dianggap Ya",
                    f"cannot tell the Ya/Tidak branches of decision '{node.name or '(unnamed)'}'"
                    f" apart from their flow names ({', '.join(repr(x) for x in labels)});"
                    f" '{labels[0 if a else 1] or '(unnamed)'}' is taken as Ya"))
            return [(outs[0][0], bool(a), labels[0]), (outs[1][0], bool(b), labels[1])]
        return [(t, i == 0, label) for i, ((t, _, _), label) in enumerate(zip(outs, labels,
                                                                                strict=True))]

    def _flow_target(self, flow: URIRef) -> URIRef | None:
        for f in self.p.flows:
            if f.iri == flow:
                return f.target
        return None

    def preference(self, iri: URIRef) -> list[URIRef]:
        """Successors in the order their steps should appear in the SOP."""
        succ = self.successors(iri)
        role = self.role(iri)
        if role == "decision":
            answers = self.answers(iri)
            above = self.reaches(iri)
            reaches = {t: self.reach(t, {iri}) - above for t, _, _ in answers}
            own = {t: len(reaches[t] - set().union(*(reaches[o] for o, _, _ in answers if o != t)))
                   for t, _, _ in answers}
            ordered = sorted(answers, key=lambda a: (own[a[0]], not a[1]))
            first = [t for t, _, _ in ordered]
            return first + [s for s in succ if s not in first]
        if role in ("split", "step-split"):
            return sorted(succ, key=self.position)
        return succ

    def roots(self) -> list[URIRef]:
        top = [n for n in self.nodes.values() if self.top_level(n)]
        starts = sorted((n.iri for n in top if n.kind == "StartEvent"), key=self.position)
        if not starts:
            starts = sorted((n.iri for n in top
                             if self.incoming[n.iri] == 0 and n.kind != "BoundaryEvent"),
                            key=self.position)
            if starts:
                self.notices.append(Notice(
                    f"proses '{self.p.label()}' tidak memiliki peristiwa awal; langkah dimulai"
                    " dari elemen tanpa aliran masuk",
                    f"process '{self.p.label()}' has no start event; steps start from the"
                    " elements without incoming flows"))
        elif len(starts) > 1:
            self.notices.append(Notice(
                f"proses '{self.p.label()}' memiliki {len(starts)} peristiwa awal; masing-masing"
                " menjadi terminator",
                f"process '{self.p.label()}' has {len(starts)} start events; each becomes a"
                " terminator"))
        return starts

    def order(self) -> list[URIRef]:
        visited: set[URIRef] = set()
        segments: list[list[URIRef]] = []

        def dfs(root: URIRef) -> list[URIRef]:
            post: list[URIRef] = []
            if root in visited:
                return post
            visited.add(root)
            stack: list[tuple[URIRef, list[URIRef]]] = [
                (root, list(reversed(self.preference(root))))]
            while stack:
                node, pending = stack[-1]
                while pending and pending[0] in visited:
                    pending.pop(0)
                if pending:
                    nxt = pending.pop(0)
                    visited.add(nxt)
                    stack.append((nxt, list(reversed(self.preference(nxt)))))
                else:
                    post.append(node)
                    stack.pop()
            return post

        for root in self.roots():
            segments.append(list(reversed(dfs(root))))
        boundary = sorted((n.iri for n in self.nodes.values() if n.kind == "BoundaryEvent"),
                          key=self.position)
        for root in boundary:
            segments.append(list(reversed(dfs(root))))
        rest = sorted((n for n in self.nodes if n not in visited and n not in self.hidden),
                      key=self.position)
        leftovers = [n for n in rest if self.is_step(n)]
        for root in rest:
            if root not in visited:
                segments.append(list(reversed(dfs(root))))
        if leftovers:
            names = ", ".join(f"'{self.nodes[n].name or self.nodes[n].kind}'" for n in leftovers)
            self.notices.append(Notice(
                f"elemen tidak terhubung dari peristiwa awal: {names}; tetap dimasukkan di akhir",
                f"elements not reached from the start event: {names}; added at the end"))
        return [n for segment in segments for n in segment]

    # --- steps ----------------------------------------------------------------------------
    def resolve(self, iri: URIRef, seen: frozenset[URIRef] = frozenset()) -> list[URIRef]:
        """The step nodes reached from `iri` through nodes that are not steps."""
        if self.is_step(iri):
            return [iri]
        if iri in seen:
            return []
        found: list[URIRef] = []
        for s in self.successors(iri):
            for step in self.resolve(s, seen | {iri}):
                if step not in found:
                    found.append(step)
        return found

    def make_step(self, iri: URIRef) -> DerivedStep:
        node = self.nodes[iri]
        if node.kind in ("StartEvent", "EndEvent"):
            simbol = TERMINATOR
            nama = node.name or ("Mulai" if node.kind == "StartEvent" else "Selesai")
        elif node.link_name is not None:
            simbol = PENGHUBUNG
            nama = node.name
            if not nama or nama == node.link_name:
                nama = (f"Bersambung ke penghubung {node.link_name}"
                        if node.kind == "IntermediateThrowEvent"
                        else f"Sambungan dari penghubung {node.link_name}")
        elif self.role(iri) == "decision":
            simbol = KEPUTUSAN
            nama = node.name or "Keputusan"
            if not node.name:
                self.notices.append(Notice(
                    "gerbang keputusan tanpa nama; beri nama berupa pertanyaan (misalnya"
                    " 'Berkas lengkap?')",
                    "unnamed decision gateway; name it with a question (e.g. 'Berkas lengkap?')"))
        else:
            simbol = KEGIATAN
            nama = node.name
            if not nama:
                nama = f"({node.kind} tanpa nama)"
                self.notices.append(Notice(
                    f"{node.kind} tanpa nama dijadikan langkah '{nama}'",
                    f"unnamed {node.kind} became step '{nama}'"))
        step = DerivedStep(str(iri), iri, nama, simbol, self.lane_of[iri])
        for key, value in mutu_baku(node).items():
            setattr(step, key, value)
        if node.kind == "CallActivity":
            step.note("memanggil proses lain", "calls another process")
        if node.kind in _SUBPROCESSES:
            inner = [n.name for n in self.nodes.values() if n.container == iri and n.name
                     and n.family == "Activity"]
            if inner:
                step.note(f"sub-proses: {', '.join(inner)}", f"sub-process: {', '.join(inner)}")
        if node.kind in ("IntermediateCatchEvent", "IntermediateThrowEvent") and \
                node.link_name is None and node.event_definitions:
            kind = node.event_definitions[0].removesuffix("EventDefinition").lower()
            step.note(f"peristiwa antara ({kind})", f"intermediate event ({kind})")
        return step

    def derive(self) -> Derivation:
        order = self.order()
        step_nodes = [n for n in order if self.is_step(n)]
        steps: dict[str, DerivedStep] = {str(n): self.make_step(n) for n in step_nodes}
        sequence: list[str] = []
        for iri in step_nodes:
            key = str(iri)
            sequence.append(key)
            if self.role(iri) == "decision":
                sequence += self.decision_links(iri, steps)
        position = {key: i for i, key in enumerate(sequence)}

        def first(targets: list[URIRef]) -> str | None:
            keys = [str(t) for t in targets if str(t) in steps]
            return min(keys, key=lambda k: position[k]) if keys else None

        for iri in step_nodes:
            step = steps[str(iri)]
            if step.simbol == KEPUTUSAN:
                continue
            if self.nodes[iri].kind == "EndEvent":
                continue
            targets = [t for s in self.successors(iri) for t in self.resolve(s)]
            step.next = first(targets)
            if step.next is None and step.simbol != TERMINATOR:
                self.notices.append(Notice(
                    f"langkah '{step.nama}' tidak memiliki kelanjutan (tidak ada aliran keluar)",
                    f"step '{step.nama}' has no way out (no outgoing flow)"))
        for iri in order:
            if self.role(iri) in ("split", "step-split"):
                self.serialize_parallel(iri, steps, position)
        for iri in (n for n in order if self.nodes[n].kind == "BoundaryEvent"):
            entries = [str(t) for t in self.resolve(iri) if str(t) in steps]
            host = self.nodes[iri].attached_to
            if entries and host is not None and str(host) in steps:
                event = self.nodes[iri].name or self.nodes[iri].kind
                for entry in entries:
                    steps[entry].note(f"dilakukan bila terjadi '{event}' saat langkah"
                                      f" {{{host}}}",
                                      f"done when '{event}' happens during step {{{host}}}")
                self.notices.append(Notice(
                    f"peristiwa batas '{event}' pada '{self.nodes[host].name}' tidak punya simbol"
                    " SOP; jalurnya ditulis sebagai langkah tambahan dengan keterangan",
                    f"boundary event '{event}' on '{self.nodes[host].name}' has no SOP symbol;"
                    " its path is written as extra steps with a remark"))
        sequence = self.merge_ends(sequence, steps)
        ordered = [steps[k] for k in sequence]
        for number, step in enumerate(ordered, start=1):
            step.number = number
        numbers = {step.key: step.number for step in ordered}
        for step in ordered:
            for attr in ("next", "ya", "tidak"):
                target = getattr(step, attr)
                if target and numbers[target] <= step.number:
                    if attr == "next":
                        step.note(f"kembali ke langkah {numbers[target]}",
                                  f"back to step {numbers[target]}")
                    else:
                        answer = "Ya" if attr == "ya" else "Tidak"
                        step.note(f"bila {answer}, kembali ke langkah {numbers[target]}",
                                  f"if {answer}, back to step {numbers[target]}")
            step.notes_id = [_fill(n, numbers) for n in step.notes_id]
            step.notes_en = [_fill(n, numbers) for n in step.notes_en]
        pelaksana = sorted({s.pelaksana for s in ordered},
                           key=lambda name: (self.lane_order.get(name, (3,)), name))
        if not ordered:
            self.notices.append(Notice(
                f"proses '{self.p.label()}' tidak menghasilkan langkah SOP",
                f"process '{self.p.label()}' yields no SOP steps"))
        notices = [Notice(_fill(n.message_id, numbers), _fill(n.message_en, numbers), n.location)
                   for n in self.notices]
        return Derivation(self.p, pelaksana, ordered, _dedupe(notices))

    def merge_ends(self, sequence: list[str], steps: dict[str, DerivedStep]) -> list[str]:
        """One final terminator, last: an SOP flowchart runs from one start to one end, so
        every end event becomes the same last row; an end event's own name is kept as a
        remark on the steps that led to it."""
        ends = [k for k in sequence if steps[k].source is not None
                and self.nodes[steps[k].source].kind == "EndEvent"]  # type: ignore[index]
        if not ends:
            return sequence
        names = {steps[k].nama for k in ends}
        listed = ", ".join(f"'{steps[k].nama}'" for k in ends)
        final = steps[ends[-1]]
        merged_name = final.nama if len(names) == 1 else "Selesai"
        # one pass over the links: a link already moved to the final terminator must not
        # also get the final end event's name as a remark
        end_keys = set(ends)
        for step in steps.values():
            for attr in ("next", "ya", "tidak"):
                target = getattr(step, attr)
                if target in end_keys:
                    setattr(step, attr, final.key)
                    end = steps[target]
                    if end.nama != merged_name:
                        step.note(f"berakhir: {end.nama}", f"ends: {end.nama}")
        final.nama = merged_name
        if len(ends) > 1:
            self.notices.append(Notice(
                f"{len(ends)} peristiwa akhir ({listed}) digabung menjadi satu terminator"
                f" '{merged_name}' di akhir SOP",
                f"{len(ends)} end events ({listed}) are merged into one terminator"
                f" '{merged_name}' at the end of the SOP"))
        return [k for k in sequence if k not in ends] + [final.key]

    def decision_links(self, iri: URIRef, steps: dict[str, DerivedStep]) -> list[str]:
        """Set Ya/Tidak of a decision; a gateway with more than two ways out becomes a chain
        of decisions (returned: the keys of the extra decision steps)."""
        node = self.nodes[iri]
        answers = self.answers(iri)
        head = steps[str(iri)]

        def target(t: URIRef) -> str | None:
            found = [str(s) for s in self.resolve(t) if str(s) in steps]
            if not found:
                # a branch that reaches no step (a gateway or unnamed event with no way
                # out): the decision's answer stays empty, which the SOP rules flag
                self.notices.append(Notice(
                    f"cabang keputusan '{node.name or '(tanpa nama)'}' menuju"
                    f" '{self.nodes[t].name or self.nodes[t].kind}' yang tidak berlanjut ke"
                    " langkah mana pun; lengkapi alirannya",
                    f"a branch of decision '{node.name or '(unnamed)'}' leads to"
                    f" '{self.nodes[t].name or self.nodes[t].kind}', which reaches no step;"
                    " complete the flow"))
            return found[0] if found else None

        if len(answers) == 2:
            for t, is_ya, _ in answers:
                setattr(head, "ya" if is_ya else "tidak", target(t))
            if node.kind == "EventBasedGateway":
                self.notices.append(Notice(
                    f"gerbang berbasis peristiwa '{node.name}' ditulis sebagai keputusan Ya/Tidak",
                    f"event-based gateway '{node.name}' is written as a Ya/Tidak decision"))
            return []
        extra: list[str] = []
        current = head
        for index, (t, _, _) in enumerate(answers[:-1]):
            current.ya = target(t)
            if index == len(answers) - 2:
                current.tidak = target(answers[-1][0])
                break
            nxt_label = answers[index + 1][2] or f"cabang {index + 2}"
            nxt = DerivedStep(f"{iri}#{index + 2}", iri, f"{nxt_label}?", KEPUTUSAN,
                              head.pelaksana)
            steps[nxt.key] = nxt
            extra.append(nxt.key)
            current.tidak = nxt.key
            current = nxt
        first_label = answers[0][2] or "cabang 1"
        head.nama = f"{head.nama} ({first_label}?)" if head.nama else f"{first_label}?"
        self.notices.append(Notice(
            f"keputusan '{node.name}' memiliki {len(answers)} cabang; ditulis sebagai"
            f" {len(answers) - 1} keputusan Ya/Tidak berurutan",
            f"decision '{node.name}' has {len(answers)} branches; written as"
            f" {len(answers) - 1} chained Ya/Tidak decisions"))
        return extra

    def _is_end(self, step: DerivedStep) -> bool:
        return step.source is not None and "#" not in step.key and \
            self.nodes[step.source].kind == "EndEvent"

    def serialize_parallel(self, iri: URIRef, steps: dict[str, DerivedStep],
                           position: dict[str, int]) -> None:
        node = self.nodes[iri]
        branches = [t for t in self.preference(iri)]
        entries: list[str] = []
        for branch in branches:
            found = sorted((str(s) for s in self.resolve(branch) if str(s) in steps),
                           key=lambda k: position[k])
            for key in found:
                if key not in entries:
                    entries.append(key)
        if len(entries) < 2:
            return
        entries.sort(key=lambda k: position[k])
        reach = [self.reach(b, {iri}) for b in branches]
        common = set.intersection(*reach) if reach else set()
        join_steps = sorted({str(s) for c in common for s in self.resolve(c) if str(s) in steps}
                            & set(position), key=lambda k: position[k])
        join = join_steps[0] if join_steps else None
        for i, entry in enumerate(entries[:-1]):
            following = entries[i + 1]
            for key, step in steps.items():
                if not (position[entry] <= position[key] < position[following]):
                    continue
                for attr in ("next", "ya", "tidak"):
                    target = getattr(step, attr)
                    if join is not None:
                        if target == join:
                            setattr(step, attr, following)
                    elif target is None:
                        # a dead end of a branch; only a kegiatan's own "next" (a decision
                        # has Ya/Tidak, never a next; the final terminator has no successor)
                        if attr == "next" and step.simbol not in (TERMINATOR, KEPUTUSAN):
                            setattr(step, attr, following)
                    elif self._is_end(steps[target]):
                        # branches that never meet end at end events: the end of this
                        # branch is where the next branch starts
                        setattr(step, attr, following)
                        name = self.nodes[steps[target].source].name  # type: ignore[index]
                        if name:
                            step.note(f"berakhir: {name}", f"ends: {name}")
        inclusive = node.kind in ("InclusiveGateway", "ComplexGateway")
        labels = {str(t): name or condition for t, name, condition in self.out[iri]}
        for entry in entries:
            others = ", ".join(f"{{{e}}}" for e in entries if e != entry)
            steps[entry].note(f"dapat dilaksanakan bersamaan dengan langkah {others}",
                              f"may run at the same time as step {others}")
            if inclusive and labels.get(entry):
                steps[entry].note(f"dilaksanakan bila: {labels[entry]}",
                                  f"done if: {labels[entry]}")
        what = "inklusif" if inclusive else "paralel"
        what_en = "inclusive" if inclusive else "parallel"
        numbers = ", ".join(f"{{{e}}}" for e in entries)
        self.notices.append(Notice(
            f"cabang {what} (mulai langkah {numbers}) ditulis berurutan karena SOP tidak"
            " memiliki simbol paralel; keterangan menandai langkah yang dapat bersamaan",
            f"{what_en} branches (starting at steps {numbers}) are written one after the"
            " other because an SOP has no parallel symbol; keterangan marks the steps that may"
            " run at the same time"))


def _fill(text: str, numbers: dict[str, int]) -> str:
    for key, number in numbers.items():
        text = text.replace(f"{{{key}}}", str(number))
    return text


def _dedupe(notices: list[Notice]) -> list[Notice]:
    seen: set[str] = set()
    out = []
    for notice in notices:
        if notice.message_id not in seen:
            seen.add(notice.message_id)
            out.append(notice)
    return out


def derive_steps(process: ProcessView) -> Derivation:
    """The SOP rows of one BPMN process (nothing is stored)."""
    return _Deriver(process).derive()
