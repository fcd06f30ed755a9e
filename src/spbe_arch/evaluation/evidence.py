"""Evidence computed from the repository: a *suggested* level per indicator, with reasons.

These are never official scores. Each suggestion follows the level criteria of the
framework (indicator 11 and 14 criteria, capability-level gists) through local rules of
thumb that are written out in the reasons and in docs/evaluation.md, so an assessor can
check and overrule them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from rdflib.term import Literal, Node, URIRef

from spbe_arch import iris
from spbe_arch.evaluation.framework import Framework, as_int, sparql
from spbe_arch.repository import Repository
from spbe_arch.vocab import SPBE

DOMAIN_CLASSES: dict[URIRef, tuple[str, str]] = {
    SPBE.ProsesBisnis: ("Proses Bisnis", "Business process"),
    SPBE.Layanan: ("Layanan", "Services"),
    SPBE.DataInformasi: ("Data dan Informasi", "Data and information"),
    SPBE.Aplikasi: ("Aplikasi", "Applications"),
    SPBE.Infrastruktur: ("Infrastruktur", "Infrastructure"),
    SPBE.Keamanan: ("Keamanan", "Security"),
}
#: classes whose national reference (RAB/RAL/RAD) is verified; RAA/RAI/RAK are provisional
VERIFIED_REFERENCE_CLASSES = (SPBE.ProsesBisnis, SPBE.Layanan, SPBE.DataInformasi)
SOP_SHARE_FOR_LEVEL_3 = Decimal(50)
APLIKASI_SHARE_FOR_LEVEL_4 = Decimal(75)
METODE_LEVEL = {SPBE.TatapMuka: 1, SPBE.Hybrid: 2, SPBE.Elektronik: 3}
METODE_NAME = {SPBE.TatapMuka: "tatap muka", SPBE.Hybrid: "hybrid", SPBE.Elektronik: "elektronik"}
METODE_NAME_EN = {SPBE.TatapMuka: "face-to-face", SPBE.Hybrid: "hybrid",
                  SPBE.Elektronik: "electronic"}
NOTE = ("saran dari isi repositori dengan aturan praktis lokal, bukan nilai resmi",
        "suggested from the repository by local rules of thumb, not an official score")


@dataclass
class Suggestion:
    number: int
    level: int | None
    reasons: list[str] = field(default_factory=list)
    reasons_en: list[str] = field(default_factory=list)
    facts: dict[str, object] = field(default_factory=dict)

    def add(self, text_id: str, text_en: str) -> None:
        self.reasons.append(text_id)
        self.reasons_en.append(text_en)

    def to_json(self) -> dict[str, object]:
        return {"indicator": self.number, "suggested_level": self.level,
                "reasons": self.reasons, "reasons_en": self.reasons_en, "facts": self.facts,
                "note": NOTE[0], "note_en": NOTE[1]}


def _percent(part: int, whole: int) -> Decimal:
    """The share for display, one decimal; never 100.0 while something is missing nor 0.0
    while something is there (1,999 of 2,000 is 99.9 %, not 100 %). Decisions compare the
    counts themselves (`_at_least`), not this rounded figure."""
    if not whole:
        return Decimal(0)
    share = (Decimal(part * 100) / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    if part < whole:
        share = min(share, Decimal("99.9"))
    if part > 0:
        share = max(share, Decimal("0.1"))
    return share


def _at_least(part: int, whole: int, percent: Decimal) -> bool:
    """part / whole ≥ percent %, exactly."""
    return bool(whole) and Decimal(part * 100) >= percent * whole


def _count(number: int, lang: str = "id") -> str:
    """A count with thousands separated (`3.000`; English `3,000`)."""
    text = f"{number:,}"
    return text if lang == "en" else text.replace(",", ".")


def _share_id(share: Decimal) -> str:
    """A percentage the Indonesian way (`99,7`); reasons are read by people, not parsed."""
    return str(share).replace(".", ",")


def _is(node: Node | None, value: URIRef) -> bool:
    return node is not None and node == value


def suggest_arsitektur(repository: Repository, kode_wilayah: str, number: int = 11) -> Suggestion:
    """Indicator 11 (Arsitektur SPBE): domains present, reference conformance, status, review."""
    instansi = {"instansi": iris.instansi_iri(kode_wilayah)}
    suggestion = Suggestion(number, None)
    periods = repository.select(sparql("period"), instansi).rows
    period = periods[0] if periods else {}
    version = period.get("version")
    per_class: Counter[URIRef] = Counter()
    classified: Counter[URIRef] = Counter()
    seen: set[Node] = set()
    valid_elements: set[Node] = set()
    for row in repository.select(sparql("domain-elements"), instansi):
        element, cls = row["element"], row["class"]
        assert isinstance(cls, URIRef)
        if element not in seen:
            seen.add(element)
            per_class[cls] += 1
        in_force = row.get("version") is not None and (version is None
                                                       or row.get("version") == version)
        if in_force and element not in valid_elements:
            valid_elements.add(element)
            classified[cls] += 1
    present = [c for c in DOMAIN_CLASSES if per_class[c]]
    missing = [c for c in DOMAIN_CLASSES if not per_class[c]]
    total_ref = sum(per_class[c] for c in VERIFIED_REFERENCE_CLASSES)
    valid_ref = sum(classified[c] for c in VERIFIED_REFERENCE_CLASSES)
    share = _percent(valid_ref, total_ref)
    ditetapkan = _is(period.get("status"), SPBE.Ditetapkan)
    reviewed = period.get("review_date") is not None
    suggestion.facts = {
        "domains_present": [DOMAIN_CLASSES[c][0] for c in present],
        "domains_missing": [DOMAIN_CLASSES[c][0] for c in missing],
        "elements_per_domain": {DOMAIN_CLASSES[c][0]: per_class[c] for c in DOMAIN_CLASSES},
        "classified_share_percent": float(share),
        "ditetapkan": ditetapkan, "reviewed": reviewed,
        "regulation": str(period.get("regulation", "")),
    }
    if not present:
        suggestion.add("repositori belum memuat elemen arsitektur di domain mana pun",
                       "the repository holds no architecture element in any domain")
        return suggestion
    suggestion.add(
        f"domain berisi elemen: {len(present)} dari 6"
        + (f" (belum ada: {', '.join(DOMAIN_CLASSES[c][0] for c in missing)})" if missing else ""),
        f"domains with elements: {len(present)} of 6"
        + (f" (none yet: {', '.join(DOMAIN_CLASSES[c][1] for c in missing)})" if missing else ""))
    suggestion.add(
        f"{_share_id(share)}% proses bisnis, layanan dan data berklasifikasi kode referensi"
        " nasional yang berlaku",
        f"{share}% of processes, services and data carry a valid national code")
    if not ditetapkan:
        suggestion.level = 1
        suggestion.add("arsitektur belum ditetapkan (masih draf): tingkat 1 (konsep/rancangan)",
                       "the architecture is not set by regulation (draft): level 1 (concept)")
        return suggestion
    regulation = period.get("regulation")
    suggestion.add(f"arsitektur ditetapkan ({regulation or 'tanpa nomor'})",
                   f"the architecture is set by regulation ({regulation or 'no number'})")
    if missing:
        suggestion.level = 2
        suggestion.add("dokumen formal baru mencakup sebagian domain: tingkat 2",
                       "the formal document covers only some domains: level 2")
        return suggestion
    suggestion.level = 3
    suggestion.add("keenam domain terisi: tingkat 3", "all six domains are filled: level 3")
    if valid_ref == total_ref and reviewed:
        suggestion.level = 4
        suggestion.add("seluruh elemen selaras referensi nasional dan reviu tercatat: tingkat 4",
                       "every element conforms to the national reference and a review is"
                       " recorded: level 4")
    elif valid_ref < total_ref:
        suggestion.add("tingkat 4 memerlukan seluruh elemen berklasifikasi kode yang berlaku",
                       "level 4 needs every element classified by a valid code")
    else:
        suggestion.add("tingkat 4 memerlukan reviu berkala yang tercatat (tanggal reviu)",
                       "level 4 needs a recorded periodic review (review date)")
    suggestion.add("tingkat 5 memerlukan bukti pemutakhiran setelah reviu, di luar repositori",
                   "level 5 needs evidence of an update after review, outside the repository")
    return suggestion


def suggest_proses_bisnis(repository: Repository, kode_wilayah: str,
                          number: int = 14) -> Suggestion:
    """Indicator 14 (Inovasi Proses Bisnis): peta proses levels, SOP and aplikasi support."""
    instansi = {"instansi": iris.instansi_iri(kode_wilayah)}
    suggestion = Suggestion(number, None)
    processes: dict[Node, Node | None] = {}
    for row in repository.select(sparql("processes"), instansi):
        processes[row["process"]] = row.get("level")
    with_sop = {row["process"] for row in repository.select(sparql("sops"), instansi)
                if row.get("process") in processes}
    with_app = {row["process"] for row in repository.select(sparql("processes-with-aplikasi"),
                                                              instansi)}
    levels = sorted({as_int(v) for v in processes.values() if isinstance(v, Literal)})
    sop_share = _percent(len(with_sop), len(processes))
    app_share = _percent(len(with_app), len(processes))
    suggestion.facts = {"processes": len(processes), "peta_proses_levels": levels,
                        "sop_share_percent": float(sop_share),
                        "aplikasi_share_percent": float(app_share)}
    if not processes:
        suggestion.add("belum ada proses bisnis di repositori", "no business process yet")
        return suggestion
    suggestion.add(f"{_count(len(processes))} proses bisnis; level peta proses: "
                   f"{', '.join(map(str, levels)) or '-'}",
                   f"{_count(len(processes), 'en')} processes; process-map levels: "
                   f"{', '.join(map(str, levels)) or '-'}")
    suggestion.add(f"{_share_id(sop_share)}% proses memiliki SOP",
                   f"{sop_share}% of processes have an SOP")
    suggestion.add(f"{_share_id(app_share)}% proses didukung aplikasi"
                   " (lewat layanan yang direalisasikan)",
                   f"{app_share}% of processes are supported by an application")
    if len(levels) < 2:
        suggestion.level = 1
        suggestion.add("peta proses belum berjenjang (kurang dari dua level): tingkat 1",
                       "the process map has fewer than two levels: level 1")
        return suggestion
    suggestion.level = 2
    suggestion.add("peta proses tersusun berjenjang: tingkat 2",
                   "the process map has levels: level 2")
    if _at_least(len(with_sop), len(processes), SOP_SHARE_FOR_LEVEL_3):
        suggestion.level = 3
        # the criterion (S-LEMBA) speaks of improvement by process innovation; how many SOPs
        # show it is this project's threshold, and the reason must not read as the rule
        suggestion.add(f"≥{SOP_SHARE_FOR_LEVEL_3}% proses terdokumentasi dalam SOP: tingkat 3"
                       " (ambang lokal spbe-arch, bukan kriteria resmi)",
                       f"≥{SOP_SHARE_FOR_LEVEL_3}% of processes documented in SOPs: level 3"
                       " (a local spbe-arch threshold, not an official criterion)")
        if _at_least(len(with_app), len(processes), APLIKASI_SHARE_FOR_LEVEL_4):
            suggestion.level = 4
            suggestion.add(f"≥{APLIKASI_SHARE_FOR_LEVEL_4}% proses diterapkan dalam sistem"
                           " elektronik: tingkat 4 (reviu berkala perlu bukti tersendiri)",
                           f"≥{APLIKASI_SHARE_FOR_LEVEL_4}% of processes run in electronic"
                           " systems: level 4 (periodic review needs its own evidence)")
    return suggestion


def suggest_manajemen(repository: Repository, kode_wilayah: str,
                      framework: Framework) -> list[Suggestion]:
    """Indicators with a management area: is there a ditetapkan SOP SPBE for it, and where."""
    instansi = {"instansi": iris.instansi_iri(kode_wilayah)}
    opd_codes = {row["opd"]: str(row.get("code", ""))
                 for row in repository.select(sparql("opds"), instansi)}
    by_area: dict[Node, list[dict[str, Node]]] = {}
    for row in repository.select(sparql("sops"), instansi):
        if row.get("area") is not None:
            by_area.setdefault(row["area"], []).append(row)
    suggestions = []
    for number, indicator in sorted(framework.indicators.items()):
        if not indicator.management_areas:
            continue
        suggestion = Suggestion(number, None)
        rows = [r for area in indicator.management_areas for r in by_area.get(area, [])]
        set_rows = [r for r in rows if r.get("status") == SPBE.Ditetapkan]
        opds = sorted({opd_codes.get(r["owner"], "") for r in set_rows if "owner" in r} - {""})
        suggestion.facts = {"sop_spbe": len(rows), "ditetapkan": len(set_rows), "opd": opds}
        if set_rows:
            suggestion.level = 3
            suggestion.add(f"{_count(len(set_rows))} SOP SPBE ditetapkan untuk area ini"
                           f" ({', '.join(opds) or '-'}): prosedur formal, tingkat 3",
                           f"{_count(len(set_rows), 'en')} SPBE SOPs set for this area"
                           f" ({', '.join(opds) or '-'}): formal procedure, level 3")
        elif rows:
            suggestion.level = 1
            suggestion.add(f"{_count(len(rows))} SOP SPBE masih draf: tingkat 1 (rancangan)",
                           f"{_count(len(rows), 'en')} SPBE SOPs are drafts: level 1 (draft)")
        else:
            suggestion.add("tidak ada SOP SPBE untuk area ini di repositori",
                           "no SPBE SOP for this area in the repository")
        suggestions.append(suggestion)
    return suggestions


@dataclass
class _Service:
    code: str
    name: str
    metode: Node | None
    #: every RAL concept at or above the service's code: IRI -> (code, level, label)
    ancestors: dict[Node, tuple[str, int | None, str]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"


def _services(repository: Repository, kode_wilayah: str) -> dict[Node, _Service]:
    services: dict[Node, _Service] = {}
    for row in repository.select(sparql("layanan"), {"instansi": iris.instansi_iri(kode_wilayah)}):
        entry = services.setdefault(row["layanan"], _Service(
            str(row.get("code", "")), str(row.get("name", "")), row.get("metode")))
        ancestor = row.get("ancestor")
        if ancestor is not None:
            level = row.get("ancestor_level")
            entry.ancestors[ancestor] = (str(row.get("ancestor_code", "")),
                                         as_int(level) if level is not None else None,
                                         str(row.get("ancestor_label", "")))
    return services


def _metode_level(service: _Service) -> int:
    return METODE_LEVEL.get(service.metode, 0) if isinstance(service.metode, URIRef) else 0


def _metode_name(service: _Service, lang: str = "id") -> str:
    names, unset = (METODE_NAME_EN, "not filled in") if lang == "en" else (METODE_NAME,
                                                                            "tidak diisi")
    if isinstance(service.metode, URIRef):
        return names.get(service.metode, unset)
    return unset


def suggest_layanan(repository: Repository, kode_wilayah: str,
                    framework: Framework) -> list[Suggestion]:
    """Service indicators: the layanan under each indicator's RAL area and their metode.

    Indicators whose area is all of RAL.01 ("Layanan Publik Sektoral 1–3") take the three
    RAL level-2 sectors with the most electronic services, in that order.
    """
    services = _services(repository, kode_wilayah)
    sectoral = [n for n, i in sorted(framework.indicators.items())
                if i.service_areas and all(str(a).endswith("/RAL.01") for a in i.service_areas)]
    sectors: Counter[tuple[str, str]] = Counter()
    for service in services.values():
        for code, level, label in service.ancestors.values():
            if level == 2 and code.startswith("RAL.01"):
                sectors[(code, label)] += 1 if service.metode == SPBE.Elektronik else 0
    ranked = [s for s, _ in sorted(sectors.items(), key=lambda kv: (-kv[1], kv[0][0]))]
    suggestions = []
    for number, indicator in sorted(framework.indicators.items()):
        if not indicator.service_areas:
            continue
        suggestion = Suggestion(number, None)
        if number in sectoral:
            position = sectoral.index(number)
            if position >= len(ranked):
                suggestion.add("tidak ada sektor layanan publik lain di repositori",
                               "no further public-service sector in the repository")
                suggestions.append(suggestion)
                continue
            code, label = ranked[position]
            members = [e for e in services.values()
                       if any(a[0] == code for a in e.ancestors.values())]
            suggestion.add(f"sektor {code} {label} (peringkat {position + 1} menurut jumlah"
                           " layanan elektronik; pemda memilih sendiri sektornya)",
                           f"sector {code} {label} (rank {position + 1} by electronic services;"
                           " the pemda chooses its own sectors)")
        else:
            areas = set(indicator.service_areas)
            members = [e for e in services.values() if areas & set(e.ancestors)]
        metode = Counter(_metode_name(e) for e in members)
        metode_en = Counter(_metode_name(e, "en") for e in members)
        suggestion.facts = {"layanan": sorted(e.label for e in members), "metode": dict(metode)}
        if not members:
            suggestion.add("tidak ada layanan dalam area indikator ini",
                           "no service in this indicator's area")
            suggestions.append(suggestion)
            continue
        best = max(_metode_level(e) for e in members)
        suggestion.level = best or None
        summary = ", ".join(f"{k} {v}" for k, v in sorted(metode.items()))
        summary_en = ", ".join(f"{k} {v}" for k, v in sorted(metode_en.items()))
        suggestion.add(f"{_count(len(members))} layanan: {summary}",
                       f"{_count(len(members), 'en')} services: {summary_en}")
        if best:
            suggestion.add("metode terbaik menyarankan tingkat "
                           f"{best} (tatap muka→1, hybrid→2, elektronik→3; tingkat 4–5 perlu"
                           " bukti integrasi/reviu)",
                           f"the best metode suggests level {best} (face-to-face→1, hybrid→2,"
                           " electronic→3; levels 4–5 need integration/review evidence)")
        suggestions.append(suggestion)
    return suggestions


def suggest_all(repository: Repository, kode_wilayah: str,
                framework: Framework) -> dict[int, Suggestion]:
    """Every suggestion the repository can back, keyed by indicator number (59/2020 numbering)."""
    result: dict[int, Suggestion] = {}
    if framework.code == "permenpanrb-59-2020":
        result[11] = suggest_arsitektur(repository, kode_wilayah, 11)
        result[14] = suggest_proses_bisnis(repository, kode_wilayah, 14)
    for suggestion in suggest_manajemen(repository, kode_wilayah, framework):
        result[suggestion.number] = suggestion
    for suggestion in suggest_layanan(repository, kode_wilayah, framework):
        result[suggestion.number] = suggestion
    return result
