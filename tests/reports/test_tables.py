"""Column widths: header words and codes are not split inside a word."""

from __future__ import annotations

import io
import re

import docx
import pytest
from PIL import ImageFont
from tests.reports.conftest import UJI

from spbe_arch.reports import render_report
from spbe_arch.reports.tables import TEXT_WIDTH_PT, Cell, Table
from spbe_arch.repository import Repository

BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
REGULAR = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def points(word: str, path: str) -> float:
    return float(ImageFont.truetype(path, 80).getlength(word)) / 10  # 8 pt


def test_a_narrow_column_gets_the_width_of_its_header_word() -> None:
    table = Table("t", "T", ["Kode", "Nama", "Metode layanan", "Target"],
                  [["L-1", "Layanan", "Elektronik", "ASN"]], widths=[10, 70, 6, 14])
    percents = table.column_percents
    assert percents is not None and round(sum(percents), 6) == 100
    metode = percents[2] / 100 * TEXT_WIDTH_PT
    assert metode >= points("layanan", BOLD) and metode >= points("Elektronik", REGULAR)
    assert percents[1] < 70  # the room came from the wide column


def test_codes_in_the_body_are_kept_whole_when_there_is_room() -> None:
    table = Table("t", "T", ["Kode", "OPD", "Nama"],
                  [[Cell("RAL.01.43.03", "Pengelolaan"), "DISPENDUKCAPIL", "x"]],
                  widths=[8, 8, 84])
    percents = table.column_percents
    assert percents is not None
    assert percents[0] / 100 * TEXT_WIDTH_PT >= points("RAL.01.43.03", REGULAR)
    assert percents[1] / 100 * TEXT_WIDTH_PT >= points("DISPENDUKCAPIL", REGULAR)


def test_headers_that_cannot_all_fit_keep_the_template_proportions() -> None:
    columns = [f"Pemberdayaan{i}" for i in range(12)]
    table = Table("t", "T", columns, [], widths=[1] * 12)
    assert table.column_percents == pytest.approx([100 / 12] * 12)
    assert Table("t", "T", ["a"], []).column_percents is None


@pytest.mark.parametrize("report", ["arsitektur", "validasi", "register-sop"])
def test_word_headers_do_not_break_inside_a_word(uji_repository: Repository,
                                                 report: str) -> None:
    font = ImageFont.truetype(BOLD, 80)
    word = docx.Document(io.BytesIO(render_report(uji_repository, report, "docx",
                                                  instansi=UJI)))
    checked = 0
    for table in word.tables:
        widths = [col.w.twips for col in table._tbl.tblGrid.gridCol_lst]
        if len(widths) > 8:  # wide matrices keep their proportions
            continue
        for cell, width in zip(table.rows[0].cells, widths, strict=True):
            # a header may break at a space or after a hyphen
            for text in filter(None, re.split(r"\s+|(?<=-)", cell.text)):
                checked += 1
                assert font.getlength(text) * 2 <= width - 230, (report, text, width)
    assert checked
