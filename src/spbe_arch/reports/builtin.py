"""The built-in reports: what each one reads and prepares for its template.

- `arsitektur` — Dokumen Arsitektur SPBE of an instansi
- `opd` — Profil OPD (needs an OPD code)
- `validasi` — Laporan Validasi (optionally one OPD)
- `kesesuaian-referensi` — Laporan Kesesuaian Referensi Arsitektur
- `register-sop` — Register SOP (optionally one OPD)

Every gather function reads through `ReportParams.architecture()` / `.findings()` (a fixed
number of queries, shared between reports rendered together) and prepares `Table`s,
`Matrix`es and `Diagram`s; the templates only lay them out.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from spbe_arch.errors import InputError
from spbe_arch.reports import diagrams
from spbe_arch.reports.findings import SEVERITIES, SEVERITY_LABELS, Finding, FindingSet
from spbe_arch.reports.i18n import format_date, format_number, share_percent, translate
from spbe_arch.reports.model import (
    DOMAINS,
    ArchitectureData,
    ClassificationCheck,
    Concept,
    Domain,
    Element,
    Opd,
    label_of,
)
from spbe_arch.reports.registry import ReportParams, ReportSpec, register_report
from spbe_arch.reports.tables import Cell, Matrix, Table, count_matrix, relation_matrix
from spbe_arch.repository import Repository

CHAPTER_TABLE_LIMIT = 100
"""A domain chapter lists its elements itself up to this many; beyond, it summarises per OPD
and the full list is only in the appendix (each element appears in one long table)."""
FINDINGS_IN_CHAPTER = 30
GAP_ROWS_IN_CHAPTER = 100
"""Rows of each gap list in the architecture document (the count is always complete)."""
"""Findings listed one by one in a chapter of the architecture document (all are counted;
the validation report has every one)."""
REGISTER_ABOVE = 500
"""Full lists longer than this are written as registers (one line per element) rather than
grids; see `Table.register_above`."""
HIERARCHY_MAX_NODES = 60
CHAIN_MAX_PER_COLUMN = 25


class _T:
    """Translation bound to one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, text: str) -> str:
        return translate(text, self.lang)

    def date(self, value: str) -> str:
        return format_date(value, self.lang)

    def number(self, value: int | float) -> str:
        return format_number(value, self.lang)

    def label(self, iri: str) -> str:
        return label_of(iri, self.lang) if iri else ""


def _ref_cell(data: ArchitectureData, element: Element) -> Cell | str:
    if not element.klasifikasi:
        return ""
    concept = data.concept(element.klasifikasi)
    if concept is None:
        return data.code_of(element.klasifikasi)
    return Cell(concept.code, concept.name)


def _opd_cell(data: ArchitectureData, iri: str) -> str:
    return data.opd_short(iri) if iri else ""


def _codes(data: ArchitectureData, iris_: Sequence[str]) -> str:
    return ", ".join(data.codes(iris_))


def _name_cell(element: Element) -> Cell:
    return Cell(element.nama, element.uraian)


# --- element tables --------------------------------------------------------------------------

def element_table(data: ArchitectureData, domain: Domain, elements: Sequence[Element], t: _T,
                  *, id: str, caption: str, full: bool, compact: bool = False) -> Table:
    """The list of a domain's elements. `full` adds the relation columns (appendix, profile);
    `compact` leaves out descriptions and reference names (one line per element, for the
    appendices of large instansi)."""
    kind = domain.kind
    ref = domain.prefix
    columns = [t("Kode"), t("Nama"), t("OPD"), f"{t('Kode referensi')} {ref}"]
    widths = [14, 34, 14, 16]
    getters: list[Callable[[Element], Any]] = []
    if kind == "proses-bisnis":
        columns += [t("Status")]
        widths += [10]
        getters = [lambda e: t.label(e.value("statusProses"))]
        if full:
            columns += [t("Merealisasikan layanan")]
            widths += [14]
            getters.append(lambda e: _codes(data, e.values("merealisasikan")))
    elif kind == "layanan":
        columns += [t("Metode layanan"), t("Target layanan")]
        widths += [10, 12]
        getters = [lambda e: t.label(e.value("metodeLayanan")),
                   lambda e: ", ".join(t.label(v) for v in e.values("targetLayanan"))]
        if full:
            realised = data.inverse("proses-bisnis", "merealisasikan")
            supported = data.inverse("aplikasi", "mendukungLayanan")
            columns += [t("Direalisasikan oleh proses"), t("Didukung aplikasi")]
            widths += [14, 12]
            getters += [lambda e: _codes(data, realised.get(e.iri, [])),
                        lambda e: _codes(data, supported.get(e.iri, []))]
    elif kind == "data":
        columns += [t("Sifat data"), t("Jenis data"), t("Validitas")]
        widths += [9, 10, 9]
        getters = [lambda e: t.label(e.value("sifatData")),
                   lambda e: t.label(e.value("jenisData")),
                   lambda e: e.value("validitasData")]
        if full:
            produced = data.inverse("proses-bisnis", "menghasilkanData")
            columns += [t("Dihasilkan oleh proses")]
            widths += [14]
            getters.append(lambda e: _codes(data, produced.get(e.iri, [])))
    elif kind == "aplikasi":
        columns += [t("Jenis aplikasi")]
        widths += [12]
        getters = [lambda e: t.label(e.value("jenisAplikasi"))]
        if full:
            columns += [t("Mendukung layanan"), t("Menggunakan data")]
            widths += [14, 14]
            getters += [lambda e: _codes(data, e.values("mendukungLayanan")),
                        lambda e: _codes(data, e.values("menggunakanData"))]
    elif kind == "infrastruktur":
        columns += [t("Jenis infrastruktur")]
        widths += [16]
        getters = [lambda e: t.label(e.value("jenisInfrastruktur"))]
    elif kind == "keamanan":
        columns += [t("Jenis keamanan")]
        widths += [16]
        getters = [lambda e: t.label(e.value("jenisKeamanan"))]
    table = Table(id, caption, columns, widths=widths, css=f"elements elements-{kind}",
                  empty=t("Belum ada elemen yang tercatat pada domain ini."))
    if compact:
        widths[0] += 4
        widths[3] -= 2
        widths[1] -= 2
        for element in elements:
            table.rows.append([element.kode, element.nama, _opd_cell(data, element.opd),
                               data.code_of(element.klasifikasi) if element.klasifikasi else "",
                               *[g(element) for g in getters]])
        table.css += " compact"
        table.register_above = REGISTER_ABOVE
        return table
    for element in elements:
        table.rows.append([element.kode, _name_cell(element), _opd_cell(data, element.opd),
                           _ref_cell(data, element), *[g(element) for g in getters]])
    return table


def _triples(data: ArchitectureData, kind: str) -> list[tuple[str, str, str]]:
    return [(e.iri, e.kode, e.nama) for e in data.elements.get(kind, [])]


def _opd_rows(data: ArchitectureData) -> list[tuple[str, str, str]]:
    rows = [(o.iri, o.short, o.nama) for o in data.opds]
    return rows


# --- the architecture document ----------------------------------------------------------------

def _reference_section(data: ArchitectureData, domain: Domain, t: _T, id: str) -> dict[str, Any]:
    elements = data.elements.get(domain.kind, [])
    used: Counter[str] = Counter(e.klasifikasi for e in elements if e.klasifikasi)
    scheme_name = ""
    provisional = False
    for known in data.concepts_by_prefix.get(domain.prefix, []):
        scheme_name = known.scheme_name
        provisional = known.provisional
        break
    table = Table(id, f"{t('Kode referensi yang dipakai')} ({domain.prefix})",
                  [t("Kode referensi"), t("Nama fungsi referensi"), t("Level"),
                   t("Jumlah elemen yang memakai")],
                  widths=[18, 52, 10, 20], numeric={2, 3}, css="reference-codes",
                  empty=t("Tidak ada"))
    for iri, count in sorted(used.items(), key=lambda item: data.code_of(item[0])):
        concept = data.concept(iri)
        if concept is None:
            table.rows.append([data.code_of(iri), t(ClassificationCheck.UNKNOWN), "",
                               t.number(count)])
        else:
            table.rows.append([concept.code, concept.name,
                               str(concept.level) if concept.level is not None else "",
                               t.number(count)])
    period = data.instansi.period
    return {
        "prefix": domain.prefix,
        "scheme_name": scheme_name,
        # a provisional list (RAA/RAI/RAK) must not read as the regulation's own codes
        "provisional": provisional,
        "loaded": data.reference_loaded(domain.prefix),
        "version": period.versi_nama if period else "",
        "codes": table,
    }


def _gaps(data: ArchitectureData, domain: Domain, findings: FindingSet, t: _T,
          prefix: str) -> dict[str, Any]:
    elements = data.elements.get(domain.kind, [])
    unclassified = Table(
        f"{prefix}-tanpa-klasifikasi", t("Elemen tanpa klasifikasi referensi yang sah"),
        [t("Kode"), t("Nama"), t("OPD"), t("Kode referensi"), t("Alasan")],
        widths=[16, 36, 14, 16, 18], css="gaps")
    without_opd = Table(f"{prefix}-tanpa-opd", t("Elemen tanpa OPD"),
                        [t("Kode"), t("Nama")], widths=[30, 70], css="gaps")
    for element in elements:
        problem = data.classification_problem(element)
        if problem is not None and problem != ClassificationCheck.NOT_LOADED:
            unclassified.rows.append([element.kode, element.nama,
                                      _opd_cell(data, element.opd),
                                      data.code_of(element.klasifikasi)
                                      if element.klasifikasi else "", t(problem)])
        if not element.opd or element.opd not in data.opd_by_iri:
            without_opd.rows.append([element.kode, element.nama])
    unlinked_label, unlinked = _unlinked(data, domain, t)
    unlinked_table = Table(f"{prefix}-tanpa-keterkaitan",
                           f"{t('Elemen tanpa keterkaitan')}: {unlinked_label}" if unlinked_label
                           else t("Elemen tanpa keterkaitan"),
                           [t("Kode"), t("Nama"), t("OPD")], widths=[20, 60, 20], css="gaps")
    for element in unlinked:
        unlinked_table.rows.append([element.kode, element.nama, _opd_cell(data, element.opd)])
    domain_findings = findings.of_kind(domain.kind) if findings.available else []
    totals = {}
    for table in (unclassified, without_opd, unlinked_table):
        totals[table.id] = len(table.rows)
        if len(table.rows) > GAP_ROWS_IN_CHAPTER:
            table.caption += (f" ({t('menampilkan')} {t.number(GAP_ROWS_IN_CHAPTER)}"
                              f" {t('dari')} {t.number(len(table.rows))})")
            del table.rows[GAP_ROWS_IN_CHAPTER:]
    return {
        "unclassified": unclassified,
        "without_opd": without_opd,
        "unlinked": unlinked_table if unlinked_label else None,
        "findings": _finding_summary(domain_findings, t, f"{prefix}-temuan"),
        "none": not (unclassified.rows or without_opd.rows or unlinked_table.rows
                     or domain_findings),
    }


def _unlinked(data: ArchitectureData, domain: Domain, t: _T) -> tuple[str, list[Element]]:
    """Elements missing the link their domain is about (Indonesian description, elements)."""
    elements = data.elements.get(domain.kind, [])
    if domain.kind == "proses-bisnis":
        # a process with sub-processes is realised through them
        children = data.children
        return (t("proses bisnis yang tidak merealisasikan layanan dan tidak menghasilkan data"),
                [e for e in elements if not e.values("merealisasikan")
                 and not e.values("menghasilkanData") and e.iri not in children])
    if domain.kind == "layanan":
        realised = data.inverse("proses-bisnis", "merealisasikan")
        return (t("layanan yang tidak direalisasikan proses bisnis mana pun"),
                [e for e in elements if e.iri not in realised])
    if domain.kind == "data":
        produced = data.inverse("proses-bisnis", "menghasilkanData")
        return (t("data yang tidak dihasilkan proses bisnis mana pun"),
                [e for e in elements if e.iri not in produced])
    if domain.kind == "aplikasi":
        return (t("aplikasi yang tidak mendukung layanan mana pun"),
                [e for e in elements if not e.values("mendukungLayanan")])
    return "", []


def _finding_summary(findings: Sequence[Finding], t: _T, id: str) -> dict[str, Any]:
    per_rule: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in findings:
        per_rule[(finding.rule, finding.severity)].append(finding)
    rules = Table(f"{id}-aturan", t("Temuan validasi pada domain ini"),
                  [t("Aturan"), t("Tingkat"), t("Jumlah"), t("Tindakan perbaikan")],
                  widths=[32, 12, 8, 48], numeric={2}, css="findings")
    for (rule, severity), items in sorted(per_rule.items(),
                                          key=lambda kv: (SEVERITIES.index(kv[0][1])
                                                          if kv[0][1] in SEVERITIES else 9,
                                                          -len(kv[1]))):
        rules.rows.append([rule, t(SEVERITY_LABELS.get(severity, severity)),
                           t.number(len(items)), items[0].advice])
    listed = findings[:FINDINGS_IN_CHAPTER]
    detail = Table(f"{id}-daftar", t("Temuan validasi"),
                   [t("Elemen"), t("Tingkat"), t("Pesan")], widths=[22, 12, 66], css="findings")
    for finding in listed:
        detail.rows.append([Cell(finding.focus_kode, finding.focus_nama),
                            t(SEVERITY_LABELS.get(finding.severity, finding.severity)),
                            finding.message])
    return {"count": len(findings), "rules": rules, "detail": detail,
            "omitted": max(0, len(findings) - len(listed))}


def _relations(data: ArchitectureData, domain: Domain, t: _T, prefix: str) -> list[Matrix]:
    kind = domain.kind
    processes = _triples(data, "proses-bisnis")
    services = _triples(data, "layanan")
    apps = _triples(data, "aplikasi")
    items = _triples(data, "data")
    out: list[Matrix] = []
    if kind == "proses-bisnis":
        out.append(_opd_sector_matrix(data, t, f"{prefix}-opd-sektor"))
        out.append(relation_matrix(
            f"{prefix}-proses-layanan", t("Matriks Proses Bisnis × Layanan"), processes,
            services, data.pairs("proses-bisnis", "merealisasikan"),
            row_header=t("Proses bisnis"), column_header=t("Layanan"),
            empty=t("Belum ada keterkaitan yang tercatat.")))
    elif kind == "layanan":
        out.append(relation_matrix(
            f"{prefix}-layanan-aplikasi", t("Matriks Layanan × Aplikasi"), services, apps,
            [(b, a) for a, b in data.pairs("aplikasi", "mendukungLayanan")],
            row_header=t("Layanan"), column_header=t("Aplikasi"),
            empty=t("Belum ada keterkaitan yang tercatat.")))
        out.append(relation_matrix(
            f"{prefix}-layanan-data", t("Matriks Layanan × Data"), services, items,
            data.pairs("layanan", "menggunakanData"), row_header=t("Layanan"),
            column_header=t("Data dan Informasi"),
            empty=t("Belum ada keterkaitan yang tercatat.")))
    elif kind == "data":
        out.append(relation_matrix(
            f"{prefix}-proses-data", t("Matriks Proses Bisnis × Data"), processes, items,
            data.pairs("proses-bisnis", "menghasilkanData"), row_header=t("Proses bisnis"),
            column_header=t("Data dan Informasi"),
            empty=t("Belum ada keterkaitan yang tercatat.")))
    elif kind == "aplikasi":
        out.append(relation_matrix(
            f"{prefix}-aplikasi-data", t("Matriks Aplikasi × Data"), apps, items,
            data.pairs("aplikasi", "menggunakanData"), row_header=t("Aplikasi"),
            column_header=t("Data dan Informasi"),
            empty=t("Belum ada keterkaitan yang tercatat.")))
    return out


def _opd_sector_matrix(data: ArchitectureData, t: _T, id: str) -> Matrix:
    sectors = [(c.iri, c.code, c.name) for c in data.concepts_by_prefix.get("RAB", [])
               if c.level == 1]
    none = ("", t("Tanpa sektor"), "")
    counts: dict[tuple[str, str], int] = Counter()
    for process in data.elements.get("proses-bisnis", []):
        sector = data.ancestor(process.klasifikasi, 1) if process.klasifikasi else None
        counts[(process.opd, sector.iri if sector else "")] += 1
    rows = [*_opd_rows(data), ("", t("Tanpa OPD"), "")]
    return count_matrix(id, t("Matriks OPD × Sektor RAB"), rows, [*sectors, none], counts,
                        row_header=t("OPD"), total_label=t("Total"), fmt=t.number)


def _per_opd_table(data: ArchitectureData, elements: Sequence[Element], t: _T, id: str,
                   caption: str) -> Table:
    counts = Counter(e.opd for e in elements)
    table = Table(id, caption, [t("OPD"), t("Nama"), t("Jumlah")], widths=[20, 65, 15],
                  numeric={2}, css="per-opd")
    for opd in data.opds:
        if counts.get(opd.iri):
            table.rows.append([opd.short, opd.nama, t.number(counts[opd.iri])])
    missing = sum(n for iri, n in counts.items() if iri not in data.opd_by_iri)
    if missing:
        table.rows.append(["", t("Tanpa OPD"), t.number(missing)])
    table.footer = ["", t("Total"), t.number(len(elements))]
    return table


def _process_nodes(data: ArchitectureData, iris_: Sequence[str]) -> list[diagrams.Node]:
    return [diagrams.Node(i, data.code_of(i), data.by_iri[i].nama if i in data.by_iri else "")
            for i in iris_]


def hierarchy_diagram(data: ArchitectureData, opd: Opd, t: _T) -> diagrams.Diagram | None:
    processes = [e for e in data.elements.get("proses-bisnis", []) if e.opd == opd.iri]
    if not processes:
        return None
    own = {e.iri for e in processes}
    roots = [e.iri for e in processes
             if not any(parent in own for parent in e.values("subProsesDari"))]
    if not roots:  # every process is inside a cycle: start anywhere rather than draw nothing
        roots = [processes[0].iri]

    def children(iri: str) -> list[diagrams.Node]:
        return _process_nodes(data, [c for c in data.children.get(iri, []) if c in own])

    return diagrams.process_hierarchy(
        f"{t('Hierarki proses bisnis')} {opd.nama}", _process_nodes(data, roots), children,
        max_nodes=HIERARCHY_MAX_NODES,
        more_label="… " + ("and {n} more processes" if t.lang == "en"
                           else "dan {n} proses lainnya"))


def chain_diagram(data: ArchitectureData, t: _T, opd: str | None = None) -> diagrams.Diagram:
    """Process -> layanan -> aplikasi -> data (for one OPD's processes, or the instansi)."""
    processes = [e for e in data.elements.get("proses-bisnis", [])
                 if (opd is None or e.opd == opd) and e.values("merealisasikan")]
    services = sorted({s for p in processes for s in p.values("merealisasikan")
                       if s in data.by_iri}, key=data.code_of)
    if opd is not None:
        services = sorted(set(services) | {e.iri for e in data.elements.get("layanan", [])
                                           if e.opd == opd}, key=data.code_of)
    service_set = set(services)
    links: list[tuple[str, str]] = [(p.iri, s) for p in processes
                                    for s in p.values("merealisasikan") if s in service_set]
    apps = [a for a in data.elements.get("aplikasi", [])
            if any(s in service_set for s in a.values("mendukungLayanan"))]
    links += [(s, a.iri) for a in apps for s in a.values("mendukungLayanan") if s in service_set]
    items = sorted({d for a in apps for d in a.values("menggunakanData") if d in data.by_iri},
                   key=data.code_of)
    links += [(a.iri, d) for a in apps for d in a.values("menggunakanData") if d in data.by_iri]

    def nodes(iris_: Sequence[str]) -> list[diagrams.Node]:
        return [diagrams.Node(i, data.code_of(i), data.by_iri[i].nama) for i in iris_]

    return diagrams.chain(
        t("Rantai Proses Bisnis – Layanan – Aplikasi – Data"),
        [("proses-bisnis", t("Proses Bisnis"), nodes([p.iri for p in processes])),
         ("layanan", t("Layanan"), nodes(services)),
         ("aplikasi", t("Aplikasi"), nodes([a.iri for a in apps])),
         ("data", t("Data dan Informasi"), nodes(items))],
        links, max_per_column=CHAIN_MAX_PER_COLUMN,
        more_label="… " + ("and {n} more" if t.lang == "en" else "dan {n} lainnya"))


def opd_table(data: ArchitectureData, t: _T, id: str) -> Table:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for kind, elements in data.elements.items():
        for element in elements:
            counts[element.opd][kind] += 1
    table = Table(id, t("Daftar Perangkat Daerah"),
                  [t("Kode"), t("Nama"), t("Singkatan"), t("Jenis OPD"), t("Induk"),
                   t("Proses Bisnis"), t("Layanan"), t("Aplikasi")],
                  widths=[13, 30, 12, 12, 9, 8, 8, 8], numeric={5, 6, 7}, css="opd-list",
                  empty=t("Belum ada perangkat daerah yang tercatat."))
    for opd in data.opds:
        table.rows.append([opd.kode, opd.nama, opd.singkatan, t.label(opd.jenis),
                           data.opd_short(opd.induk) if opd.induk else "",
                           t.number(counts[opd.iri]["proses-bisnis"]),
                           t.number(counts[opd.iri]["layanan"]),
                           t.number(counts[opd.iri]["aplikasi"])])
    return table


def _metadata_rows(data: ArchitectureData, t: _T) -> list[tuple[str, str]]:
    period = data.instansi.period
    missing = t("belum tercatat")
    rows = [
        (t("Instansi"), data.instansi.display_name),
        (t("Kode wilayah"), data.kode_wilayah),
        (t("Periode arsitektur"), period.years if period else missing),
        (t("Status dokumen"), (t.label(period.status) if period and period.status else missing)),
        (t("Regulasi penetapan"), (period.nomor_regulasi if period and period.nomor_regulasi
                                   else missing)),
    ]
    if period and period.tanggal_regulasi:
        rows.append((t("Tanggal regulasi"), t.date(period.tanggal_regulasi)))
    if period and period.tanggal_reviu:
        rows.append((t("Tanggal reviu"), t.date(period.tanggal_reviu)))
    rows.append((t("Versi referensi"), (period.versi_nama if period and period.versi_nama
                                        else missing)))
    return rows


def _summary_table(data: ArchitectureData, findings: FindingSet, t: _T) -> Table:
    table = Table("ringkasan-domain", t("Ringkasan Isi Repositori"),
                  [t("Domain"), t("Referensi"), t("Jumlah elemen"), t("Terklasifikasi"),
                   t("Temuan validasi")],
                  widths=[34, 14, 16, 18, 18], numeric={2, 3, 4}, css="summary")
    for domain in DOMAINS:
        elements = data.elements.get(domain.kind, [])
        valid = sum(1 for e in elements if data.classification_problem(e) is None)
        table.rows.append([
            t(domain.short), domain.prefix, t.number(len(elements)),
            t.number(valid) if data.reference_loaded(domain.prefix) else "–",
            t.number(len(findings.of_kind(domain.kind))) if findings.available else "–",
        ])
    table.rows.append([t("SOP"), "", t.number(len(data.sops)), "",
                       t.number(len(findings.of_kind("sop"))) if findings.available else "–"])
    if findings.available:
        # findings on OPDs and on the instansi itself, so the column adds up to the total
        # of the validation report
        table.rows.append([t("Perangkat Daerah"), "", t.number(len(data.opds)), "",
                           t.number(len(findings.of_kind("opd")))])
        listed = {d.kind for d in DOMAINS} | {"sop", "opd"}
        others = [f for f in findings.findings if f.focus_kind not in listed]
        if others:
            table.rows.append([t("Instansi dan lainnya"), "", "", "", t.number(len(others))])
        table.footer = [t("Total"), "", "", "", t.number(len(findings.findings))]
    return table


def gather_arsitektur(repository: Repository, params: ReportParams) -> dict[str, Any]:
    data = params.architecture(repository)
    findings = params.findings(repository)
    t = _T(params.lang)
    chapters = []
    for index, domain in enumerate(DOMAINS):
        prefix = f"bab-{domain.kind}"
        elements = data.elements.get(domain.kind, [])
        in_chapter = len(elements) <= CHAPTER_TABLE_LIMIT
        chapters.append({
            "domain": domain,
            "appendix_index": index + 1,  # appendix B.. after the OPD list (A)
            "count": len(elements),
            "reference": _reference_section(data, domain, t, f"{prefix}-referensi"),
            "per_opd": _per_opd_table(data, elements, t, f"{prefix}-per-opd",
                                      f"{t('Jumlah per OPD')}: {t(domain.short)}"),
            "table": element_table(data, domain, elements, t, id=f"{prefix}-elemen",
                                   caption=t(domain.short), full=False) if in_chapter else None,
            "relations": _relations(data, domain, t, prefix),
            "gaps": _gaps(data, domain, findings, t, prefix),
        })
    appendices = [
        {"domain": d, "table": element_table(
            data, d, data.elements.get(d.kind, []), t, id=f"lampiran-{d.kind}",
            caption=t(d.list_title), full=True, compact=True)}
        for d in DOMAINS
    ]
    hierarchies = []
    for opd in data.opds:
        diagram = hierarchy_diagram(data, opd, t)
        if diagram is not None:
            hierarchies.append({"opd": opd, "diagram": diagram})
    chain = chain_diagram(data, t)
    return {
        "data": data,
        "findings": findings,
        "metadata": _metadata_rows(data, t),
        "missing": [t(m) for m in data.missing()],
        "summary": _summary_table(data, findings, t),
        "chapters": chapters,
        "appendices": appendices,
        "opd_table": opd_table(data, t, "lampiran-opd"),
        "hierarchies": hierarchies,
        "chain": chain if not chain.empty and any(b.kind != "more" for b in chain.boxes)
        else None,
        "chapter_limit": CHAPTER_TABLE_LIMIT,
    }


# --- Profil OPD ----------------------------------------------------------------------------------

def find_opd(data: ArchitectureData, code: str | None) -> Opd | None:
    if not code:
        return None
    for opd in data.opds:
        if code in (opd.kode, opd.singkatan, opd.iri):
            return opd
    lowered = code.lower()
    for opd in data.opds:
        if lowered in (opd.kode.lower(), opd.singkatan.lower()):
            return opd
    return None


def _require_opd(data: ArchitectureData, params: ReportParams) -> Opd | None:
    if not params.opd:
        return None
    opd = find_opd(data, params.opd)
    if opd is None and data.opds:
        codes = ", ".join(o.kode for o in data.opds[:40])
        raise InputError(
            f"OPD dengan kode '{params.opd}' tidak ada di instansi {data.kode_wilayah};"
            f" kode yang ada: {codes}",
            f"no OPD with code '{params.opd}' in instansi {data.kode_wilayah};"
            f" known codes: {codes}",
        )
    return opd


def findings_table(findings: Sequence[Finding], t: _T, id: str, caption: str,
                   *, with_opd: bool = False, data: ArchitectureData | None = None) -> Table:
    columns = [t("Elemen"), t("Tingkat"), t("Atribut"), t("Pesan"), t("Tindakan perbaikan")]
    widths = [18, 10, 12, 30, 30]
    if with_opd:
        columns.insert(0, t("OPD"))
        widths = [9, 16, 9, 11, 27, 28]
    table = Table(id, caption, columns, widths=widths, css="findings",
                  empty=t("Tidak ada temuan validasi. Data memenuhi semua aturan arsitektur."))
    for finding in findings:
        element = Cell(finding.focus_kode, finding.focus_nama)
        # "attribute = value", or the value alone when the rule has no attribute (a whole-
        # instansi rule such as "every domain has elements" names the domain as its value)
        attribute = " = ".join(part for part in (finding.path_label, finding.value) if part)
        row: list[Any] = [element, t(SEVERITY_LABELS.get(finding.severity, finding.severity)),
                          attribute, finding.message, finding.advice]
        if with_opd:
            row.insert(0, data.opd_short(finding.opd) if data and finding.opd
                       else t("Tanpa OPD terkait"))
        table.rows.append(row)
    return table


def sop_table(data: ArchitectureData, sops: Sequence[Any], t: _T, id: str, caption: str) -> Table:
    table = Table(id, caption,
                  [t("Kode"), t("Nama"), t("Proses bisnis"), t("Nomor SOP"),
                   t("Tanggal efektif"), t("Status")],
                  widths=[14, 32, 16, 16, 12, 10], css="sops",
                  empty=t("Belum ada SOP yang tercatat."))
    for sop in sops:
        table.rows.append([sop.kode, sop.nama, data.code_of(sop.proses) if sop.proses else "",
                           sop.nomor, t.date(sop.tanggal_efektif),
                           t.label(sop.status) if sop.status else t("belum tercatat")])
    return table


def gather_opd(repository: Repository, params: ReportParams) -> dict[str, Any]:
    data = params.architecture(repository)
    t = _T(params.lang)
    if not params.opd:
        raise InputError("laporan 'opd' memerlukan kode OPD (--opd KODE)",
                         "report 'opd' needs an OPD code (--opd CODE)")
    opd = _require_opd(data, params)
    findings = params.findings(repository)
    title = f"{t('Profil OPD')} {opd.nama if opd else params.opd}"
    if opd is None:
        return {"title": title, "data": data, "opd": None, "code": params.opd,
                "findings": findings, "missing": [t(m) for m in data.missing()]}
    owned = data.owned_by(opd.iri)
    sections = []
    for domain in DOMAINS:
        sections.append({"domain": domain, "table": element_table(
            data, domain, owned.get(domain.kind, []), t, id=f"opd-{domain.kind}",
            caption=t(domain.short), full=True)})
    sops = [s for s in data.sops if s.opd == opd.iri]
    processes = owned.get("proses-bisnis", [])
    with_sop = {s.proses for s in data.sops}
    without_sop = Table("opd-tanpa-sop", t("Proses bisnis tanpa SOP"),
                        [t("Kode"), t("Nama")], widths=[30, 70], css="gaps",
                        empty=t("Tidak ada"))
    for process in processes:
        # a process with sub-processes is covered by its sub-processes' SOPs
        if process.iri not in with_sop and process.iri not in data.children:
            without_sop.rows.append([process.kode, process.nama])
    status = Counter("Ditetapkan" if s.ditetapkan else "Draft" if s.status else "belum tercatat"
                     for s in sops)
    own_findings = findings.of_opd(opd.iri) if findings.available else []
    chain = chain_diagram(data, t, opd.iri)
    return {
        "title": title,
        "data": data,
        "opd": opd,
        "code": params.opd,
        "parent": data.opd_by_iri.get(opd.induk),
        "units": [o for o in data.opds if o.induk == opd.iri],
        "sections": sections,
        "counts": {d.kind: len(owned.get(d.kind, [])) for d in DOMAINS},
        "sops": sop_table(data, sops, t, "opd-sop", t("SOP")),
        "sop_status": [(t(k), t.number(v)) for k, v in sorted(status.items())],
        "without_sop": without_sop,
        "findings": findings,
        "findings_table": findings_table(own_findings, t, "opd-temuan", t("Temuan")),
        "severity_counts": Counter(f.severity for f in own_findings),
        "hierarchy": hierarchy_diagram(data, opd, t),
        "chain": chain if any(b.kind != "more" for b in chain.boxes) else None,
        "missing": [t(m) for m in data.missing()],
    }


# --- Laporan Validasi ----------------------------------------------------------------------------

def gather_validasi(repository: Repository, params: ReportParams) -> dict[str, Any]:
    data = params.architecture(repository)
    t = _T(params.lang)
    opd = _require_opd(data, params)
    findings = params.findings(repository)
    items = findings.findings if findings.available else []
    if params.opd:
        items = [f for f in items if opd is not None and f.opd == opd.iri]
    severity_counts = Counter(f.severity for f in items)
    severity_table = Table("validasi-tingkat", t("Ringkasan Temuan"),
                           [t("Tingkat"), t("Jumlah")], widths=[70, 30], numeric={1},
                           css="summary")
    for severity in SEVERITIES:
        severity_table.rows.append([t(SEVERITY_LABELS[severity]),
                                    t.number(severity_counts.get(severity, 0))])
    severity_table.footer = [t("Total"), t.number(len(items))]

    by_opd: dict[str, list[Finding]] = defaultdict(list)
    for finding in items:
        by_opd[finding.opd if finding.opd in data.opd_by_iri else ""].append(finding)
    opd_table_ = Table("validasi-per-opd", t("Temuan per OPD"),
                       [t("OPD"), t("Nama"), *[t(SEVERITY_LABELS[s]) for s in SEVERITIES],
                        t("Total")],
                       widths=[14, 42, 11, 11, 11, 11], numeric={2, 3, 4, 5}, css="summary",
                       empty=t("Tidak ada"))
    groups = []
    ordered = [o for o in data.opds if o.iri in by_opd]
    for opd_ in ordered:
        counts = Counter(f.severity for f in by_opd[opd_.iri])
        opd_table_.rows.append([opd_.short, opd_.nama, *[t.number(counts.get(s, 0))
                                                         for s in SEVERITIES],
                                t.number(len(by_opd[opd_.iri]))])
        groups.append({"title": f"{opd_.short} — {opd_.nama}", "table": findings_table(
            by_opd[opd_.iri], t, f"validasi-opd-{opd_.kode}", f"{t('Temuan')}: {opd_.nama}")})
    if by_opd.get(""):
        counts = Counter(f.severity for f in by_opd[""])
        opd_table_.rows.append(["", t("Tanpa OPD terkait"),
                                *[t.number(counts.get(s, 0)) for s in SEVERITIES],
                                t.number(len(by_opd[""]))])
        groups.append({"title": t("Tanpa OPD terkait"), "table": findings_table(
            by_opd[""], t, "validasi-opd-lainnya", t("Tanpa OPD terkait"))})

    per_rule: dict[str, list[Finding]] = defaultdict(list)
    for finding in items:
        per_rule[finding.rule_key].append(finding)
    rule_table = Table("validasi-per-aturan", t("Temuan per Aturan"),
                       [t("Aturan"), t("Tingkat"), t("Jumlah"), t("Tindakan perbaikan")],
                       widths=[34, 12, 9, 45], numeric={2}, css="findings",
                       empty=t("Tidak ada"))
    rule_rows = sorted(per_rule.values(),
                       key=lambda fs: (SEVERITIES.index(fs[0].severity)
                                       if fs[0].severity in SEVERITIES else 9, -len(fs),
                                       fs[0].rule))
    for group in rule_rows:
        source = f"{t('Sumber')}: {group[0].rule_source}" if group[0].rule_source else ""
        rule_table.rows.append([Cell(group[0].rule, source),
                                t(SEVERITY_LABELS.get(group[0].severity, group[0].severity)),
                                t.number(len(group)), group[0].advice])
    return {
        "data": data,
        "findings": findings,
        "opd": opd,
        "count": len(items),
        "severity_table": severity_table,
        "opd_table": opd_table_,
        "rule_table": rule_table,
        "groups": groups,
        "missing": [t(m) for m in data.missing()],
    }


# --- Kesesuaian referensi -------------------------------------------------------------------------

def _coverage(data: ArchitectureData, prefix: str, kind: str, group_level: int, t: _T,
              id: str) -> dict[str, Any]:
    concepts = [c for c in data.concepts_by_prefix.get(prefix, []) if c.level == 3]
    elements = [e for e in data.elements.get(kind, [])
                if data.classification_problem(e) is None]
    users: dict[str, list[Element]] = defaultdict(list)
    for element in elements:
        users[element.klasifikasi].append(element)
    groups: dict[str, list[Concept]] = defaultdict(list)
    group_concepts: dict[str, Concept | None] = {}
    for concept in concepts:
        group = data.ancestor(concept.iri, group_level)
        key = group.iri if group else ""
        groups[key].append(concept)
        group_concepts[key] = group
    summary = Table(f"{id}-ringkasan",
                    f"{t('Cakupan Fungsi ' + prefix + ' Level 3')}",
                    [t("Sektor/area"), t("Fungsi"), t("Tercakup"), t("Persentase")],
                    widths=[55, 15, 15, 15], numeric={1, 2, 3}, css="summary coverage",
                    empty=t(f"Referensi {prefix} belum dimuat di repositori; cakupan tidak dapat"
                            " dihitung."))
    covered_table = Table(f"{id}-tercakup", t("Fungsi yang Tercakup"),
                          [t("Kode"), t("Nama fungsi referensi"), t("Jumlah"), t("OPD")],
                          widths=[16, 44, 10, 30], numeric={2}, css="coverage",
                          empty=t("Tidak ada"))
    uncovered_table = Table(f"{id}-belum", t("Fungsi yang Belum Tercakup"),
                            [t("Sektor/area"), t("Kode"), t("Nama fungsi referensi")],
                            widths=[30, 18, 52], css="coverage", empty=t("Tidak ada"))
    total_functions = total_covered = 0

    def group_sort(key: str) -> str:
        concept = group_concepts.get(key)
        return concept.code if concept else "~"

    for key in sorted(groups, key=group_sort):
        group = group_concepts.get(key)
        label = Cell(group.code, group.name) if group else Cell(t("Tanpa sektor"))
        members = groups[key]
        covered = [c for c in members if users.get(c.iri)]
        total_functions += len(members)
        total_covered += len(covered)
        summary.rows.append([label, t.number(len(members)), t.number(len(covered)),
                             f"{t.number(share_percent(len(covered), len(members)))}%"])
        for concept in covered:
            owners = sorted({data.opd_short(e.opd) for e in users[concept.iri] if e.opd})
            covered_table.rows.append([concept.code, concept.name,
                                       t.number(len(users[concept.iri])), ", ".join(owners)])
        for concept in members:
            if not users.get(concept.iri):
                uncovered_table.rows.append([group.code if group else "", concept.code,
                                             concept.name])
    if summary.rows:
        percent = share_percent(total_covered, total_functions)
        summary.footer = [t("Total"), t.number(total_functions), t.number(total_covered),
                          f"{t.number(percent)}%"]
    invalid = Table(
        f"{id}-tidak-sah",
        t("Proses Bisnis tanpa Kode RAB yang Sah") if kind == "proses-bisnis"
        else t("Layanan tanpa Kode RAL yang Sah"),
        [t("Kode"), t("Nama"), t("OPD"), t("Kode referensi"), t("Alasan")],
        widths=[16, 36, 14, 16, 18], css="gaps",
        empty=t("Semua proses bisnis memiliki kode RAB yang sah.") if kind == "proses-bisnis"
        else t("Semua layanan memiliki kode RAL yang sah."))
    for element in data.elements.get(kind, []):
        problem = data.classification_problem(element)
        if problem is not None:
            invalid.rows.append([element.kode, element.nama, _opd_cell(data, element.opd),
                                 data.code_of(element.klasifikasi) if element.klasifikasi
                                 else "", t(problem)])
    return {"prefix": prefix, "loaded": bool(concepts), "summary": summary,
            "covered": covered_table, "uncovered": uncovered_table, "invalid": invalid,
            "functions": total_functions, "covered_count": total_covered,
            "elements": len(data.elements.get(kind, []))}


def gather_kesesuaian(repository: Repository, params: ReportParams) -> dict[str, Any]:
    data = params.architecture(repository)
    t = _T(params.lang)
    period = data.instansi.period
    return {
        "data": data,
        "rab": _coverage(data, "RAB", "proses-bisnis", 1, t, "rab"),
        "ral": _coverage(data, "RAL", "layanan", 2, t, "ral"),
        "version": period.versi_nama if period else "",
        "missing": [t(m) for m in data.missing()],
    }


# --- Register SOP --------------------------------------------------------------------------------

def gather_register_sop(repository: Repository, params: ReportParams) -> dict[str, Any]:
    data = params.architecture(repository)
    t = _T(params.lang)
    opd = _require_opd(data, params)
    sops = [s for s in data.sops if opd is None or s.opd == opd.iri]
    if params.opd and opd is None:
        sops = []
    by_opd: dict[str, list[Any]] = defaultdict(list)
    for sop in sops:
        by_opd[sop.opd if sop.opd in data.opd_by_iri else ""].append(sop)
    with_sop = {s.proses for s in data.sops}
    summary = Table("sop-ringkasan", t("Ringkasan Status SOP"),
                    [t("OPD"), t("Nama"), t("Ditetapkan"), t("Draf"), t("Tanpa status"),
                     t("Total"), t("Proses bisnis tanpa SOP")],
                    widths=[12, 36, 10, 10, 10, 10, 12], numeric={2, 3, 4, 5, 6},
                    css="summary", empty=t("Belum ada SOP yang tercatat."))
    groups = []
    totals: Counter[str] = Counter()
    scope = [opd] if opd is not None else data.opds
    for opd_ in scope:
        items = by_opd.get(opd_.iri, [])
        processes = [e for e in data.elements.get("proses-bisnis", []) if e.opd == opd_.iri]
        missing_sop = sum(1 for p in processes
                          if p.iri not in with_sop and p.iri not in data.children)
        if not items and not missing_sop:
            continue
        status = Counter("Ditetapkan" if s.ditetapkan else "Draft" if s.status else "-"
                         for s in items)
        totals.update(status)
        totals["total"] += len(items)
        totals["missing"] += missing_sop
        summary.rows.append([opd_.short, opd_.nama, t.number(status["Ditetapkan"]),
                             t.number(status["Draft"]), t.number(status["-"]),
                             t.number(len(items)), t.number(missing_sop)])
        if items:
            groups.append({"title": f"{opd_.short} — {opd_.nama}",
                           "table": sop_table(data, items, t, f"sop-{opd_.kode}",
                                              f"SOP {opd_.nama}")})
    if by_opd.get("") and opd is None:
        items = by_opd[""]
        groups.append({"title": t("Tanpa OPD"),
                       "table": sop_table(data, items, t, "sop-tanpa-opd", t("Tanpa OPD"))})
        status = Counter("Ditetapkan" if s.ditetapkan else "Draft" if s.status else "-"
                         for s in items)
        totals.update(status)
        totals["total"] += len(items)
        summary.rows.append(["", t("Tanpa OPD"), t.number(status["Ditetapkan"]),
                             t.number(status["Draft"]), t.number(status["-"]),
                             t.number(len(items)), ""])
    if summary.rows:
        summary.footer = ["", t("Total"), t.number(totals["Ditetapkan"]),
                          t.number(totals["Draft"]), t.number(totals["-"]),
                          t.number(totals["total"]), t.number(totals["missing"])]
    return {"data": data, "opd": opd, "count": len(sops), "summary": summary,
            "groups": groups, "missing": [t(m) for m in data.missing()]}


# --- registration --------------------------------------------------------------------------------

register_report(ReportSpec(
    "arsitektur", "Dokumen Arsitektur SPBE", "SPBE Architecture Document", gather_arsitektur,
    "arsitektur.html.j2",
    "Dokumen Arsitektur SPBE instansi: enam domain, keterkaitan, kesenjangan, lampiran.",
    "The instansi's SPBE architecture document: six domains, relations, gaps, appendices."))
register_report(ReportSpec(
    "opd", "Profil OPD", "OPD Profile", gather_opd, "opd.html.j2",
    "Semua yang dimiliki dan dijalankan satu OPD, status SOP dan temuannya.",
    "Everything one OPD owns and runs, with SOP status and findings.", opd="required"))
register_report(ReportSpec(
    "validasi", "Laporan Validasi Arsitektur", "Architecture Validation Report",
    gather_validasi, "validasi.html.j2",
    "Temuan validasi per OPD dan per aturan, jumlah per tingkat, dan tindakan perbaikan.",
    "Validation findings per OPD and per rule, counts by severity, and what to do.",
    opd="optional"))
register_report(ReportSpec(
    "kesesuaian-referensi", "Laporan Kesesuaian Referensi Arsitektur",
    "Reference Architecture Conformance Report", gather_kesesuaian,
    "kesesuaian-referensi.html.j2",
    "Fungsi RAB dan RAL level 3 yang tercakup per sektor; elemen tanpa kode yang sah.",
    "RAB and RAL level-3 functions covered per sector; elements without a valid code."))
register_report(ReportSpec(
    "register-sop", "Register SOP", "SOP Register", gather_register_sop, "register-sop.html.j2",
    "SOP per OPD dengan status, nomor dan tanggal efektif.",
    "SOPs per OPD with status, number and effective date.", opd="optional"))
