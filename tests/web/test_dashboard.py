"""The dashboard shows the services' numbers (one click away in tables) as server-side SVG."""

from __future__ import annotations

import re

from tests.web.helpers import Web, text_of

from spbe_arch.evaluation import sop_coverage
from spbe_arch.model import list_entities
from spbe_arch.validation import latest_report
from spbe_arch.web.charts import Bar, Series, bar_chart, line_chart


def test_bars_are_proportional_and_link_to_their_lists() -> None:
    svg = str(bar_chart([Bar("A", 10, href="/ui/e/a"), Bar("B", 5), Bar("C <x>", 0)],
                        title="Judul & uji"))
    widths = [float(w) for w in re.findall(r'<rect class="bar"[^>]*width="([\d.]+)"', svg)]
    assert widths[0] == 2 * widths[1] > 0 and widths[2] == 0
    assert '<a href="/ui/e/a">' in svg
    assert "C &lt;x&gt;" in svg and "Judul &amp; uji" in svg
    capped = str(bar_chart([Bar("A", 150)], title="t", max_value=100))
    assert float(re.findall(r'<rect class="bar"[^>]*width="([\d.]+)"', capped)[0]) == 330


def test_line_chart_draws_one_point_per_value() -> None:
    svg = str(line_chart(["2024", "2025", "2026"], [Series("Indeks", [1.0, None, 3.0])],
                         title="Tren"))
    assert svg.count("<circle") == 2
    assert "Indeks — 2026: 3" in svg


def test_dashboard_numbers_come_from_the_services(demo_web: Web) -> None:
    page = demo_web.session().get("/ui").text
    text = text_of(page)
    processes = list_entities(demo_web.repository, "proses-bisnis", instansi="3574",
                              limit=0).total
    assert re.search(rf'<span class="num">{processes}</span><span class="lbl">Proses Bisnis',
                     page)
    report = latest_report(demo_web.repository, "3574")
    assert report is not None
    for name, label in (("Violation", "Pelanggaran"), ("Warning", "Peringatan")):
        assert re.search(rf'tingkat={name}">{label}</a></td><td class="num">'
                         rf'{report.counts()[name]}<', page)
    coverage = sop_coverage(demo_web.repository, "3574")
    worst = coverage[0]
    # the coverage chart lists the OPD furthest behind first, and links to its page
    first_bar = re.search(r'<svg class="chart"[^>]*aria-labelledby="(grafik-\d+)"[^>]*>'
                          r'<title id="\1">Cakupan SOP ditetapkan per OPD.*?<a href="([^"]+)"',
                          page, re.S)
    assert first_bar is not None and first_bar.group(2) == f"/ui/e/opd/{worst.code}"
    assert "Belum ada penilaian mandiri" in text and "PROVISIONAL" in text
    assert "Indeks saran dari isi repositori" in text


def test_dashboard_of_an_empty_repository_says_what_is_missing(make_web) -> None:  # type: ignore[no-untyped-def]
    text = text_of(make_web().session().get("/ui").text)
    assert "Repositori belum berisi data arsitektur" in text
    assert "belum ada kerangka evaluasi" in text
    assert "Belum ada laporan validasi tersimpan" in text


def test_the_coverage_bar_of_an_opd_with_an_odd_code_opens_its_page(fresh_demo_web: Web) -> None:
    from urllib.parse import quote

    admin = fresh_demo_web.session("admin")
    code = "UPT #1?x=50%"
    made = admin.post("/ui/e/opd/baru/isi", {"kode": code, "nama": "UPT Uji", "jenisOPD":
                                              "Dinas"}, follow_redirects=False)
    assert made.status_code == 303, text_of(made.text)
    made = admin.post("/ui/e/proses-bisnis/baru/isi", {
        "kode": "UPT-01", "nama": "Proses UPT", "pemilik": code,
        "klasifikasiRAB": "RAB.09.03.02"}, follow_redirects=False)
    assert made.status_code == 303, text_of(made.text)
    page = admin.get("/ui").text
    bar = re.search(r'<a href="([^"]+)"><g class="row"><title>UPT Uji:', page)
    assert bar is not None
    assert bar.group(1) == f"/ui/e/opd/{quote(code, safe='')}"
    assert admin.get(bar.group(1).replace("&amp;", "&")).status_code == 200
