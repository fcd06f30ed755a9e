"""Validation findings for the documents, from the validation engine (`spbe_arch.validation`).

The engine validates the repository while the document is made (a stored report may be
older than the data). Each result becomes a `Finding` with what the
reports need beside the SHACL result: the element's code and name, the OPD it belongs to,
a readable rule name and what to do about it (the shape's own `sh:description` when it has
one, else advice by constraint kind).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from spbe_arch.errors import SpbeError
from spbe_arch.reports.i18n import translate
from spbe_arch.reports.model import ONTOLOGY, ArchitectureData, label_of, local_name
from spbe_arch.reports.queries import select_terms
from spbe_arch.repository import Repository

SEVERITIES = ("Violation", "Warning", "Info")
SEVERITY_LABELS = {"Violation": "Pelanggaran", "Warning": "Peringatan", "Info": "Informasi"}

# constraint component (local name) -> (rule kind, what to do), Indonesian and English;
# {path} is the attribute's label
_ADVICE: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "MinCountConstraintComponent": (
        ("Wajib diisi", "Required"),
        ("Isi atribut «{path}» pada elemen ini.", "Fill in «{path}» for this element.")),
    "MaxCountConstraintComponent": (
        ("Jumlah nilai maksimum", "Maximum number of values"),
        ("Hapus nilai «{path}» yang berlebih sehingga tersisa sebanyak yang diizinkan.",
         "Remove the extra values of «{path}» so no more than allowed remain.")),
    "ClassConstraintComponent": (
        ("Jenis tautan", "Kind of link"),
        ("Tautkan «{path}» ke elemen dengan jenis yang benar (mis. OPD, layanan, kode referensi).",
         "Link «{path}» to an element of the right kind (e.g. OPD, service, reference code).")),
    "InConstraintComponent": (
        ("Nilai yang diizinkan", "Allowed values"),
        ("Pilih nilai «{path}» dari daftar nilai yang diizinkan.",
         "Choose a value of «{path}» from the allowed list.")),
    "DatatypeConstraintComponent": (
        ("Tipe data", "Datatype"),
        ("Perbaiki format nilai «{path}» (mis. tanggal sebagai TTTT-BB-HH).",
         "Correct the format of «{path}» (e.g. a date as YYYY-MM-DD).")),
    "PatternConstraintComponent": (
        ("Pola penulisan", "Pattern"),
        ("Sesuaikan penulisan «{path}» dengan pola yang ditentukan.",
         "Write «{path}» in the required pattern.")),
    "MinLengthConstraintComponent": (
        ("Panjang minimum", "Minimum length"),
        ("Lengkapi «{path}»; isinya terlalu pendek.", "Complete «{path}»; it is too short.")),
    "MaxLengthConstraintComponent": (
        ("Panjang maksimum", "Maximum length"),
        ("Persingkat «{path}».", "Shorten «{path}».")),
    "NodeKindConstraintComponent": (
        ("Jenis nilai", "Kind of value"),
        ("Isi «{path}» dengan tautan ke elemen, bukan teks (atau sebaliknya).",
         "Give «{path}» a link to an element instead of text (or the other way round).")),
    "HasValueConstraintComponent": (
        ("Nilai wajib", "Required value"),
        ("Tambahkan nilai «{path}» yang diwajibkan aturan.",
         "Add the value of «{path}» the rule requires.")),
    "SPARQLConstraintComponent": (
        ("Aturan khusus", "Custom rule"),
        ("Perbaiki data elemen ini sesuai pesan temuan.",
         "Correct this element's data as the message says.")),
}
_GENERIC = (("Aturan", "Rule"),
            ("Perbaiki data elemen ini sesuai pesan temuan.",
             "Correct this element's data as the message says."))


@dataclass
class Finding:
    focus: str
    focus_kode: str
    focus_nama: str
    focus_kind: str
    opd: str
    path: str
    path_label: str
    value: str
    shape: str
    rule_key: str
    rule: str
    rule_purpose: str
    rule_source: str
    component: str
    severity: str
    message: str
    advice: str


@dataclass
class FindingSet:
    available: bool
    findings: list[Finding] = field(default_factory=list)
    source: str = ""
    """"stored" (the newest stored report), "run" (validated now) or "" when unavailable."""
    stamp: str = ""
    problem: str = ""
    """Why the findings are unavailable (Indonesian text key)."""
    problem_detail: str = ""

    def by_severity(self) -> dict[str, int]:
        counts = Counter(f.severity for f in self.findings)
        return {s: counts.get(s, 0) for s in SEVERITIES}

    def for_focus(self) -> dict[str, list[Finding]]:
        table: dict[str, list[Finding]] = defaultdict(list)
        for finding in self.findings:
            table[finding.focus].append(finding)
        return dict(table)

    def of_kind(self, kind: str) -> list[Finding]:
        return [f for f in self.findings if f.focus_kind == kind]

    def of_opd(self, opd: str) -> list[Finding]:
        return [f for f in self.findings if f.opd == opd]


def _severity(value: Any) -> str:
    name = local_name(str(value)) if value is not None else "Violation"
    for known in SEVERITIES:
        if name.lower() == known.lower():
            return known
    return name or "Violation"


def _message(result: Any, lang: str) -> str:
    message = getattr(result, "message", "")
    if callable(message):
        try:
            return str(message(lang))
        except TypeError:
            return str(message())
    return str(message or "")


def _shape_texts(repository: Repository, lang: str) -> dict[str, dict[str, str]]:
    """shape IRI -> {"name": …, "description": …} in `lang` (or untagged/Indonesian)."""
    ranked: dict[tuple[str, str], tuple[int, str]] = {}
    for row in select_terms(repository, "shapes"):
        shape, predicate, value = row["shape"].value, row["p"].value, row["o"]
        slot = "name" if predicate.endswith(("#name", "#label")) else "description"
        tag = value.lang
        rank = 0 if tag == lang else 1 if tag == "" else 2 if tag == "id" else 3
        key = (shape, slot)
        if key not in ranked or rank < ranked[key][0]:
            ranked[key] = (rank, str(value))
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for (shape, slot), (_rank, text) in ranked.items():
        out[shape][slot] = text
    return dict(out)


_PURPOSE = re.compile(r"^\s*(?:Tujuan|Purpose)\s*:\s*", re.IGNORECASE)
_SOURCE = re.compile(r"\s*(?:Sumber|Source)\s*:\s*", re.IGNORECASE)


def split_description(text: str) -> tuple[str, str]:
    """("what the rule is for", "where it comes from") from a shape's description written
    as "Tujuan: … Sumber: …" (docs/validation.md); the whole text is the purpose otherwise."""
    parts = _SOURCE.split(_PURPOSE.sub("", text.strip()), maxsplit=1)
    purpose = parts[0].strip()
    return purpose, (parts[1].strip() if len(parts) > 1 else "")


def _path_label(result: Any, lang: str) -> tuple[str, str]:
    """(path IRI or text, readable label) of a result path; an inverse path reads "← label"."""
    term = getattr(result, "result_path", None)
    if term is None:
        return "", ""
    text = str(term)
    if text.startswith(("http://", "https://")):
        return text, label_of(text, lang)
    path_text = str(getattr(result, "path_text", "") or "")
    match = re.fullmatch(r"\^\(?<([^>]+)>\)?", path_text)
    if match:
        return path_text, "← " + label_of(match.group(1), lang)
    match = re.fullmatch(r"<([^>]+)>", path_text)
    if match:
        return path_text, label_of(match.group(1), lang)
    return path_text, path_text


def _value_text(data: ArchitectureData, value: str, focus: str, lang: str) -> str:
    if not value or value == focus:
        return ""
    target = data.by_iri.get(value) or data.opd_by_iri.get(value) or data.sop_by_iri.get(value)
    if target is not None and target.kode:
        return target.kode
    concept = data.concepts.get(value)
    if concept is not None:
        return concept.code
    if value.startswith(ONTOLOGY):
        return label_of(value, lang)
    if value.startswith(("http://", "https://")):
        # a code not in the reference in force (`…/RAB.99.99.01`) or an element of another
        # instansi: its last segment is what readers recognise
        return local_name(value) or value
    return value


_IRI = re.compile(r"<?(https?://[^\s<>\"]+?)>?(?=[\s,;:.)\]]*(?:\s|$))")


def _readable(data: ArchitectureData, message: str, lang: str) -> str:
    """A message with the IRIs a rule pasted into it (`{?value}`) replaced by what readers
    know: a value's label, an element's code, a reference code. Unknown IRIs stay."""
    def replace(match: re.Match[str]) -> str:
        iri = match.group(1)
        text = _value_text(data, iri, "", lang)
        return text if text and text != iri else match.group(0)

    return _IRI.sub(replace, message) if "://" in message else message


def _locate(data: ArchitectureData, focus: str) -> tuple[str, str, str, str]:
    """(kode, nama, kind, OPD IRI) of a focus node."""
    element = data.by_iri.get(focus)
    if element is not None:
        return element.kode, element.nama, element.kind, element.opd
    opd = data.opd_by_iri.get(focus)
    if opd is not None:
        return opd.kode, opd.nama, "opd", opd.iri
    sop = data.sop_by_iri.get(focus)
    if sop is not None:
        return sop.kode, sop.nama, "sop", sop.opd
    # a step or pelaksana of an SOP: `…/sop/CODE/langkah/3`
    for marker in ("/langkah/", "/pelaksana/"):
        if marker in focus:
            parent = data.sop_by_iri.get(focus.split(marker)[0])
            if parent is not None:
                return (f"{parent.kode} {marker.strip('/')} {focus.rsplit('/', 1)[-1]}",
                        parent.nama, "sop", parent.opd)
    if focus == data.instansi.iri:
        return data.kode_wilayah, data.instansi.display_name, "instansi", ""
    return local_name(focus), "", "", ""


def build_findings(results: list[Any], data: ArchitectureData, repository: Repository,
                   lang: str) -> list[Finding]:
    """Turn engine results into report findings (sorted by severity, OPD, element)."""
    shape_texts = _shape_texts(repository, lang) if results else {}
    out: list[Finding] = []
    for result in results:
        focus = str(getattr(result, "focus_node", "") or "")
        path, path_label = _path_label(result, lang)
        shape = str(getattr(result, "source_shape", "") or "")
        component = local_name(str(getattr(result, "source_constraint_component", "") or ""))
        value_term = getattr(result, "value", None)
        kode, nama, kind, opd = _locate(data, focus)
        (kind_id, kind_en), (advice_id, advice_en) = _ADVICE.get(component, _GENERIC)
        texts = shape_texts.get(shape, {})
        purpose, source = split_description(texts.get("description", ""))
        if path_label.startswith("← ") and component == "MinCountConstraintComponent":
            # an inverse path: the missing link starts at another element
            advice_id = "Tambahkan tautan «{path}» dari elemen lain yang terkait ke elemen ini."
            advice_en = "Add a «{path}» link to this element from the related element."
        advice = (advice_en if lang == "en" else advice_id).replace(
            "{path}", path_label.removeprefix("← ") if path_label.startswith("← ")
            else path_label or translate("Atribut", lang).lower())
        if purpose and (component not in _ADVICE or component == "SPARQLConstraintComponent"):
            # a custom rule: its purpose says what the data must look like
            advice = f"{advice} {translate('Tujuan aturan', lang)}: {purpose}"
        if texts.get("name"):
            rule = texts["name"]
            rule_key = shape
        else:
            base = kind_en if lang == "en" else kind_id
            rule = f"{base} — {path_label}" if path_label else base
            rule_key = shape if shape.startswith(("http://", "https://")) else f"{component}|{path}"
        value = _value_text(data, str(value_term) if value_term is not None else "", focus,
                            lang)
        out.append(Finding(focus, kode, nama, kind, opd, path, path_label, value, shape,
                           rule_key, rule, purpose, source, component,
                           _severity(getattr(result, "severity", None)),
                           _readable(data, _message(result, lang), lang), advice))
    order = {s: i for i, s in enumerate(SEVERITIES)}
    out.sort(key=lambda f: (order.get(f.severity, 9), data.opd_short(f.opd), f.focus_kode,
                            f.rule))
    return out


def gather_findings(repository: Repository, data: ArchitectureData, lang: str) -> FindingSet:
    """The findings of a validation run now, over the data the document shows.

    Not the newest stored report: data loaded or edited after it (a bulk `load` leaves no
    audit record to tell) would make the document call fixed elements wrong next to tables
    that show them right. A full validation costs seconds, the documents minutes."""
    try:
        from spbe_arch.validation import validate
    except ImportError as exc:  # the validation feature is not installed in this tree
        if exc.name != "spbe_arch.validation":
            raise
        return FindingSet(False, problem="mesin validasi belum tersedia")
    if data.empty:
        return FindingSet(False, problem="belum ada data instansi untuk divalidasi")
    try:
        report = validate(repository, instansi=data.kode_wilayah, lang=lang)
        source = "run"
    except SpbeError as exc:  # e.g. no shapes loaded: say so in the document
        return FindingSet(False, problem=exc.message(lang))
    results = list(getattr(report, "results", []) or [])
    stamp = str(getattr(report, "stamp", "") or getattr(report, "created", "") or "")
    return FindingSet(True, build_findings(results, data, repository, lang), source, stamp)
