"""SOP AP (PermenPANRB 35/2012): derived from BPMN models, edited, drawn and exported.

Service functions (one per CLI command / API route):
- `derive_sop` — SOP from the BPMN model of a proses bisnis (`spbe-arch sop derive`)
- `set_sop_fields`, `set_step_fields` — identity fields and per-step mutu baku
- `load_sop`, `list_sops` — read back
- `render_sop` — PDF, HTML, DOCX documents or an SVG flowchart page
- `export_sop_bpmn` — the SOP as BPMN 2.0 XML with diagram geometry
- `demo_step` — the demo's import -> derive -> render chain
"""

from spbe_arch.sop.bpmn_export import export_sop_bpmn
from spbe_arch.sop.demo import DemoSopResult, demo_step
from spbe_arch.sop.document import SopDocument, load_sop
from spbe_arch.sop.render import RenderedDocument, render_sop
from spbe_arch.sop.service import (
    DeriveResult,
    derive_sop,
    list_sops,
    set_sop_fields,
    set_step_fields,
)

__all__ = [
    "DemoSopResult",
    "DeriveResult",
    "RenderedDocument",
    "SopDocument",
    "demo_step",
    "derive_sop",
    "export_sop_bpmn",
    "list_sops",
    "load_sop",
    "render_sop",
    "set_sop_fields",
    "set_step_fields",
]
