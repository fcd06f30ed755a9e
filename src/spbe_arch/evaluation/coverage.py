"""SOP coverage per OPD — the leaders' question "which OPDs have set their SOPs?"."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from rdflib.term import Literal, Node, URIRef

from spbe_arch import iris
from spbe_arch.evaluation.framework import sparql
from spbe_arch.repository import Repository
from spbe_arch.vocab import SPBE

_STATUS_TRIPLE = f"<{SPBE.statusSOP}> <{SPBE.Ditetapkan}>"


@dataclass
class OpdCoverage:
    opd: URIRef
    code: str
    name: str
    processes: int = 0
    processes_with_sop: int = 0
    processes_with_sop_ditetapkan: int = 0
    sops_draft: int = 0
    sops_ditetapkan: int = 0
    effective_dates: list[str] = field(default_factory=list)
    ditetapkan_since: int | None = None

    @property
    def coverage(self) -> Decimal:
        """Share (%) of the OPD's processes with at least one SOP that is ditetapkan."""
        if not self.processes:
            return Decimal(0)
        part = self.processes_with_sop_ditetapkan
        share = (Decimal(part * 100) / Decimal(self.processes)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP)
        # 999 of 1,000 processes is 99.9 %, never a rounded 100 % that hides the one left
        if part < self.processes:
            share = min(share, Decimal("99.9"))
        return max(share, Decimal("0.1")) if part else share

    def to_json(self) -> dict[str, object]:
        return {
            "opd": str(self.opd), "kode": self.code, "nama": self.name,
            "proses_bisnis": self.processes,
            "proses_dengan_sop": self.processes_with_sop,
            "proses_dengan_sop_ditetapkan": self.processes_with_sop_ditetapkan,
            "sop_draft": self.sops_draft, "sop_ditetapkan": self.sops_ditetapkan,
            "tanggal_efektif": self.effective_dates,
            "cakupan_persen": float(self.coverage),
            "ditetapkan_sejak": self.ditetapkan_since,
        }


def _since_literal(since: date) -> Literal:
    moment = since if isinstance(since, datetime) else datetime.combine(since, time.min)
    return Literal(moment.isoformat(), datatype=URIRef("http://www.w3.org/2001/XMLSchema#dateTime"))


def sops_set_since(repository: Repository, since: date) -> set[URIRef]:
    """SOPs whose status was set to ditetapkan at or after `since`, read from the audit trail."""
    found: set[URIRef] = set()
    for row in repository.select(sparql("changes-since"), {"since": _since_literal(since)}):
        # N-Triples lines end at "\n" only (str.splitlines also cuts at U+2028 and U+0085,
        # which a literal may hold)
        for line in str(row["added"]).split("\n"):
            # the predicate and object right after the subject: the same words inside a
            # literal (of a description, say) are no status
            if line.startswith("<") and ">" in line:
                end = line.index(">")
                if line[end + 1:].lstrip().startswith(_STATUS_TRIPLE):
                    found.add(URIRef(line[1:end]))
    return found


def sop_coverage(repository: Repository, kode_wilayah: str,
                 since: date | None = None) -> list[OpdCoverage]:
    """Every OPD of the instansi, the ones furthest behind first."""
    instansi = {"instansi": iris.instansi_iri(kode_wilayah)}
    table: dict[URIRef, OpdCoverage] = {}
    for row in repository.select(sparql("opds"), instansi):
        opd = row["opd"]
        assert isinstance(opd, URIRef)
        table[opd] = OpdCoverage(opd, str(row.get("code", "")), str(row.get("name", "")))
    owner_of: dict[URIRef, URIRef] = {}
    for row in repository.select(sparql("processes"), instansi):
        process, process_owner = row["process"], row.get("owner")
        if (isinstance(process_owner, URIRef) and process_owner in table
                and isinstance(process, URIRef)):
            owner_of[process] = process_owner
    for process_owner in owner_of.values():
        table[process_owner].processes += 1
    with_sop: dict[URIRef, set[URIRef]] = {}
    with_set: dict[URIRef, set[URIRef]] = {}
    changed = sops_set_since(repository, since) if since is not None else set()
    counted: set[URIRef] = set()
    for row in repository.select(sparql("sops"), instansi):
        sop = row["sop"]
        assert isinstance(sop, URIRef)
        sop_process = row.get("process")
        owner: Node | None = row.get("owner")
        if not isinstance(owner, URIRef) and isinstance(sop_process, URIRef):
            owner = owner_of.get(sop_process)
        if not isinstance(owner, URIRef) or owner not in table:
            continue
        entry = table[owner]
        ditetapkan = row.get("status") == SPBE.Ditetapkan
        if sop not in counted:
            counted.add(sop)
            if ditetapkan:
                entry.sops_ditetapkan += 1
                if row.get("effective") is not None:
                    entry.effective_dates.append(str(row["effective"]))
                if sop in changed:
                    entry.ditetapkan_since = (entry.ditetapkan_since or 0) + 1
            else:
                entry.sops_draft += 1
        if isinstance(sop_process, URIRef) and owner_of.get(sop_process) == owner:
            with_sop.setdefault(owner, set()).add(sop_process)
            if ditetapkan:
                with_set.setdefault(owner, set()).add(sop_process)
    for opd, entry in table.items():
        entry.processes_with_sop = len(with_sop.get(opd, set()))
        entry.processes_with_sop_ditetapkan = len(with_set.get(opd, set()))
        entry.effective_dates.sort()
        if since is not None and entry.ditetapkan_since is None:
            entry.ditetapkan_since = 0
    # OPDs with processes and the lowest coverage first; among equals, more processes first.
    return sorted(table.values(),
                  key=lambda e: (e.processes == 0, e.coverage, -e.processes, e.code))
