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
from spbe_arch.importers.bpmn.notices import Notice

_ROOT_START = re.compile(rb"<[A-Za-z_]")
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_DECLARED_ENCODING = re.compile(rb"""^<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# the parser's position is already in the Location; its message repeats it
_POSITION_SUFFIX = re.compile(r"(,? line \d+)?, line \d+, column \d+\s*$")

# libxml2 error codes (xmlerror.h) that have their own sentence
_ERR_DOCUMENT_EMPTY = 4
_ERR_UNDECLARED_ENTITY = (26, 27)
_ERR_UNSUPPORTED_ENCODING = 32
_ERR_TAG_NAME_MISMATCH = 76
_ERR_PREMATURE_END = 77
_ERR_INVALID_ENCODING = 81
_ERR_RESOURCE_LIMIT = 114


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def check_size(size: int, max_bytes: int, file_name: str) -> None:
    if size > max_bytes:
        raise InputError(
            f"berkas terlalu besar ({size:,} byte); batasnya {max_bytes:,} byte".replace(",", "."),
            f"file too large ({size:,} bytes); the limit is {max_bytes:,} bytes",
            Location(file=file_name),
        )


def _not_xml(data: bytes, file_name: str) -> None:
    """Files people pick by mistake get a sentence saying what they are."""
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        raise InputError(
            "berkas ini arsip ZIP (misalnya berkas proyek Bizagi .bpm, atau dokumen Word/Excel),"
            " bukan BPMN 2.0 XML; ekspor model dari alat pemodelan sebagai berkas BPMN 2.0 XML"
            " lalu impor berkas itu",
            "this file is a ZIP archive (e.g. a Bizagi .bpm project, or a Word/Excel document),"
            " not BPMN 2.0 XML; export the model from the modelling tool as a BPMN 2.0 XML file"
            " and import that file",
            Location(file=file_name))
    if data.startswith(b"%PDF"):
        raise InputError("berkas ini dokumen PDF, bukan BPMN 2.0 XML",
                         "this file is a PDF document, not BPMN 2.0 XML", Location(file=file_name))


def _utf8_declared_otherwise(data: bytes, file_name: str,
                             notices: list[Notice] | None) -> bytes:
    """A file that declares a single-byte or UTF-16 encoding but holds UTF-8 bytes (a
    hand-edited declaration, or a tool that writes a fixed one) is read as UTF-8 with a
    warning: read as declared, every letter outside ASCII (é, Javanese or Arabic script)
    would be stored garbled without any error."""
    if data.startswith((*_UTF16_BOMS, _UTF8_BOM)):
        return data
    declared = _DECLARED_ENCODING.match(data)
    if declared is None:
        return data
    encoding = declared.group(1).decode("ascii").lower().replace("_", "-")
    if encoding in ("utf-8", "utf8"):
        return data
    utf16 = encoding.startswith(("utf-16", "utf16", "ucs-2", "ucs2"))
    if not utf16 and data.isascii():
        return data
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return data
    if notices is not None:
        notices.append(Notice(
            f"berkas menyatakan encoding {declared.group(1).decode()}, tetapi isinya UTF-8;"
            " dibaca sebagai UTF-8 agar huruf di luar ASCII tidak rusak",
            f"the file declares encoding {declared.group(1).decode()}, but its content is"
            " UTF-8; read as UTF-8 so that letters outside ASCII are not garbled",
            Location(file=file_name, line=1)))
    start, end = declared.span(1)
    return data[:start] + b"UTF-8" + data[end:]


def _syntax_error(exc: etree.XMLSyntaxError, data: bytes, file_name: str) -> InputError:
    line, column = exc.position if exc.position else (None, None)
    detail = _POSITION_SUFFIX.sub("", (exc.msg or "").strip())
    where = Location(file=file_name, line=line, column=column)
    declared = _DECLARED_ENCODING.match(data.removeprefix(_UTF8_BOM))
    content = data.rstrip()
    last_line = content.count(b"\n") + 1
    # the parser stopped at the very end of the data: the file was cut short
    at_end = exc.code == _ERR_PREMATURE_END or (line is not None and line > last_line) or (
        line == last_line and column is not None
        and column >= len(content.rsplit(b"\n", 1)[-1]))
    if exc.code == _ERR_INVALID_ENCODING or "not proper UTF-8" in detail:
        if declared:
            encoding = declared.group(1).decode()
            said_id, said_en = (f"encoding {encoding} yang dinyatakannya",
                                f"its declared encoding {encoding}")
        else:
            said_id, said_en = ("UTF-8 (encoding bawaan XML)", "UTF-8 (the XML default)")
        return InputError(
            f"berkas memuat byte yang tidak sah untuk {said_id}; simpan ulang berkas sebagai"
            " UTF-8 (seperti ekspor BPMN dari alat pemodelan)",
            f"the file holds bytes that are not valid in {said_en}; save it again as UTF-8"
            " (as modelling tools export BPMN)", where)
    if exc.code == _ERR_UNSUPPORTED_ENCODING:
        return InputError(
            f"encoding yang dinyatakan berkas tidak dikenal ({detail}); simpan ulang sebagai"
            " UTF-8",
            f"the file declares an unknown encoding ({detail}); save it again as UTF-8", where)
    if "Excessive depth" in detail:
        return InputError(
            "elemen dalam berkas bersarang terlalu dalam (lebih dari 256 tingkat); berkas"
            " tidak dibaca",
            "the file's elements are nested too deeply (more than 256 levels); the file was"
            " not read", where)
    if exc.code == _ERR_RESOURCE_LIMIT or "Resource limit exceeded" in detail:
        return InputError(
            "satu nilai atau teks dalam berkas terlalu panjang (lebih dari 10 juta karakter);"
            " berkas tidak dibaca",
            "one value or text in the file is too long (more than 10 million characters);"
            " the file was not read", where)
    if exc.code == _ERR_DOCUMENT_EMPTY and line == 1 and column == 1:
        return InputError(
            "berkas bukan XML yang sah: isinya tidak diawali elemen XML (berkas BPMN diawali"
            " '<?xml' atau '<definitions')",
            "the file is not well-formed XML: it does not start with an XML element (a BPMN"
            " file starts with '<?xml' or '<definitions')", where)
    if exc.code in _ERR_UNDECLARED_ENTITY:
        return InputError(
            f"berkas bukan XML yang sah: entitas tidak dikenal ({detail}); tulis '&' sebagai"
            " '&amp;'",
            f"the file is not well-formed XML: unknown entity ({detail}); write '&' as"
            " '&amp;'", where)
    if at_end and exc.code != _ERR_TAG_NAME_MISMATCH:
        return InputError(
            f"berkas terpotong: dokumen XML berakhir sebelum lengkap (pengurai: {detail});"
            " unggah atau ekspor ulang berkas yang utuh",
            f"the file is cut short: the XML document ends before it is complete (parser:"
            f" {detail}); upload or export the whole file again", where)
    return InputError(f"berkas bukan XML yang sah (pengurai: {detail})",
                      f"the file is not well-formed XML: {detail}", where)


def parse_untrusted_xml(data: bytes, file_name: str, max_bytes: int,
                        notices: list[Notice] | None = None) -> etree._Element:
    """The root element of `data`, or an `InputError` naming the problem and its line.

    Warnings about what was read differently from what the file says (its encoding) are
    appended to `notices`.
    """
    check_size(len(data), max_bytes, file_name)
    if not data.strip():
        raise InputError("berkas kosong", "the file is empty", Location(file=file_name))
    _not_xml(data, file_name)
    data = _utf8_declared_otherwise(data, file_name, notices)
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
        raise _syntax_error(exc, data, file_name) from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise InputError(
            "berkas memuat deklarasi DTD; tidak diizinkan demi keamanan",
            "the file declares a DTD; not allowed for safety",
            Location(file=file_name, line=1),
        )
    return root
