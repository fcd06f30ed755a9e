"""SOP coverage per OPD equals a direct SPARQL count and moves when an SOP is set."""

from __future__ import annotations

from datetime import UTC, datetime

from rdflib import URIRef

from spbe_arch import iris
from spbe_arch.audit import apply_audited
from spbe_arch.evaluation import sop_coverage
from spbe_arch.repository import ChangeSet, Repository
from spbe_arch.vocab import SPBE

KODE = "9999"

DIRECT_COUNT = """
PREFIX spbe: <https://w3id.org/spbe-arch/ontology#>
SELECT ?kode (COUNT(DISTINCT ?p) AS ?n) WHERE {
  ?opd a spbe:PerangkatDaerah ; spbe:kode ?kode .
  ?p a spbe:ProsesBisnis ; spbe:pemilik ?opd .
  ?sop spbe:untukProsesBisnis ?p ; spbe:statusSOP spbe:Ditetapkan .
} GROUP BY ?kode
"""


def by_code(repository: Repository) -> dict[str, object]:
    return {row.code: row for row in sop_coverage(repository, KODE)}


def test_coverage_equals_direct_count(repository: Repository) -> None:
    table = sop_coverage(repository, KODE)
    direct = {str(r["kode"]): int(r["n"].toPython())  # type: ignore[union-attr]
              for r in repository.select(DIRECT_COUNT)}
    for row in table:
        assert row.processes_with_sop_ditetapkan == direct.get(row.code, 0), row.code
    kominfo = next(r for r in table if r.code == "DISKOMINFO")
    assert (kominfo.processes, kominfo.sops_ditetapkan, kominfo.sops_draft) == (2, 2, 1)
    assert float(kominfo.coverage) == 100.0
    # the OPDs that are behind stand at the top; an OPD without processes at the bottom
    assert [r.code for r in table] == ["BKPSDM", "DISKOMINFO", "DLH"]


def test_setting_an_sop_moves_coverage_and_shows_in_change_since(repository: Repository) -> None:
    since = datetime.now(UTC)
    sop = iris.element_iri(KODE, "sop", "SOP.BKP.01")
    graph = iris.instansi_graph(KODE)
    changes = ChangeSet(remove=[(sop, SPBE.statusSOP, SPBE.Draft, graph)],
                        add=[(sop, SPBE.statusSOP, SPBE.Ditetapkan, graph)])
    apply_audited(repository, changes, agent="kabag-organisasi", entities=[sop],
                  label="SOP ditetapkan")
    after = {r.code: r for r in sop_coverage(repository, KODE, since=since)}
    assert after["BKPSDM"].processes_with_sop_ditetapkan == 1
    assert float(after["BKPSDM"].coverage) == 50.0
    assert after["BKPSDM"].ditetapkan_since == 1
    assert after["DISKOMINFO"].ditetapkan_since == 0
    assert isinstance(sop, URIRef)


def test_coverage_is_not_rounded_up_to_complete() -> None:
    from decimal import Decimal

    from rdflib import URIRef

    from spbe_arch.evaluation import OpdCoverage

    almost = OpdCoverage(URIRef("urn:x"), "X", "X", processes=1000,
                         processes_with_sop_ditetapkan=999)
    assert almost.coverage == Decimal("99.9")
    barely = OpdCoverage(URIRef("urn:x"), "X", "X", processes=2000,
                         processes_with_sop_ditetapkan=1)
    assert barely.coverage == Decimal("0.1")
