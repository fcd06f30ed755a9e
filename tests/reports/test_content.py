"""The documents say what the repository says: counts, every OPD, findings, coverage."""

from __future__ import annotations

import io

import docx
import lxml.html
import pytest
from rdflib.term import URIRef
from tests.reports.conftest import DEMO, UJI, DocumentFactory, uji_sources

from spbe_arch import iris
from spbe_arch.reports import ReportParams, find_report, render_report
from spbe_arch.reports.rendering import render_document, write_format
from spbe_arch.repository import LoadSource, Repository, open_repository

COUNT_PROCESSES = """
PREFIX spbe: <https://w3id.org/spbe-arch/ontology#>
SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a spbe:ProsesBisnis ; spbe:instansi ?instansi }
"""
OPD_NAMES = """
PREFIX spbe: <https://w3id.org/spbe-arch/ontology#>
SELECT ?nama WHERE { ?o a spbe:PerangkatDaerah ; spbe:instansi ?instansi ; spbe:nama ?nama }
"""


def _count(repository: Repository, instansi: str) -> int:
    rows = repository.select(COUNT_PROCESSES, {"instansi": iris.instansi_iri(instansi)})
    return int(rows.rows[0]["n"])  # type: ignore[call-overload]


def _tree(html: bytes) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(html)


@pytest.mark.parametrize(("repo", "instansi"), [("uji", UJI), ("demo", DEMO)])
def test_process_table_has_one_row_per_process(documents: DocumentFactory, repo: str,
                                               instansi: str, request: pytest.FixtureRequest
                                               ) -> None:
    repository = request.getfixturevalue(f"{repo}_repository")
    expected = _count(repository, instansi)
    assert expected > 0
    document = documents(repo, "arsitektur")
    tree = _tree(write_format(document, "html"))
    rows = tree.xpath('//table[@id="lampiran-proses-bisnis"]/tbody/tr')
    assert len(rows) == expected
    # the DOCX holds the same table (header row + one row per process)
    word = docx.Document(io.BytesIO(write_format(document, "docx")))
    sizes = [len(t.rows) for t in word.tables]
    assert expected + 1 in sizes


def test_chapter_lists_small_domains_in_full(documents: DocumentFactory,
                                             uji_repository: Repository) -> None:
    tree = _tree(write_format(documents("uji", "arsitektur"), "html"))
    rows = tree.xpath('//table[@id="bab-proses-bisnis-elemen"]/tbody/tr')
    assert len(rows) == _count(uji_repository, UJI)


@pytest.mark.parametrize(("repo", "instansi"), [("uji", UJI), ("demo", DEMO)])
def test_every_opd_appears(documents: DocumentFactory, repo: str, instansi: str,
                           request: pytest.FixtureRequest) -> None:
    repository = request.getfixturevalue(f"{repo}_repository")
    names = {str(r["nama"]) for r in repository.select(
        OPD_NAMES, {"instansi": iris.instansi_iri(instansi)}).rows}
    assert names
    document = documents(repo, "arsitektur")
    tree = _tree(write_format(document, "html"))
    listed = {" ".join(td.text_content().split())
              for td in tree.xpath('//table[@id="lampiran-opd"]/tbody/tr/td[2]')}
    assert names <= listed
    markdown = write_format(document, "md").decode("utf-8")
    word = docx.Document(io.BytesIO(write_format(document, "docx")))
    word_text = "\n".join(cell.text for table in word.tables for row in table.rows
                          for cell in row.cells)
    for name in names:
        assert name.replace("|", "\\|") in markdown or name in markdown
        assert name in word_text


def test_numbering_of_chapters_tables_and_figures(documents: DocumentFactory) -> None:
    tree = _tree(write_format(documents("uji", "arsitektur"), "html"))
    chapters = [" ".join(h.text_content().split()) for h in tree.xpath("//h1")]
    assert "1 Pendahuluan" in chapters
    assert "2 Arsitektur Proses Bisnis" in chapters
    assert "7 Arsitektur Keamanan SPBE" in chapters
    assert "Lampiran A. Daftar Perangkat Daerah" in chapters
    captions = [" ".join(c.text_content().split()) for c in tree.xpath("//caption")]
    assert captions[0].startswith("Tabel 1.1.")
    assert any(c.startswith("Tabel 2.1.") for c in captions)
    figures = [" ".join(c.text_content().split()) for c in tree.xpath("//figcaption")]
    assert any(f.startswith("Gambar 8.1.") for f in figures)  # the chain diagram
    assert any(f.startswith("Gambar H.") for f in figures)  # process maps per OPD
    # the list of tables links to every numbered table
    links = tree.xpath('//nav[contains(@class, "list-of-tables")]//a/@href')
    assert len(links) == len(captions)


def test_gaps_are_reported(documents: DocumentFactory) -> None:
    tree = _tree(write_format(documents("uji", "arsitektur"), "html"))
    unclassified = tree.xpath('//table[@id="bab-proses-bisnis-tanpa-klasifikasi"]/tbody/tr')
    reasons = {" ".join(tr.text_content().split()) for tr in unclassified}
    assert any("DINKES.03" in r and "tidak ada kode referensi" in r for r in reasons)
    assert any("BAG-ORG.01" in r and "tidak ada di referensi" in r for r in reasons)
    services = tree.xpath('//table[@id="bab-layanan-tanpa-keterkaitan"]/tbody/tr')
    assert any("LY.PENGADUAN" in tr.text_content() for tr in services)


def test_matrices_show_the_relations(documents: DocumentFactory) -> None:
    tree = _tree(write_format(documents("uji", "arsitektur"), "html"))
    grid = tree.xpath('//table[@id="bab-proses-bisnis-proses-layanan"]')[0]
    header = [th.text_content() for th in grid.xpath("thead/tr/th")]
    column = header.index("LY.PPID")
    marked = [tr.xpath("td")[0].text_content() for tr in grid.xpath("tbody/tr")
              if tr.xpath("td")[column].text_content() == "✓"]
    # DISKOMINFO.02 and DISKOMINFO.02.01 realise LY.PPID (each cell: code, then name)
    assert [m.split()[0] for m in marked] == ["DISKOMINFO.02Pengelolaan",
                                              "DISKOMINFO.02.01Pelayanan"]
    sectors = tree.xpath('//table[@id="bab-proses-bisnis-opd-sektor"]/tfoot/tr/td')
    assert sectors[-1].text_content() == "12"  # every process counted once


def test_reference_coverage(documents: DocumentFactory) -> None:
    tree = _tree(write_format(documents("uji", "kesesuaian-referensi"), "html"))
    footer = [td.text_content() for td in tree.xpath('//table[@id="rab-ringkasan"]/tfoot/tr/td')]
    assert footer[1:] == ["7", "6", "85,7%"]  # 6 of the subset's 7 level-3 functions
    uncovered = tree.xpath('//table[@id="rab-belum"]/tbody/tr')
    assert ["RAB.09.03.08" in tr.text_content() for tr in uncovered] == [True]
    invalid_services = " ".join(tree.xpath('//table[@id="ral-tidak-sah"]')[0].itertext())
    assert "LY.PUSKESMAS" in invalid_services and "kode bukan level 3" in invalid_services
    assert "LY.PENGADUAN" in invalid_services


def test_sop_register_counts(documents: DocumentFactory) -> None:
    tree = _tree(write_format(documents("uji", "register-sop"), "html"))
    footer = [td.text_content() for td in tree.xpath('//table[@id="sop-ringkasan"]/tfoot/tr/td')]
    # Ditetapkan, Draf, no status, total
    assert footer[2:6] == ["2", "2", "0", "4"]
    header = [th.text_content() for th in tree.xpath('//table[@id="sop-ringkasan"]/thead/tr/th')]
    assert header[2:5] == ["Ditetapkan", "Draf", "Tanpa status"]  # Indonesian, a column title
    text = tree.text_content()
    assert "4 Desember 2024" in text and "800/12/425.114/2025" in text


def test_opd_profile(documents: DocumentFactory) -> None:
    document = documents("uji", "opd")  # the first OPD by code: BAG-ORG
    assert document.params.opd == "BAG-ORG"
    html = write_format(document, "html").decode("utf-8")
    assert "Penataan Tata Laksana" in html
    assert "Dinas Kesehatan" not in html.split("Yang Dimiliki", 1)[1]


def test_validation_report_sources_findings_from_the_engine(documents: DocumentFactory
                                                            ) -> None:
    document = documents("uji", "validasi")
    tree = _tree(write_format(document, "html"))
    text = " ".join(tree.text_content().split())
    assert "validasi dijalankan saat dokumen dibuat" in text
    # BAG-ORG.01 has a RAB code that is not in the reference
    rows = tree.xpath('//table[starts-with(@id, "validasi-opd-")]/tbody/tr')
    assert any("BAG-ORG.01" in tr.text_content() for tr in rows)


def test_injected_finding_appears_in_the_validation_report() -> None:
    repository = open_repository("memory:")
    repository.load(uji_sources())
    code = "UJI.SUNTIKAN.01"
    before = render_report(repository, "validasi", "html", instansi=UJI).decode("utf-8")
    assert code not in before
    process = iris.element_iri(UJI, "proses-bisnis", code)
    spbe = "https://w3id.org/spbe-arch/ontology#"
    triples = "\n".join([
        f"<{process}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{spbe}ProsesBisnis> .",
        f'<{process}> <{spbe}kode> "{code}" .',
        f'<{process}> <{spbe}nama> "Proses tanpa pemilik" .',
        f"<{process}> <{spbe}instansi> <{iris.instansi_iri(UJI)}> .",
    ])
    repository.load([LoadSource(triples.encode(), "ntriples", iris.instansi_graph(UJI))])
    after = render_report(repository, "validasi", "html", instansi=UJI)
    tree = _tree(after)
    rows = [" ".join(tr.text_content().split())
            for tr in tree.xpath('//table[@id="validasi-opd-lainnya"]/tbody/tr')]
    mine = [r for r in rows if code in r]
    assert mine, rows
    assert any("Pemilik wajib tepat satu perangkat daerah" in r for r in mine)
    rules = " ".join(tree.xpath('//table[@id="validasi-per-aturan"]')[0].itertext())
    assert "Perangkat daerah pemilik" in rules
    repository.close()


def test_english_document(uji_repository: Repository) -> None:
    spec = find_report("arsitektur")
    document = render_document(uji_repository, spec, ReportParams(UJI, None, "en"))
    html = write_format(document, "html").decode("utf-8")
    assert "Table of Contents" in html
    assert "Business Process Architecture" in html
    assert "Appendix A." in html
    assert "4 March 2025" in html  # the regulation date
    assert "Daftar Isi" not in html


def test_unknown_reference_code_is_named(uji_repository: Repository) -> None:
    repository = open_repository("memory:")
    repository.load(uji_sources())
    process = URIRef(str(iris.element_iri(UJI, "proses-bisnis", "DINKES.03")))
    level_two = iris.reference_concept_iri("Perpres 132/2022", "RAB.04.01")
    repository.update(
        f"INSERT DATA {{ GRAPH <{iris.instansi_graph(UJI)}> {{ <{process}>"
        f" <https://w3id.org/spbe-arch/ontology#klasifikasiRAB> <{level_two}> }} }}")
    html = render_report(repository, "kesesuaian-referensi", "html", instansi=UJI)
    rows = [" ".join(tr.text_content().split())
            for tr in _tree(html).xpath('//table[@id="rab-tidak-sah"]/tbody/tr')]
    assert any("DINKES.03" in r and "kode bukan level 3" in r for r in rows)
    repository.close()


def test_long_lists_become_registers_with_every_element(
        uji_repository: Repository, monkeypatch: pytest.MonkeyPatch) -> None:
    from spbe_arch.reports import builtin

    monkeypatch.setattr(builtin, "REGISTER_ABOVE", 5)
    document = render_document(uji_repository, find_report("arsitektur"), ReportParams(UJI))
    tree = _tree(write_format(document, "html"))
    register = tree.xpath('//div[@id="lampiran-proses-bisnis"]')[0]
    rows = register.xpath('p[@class="register-row"]')
    assert len(rows) == _count(uji_repository, UJI)
    caption = register.xpath('p[@class="caption"]')[0].text_content()
    assert caption.startswith("Tabel B.1.")  # numbered like the table it replaces
    assert any("DINKES.01" in r.text_content() and "RAB.04.01.04" in r.text_content()
               for r in rows)
    markdown = write_format(document, "md").decode("utf-8")
    word = docx.Document(io.BytesIO(write_format(document, "docx")))
    word_text = "\n".join(p.text for p in word.paragraphs)
    for row in rows:
        code = row.xpath("b")[0].text_content()
        assert f"**{code}**" in markdown.replace("\\", "") and code in word_text


def test_finding_messages_name_values_not_iris() -> None:
    # a rule that pastes the offending value into its message ({?value}) shows the value's
    # label to the reader, never the ontology IRI
    repository = open_repository("memory:")
    repository.load(uji_sources())
    spbe = "https://w3id.org/spbe-arch/ontology#"
    layanan = iris.element_iri(UJI, "layanan", "RENBANG")
    repository.load([LoadSource(
        f"<{layanan}> <{spbe}targetLayanan> <{spbe}PelakuUsaha> .".encode(), "ntriples",
        iris.instansi_graph(UJI))])
    for lang, label in (("id", "Pelaku Usaha"), ("en", "Business")):
        md = render_report(repository, "validasi", "md", instansi=UJI, lang=lang).decode()
        rows = [line for line in md.splitlines() if "LY.RENBANG" in line and "RAL.02" in line]
        assert rows, md
        assert all(f"{spbe}PelakuUsaha" not in row for row in rows)
        assert any(label in row for row in rows), rows
    repository.close()


def test_a_finding_without_an_attribute_shows_its_value_alone() -> None:
    # "every domain has elements" is a rule on the instansi: no attribute, the value is the
    # empty domain; the cell reads "Keamanan SPBE", not "= Keamanan SPBE"
    repository = open_repository("memory:")
    repository.load(uji_sources())
    repository.update("PREFIX spbe: <https://w3id.org/spbe-arch/ontology#>\n"
                      "DELETE { GRAPH ?g { ?k ?p ?o } } "
                      "WHERE { GRAPH ?g { ?k a spbe:Keamanan ; ?p ?o } }")
    md = render_report(repository, "validasi", "md", instansi=UJI).decode()
    rows = [line for line in md.splitlines() if "Domain arsitektur Keamanan" in line]
    assert rows, md
    assert all("| Keamanan SPBE |" in row and "| = " not in row for row in rows), rows
    repository.close()


def test_summary_findings_add_up_to_the_validation_total(documents: DocumentFactory) -> None:
    tree = _tree(write_format(documents("uji", "arsitektur"), "html"))
    rows = tree.xpath('//table[@id="ringkasan-domain"]/tbody/tr')
    counts = [int(tr.xpath("./td")[4].text_content().replace(".", "")) for tr in rows]
    total = tree.xpath('//table[@id="ringkasan-domain"]/tfoot/tr/td')[4].text_content()
    validation = _tree(write_format(documents("uji", "validasi"), "html"))
    severity_total = validation.xpath('//table[@id="validasi-tingkat"]/tfoot/tr/td')
    assert sum(counts) == int(total)
    assert severity_total and int(severity_total[-1].text_content()) == int(total)


def test_findings_follow_the_data_not_an_older_stored_report() -> None:
    # a report stored before a fix must not make the document call the fixed element wrong
    from spbe_arch.validation import validate
    from spbe_arch.validation.service import store_report

    repository = open_repository("memory:")
    repository.load(uji_sources())
    store_report(repository, validate(repository, instansi=UJI), UJI)
    process = iris.element_iri(UJI, "proses-bisnis", "BAG-ORG.01")
    repository.update("PREFIX spbe: <https://w3id.org/spbe-arch/ontology#>\n"
                      f"DELETE WHERE {{ GRAPH ?g {{ <{process}> spbe:klasifikasiRAB ?c }} }}")
    rab = "https://w3id.org/spbe-arch/ref/perpres-132-2022/RAB.09.05.01"
    repository.load([LoadSource(
        f"<{process}> <https://w3id.org/spbe-arch/ontology#klasifikasiRAB> <{rab}> .".encode(),
        "ntriples", iris.instansi_graph(UJI))])
    tree = _tree(render_report(repository, "validasi", "html", instansi=UJI))
    rows = [" ".join(tr.text_content().split())
            for tr in tree.xpath('//table[starts-with(@id, "validasi-opd-")]/tbody/tr')]
    assert not [r for r in rows if "BAG-ORG.01" in r and "RAB" in r], rows
    repository.close()


def test_an_unknown_reference_code_is_shown_as_its_code() -> None:
    repository = open_repository("memory:")
    repository.load(uji_sources())
    md = render_report(repository, "validasi", "md", instansi=UJI).decode()
    rows = [line for line in md.splitlines() if "BAG-ORG.01" in line and "klasifikasi RAB" in line]
    assert rows and all("klasifikasi RAB = RAB.99.99.01" in r for r in rows), rows
    assert not any("https://" in r for r in rows)
    repository.close()


def test_provisional_reference_lists_are_marked(documents: DocumentFactory) -> None:
    """RAA/RAI/RAK codes are UNSURE (riset domain §2.6): their chapters say the list is
    provisional, while RAB/RAL/RAD (verified lists) read without that notice."""
    html = write_format(documents("demo", "arsitektur"), "html")
    tree = _tree(html)
    marker = "bersifat sementara"

    def reference_text(kind: str) -> str:
        section = tree.xpath(f'//section[@id="domain-{kind}"]')[0]
        return " ".join(section.text_content().split())

    for kind in ("aplikasi", "infrastruktur", "keamanan"):
        assert marker in reference_text(kind), kind
    for kind in ("proses-bisnis", "layanan", "data"):
        assert marker not in reference_text(kind), kind


def test_provisional_reference_notice_in_english() -> None:
    repository = open_repository("memory:")
    repository.load(uji_sources())
    scheme = iris.reference_concept_iri("Perpres 132/2022", "RAB")
    repository.update(
        f"INSERT DATA {{ GRAPH <{iris.reference_graph('Perpres 132/2022')}> {{ <{scheme}>"
        " <https://w3id.org/spbe-arch/ontology#provisional> true } }")
    spec = find_report("arsitektur")
    document = render_document(repository, spec, ReportParams(UJI, None, "en"))
    section = _tree(write_format(document, "html")).xpath(
        '//section[@id="domain-proses-bisnis"]')[0]
    assert "This reference code list is provisional" in section.text_content()
    repository.close()
