"""Every text the pages show has an English translation."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.web.helpers import text_of

from spbe_arch.web import i18n, rendering
from spbe_arch.web.pages import browse, process, validation

WEB = Path(i18n.__file__).resolve().parent


def texts_in_templates() -> set[str]:
    found: set[str] = set()
    for path in (WEB / "templates").glob("*.j2"):
        source = path.read_text(encoding="utf-8")
        found.update(re.findall(r'_\(\s*"((?:[^"\\]|\\.)*)"', source))
        found.update(re.findall(r"_\(\s*'((?:[^'\\]|\\.)*)'", source))
    return found


def texts_in_handlers() -> set[str]:
    found: set[str] = set()
    for path in WEB.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "t" and node.args
                    and isinstance(node.args[0], ast.Constant)):
                found.add(str(node.args[0].value))
    return found


def test_every_text_has_an_english_translation() -> None:
    texts = texts_in_templates() | texts_in_handlers()
    texts |= {label for _, label in rendering.NAV}
    texts |= set(rendering.SEVERITY_LABELS.values())
    for module in (browse, process, validation):
        texts |= set(module.NOTICES.values())
    texts |= set(process.IDENTITY_LABELS.values())
    assert len(texts) > 200
    missing = sorted(t for t in texts if t not in i18n.EN)
    assert not missing, f"add English for: {missing}"


def test_placeholders_survive_translation() -> None:
    for indonesian, english in i18n.EN.items():
        assert set(re.findall(r"\{(\w+)\}", indonesian)) == set(
            re.findall(r"\{(\w+)\}", english)), indonesian
    assert i18n.translate("{n} baris", "en", n=3) == "3 rows"
    assert i18n.translate("{n} baris", "id", n=3) == "3 baris"


def test_the_new_layanan_form_explains_its_links_in_plain_english(demo_web) -> None:  # type: ignore[no-untyped-def]
    session = demo_web.session("editor")
    page = text_of(session.get("/ui/e/layanan/baru/isi?lang=en").text)
    assert "Each chosen Business process gets a link to this new Service" in page
