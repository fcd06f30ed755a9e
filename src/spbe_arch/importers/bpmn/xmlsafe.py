"""Parsing untrusted XML without resolving anything.

BPMN never needs a DTD, so a document that declares one is refused before the parser sees
it (billion-laughs and external-entity files stop here), and the parser itself is set up
to load nothing from disk or network even if the check were bypassed (e.g. by an encoding
the byte scan cannot read).
"""

from __future__ import annotations

import re

from lxml import etree

from spbe_arch.errors import InputError, Location

_ROOT_START = re.compile(rb"<[A-Za-z_]")
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def check_size(size: int, max_bytes: int, file_name: str) -> None:
    if size > max_bytes:
        raise InputError(
            f"berkas terlalu besar ({size:,} byte); batasnya {max_bytes:,} byte".replace(",", "."),
            f"file too large ({size:,} bytes); the limit is {max_bytes:,} bytes",
            Location(file=file_name),
        )


def parse_untrusted_xml(data: bytes, file_name: str, max_bytes: int) -> etree._Element:
    """The root element of `data`, or an `InputError` naming the problem and its line."""
    check_size(len(data), max_bytes, file_name)
    if not data.strip():
        raise InputError("berkas kosong", "the file is empty", Location(file=file_name))
    root_start = _ROOT_START.search(data)
    prolog_end = root_start.start() if root_start else len(data)
    doctype = _DOCTYPE.search(data, 0, prolog_end)
    if doctype:
        raise InputError(
            "berkas memuat deklarasi DTD (<!DOCTYPE ...>); BPMN tidak memakai DTD dan entitas"
            " tidak diizinkan demi keamanan, sehingga berkas ditolak",
            "the file declares a DTD (<!DOCTYPE ...>); BPMN does not use DTDs and entities are"
            " not allowed for safety, so the file is refused",
            Location(file=file_name, line=_line_of(data, doctype.start())),
        )
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (None, None)
        raise InputError(
            f"berkas bukan XML yang sah: {exc.msg}",
            f"the file is not well-formed XML: {exc.msg}",
            Location(file=file_name, line=line, column=column),
        ) from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise InputError(
            "berkas memuat deklarasi DTD; tidak diizinkan demi keamanan",
            "the file declares a DTD; not allowed for safety",
            Location(file=file_name, line=1),
        )
    return root
