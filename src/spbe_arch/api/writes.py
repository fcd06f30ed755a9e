"""Committing a planned entity change on behalf of a caller: scope, rules, audit.

The order is fixed and happens under the app's write lock, so nothing changes between the
check and the commit:

1. the caller's role and OPD scope must cover every OPD the change touches (before and
   after: moving a process from one OPD to another needs both);
2. the SHACL rules: if the change would add a Violation, it is refused (HTTP 422, with
   the validation results) and nothing is written;
3. the change and its audit record are committed in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rdflib.term import URIRef

from spbe_arch import iris
from spbe_arch.access import Principal, require_opd_write
from spbe_arch.audit import apply_audited
from spbe_arch.errors import SpbeError
from spbe_arch.model import KINDS, EntityChangeSet
from spbe_arch.model.service import RepositoryResolver
from spbe_arch.repository import Repository


class RuleViolationError(SpbeError):
    """The change would break an architecture rule (sh:Violation); nothing was written."""

    http_status = 422

    def __init__(self, report_json: Any) -> None:
        super().__init__(
            "perubahan ditolak karena melanggar aturan arsitektur (SHACL); tidak ada yang"
            " disimpan",
            "the change was refused because it breaks architecture rules (SHACL); nothing"
            " was stored",
        )
        self.extra = {"validation": report_json}


def opd_iris(repository: Repository, instansi: str, codes: Iterable[str | None]) -> set[str]:
    """OPD IRIs for OPD codes, as stored (or as they would be minted)."""
    wanted = {c for c in codes if c}
    if not wanted:
        return set()
    stored = RepositoryResolver(repository, instansi).stored_codes(KINDS["opd"])
    return {str(stored.get(code) or iris.element_iri(instansi, "opd", code))
            for code in wanted}


def rule_violations(repository: Repository, plan: EntityChangeSet,
                    lang: str = "id") -> Any | None:
    """The validation report (JSON) if the change would add a Violation, else None."""
    from spbe_arch.validation.incremental import validate_change

    report = validate_change(repository, plan, lang=lang)
    if not _has_violation(report):
        return None
    return report.to_json(lang)


def _has_violation(report: Any) -> bool:
    for attribute in ("has_violations", "violations"):
        value = getattr(report, attribute, None)
        if callable(value):
            value = value()
        if value is not None:
            return bool(value)
    return any(str(getattr(r, "severity", "")).endswith("Violation")
               for r in getattr(report, "results", []))


def commit(repository: Repository, principal: Principal, plan: EntityChangeSet, *,
           instansi: str, opd_codes: Iterable[str | None], label: str,
           what_id: str, what_en: str, lang: str = "id") -> URIRef | None:
    """Check scope and rules, then apply the plan with its audit record."""
    require_opd_write(principal, opd_iris(repository, instansi, opd_codes), what_id, what_en)
    if plan.is_empty():
        return None
    report = rule_violations(repository, plan, lang)
    if report is not None:
        raise RuleViolationError(report)
    return apply_audited(repository, plan, agent=principal.name, entities=plan.entities,
                         label=label)
