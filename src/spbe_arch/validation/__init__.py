"""Architecture rules (SHACL shapes in `shapes/`) checked exactly, fast and incrementally.

pySHACL is the reference semantics. The fast path compiles every shape to SPARQL queries run
through the repository API; its results are the same (focus node, result path, value, source
shape, constraint component, severity) tuples pySHACL reports — the differential tests in
tests/validation/ prove it on the demo repository, on synthetic repositories with a fault for
every rule, and on the W3C SHACL test suite. Shapes the fast path cannot compile are validated
by pySHACL (`ValidationReport.engines` says which engine ran which shape).
"""

from spbe_arch.validation.incremental import IncrementalValidator, validate_change
from spbe_arch.validation.report import ValidationReport, ValidationResult
from spbe_arch.validation.service import (
    data_graphs,
    latest_report,
    load_validation_shapes,
    report_history,
    store_if_changed,
    store_report,
    validate,
)

__all__ = [
    "IncrementalValidator",
    "ValidationReport",
    "ValidationResult",
    "data_graphs",
    "latest_report",
    "load_validation_shapes",
    "report_history",
    "store_if_changed",
    "store_report",
    "validate",
    "validate_change",
]
