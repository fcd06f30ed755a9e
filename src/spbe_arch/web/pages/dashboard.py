"""Dasbor: element counts, the latest validation, SOP coverage per OPD, the evaluation index."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response
from markupsafe import Markup

from spbe_arch.web.charts import Bar, Series, bar_chart, line_chart
from spbe_arch.web.context import PREFIX, Page, PageDep
from spbe_arch.web.dashboard import Dashboard, build_dashboard
from spbe_arch.web.rendering import WebRoute, entity_path, format_number

router = APIRouter(route_class=WebRoute)


def _charts(page: Page, data: Dashboard) -> dict[str, Markup]:
    lang = page.lang
    charts: dict[str, Markup] = {}
    charts["counts"] = bar_chart(
        [Bar(c.label(lang), c.count, href=f"{PREFIX}/e/{c.kind}" if c.kind != "sop"
             else f"{PREFIX}/proses") for c in data.counts],
        title=page.t("Jumlah elemen per domain"))
    if data.latest is not None:
        counts = data.latest.counts()
        charts["severity"] = bar_chart(
            [Bar(page.t(label), counts[name], href=f"{PREFIX}/validasi?tingkat={name}",
                 css=name) for name, label in (("Violation", "Pelanggaran"),
                                                ("Warning", "Peringatan"),
                                                ("Info", "Informasi"))],
            title=page.t("Hasil validasi terakhir per tingkat"))
    if len(data.history) > 1:
        labels = [str(h["generated"])[:16].replace("T", " ") for h in data.history]
        charts["trend"] = line_chart(labels, [
            Series(page.t("Pelanggaran"), [float(str(h["Violation"])) for h in data.history]),
            Series(page.t("Peringatan"), [float(str(h["Warning"])) for h in data.history]),
        ], title=page.t("Tren hasil validasi"))
    with_processes = [c for c in data.coverage if c.processes]
    if with_processes:
        charts["coverage"] = bar_chart(
            [Bar(c.code, float(c.coverage), href=entity_path("opd", c.code),
                 tooltip=f"{c.name}: {format_number(c.coverage, 1, lang)}% "
                         f"({c.processes_with_sop_ditetapkan}/{c.processes})",
                 text=f"{format_number(c.coverage, 1, lang)}%",
                 css="bar-bad" if c.coverage < 25 else "bar-warn" if c.coverage < 75
                 else "bar-ok") for c in with_processes],
            title=page.t("Cakupan SOP ditetapkan per OPD (%)"), max_value=100)
    evaluation = data.evaluation
    shown = evaluation.index if evaluation.index and evaluation.index.levels else \
        evaluation.suggested
    if shown is not None:
        charts["aspects"] = bar_chart(
            [Bar(a.name_en if lang == "en" else a.name_id, float(a.index),
                 text=format_number(a.index, 2, lang)) for a in shown.aspects],
            title=page.t("Indeks per aspek"), max_value=5)
    if len(evaluation.trend) > 1:
        charts["index_trend"] = line_chart(
            [str(y) for y, _ in evaluation.trend],
            [Series(page.t("Indeks"), [v for _, v in evaluation.trend])],
            title=page.t("Tren indeks penilaian mandiri"))
    return charts


@router.get("")
def dashboard(page: PageDep,
              kerangka: Annotated[str | None, Query(max_length=100)] = None,
              tahun: Annotated[int | None, Query(ge=1990, le=2200)] = None) -> Response:
    data = build_dashboard(page.repository, page.instansi, framework=kerangka, year=tahun,
                           lang=page.lang)
    return page.render("dashboard.html.j2", data=data, charts=_charts(page, data))
