"""The Kota Probolinggo demo: regenerable, the promised size, true references, true gaps."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from spbe_arch import datasets, iris
from spbe_arch.reference import sample
from spbe_arch.repository import Repository

ELEMENT = "https://w3id.org/spbe-arch/id/3574/"
PREFIXES = """
PREFIX spbe: <https://w3id.org/spbe-arch/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

# The deliberate gaps, as listed in data/samples/kota-probolinggo/README.md.
GAPS = {
    "opd_without_sop": {"SETWAN", "BAKESBANGPOL", "KEC-KEDOPOK"},
    "layanan_without_process": {"LYN-39", "LYN-55"},
    "process_without_rab": {"DISKOMINFO-01.04"},
    "aplikasi_without_layanan": {"APL-21"},
    "data_without_producer": {"DAT-32"},
    "infrastruktur_without_rai": {"INF-09"},
}


class Sparql:
    """Runs SELECT queries with the common prefixes on the shared demo repository."""

    def __init__(self, repository: Repository) -> None:
        self.repository = repository

    def rows(self, query: str) -> list[dict[str, str]]:
        result = self.repository.select(PREFIXES + query)
        return [{k: str(v) for k, v in row.items() if v is not None} for row in result]

    def values(self, query: str, name: str = "x") -> list[str]:
        return [row[name] for row in self.rows(query) if name in row]

    def count(self, query: str) -> int:
        return int(self.values(query, "n")[0])


@pytest.fixture(scope="session")
def sparql(demo_repository: Repository) -> Sparql:
    return Sparql(demo_repository)


def _codes(iris_: list[str]) -> set[str]:
    return {i.rsplit("/", 1)[1] for i in iris_}


def test_regenerating_gives_the_committed_files(sample_dir: Path) -> None:
    rendered = sample.render_sample(sample_dir)
    assert set(rendered) == set(sample.OUTPUT_FILES)
    for name, text in rendered.items():
        assert (sample_dir / name).read_bytes() == text.encode("utf-8"), f"{name} is stale"
    assert sample.generate([sample_dir], check=True) == []


def test_sample_json_and_files(sample_dir: Path) -> None:
    info = datasets.sample_info()
    assert info.kode_wilayah == "3574"
    assert {p.name for p in info.files} == set(sample.OUTPUT_FILES)
    for path in info.files:
        Graph().parse(path, format="turtle")  # rdflib parses it too, not only Oxigraph


def test_everything_is_in_the_instansi_graph(sparql: Sparql) -> None:
    graphs = sparql.values("""SELECT DISTINCT ?x WHERE { GRAPH ?x { ?s a spbe:ProsesBisnis } }""")
    assert graphs == [str(iris.instansi_graph("3574"))]


def test_instansi_and_period(sparql: Sparql) -> None:
    rows = sparql.rows("""SELECT ?i ?kode ?status ?versi ?mulai ?selesai WHERE {
        ?i a spbe:PemerintahDaerah ; spbe:kodeWilayah ?kode ; spbe:periode ?p .
        ?p spbe:statusDokumen ?status ; spbe:versiReferensi ?versi ;
           spbe:tahunMulai ?mulai ; spbe:tahunSelesai ?selesai }""")
    assert rows == [{"i": ELEMENT.rstrip("/"), "kode": "3574",
                     "status": "https://w3id.org/spbe-arch/ontology#Draft",
                     "versi": "https://w3id.org/spbe-arch/ref/perpres-132-2022",
                     "mulai": "2025", "selesai": "2029"}]


def test_opd(sparql: Sparql) -> None:
    assert sparql.count("SELECT (COUNT(?o) AS ?n) WHERE { ?o a spbe:PerangkatDaerah }") >= 25
    kecamatan = sparql.values("""SELECT ?x WHERE { ?o spbe:jenisOPD spbe:Kecamatan ;
        spbe:nama ?x }""")
    assert sorted(kecamatan) == ["Kecamatan Kademangan", "Kecamatan Kanigaran",
                                 "Kecamatan Kedopok", "Kecamatan Mayangan", "Kecamatan Wonoasih"]
    parent = sparql.values("""SELECT ?x WHERE { ?o spbe:nama "Bagian Organisasi" ;
        spbe:jenisOPD spbe:Bagian ; spbe:indukOPD ?p . ?p spbe:jenisOPD spbe:SekretariatDaerah ;
        spbe:kode ?x }""")
    assert parent == ["SETDA"]


def test_processes(sparql: Sparql) -> None:
    assert sparql.count("SELECT (COUNT(?p) AS ?n) WHERE { ?p a spbe:ProsesBisnis }") >= 120
    levels = sparql.rows("""SELECT ?l (COUNT(?p) AS ?n) WHERE { ?p a spbe:ProsesBisnis ;
        spbe:levelPetaProses ?l } GROUP BY ?l""")
    by_level = {int(r["l"]): int(r["n"]) for r in levels}
    assert len(by_level) >= 2 and by_level[0] >= 25 and by_level[1] >= 90
    # a sub-process is exactly one level below its parent, within the same unit
    bad = sparql.values("""SELECT ?x WHERE { ?x spbe:subProsesDari ?p ; spbe:levelPetaProses ?l ;
        spbe:pemilik ?o . ?p spbe:levelPetaProses ?pl ; spbe:pemilik ?po .
        FILTER (?l != ?pl + 1 || ?o != ?po) }""")
    assert bad == []
    for prop, scheme in (("jenisProses", "JenisProses"), ("statusProses", "StatusProses")):
        missing = sparql.values(f"""SELECT ?x WHERE {{ ?x a spbe:ProsesBisnis .
            FILTER NOT EXISTS {{ ?x spbe:{prop} ?v . ?v a spbe:{scheme} }} }}""")
        assert missing == []


def test_every_process_rab_code_is_a_level_3_reference_concept(sparql: Sparql) -> None:
    rows = sparql.rows("""SELECT ?p ?c ?level ?scheme WHERE { ?p a spbe:ProsesBisnis .
        OPTIONAL { ?p spbe:klasifikasiRAB ?c .
                   OPTIONAL { ?c spbe:level ?level ; skos:inScheme ?scheme } } }""")
    without = {r["p"] for r in rows if "c" not in r}
    assert _codes(sorted(without)) == GAPS["process_without_rab"]
    rab = str(iris.reference_scheme_iri("Perpres 132/2022", "RAB"))
    for row in rows:
        if "c" in row:
            assert row.get("scheme") == rab and row.get("level") == "3", row


def test_rab_codes_fit_their_opd(sparql: Sparql, opd_rows: list[dict[str, str]]) -> None:
    allowed = {r["kode"]: set(r["rab_l2"].split("|")) for r in opd_rows}
    rows = sparql.rows("""SELECT ?kode ?opd ?l2 WHERE { ?p spbe:kode ?kode ; spbe:pemilik ?o ;
        spbe:klasifikasiRAB ?c . ?o spbe:kode ?opd . ?c skos:broader ?b . ?b skos:notation ?l2 }""")
    assert len(rows) >= 120
    misfits = [r for r in rows if r["l2"] not in allowed[r["opd"]]]
    assert misfits == []


def test_layanan(sparql: Sparql) -> None:
    rows = sparql.rows("""SELECT ?l ?jenis ?level ?metode WHERE { ?l a spbe:Layanan ;
        spbe:jenisLayanan ?jenis ; spbe:metodeLayanan ?metode ; spbe:unitPelaksana ?o ;
        spbe:targetLayanan ?t ; spbe:klasifikasiRAL ?c . ?c spbe:level ?level ;
        skos:inScheme <https://w3id.org/spbe-arch/ref/perpres-132-2022/RAL> }""")
    layanan = {r["l"] for r in rows}
    assert len(layanan) >= 40
    assert sparql.count("SELECT (COUNT(?l) AS ?n) WHERE { ?l a spbe:Layanan }") == len(layanan)
    assert {r["level"] for r in rows} == {"3"}
    assert {r["jenis"].rsplit("#")[1] for r in rows} == {
        "LayananPublik", "LayananAdministrasiPemerintahan"}
    assert {r["metode"].rsplit("#")[1] for r in rows} == {"Elektronik", "Hybrid", "TatapMuka"}
    realised = sparql.values("""SELECT ?x WHERE { ?x a spbe:Layanan .
        FILTER NOT EXISTS { ?p spbe:merealisasikan ?x } }""")
    assert _codes(realised) == GAPS["layanan_without_process"]


def test_data(sparql: Sparql) -> None:
    rows = sparql.rows("""SELECT ?d ?c WHERE { ?d a spbe:DataInformasi ; spbe:waliData ?o ;
        spbe:sifatData ?s ; spbe:jenisData ?j ; spbe:klasifikasiRAD ?c .
        ?c skos:inScheme <https://w3id.org/spbe-arch/ref/perpres-132-2022/RAD> }""")
    assert len(rows) >= 20
    not_leaf = sparql.values("""SELECT ?x WHERE { ?x spbe:klasifikasiRAD ?c .
        ?child skos:broader ?c }""")
    assert not_leaf == []
    unproduced = sparql.values("""SELECT ?x WHERE { ?x a spbe:DataInformasi .
        FILTER NOT EXISTS { ?p spbe:menghasilkanData ?x } }""")
    assert _codes(unproduced) == GAPS["data_without_producer"]
    assert sparql.count("""SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {
        ?l a spbe:Layanan ; spbe:menggunakanData ?d }""") >= 15


def test_aplikasi(sparql: Sparql) -> None:
    rows = sparql.rows("""SELECT ?a ?c ?prov WHERE { ?a a spbe:Aplikasi ; spbe:pemilik ?o ;
        spbe:jenisAplikasi ?j ; spbe:klasifikasiRAA ?c . ?c skos:inScheme ?s ;
        spbe:provisional ?prov }""")
    assert len(rows) >= 15 and {r["prov"] for r in rows} == {"true"}
    names = set(sparql.values("SELECT ?x WHERE { ?a a spbe:Aplikasi ; spbe:nama ?x }"))
    assert {"SRIKANDI", "SIMRAL", "SI-IJOL", "MyASN", "e-Kinerja BKN", "Dapodik",
            "SIAP Presensi"} <= names
    unsupported = sparql.values("""SELECT ?x WHERE { ?x a spbe:Aplikasi .
        FILTER NOT EXISTS { ?x spbe:mendukungLayanan ?l } }""")
    assert _codes(unsupported) == GAPS["aplikasi_without_layanan"]


def test_infrastruktur_and_keamanan(sparql: Sparql) -> None:
    infra = sparql.rows("""SELECT ?x ?c WHERE { ?x a spbe:Infrastruktur ; spbe:pemilik ?o ;
        spbe:jenisInfrastruktur ?j . ?j a spbe:JenisInfrastruktur .
        OPTIONAL { ?x spbe:klasifikasiRAI ?c } }""")
    assert len(infra) >= 3
    assert _codes([r["x"] for r in infra if "c" not in r]) == GAPS["infrastruktur_without_rai"]
    kinds = sparql.values("""SELECT DISTINCT ?x WHERE { ?k a spbe:Keamanan ;
        spbe:jenisKeamanan ?x ; spbe:klasifikasiRAK ?c }""")
    assert len(kinds) >= 3


def test_sops(sparql: Sparql) -> None:
    rows = sparql.rows("""SELECT ?s ?status ?area (COUNT(DISTINCT ?step) AS ?steps)
        (COUNT(DISTINCT ?decision) AS ?decisions) WHERE {
        ?s a spbe:SOP ; spbe:statusSOP ?status ; spbe:untukProsesBisnis ?p ; spbe:pemilik ?o ;
           spbe:memilikiLangkah ?step .
        OPTIONAL { ?s spbe:areaManajemen ?area }
        OPTIONAL { ?s spbe:memilikiLangkah ?decision .
                   ?decision spbe:jenisSimbol spbe:Keputusan } } GROUP BY ?s ?status ?area""")
    regular = [r for r in rows if "area" not in r]
    spbe_sops = [r for r in rows if "area" in r]
    assert len(regular) >= 10
    assert {r["area"].rsplit("#")[1] for r in spbe_sops} >= {
        "ManajemenRisiko", "ManajemenKeamananInformasi", "ManajemenData", "ManajemenAsetTIK",
        "AuditTIK"}
    assert all(6 <= int(r["steps"]) <= 15 for r in rows)
    assert all(int(r["decisions"]) >= 1 for r in rows)
    assert {r["status"].rsplit("#")[1] for r in rows} == {"Draft", "Ditetapkan"}
    incomplete = sparql.values("""SELECT ?x WHERE { ?x spbe:statusSOP spbe:Ditetapkan .
        FILTER NOT EXISTS { ?x spbe:nomorSOP ?n ; spbe:tanggalEfektif ?t ;
                            spbe:disahkanOlehJabatan ?j } }""")
    assert incomplete == []
    names = set(sparql.values("SELECT ?x WHERE { ?s a spbe:SOP ; spbe:nama ?x }"))
    assert {"Penerbitan Akta Kelahiran", "Pelayanan Permohonan Informasi Publik",
            "Penerbitan Perizinan Berusaha Berbasis Risiko", "Pelayanan Cuti Pegawai ASN"} <= names


def test_sop_flowcharts_are_well_formed(sparql: Sparql) -> None:
    steps = sparql.rows("""SELECT ?sop ?step ?n ?symbol ?actor ?next ?yes ?no ?last WHERE {
        ?sop spbe:memilikiLangkah ?step . ?step spbe:urutan ?n ; spbe:jenisSimbol ?symbol ;
             spbe:dilaksanakanOleh ?actor .
        FILTER EXISTS { ?sop spbe:memilikiPelaksana ?actor }
        OPTIONAL { ?step spbe:langkahBerikutnya ?next }
        OPTIONAL { ?step spbe:jikaYa ?yes } OPTIONAL { ?step spbe:jikaTidak ?no }
        { SELECT ?sop (MAX(?m) AS ?last) WHERE { ?sop spbe:memilikiLangkah/spbe:urutan ?m }
          GROUP BY ?sop } }""")
    total = sparql.count("SELECT (COUNT(?s) AS ?n) WHERE { ?x spbe:memilikiLangkah ?s }")
    assert len(steps) == total, "every step has one symbol and an actor of its own SOP"
    by_sop: dict[str, dict[str, dict[str, str]]] = {}
    for row in steps:
        by_sop.setdefault(row["sop"], {})[row["step"]] = row
    for sop_iri, flow in by_sop.items():
        first = next(s for s in flow.values() if s["n"] == "1")
        assert first["symbol"].endswith("#Terminator"), sop_iri
        for row in flow.values():
            final = row["n"] == row["last"]
            if row["symbol"].endswith("#Keputusan"):
                assert "yes" in row and "no" in row and "next" not in row, row
            elif final:
                assert row["symbol"].endswith("#Terminator") and "next" not in row, row
            else:
                assert "next" in row and "yes" not in row, row
        reached, todo = set(), [first["step"]]
        while todo:
            step = todo.pop()
            if step in reached:
                continue
            reached.add(step)
            todo += [flow[step][k] for k in ("next", "yes", "no") if k in flow[step]]
        assert reached == set(flow), f"{sop_iri}: unreachable steps"


def test_opd_without_sop(sparql: Sparql) -> None:
    missing = sparql.values("""SELECT ?x WHERE { ?o a spbe:PerangkatDaerah ; spbe:kode ?x .
        FILTER NOT EXISTS { ?s a spbe:SOP ; spbe:pemilik ?o } }""")
    assert set(missing) == GAPS["opd_without_sop"]


def test_readme_lists_the_gaps(sample_dir: Path) -> None:
    readme = (sample_dir / "README.md").read_text(encoding="utf-8")
    assert "ilustratif" in readme.lower() and "not official" in readme.lower()
    for codes in GAPS.values():
        for code in codes:
            assert f"`{code}`" in readme, code


@pytest.mark.parametrize("column", ["opd", "ral"])
def test_bad_tables_are_reported_and_nothing_is_written(sample_dir: Path, tmp_path: Path,
                                                        column: str) -> None:
    import shutil

    copy = tmp_path / "contoh"
    shutil.copytree(sample_dir / "source", copy / "source")
    shutil.copy(sample_dir / "sample.json", copy / "sample.json")
    path = copy / "source" / "layanan.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(";")
    cells = lines[3].split(";")
    cells[header.index(column)] = "TIDAK-ADA" if column == "opd" else "RAL.01"
    lines[3] = ";".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(sample.InputProblems) as info:
        sample.generate([copy])
    messages = [p.message() for p in info.value.problems]
    where = f"contoh/source/layanan.csv, baris 4, kolom {column}"
    assert any(m.startswith(where) for m in messages), messages
    assert not list(copy.glob("*.ttl"))
    assert sample.main([str(copy)]) == 2
