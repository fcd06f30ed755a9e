"""Suggested levels come from the repository and move when it changes."""

from __future__ import annotations

from spbe_arch.evaluation import load_framework, suggest_all
from spbe_arch.evaluation.evidence import suggest_arsitektur, suggest_proses_bisnis
from spbe_arch.repository import Repository

KODE = "9999"

PREFIX = "PREFIX spbe: <https://w3id.org/spbe-arch/ontology#>\n"


def test_indicator_11_all_domains_ditetapkan_suggests_3(repository: Repository) -> None:
    suggestion = suggest_arsitektur(repository, KODE)
    assert suggestion.level == 3
    assert suggestion.facts["domains_missing"] == []
    # aplikasi/infra/keamanan codes are provisional; RAB/RAL/RAD coverage is what counts
    assert suggestion.facts["classified_share_percent"] == 100.0
    assert any("tingkat 4 memerlukan reviu" in r for r in suggestion.reasons)


def test_removing_every_keamanan_element_lowers_indicator_11(repository: Repository) -> None:
    before = suggest_arsitektur(repository, KODE)
    repository.update(PREFIX + "DELETE { GRAPH ?g { ?k ?p ?o } } "
                      "WHERE { GRAPH ?g { ?k a spbe:Keamanan ; ?p ?o } }")
    after = suggest_arsitektur(repository, KODE)
    assert after.level is not None and before.level is not None
    assert after.level < before.level
    assert "Keamanan" in after.facts["domains_missing"]  # type: ignore[operator]
    assert any("belum ada: Keamanan" in r for r in after.reasons)
    assert any("none yet: Security" in r for r in after.reasons_en)


def test_recorded_review_lifts_indicator_11_to_4(repository: Repository) -> None:
    repository.update(PREFIX + "INSERT { GRAPH ?g { ?p spbe:tanggalReviu "
                      "\"2026-06-30\"^^<http://www.w3.org/2001/XMLSchema#date> } } "
                      "WHERE { GRAPH ?g { ?p a spbe:PeriodeArsitektur } }")
    assert suggest_arsitektur(repository, KODE).level == 4


def test_draft_architecture_suggests_1(repository: Repository) -> None:
    repository.update(PREFIX + "DELETE { GRAPH ?g { ?p spbe:statusDokumen spbe:Ditetapkan } } "
                      "INSERT { GRAPH ?g { ?p spbe:statusDokumen spbe:Draft } } "
                      "WHERE { GRAPH ?g { ?p spbe:statusDokumen spbe:Ditetapkan } }")
    suggestion = suggest_arsitektur(repository, KODE)
    assert suggestion.level == 1
    assert any("draf" in r for r in suggestion.reasons)


def test_unknown_reference_code_lowers_the_classified_share(repository: Repository) -> None:
    repository.update(PREFIX + "DELETE { GRAPH ?g { ?p spbe:klasifikasiRAB ?c } } "
                      "INSERT { GRAPH ?g { ?p spbe:klasifikasiRAB "
                      "<https://w3id.org/spbe-arch/ref/perpres-132-2022/RAB.09.03.99> } } "
                      "WHERE { GRAPH ?g { ?p spbe:kode \"BKP.02\" ; spbe:klasifikasiRAB ?c } }")
    suggestion = suggest_arsitektur(repository, KODE)
    assert suggestion.facts["classified_share_percent"] < 100.0  # type: ignore[operator]


def test_indicator_14_levels_sop_and_aplikasi_shares(repository: Repository) -> None:
    suggestion = suggest_proses_bisnis(repository, KODE)
    # 4 processes on levels 1 and 2; SOPs for KOM.01.01, BKP.01, KOM.01 -> 75 %;
    # aplikasi (SIMPEG supports L02 realised by BKP.01) -> 25 %
    assert suggestion.facts["peta_proses_levels"] == [1, 2]
    assert suggestion.facts["sop_share_percent"] == 75.0
    assert suggestion.facts["aplikasi_share_percent"] == 25.0
    assert suggestion.level == 3
    # the SOP share threshold is the project's own: its reason must not read as the rule
    [reason_id] = [r for r in suggestion.reasons if "SOP" in r and "tingkat 3" in r]
    [reason_en] = [r for r in suggestion.reasons_en if "SOP" in r and "level 3" in r]
    assert "ambang lokal" in reason_id and "bukan kriteria resmi" in reason_id
    assert "local spbe-arch threshold, not an official criterion" in reason_en


def test_management_and_service_indicators(repository: Repository) -> None:
    framework = load_framework(repository, "permenpanrb-59-2020")
    suggestions = suggest_all(repository, KODE, framework)
    assert suggestions[21].level == 3  # manajemen risiko: SOP SPBE ditetapkan
    assert suggestions[21].facts["opd"] == ["DISKOMINFO"]
    assert suggestions[23].level == 1  # manajemen data: draft only
    assert suggestions[24].level is None  # aset TIK: none
    assert suggestions[36].level == 2  # kepegawaian: Cuti ASN, hybrid
    assert suggestions[43].level == 3  # data terbuka area includes RAL.01.43.03, elektronik
    assert suggestions[45].facts["layanan"] == ["L01 Permohonan Informasi Publik"]
    assert suggestions[32].level is None


def test_reasons_write_counts_the_readers_way() -> None:
    from spbe_arch import iris
    from spbe_arch.datasets import base_sources
    from spbe_arch.repository import LoadSource, open_repository

    # 1,200 processes: "1.200 proses bisnis", English "1,200 processes"
    base = "https://w3id.org/spbe-arch/"
    spbe = base + "ontology#"
    instansi = iris.instansi_iri(KODE)
    lines = [f"<{instansi}> <{spbe}kodeWilayah> \"{KODE}\" ."]
    for number in range(1200):
        process = f"<{base}id/{KODE}/proses-bisnis/P{number}>"
        lines += [f"{process} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                  f"<{spbe}ProsesBisnis> .", f"{process} <{spbe}instansi> <{instansi}> ."]
    repository = open_repository("memory:")
    repository.load([*base_sources(), LoadSource("\n".join(lines).encode(), "ntriples",
                                                 iris.instansi_graph(KODE))])
    suggestion = suggest_proses_bisnis(repository, KODE)
    assert suggestion.reasons[0].startswith("1.200 proses bisnis")
    assert suggestion.reasons_en[0].startswith("1,200 processes")
    assert "0,0% proses memiliki SOP" in suggestion.reasons
    repository.close()


def test_one_unclassified_element_among_thousands_keeps_indicator_11_below_4(
        repository: Repository) -> None:
    # 2,000 classified processes and one without a code: 99.95 % must not round to 100 %
    from spbe_arch import iris
    from spbe_arch.repository import LoadSource

    base = "https://w3id.org/spbe-arch/"
    spbe = base + "ontology#"
    instansi = iris.instansi_iri(KODE)
    lines = []
    for number in range(2001):
        process = f"<{base}id/{KODE}/proses-bisnis/MASSAL-{number}>"
        lines += [f"{process} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                  f"<{spbe}ProsesBisnis> .", f"{process} <{spbe}instansi> <{instansi}> ."]
        if number:
            lines.append(f"{process} <{spbe}klasifikasiRAB> "
                         f"<{base}ref/perpres-132-2022/RAB.09.03.03> .")
    repository.load([LoadSource("\n".join(lines).encode(), "ntriples",
                                iris.instansi_graph(KODE))])
    repository.update(PREFIX + "INSERT { GRAPH ?g { ?p spbe:tanggalReviu "
                      "\"2026-06-30\"^^<http://www.w3.org/2001/XMLSchema#date> } } "
                      "WHERE { GRAPH ?g { ?p a spbe:PeriodeArsitektur } }")
    suggestion = suggest_arsitektur(repository, KODE)
    assert suggestion.level == 3
    assert suggestion.facts["classified_share_percent"] == 99.9
    assert any("tingkat 4 memerlukan seluruh elemen" in r for r in suggestion.reasons)
