"""The frameworks as data: structure, weights, level names, predicates, provisional marks."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from spbe_arch.evaluation import list_frameworks, load_framework
from spbe_arch.repository import Repository


def test_5920_has_4_domains_8_aspects_47_indicators(repository: Repository) -> None:
    framework = load_framework(repository, "permenpanrb-59-2020")
    assert len(framework.domains) == 4
    assert len(framework.aspects) == 8
    assert sorted(framework.indicators) == list(range(1, 48))
    # aspect sizes from the regulation's overview: 10/4/4/2/8/3/10/6
    assert [len(framework.aspects[a].indicators) for a in range(1, 9)] == [10, 4, 4, 2, 8, 3, 10, 6]
    assert framework.indicators[11].short_name == "Arsitektur SPBE Instansi Pusat/Pemda"
    assert framework.indicators[14].short_name == "Inovasi Proses Bisnis SPBE"
    assert framework.indicators[44].name.startswith("Tingkat Kematangan Layanan Jaringan")


def test_weights_sum_to_100_in_every_framework(repository: Repository) -> None:
    codes = [str(f["code"]) for f in list_frameworks(repository)]
    assert {"permenpanrb-59-2020", "permenpanrb-8-2026"} <= set(codes)
    for code in codes:
        assert load_framework(repository, code).total_weight == Decimal(100), code


def test_verified_aspect_weights_and_provisional_indicator_weights(repository: Repository) -> None:
    framework = load_framework(repository, "permenpanrb-59-2020")

    def aspect_weight(number: int) -> Decimal:
        return sum((framework.indicators[n].weight for n in framework.aspects[number].indicators),
                   Decimal(0))

    assert [aspect_weight(a) for a in (5, 6, 7, 8)] == [Decimal(12), Decimal("4.5"),
                                                        Decimal("27.5"), Decimal(18)]
    # the per-indicator split is UNSURE in the domain brief: every weight is marked
    assert all(i.weight_provisional for i in framework.indicators.values())
    assert framework.formula_provisional
    assert not framework.provisional


def test_level_names_and_predicates(repository: Repository) -> None:
    framework = load_framework(repository, "permenpanrb-59-2020")
    assert [framework.level_name(11, v) for v in range(1, 6)] == [
        "Rintisan", "Terkelola", "Terdefinisi", "Terpadu dan Terukur", "Optimum"]
    assert [framework.level_name(36, v) for v in range(1, 6)] == [
        "Informasi", "Interaksi", "Transaksi", "Kolaborasi", "Optimum"]
    assert [(p.name_id, p.lower) for p in framework.predicates] == [
        ("Memuaskan", Decimal("4.2")), ("Sangat Baik", Decimal("3.5")),
        ("Baik", Decimal("2.6")), ("Cukup", Decimal("1.8")), ("Kurang", Decimal(0))]
    assert framework.indicators[11].criteria[3].startswith("Dokumen Arsitektur SPBE mencakup")


def test_pemdi_is_a_clearly_labelled_provisional_dataset(repository: Repository) -> None:
    pemdi = load_framework(repository, "permenpanrb-8-2026")
    assert pemdi.provisional
    assert "PROVISIONAL" in pemdi.label_id
    assert len(pemdi.indicators) == 20
    assert (pemdi.predicates[0].name_id, pemdi.predicates[0].lower) == ("Memuaskan", Decimal("4.0"))
    assert pemdi.level_name(1, 1) == "Merintis"


def test_aspect_and_domain_weights_summed_from_unsure_weights_are_marked(
        repository: Repository) -> None:
    # aspect 1 (13) and domain 1 (13) are sums of UNSURE indicator weights (domain brief
    # §4.2): they carry the provisional mark unless the framework file declares them verified
    framework = load_framework(repository, "permenpanrb-59-2020")
    assert framework.group_weight_provisional(framework.aspects[1])
    assert framework.group_weight_provisional(framework.domains[1])
    repository.update(
        "PREFIX eval: <https://w3id.org/spbe-arch/evaluasi#>\n"
        "INSERT { GRAPH ?g { ?a eval:bobotProvisional false } } WHERE { GRAPH ?g {"
        " ?a a eval:Aspek ; eval:nomor 7 ;"
        " eval:kerangka <https://w3id.org/spbe-arch/evaluasi/permenpanrb-59-2020> } }")
    framework = load_framework(repository, "permenpanrb-59-2020")
    assert not framework.group_weight_provisional(framework.aspects[7])
    assert framework.group_weight_provisional(framework.aspects[1])


def test_weights_the_domain_brief_verifies_carry_no_mark(repository: Repository) -> None:
    # §4.1: aspects 5-8 (12 / 4.5 / 27.5 / 18) and domains Tata Kelola (25) and Layanan
    # (45.5) are VERIFIED; aspects 1-4, Kebijakan Internal (13) and Manajemen (16.5, derived,
    # with a conflicting claim of 13) are not
    framework = load_framework(repository, "permenpanrb-59-2020")
    marked = {("aspek", n) for n, g in framework.aspects.items()
              if framework.group_weight_provisional(g)}
    marked |= {("domain", n) for n, g in framework.domains.items()
               if framework.group_weight_provisional(g)}
    assert marked == {("aspek", 1), ("aspek", 2), ("aspek", 3), ("aspek", 4),
                      ("domain", 1), ("domain", 3)}


def test_every_framework_with_level_criteria_names_their_source() -> None:
    # the criteria texts are paraphrases of a secondary transcription: the data says so
    from rdflib import Graph
    from rdflib.namespace import DCTERMS, RDF

    from spbe_arch.vocab import EVAL

    folder = Path(__file__).parents[2] / "data" / "evaluation"
    for path in sorted(folder.glob("*.ttl")):
        graph = Graph().parse(path)
        if next(graph.subjects(RDF.type, EVAL.KriteriaTingkat), None) is None:
            continue
        sources = [str(s) for s in graph.objects(None, DCTERMS.source)]
        assert any("kriteria tingkat" in s and "S-LEMBA" in s for s in sources), path.name
