"""Validasi: the findings of the stored report, their links and how they are told apart."""

from __future__ import annotations

import re
from urllib.parse import quote

from tests.web.helpers import ROOT, Web, process_with_model

from spbe_arch.sop import derive_sop

BIZAGI = ROOT / "tests" / "fixtures" / "bpmn" / "bizagi" / "A.1.0-roundtrip.bpmn"


def test_findings_of_sop_steps_link_to_their_sop_even_with_spaces_in_its_code(
        fresh_demo_web: Web) -> None:
    """A step's finding is named "CODE langkah N"; the link must keep the whole SOP code
    (which may hold spaces), and the step's findings say which field each one is about."""
    web = fresh_demo_web
    session = web.session("editor")
    code = "DISKOMINFO 01.09"
    process_with_model(web, session, code, BIZAGI)
    sop = derive_sop(web.repository, proses=code, kode_wilayah="3574", agent="uji").kode
    assert " " in sop
    ran = session.post("/ui/validasi/jalankan", follow_redirects=False)
    assert ran.status_code == 303
    page = session.get("/ui/validasi?opd=DISKOMINFO").text
    rows = [row for row in re.findall(r"<tr>\s*<td data-sort=.*?</tr>", page, re.S)
            if f"{sop} langkah" in row]
    assert rows, "the Bizagi model's steps have no mutu baku: findings expected"
    for row in rows:
        assert f'<a href="/ui/sop/{quote(sop, safe="")}">' in row
    # the same rule on three fields of one step: each row says which field
    labels = {re.search(r"<td><strong>([^<]+)</strong>: ", row).group(1)  # type: ignore[union-attr]
              for row in rows if f"{sop} langkah 2<" in row}
    assert len(labels) > 1, labels
    # "Perbaiki" goes to the step's cell in the SOP page's steps form
    fixes = set(re.findall(r'href="(/ui/sop/[^"#]+#langkah-2-\w+)"', " ".join(
        row for row in rows if f"{sop} langkah 2<" in row)))
    assert {link.rsplit("-", 1)[-1] for link in fixes} <= {"kelengkapan", "waktu", "output"}
    assert len(fixes) == len(labels)
    form = session.get(next(iter(fixes)).split("#")[0]).text
    assert f'id="{next(iter(fixes)).split("#")[1]}"' in form
