"""Excel workbooks: the template OPDs fill in, the export in the same layout, and the import.

- `build_workbook(repository, out, instansi=…, opd=…, with_data=…)` writes a template (empty,
  or prefilled for one OPD) or an export;
- `import_workbook(repository, path_or_bytes, instansi=…, dry_run=…, editor_opds=…)` reads a
  filled workbook and commits all of it or nothing, returning an `ImportReport`.
"""

from spbe_arch.importers.xlsx.importer import ImportReport, WorkbookProblems, import_workbook
from spbe_arch.importers.xlsx.layout import SHEET_TITLES, layouts
from spbe_arch.importers.xlsx.reader import SheetProblem
from spbe_arch.importers.xlsx.writer import WorkbookSummary, build_workbook

__all__ = [
    "SHEET_TITLES",
    "ImportReport",
    "SheetProblem",
    "WorkbookProblems",
    "WorkbookSummary",
    "build_workbook",
    "import_workbook",
    "layouts",
]
