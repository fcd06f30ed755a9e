"""Accessibility of the web UI (WCAG 2.1 A/AA) in a real browser: axe-core (vendored in
tests/fixtures/axe/) runs in Debian's chromium, driven by Playwright, on every main page of
`spbe-arch serve` over the demo — in Indonesian and in English — plus the checks axe cannot
make alone: visible labels, form errors tied to their field and announced, page titles,
the language switch, the charts' numbers as text.

One server and one browser for the whole module; `test-artifacts/web/axe.json` keeps every
page's result (rule, impact, nodes) for whoever fixes the next finding.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from tests.web.browser import (
    ARTIFACTS,
    Server,
    Traffic,
    chromium,
    open_page,
    serving,
    sign_in,
)
from tests.web.helpers import OPD_A, ROOT, SAMPLE_BPMN

from spbe_arch.access import TokenStore
from spbe_arch.datasets import load_demo
from spbe_arch.repository import open_repository

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = ROOT / "tests" / "fixtures" / "axe" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
PROCESS = "DISKOMINFO-01.02"
SOP = "DISKOMINFO-01.02.SOP.02"
MODEL = "pengaduan-masyarakat"
EXCUSED: dict[str, set[tuple[str, str]]] = {
    # CodeMirror's scroll box is deliberately unfocusable (tabindex=-1): the keyboard reaches
    # and scrolls the editor through its hidden textarea beside the box, which axe does not
    # count as the box's focusable content
    "sparql": {("scrollable-region-focusable", ".CodeMirror-scroll")},
}
"""(rule, node) pairs not counted, per page, each for a reason outside our code. Only that
rule on that node: axe still checks the node and what it holds for every other rule."""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The demo with a stored validation report, an imported Bizagi model and its derived
    SOP (as tests.web.helpers.prepared_demo, but on disk for `spbe-arch serve`)."""
    from spbe_arch.importers.bpmn.service import import_bpmn_file
    from spbe_arch.sop import derive_sop
    from spbe_arch.validation import store_report, validate

    folder = tmp_path_factory.mktemp("web-a11y")
    store = folder / "store"
    repository = open_repository(f"oxigraph:{store}")
    load_demo(repository)
    import_bpmn_file(repository, SAMPLE_BPMN / f"{MODEL}.bpmn", kode_wilayah="3574",
                     proses=PROCESS, agent="uji")
    derive_sop(repository, proses=PROCESS, kode_wilayah="3574", agent="uji")
    store_report(repository, validate(repository, instansi="3574"), "3574")
    repository.close()
    tokens_file = folder / "tokens.json"
    token = TokenStore(tokens_file).create("editor-diskominfo", "editor", [OPD_A])[0]
    ADMIN_TOKEN["admin"] = TokenStore(tokens_file).create("admin-a11y", "admin")[0]
    with serving(folder, store, tokens_file, token) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


ADMIN_TOKEN: dict[str, str] = {}
OFFICIAL_RAA = "kode,nama,induk\nRAA.01,Aplikasi Umum,\nRAA.02,Aplikasi Khusus,\n"
"""A small official RAA list for the import form's plan page (the test's own data)."""


@dataclass
class Visit:
    name: str
    path: str
    signed_in: bool = False
    admin: bool = False
    prepare: Callable[[Any], None] | None = None
    """What to do on the page before axe runs (run a query, send a form)."""


def _sparql_result(page: Any) -> None:
    page.fill("#param-kode_opd", "DISKOMINFO")
    page.click("#jalankan")
    page.wait_for_selector("#hasil table")


def _bpmn_drawn(page: Any) -> None:
    page.wait_for_selector(".bpmn-canvas[data-loaded=true]")


def _bad_token(page: Any) -> None:
    page.fill("#token", "bukan-token")
    page.click("main form.stack button[type=submit]")
    page.wait_for_selector("#token-error")


def _open_reference_import(page: Any) -> None:
    page.click("#impor-daftar > summary")
    page.wait_for_selector("#ref-berkas", state="visible")


def _reference_plan(page: Any, content: str) -> None:
    _open_reference_import(page)
    page.set_input_files("#ref-berkas", files=[{
        "name": "raa-resmi.csv", "mimeType": "text/csv", "buffer": content.encode()}])
    page.click("#periksa-daftar")
    page.wait_for_load_state()


def _reference_checked(page: Any) -> None:
    _reference_plan(page, OFFICIAL_RAA)
    page.wait_for_selector("main .notice.warn[role=status]")  # the plan, nothing written


def _reference_refused(page: Any) -> None:
    _reference_plan(page, "kode,nama,induk\nRAA.01,,\n")  # a concept without a name
    page.wait_for_selector("#ref-berkas[aria-invalid=true]")


def _bad_form(page: Any) -> None:
    page.fill("#f-nama", "")
    page.click("#simpan")
    page.wait_for_selector("#ringkasan-masalah", timeout=240_000)


VISITS = [
    Visit("dasbor", "/ui"),
    Visit("daftar-opd", "/ui/e/opd"),
    Visit("opd", "/ui/e/opd/DISKOMINFO"),
    Visit("proses-bisnis", f"/ui/e/proses-bisnis/{PROCESS}"),
    Visit("daftar-proses", "/ui/proses", signed_in=True),  # with "Turunkan SOP"
    Visit("bpmn", f"/ui/bpmn/{MODEL}", prepare=_bpmn_drawn),
    Visit("sop", f"/ui/sop/{SOP}", signed_in=True, prepare=_bpmn_drawn),  # its forms
    Visit("validasi", "/ui/validasi", signed_in=True),  # with "Jalankan validasi"
    Visit("laporan", "/ui/laporan"),
    Visit("instansi", "/ui/instansi"),
    Visit("referensi", "/ui/referensi?skema=RAB"),
    Visit("referensi-rak", "/ui/referensi?skema=RAK"),  # codes with narrower codes and elements
    # an admin's import of an official list: the form, the plan it shows, a refused file
    Visit("referensi-impor", "/ui/referensi?skema=RAA", admin=True,
          prepare=_open_reference_import),
    Visit("referensi-rencana", "/ui/referensi?skema=RAA", admin=True,
          prepare=_reference_checked),
    Visit("referensi-gagal", "/ui/referensi?skema=RAA", admin=True,
          prepare=_reference_refused),
    Visit("sparql", "/ui/sparql?kueri=processes-per-opd", prepare=_sparql_result),
    Visit("masuk", "/ui/masuk"),
    Visit("masuk-gagal", "/ui/masuk", prepare=_bad_token),
    Visit("impor", "/ui/impor", signed_in=True),
    Visit("ubah", "/ui/e/layanan/LYN-06/ubah", signed_in=True),
    Visit("ubah-gagal", "/ui/e/layanan/LYN-06/ubah", signed_in=True, prepare=_bad_form),
    Visit("404", "/ui/tidak-ada-halaman-ini"),
]


FACTS = r"""() => {
    const visible = e => e.getClientRects().length > 0
        && getComputedStyle(e).visibility !== 'hidden' && !e.closest('[aria-hidden=true]');
    const named = e => visible(e) && e.textContent.trim() !== '';
    const controls = [...document.querySelectorAll('input, select, textarea')].filter(
        c => !['hidden', 'submit', 'button', 'reset'].includes(c.type) && visible(c));
    const column = c => {  // a control in a table cell is labelled by its column's heading
        const cell = c.closest('td');
        const table = cell && cell.closest('table');
        const head = table && table.tHead && table.tHead.rows[0].cells[cell.cellIndex];
        return head && named(head) && (c.getAttribute('aria-label') || '').trim() !== '';
    };
    const unlabelled = controls.filter(c => !([...(c.labels || [])].some(named) || column(c)))
        .map(c => c.id || c.name || c.tagName);
    const untied = [];
    for (const c of document.querySelectorAll('[aria-invalid=true]')) {
        const ids = (c.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
        const said = ids.map(i => document.getElementById(i)).filter(
            e => e && e.matches('.error, [role=alert]') && named(e));
        if (!said.length) { untied.push(c.id || c.name); }
    }
    const alerts = [...document.querySelectorAll('[role=alert], [aria-live=assertive]')]
        .filter(named).map(e => e.textContent.trim());
    const errors = [...document.querySelectorAll('.notice.bad, .error')].filter(named)
        .filter(e => !e.closest('[role=alert], [aria-live]') && !alerts.length)
        .map(e => e.textContent.trim());
    // a <summary> is a button: a control inside it is a control inside a control
    const nested = [...document.querySelectorAll(
        'summary :is(a[href], button, input, select, textarea, [tabindex])')].map(
        c => c.outerHTML.slice(0, 80));
    return {title: document.title, lang: document.documentElement.lang,
            h1: [...document.querySelectorAll('h1')].map(h => h.textContent.trim()),
            invalid: document.querySelectorAll('[aria-invalid=true]').length,
            unlabelled, untied, alerts, unannounced: errors, nested};
}"""
"""What axe cannot judge alone: visible labels, errors tied to their fields and announced,
controls inside a disclosure's toggle, the title, the language and the main heading of the
page."""


def with_lang(path: str, lang: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"


def run_axe(page: Any, excused: set[tuple[str, str]]) -> list[dict[str, Any]]:
    """axe's violations of the WCAG 2.0/2.1 A and AA rules (and of axe's best practices:
    landmarks, heading order, …) on the page as it is now, less the excused ones.

    The page's Content-Security-Policy forbids inline scripts (rightly), so axe is not
    added as a <script> element but evaluated through the DevTools protocol."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                               resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '),
                                          html: n.html.slice(0, 200),
                                          summary: n.failureSummary}))}));
        }""", WCAG_TAGS)
    violations = []
    for violation in result:
        nodes = [n for n in violation["nodes"] if (violation["id"], n["target"]) not in excused]
        if nodes:
            violations.append({**violation, "nodes": nodes})
    return violations


@dataclass
class Result:
    violations: list[dict[str, Any]]
    facts: dict[str, Any]


@pytest.fixture(scope="module")
def audit(browser: Any, server: Server) -> dict[str, Result]:
    """Every visit in both languages ("name/lang"): axe's violations and the page's facts."""
    found: dict[str, Result] = {}
    traffic = Traffic(server.origin)
    anonymous = open_page(browser, server, traffic)
    editor = open_page(browser, server, traffic)
    sign_in(editor, server)
    admin = open_page(browser, server, traffic)
    sign_in(admin, server, ADMIN_TOKEN["admin"])
    for visit in VISITS:
        page = admin if visit.admin else editor if visit.signed_in else anonymous
        for lang in ("id", "en"):
            page.goto(server.origin + with_lang(visit.path, lang))
            if visit.prepare:
                visit.prepare(page)
            found[f"{visit.name}/{lang}"] = Result(
                run_axe(page, EXCUSED.get(visit.name, set())), page.evaluate(FACTS))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "axe.json").write_text(json.dumps(
        {name: result.violations for name, result in found.items()}, indent=1,
        ensure_ascii=False), encoding="utf-8")
    assert not traffic.foreign, traffic.foreign
    # the failed sign-in (401), the refused form (422) and the 404 page answer so on purpose
    expected = re.compile(r"Failed to load resource: .* status of (401|404|422) ")
    assert [line for line in traffic.console if not expected.match(line)] == []
    anonymous.context.close()
    editor.context.close()
    admin.context.close()
    return found


def test_axe_finds_no_violation(audit: dict[str, Result]) -> None:
    problems = {name: [f"{v['id']} ({v['impact']}, {len(v['nodes'])}×): {v['help']} — "
                       f"{v['nodes'][0]['target']}" for v in result.violations]
                for name, result in audit.items() if result.violations}
    assert not problems, json.dumps(problems, indent=1, ensure_ascii=False)


def test_every_form_control_has_a_visible_label(audit: dict[str, Result]) -> None:
    unlabelled = {name: r.facts["unlabelled"] for name, r in audit.items()
                  if r.facts["unlabelled"]}
    assert not unlabelled, unlabelled


def test_form_errors_are_tied_to_their_field_and_announced(audit: dict[str, Result]) -> None:
    for name in ("masuk-gagal/id", "masuk-gagal/en", "ubah-gagal/id", "ubah-gagal/en",
                 "referensi-gagal/id", "referensi-gagal/en"):
        facts = audit[name].facts
        assert facts["invalid"] > 0, name  # the refused field is marked …
        assert facts["untied"] == [], (name, facts["untied"])  # … and names its message
        assert facts["alerts"], name  # which is announced
    problems = {name: (r.facts["untied"], r.facts["unannounced"]) for name, r in audit.items()
                if r.facts["untied"] or r.facts["unannounced"]}
    assert not problems, problems


def test_no_control_sits_inside_a_disclosure_toggle(audit: dict[str, Result]) -> None:
    """axe does not flag a link inside <summary> (announced as a button), but it is a
    nested interactive control; the reference tree had them."""
    nested = {name: r.facts["nested"] for name, r in audit.items() if r.facts["nested"]}
    assert not nested, nested


def test_the_reference_tree_works_with_the_keyboard(browser: Any, server: Server) -> None:
    """A code's toggle opens and closes with the keyboard, and its elements' links come
    next in the tab order, after the toggle."""
    from playwright.sync_api import expect

    traffic = Traffic(server.origin)
    page = open_page(browser, server, traffic)
    page.goto(server.origin + "/ui/referensi?skema=RAK")
    branch = page.locator("details:has(> summary #RAK\\.02)")
    page.locator("summary:has(#RAK\\.02)").focus()
    expect(branch).to_have_attribute("open", "")
    page.keyboard.press("Enter")
    expect(branch).not_to_have_attribute("open", "")
    page.keyboard.press("Enter")
    expect(branch).to_have_attribute("open", "")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "KAM-02"
    assert not traffic.foreign
    page.context.close()


def test_the_title_says_which_page_it_is_in_its_language(audit: dict[str, Result]) -> None:
    for name, result in audit.items():
        facts = result.facts
        assert facts["lang"] == name.rsplit("/", 1)[1], name
        assert len(facts["h1"]) == 1, (name, facts["h1"])
    titles: dict[tuple[str, str], list[str]] = {}
    for name, result in audit.items():
        titles.setdefault((result.facts["lang"], result.facts["title"]), []).append(name)
    # no two pages share a title; a refused form says so in its title
    shared = {title: names for title, names in titles.items() if len(names) > 1}
    assert not shared, shared
    assert audit["404/id"].facts["title"].startswith("Tidak ditemukan")
    assert audit["404/en"].facts["title"].startswith("Not found")
    assert audit["404/id"].facts["h1"] == ["Tidak ditemukan"]  # the heading says it too
    assert audit["404/en"].facts["h1"] == ["Not found"]
    for name in ("masuk-gagal", "ubah-gagal"):
        assert audit[f"{name}/id"].facts["title"].startswith("Kesalahan: ")
        assert audit[f"{name}/en"].facts["title"].startswith("Error: ")


def test_the_language_switch_sets_the_page_language(browser: Any, server: Server) -> None:
    from playwright.sync_api import expect

    traffic = Traffic(server.origin)
    page = open_page(browser, server, traffic)
    page.goto(server.origin + "/ui/validasi?lang=id")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    page.locator("header .langs").get_by_role("link", name="EN").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_contain_text("Architecture validation")
    page.goto(server.origin + "/ui/referensi")  # remembered on the next page
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.locator("header .langs").get_by_role("link", name="ID").click()
    expect(page.locator("html")).to_have_attribute("lang", "id")
    assert not traffic.foreign
    page.context.close()


CHART_NUMBERS = """() => [...document.querySelectorAll('svg.chart')].map(svg => {
    const named = (svg.getAttribute('aria-labelledby') || '').split(' ')
        .map(i => document.getElementById(i)).filter(Boolean).map(e => e.textContent).join(' ');
    const table = svg.nextElementSibling && svg.nextElementSibling.matches('details')
        ? svg.nextElementSibling.querySelector('table') : null;
    const shown = [...svg.querySelectorAll('text.value')].map(t => t.textContent)
        .concat([...svg.querySelectorAll('circle > title')].map(
            t => t.textContent.split(': ').pop()));
    return {role: svg.getAttribute('role'), name: named.trim(), shown,
            table: table ? [...table.querySelectorAll('td')].map(td => td.textContent.trim())
                         : null};
})"""


@pytest.mark.parametrize("lang", ["id", "en"])
def test_dashboard_charts_have_their_numbers_as_text(browser: Any, server: Server,
                                                    lang: str) -> None:
    """A screen-reader user gets every number of a chart from the table right after it
    (and the chart itself is named)."""
    traffic = Traffic(server.origin)
    page = open_page(browser, server, traffic)
    page.goto(server.origin + f"/ui?lang={lang}")
    charts = page.evaluate(CHART_NUMBERS)
    assert len(charts) >= 4
    for chart in charts:
        assert chart["role"] in ("img", "group") and chart["name"], chart
        assert chart["table"] is not None, chart
        assert chart["shown"], chart
        cells = chart["table"]
        missing = [value for value in chart["shown"]
                   if not any(value.rstrip("%") == cell or value == cell for cell in cells)]
        assert not missing, (chart["name"], missing, cells)
    page.context.close()


FOCUS_RING = r"""() => {
    const e = document.activeElement;
    if (!e || e === document.body) { return null; }
    const style = getComputedStyle(e);
    const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    const rgba = text => {
        const m = text.match(/^rgba?\(([\d.]+),? ([\d.]+),? ([\d.]+)(?:,? \/? ?([\d.]+))?\)$/);
        if (!m) { throw new Error('unexpected colour ' + text); }
        return [+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]];
    };
    const over = (top, below) => [0, 1, 2].map(
        i => top[i] * top[3] + below[i] * (1 - top[3])).concat([1]);
    // the colour painted around an element: its background and its ancestors', blended
    // from the page (white) up (table rows count, which hit testing leaves out)
    const surface = top => {
        const layers = [];
        for (let x = top; x; x = x.parentElement) { layers.push(x); }
        let colour = [255, 255, 255, 1];
        for (const x of layers.reverse()) {
            const layer = rgba(getComputedStyle(x).backgroundColor);
            if (layer[3] > 0) { colour = over(layer, colour); }
        }
        return colour;
    };
    const luminance = c => {
        const [r, g, b] = c.slice(0, 3).map(v => v / 255).map(
            v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const contrast = (a, b) => {
        const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
        return (hi + 0.05) / (lo + 0.05);
    };
    const outline = rgba(style.outlineColor);
    // the surface just outside the outline, in the middle of each side: what is shown
    // there, so an element placed over another (the skip link over the header) is judged
    // against what it covers; the element's parent where that is off screen
    const box = e.getBoundingClientRect();
    const out = parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth) + 1;
    const points = [[box.left - out, box.top + box.height / 2],
                    [box.right + out, box.top + box.height / 2],
                    [box.left + box.width / 2, box.top - out],
                    [box.left + box.width / 2, box.bottom + out]].filter(
        ([x, y]) => x >= 0 && y >= 0 && x < innerWidth && y < innerHeight);
    const surfaces = points.map(([x, y]) => surface(
        document.elementsFromPoint(x, y).find(x => x !== e && !e.contains(x))));
    if (!surfaces.length) { surfaces.push(surface(e.parentElement)); }
    const worst = Math.min(...surfaces.map(c => contrast(outline, c)));
    return {what: e.outerHTML.slice(0, 80), ring, outline: style.outlineColor,
            contrast: Math.round(worst * 100) / 100};
}"""
"""Whether the focused element shows an outline, and the outline colour's contrast with
the surface around it (the lowest of the four sides)."""


def test_the_keyboard_focus_is_always_visible(browser: Any, server: Server) -> None:
    """Tabbing through the dashboard (header, menu, tiles, chart bars, tables), the SOP
    page of its editor (forms, step table on striped rows, the BPMN viewer) and a list
    (sort buttons on the table heading): whatever takes the focus shows it, with an outline
    of at least 3:1 against the surface around it (WCAG 2.4.13, 1.4.11)."""
    traffic = Traffic(server.origin)
    page = open_page(browser, server, traffic)
    sign_in(page, server)
    unseen: list[str] = []
    faint: list[str] = []
    for path, stops in (("/ui", 60), (f"/ui/sop/{SOP}", 120), ("/ui/e/layanan", 40)):
        page.goto(server.origin + path)
        for _ in range(stops):
            page.keyboard.press("Tab")
            seen = page.evaluate(FOCUS_RING)
            if seen is None:
                continue
            if not seen["ring"]:
                unseen.append(f"{path}: {seen['what']}")
            elif seen["contrast"] < 3:
                faint.append(f"{path}: {seen['outline']} {seen['contrast']}:1 {seen['what']}")
    assert not unseen, unseen
    assert not faint, faint
    page.context.close()
