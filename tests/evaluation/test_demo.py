"""On the Kota Probolinggo demo repository."""

from __future__ import annotations

from spbe_arch.evaluation import evaluation_status, sop_coverage
from spbe_arch.repository import Repository

DIRECT = """
PREFIX spbe: <https://w3id.org/spbe-arch/ontology#>
SELECT ?kode (COUNT(DISTINCT ?p) AS ?proses) (COUNT(DISTINCT ?ps) AS ?ditetapkan) WHERE {
  ?opd a spbe:PerangkatDaerah ; spbe:kode ?kode ;
       spbe:instansi <https://w3id.org/spbe-arch/id/3574> .
  OPTIONAL { ?p a spbe:ProsesBisnis ; spbe:pemilik ?opd . }
  OPTIONAL { ?ps a spbe:ProsesBisnis ; spbe:pemilik ?opd .
             ?sop spbe:untukProsesBisnis ?ps ; spbe:statusSOP spbe:Ditetapkan . }
} GROUP BY ?kode
"""


def test_demo_sop_coverage_equals_direct_count(demo_repository: Repository) -> None:
    table = sop_coverage(demo_repository, "3574")
    direct = {str(r["kode"]): (int(str(r["proses"])), int(str(r["ditetapkan"])))
              for r in demo_repository.select(DIRECT)}
    assert {row.code for row in table} == set(direct)
    for row in table:
        assert (row.processes, row.processes_with_sop_ditetapkan) == direct[row.code], row.code
    # the OPDs without any SOP (a deliberate gap of the sample) are behind: 0 % coverage
    assert table[0].coverage == 0


def test_demo_status_has_47_indicators_with_reasoned_suggestions(
        demo_repository: Repository) -> None:
    rows = evaluation_status(demo_repository, "3574", 2026)
    assert len(rows) == 47
    by_number = {r.number: r for r in rows}
    assert by_number[11].suggestion is not None and by_number[11].suggestion.reasons
    assert all(r.weight_provisional for r in rows)
