"""Evaluation frameworks read from the repository (`data/evaluation/*.ttl`).

The framework is data: domains, aspects, indicators with weights, level names and
criteria, predicates. Figures the sources do not confirm carry a provisional mark, and
every output that uses them shows it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources

from rdflib.term import Literal, Node, URIRef

from spbe_arch.errors import InputError
from spbe_arch.repository import Repository

DEFAULT_FRAMEWORK = "permenpanrb-59-2020"


def sparql(name: str) -> str:
    """The text of one of this package's internal queries (`sparql/<name>.rq`)."""
    return (resources.files("spbe_arch.evaluation") / "sparql" / f"{name}.rq").read_text("utf-8")


def _text(node: Node | None) -> str:
    return str(node) if node is not None else ""


def as_int(node: Node | None) -> int:
    """The integer value of a literal (a missing or non-numeric value is a data error)."""
    if not isinstance(node, Literal):
        raise ValueError(f"expected an integer literal, got {node!r}")
    return int(node.toPython())


def as_decimal(node: Node | None) -> Decimal:
    if not isinstance(node, Literal):
        raise ValueError(f"expected a decimal literal, got {node!r}")
    return Decimal(str(node))


def _flag(node: Node | None) -> bool:
    return isinstance(node, Literal) and bool(node.toPython())


def _declared(node: Node | None) -> bool | None:
    return _flag(node) if isinstance(node, Literal) else None


@dataclass(frozen=True)
class Level:
    value: int
    name_id: str
    name_en: str
    criterion: str = ""
    provisional: bool = False


@dataclass
class Indicator:
    number: int
    name: str
    short_name: str
    weight: Decimal
    weight_provisional: bool
    aspect: int
    domain: int
    scale: str
    service_areas: list[URIRef] = field(default_factory=list)
    management_areas: list[URIRef] = field(default_factory=list)
    criteria: dict[int, str] = field(default_factory=dict)


@dataclass
class Group:
    """A domain or an aspect."""

    number: int
    name_id: str
    name_en: str
    indicators: list[int] = field(default_factory=list)
    weight_provisional_declared: bool | None = None
    """What the framework file says of this group's own weight (`eval:bobotProvisional`);
    None: not said, the weight is as sure as the indicator weights it sums."""


@dataclass(frozen=True)
class Predicate:
    name_id: str
    name_en: str
    lower: Decimal


@dataclass
class Framework:
    iri: URIRef
    code: str
    label_id: str
    label_en: str
    provisional: bool
    formula: str
    formula_provisional: bool
    note: str
    indicators: dict[int, Indicator] = field(default_factory=dict)
    aspects: dict[int, Group] = field(default_factory=dict)
    domains: dict[int, Group] = field(default_factory=dict)
    predicates: list[Predicate] = field(default_factory=list)
    scales: dict[str, dict[int, Level]] = field(default_factory=dict)

    @property
    def total_weight(self) -> Decimal:
        return sum((i.weight for i in self.indicators.values()), Decimal(0))

    @property
    def any_weight_provisional(self) -> bool:
        return any(i.weight_provisional for i in self.indicators.values())

    def group_weight_provisional(self, group: Group) -> bool:
        """Whether a domain's or aspect's weight is unverified: what the framework states for
        it, else whether it is a sum of provisional indicator weights."""
        if group.weight_provisional_declared is not None:
            return group.weight_provisional_declared
        return any(self.indicators[n].weight_provisional for n in group.indicators)

    def predicate_for(self, index: Decimal) -> Predicate:
        """The predicate whose lower bound is the highest one not above `index`."""
        for predicate in sorted(self.predicates, key=lambda p: p.lower, reverse=True):
            if index >= predicate.lower:
                return predicate
        return min(self.predicates, key=lambda p: p.lower)

    def level_name(self, number: int, value: int, lang: str = "id") -> str:
        level = self.scales.get(self.indicators[number].scale, {}).get(value)
        if level is None:
            return ""
        return level.name_en if lang == "en" else level.name_id


def list_frameworks(repository: Repository) -> list[dict[str, object]]:
    return [
        {
            "code": _text(row.get("code")),
            "label_id": _text(row.get("label_id")),
            "label_en": _text(row.get("label_en")),
            "provisional": _flag(row.get("provisional")),
        }
        for row in repository.select(sparql("frameworks"))
    ]


def load_framework(repository: Repository, code: str = DEFAULT_FRAMEWORK) -> Framework:
    """Read one framework; unknown codes are a user error naming the known ones."""
    rows = [r for r in repository.select(sparql("frameworks")) if _text(r.get("code")) == code]
    if not rows:
        known = ", ".join(str(f["code"]) for f in list_frameworks(repository)) or "-"
        raise InputError(
            f"kerangka evaluasi '{code}' tidak ada di repositori (tersedia: {known})",
            f"evaluation framework '{code}' is not in the repository (available: {known})",
        )
    head = rows[0]
    iri = head["framework"]
    assert isinstance(iri, URIRef)
    framework = Framework(
        iri=iri, code=code, label_id=_text(head.get("label_id")),
        label_en=_text(head.get("label_en")), provisional=_flag(head.get("provisional")),
        formula=_text(head.get("formula")),
        formula_provisional=_flag(head.get("formula_provisional")),
        note=_text(head.get("note")),
    )
    bindings = {"framework": iri}
    for row in repository.select(sparql("structure"), bindings):
        number = as_int(row["number"])
        aspect = as_int(row["aspect_number"])
        domain = as_int(row["domain_number"])
        framework.indicators[number] = Indicator(
            number=number, name=_text(row.get("name")),
            short_name=_text(row.get("short")) or _text(row.get("name")),
            weight=as_decimal(row["weight"]),
            weight_provisional=_flag(row.get("weight_provisional")),
            aspect=aspect, domain=domain, scale=_text(row.get("scale")),
        )
        framework.aspects.setdefault(aspect, Group(
            aspect, _text(row.get("aspect_id")), _text(row.get("aspect_en")),
            weight_provisional_declared=_declared(row.get("aspect_weight_provisional"))))
        framework.domains.setdefault(domain, Group(
            domain, _text(row.get("domain_id")), _text(row.get("domain_en")),
            weight_provisional_declared=_declared(row.get("domain_weight_provisional"))))
    for number in sorted(framework.indicators):
        indicator = framework.indicators[number]
        framework.aspects[indicator.aspect].indicators.append(number)
        framework.domains[indicator.domain].indicators.append(number)
    for row in repository.select(sparql("areas"), bindings):
        number = as_int(row["number"])
        service_area, management_area = row.get("service_area"), row.get("management_area")
        if isinstance(service_area, URIRef):
            framework.indicators[number].service_areas.append(service_area)
        if isinstance(management_area, URIRef):
            framework.indicators[number].management_areas.append(management_area)
    for row in repository.select(sparql("levels"), bindings):
        value = as_int(row["value"])
        if row.get("number") is not None:
            number = as_int(row["number"])
            framework.indicators[number].criteria[value] = _text(row.get("criterion"))
        else:
            framework.scales.setdefault(_text(row.get("scale")), {})[value] = Level(
                value, _text(row.get("name_id")), _text(row.get("name_en")),
                _text(row.get("criterion")), _flag(row.get("provisional")))
    for row in repository.select(sparql("predicates"), bindings):
        framework.predicates.append(Predicate(
            _text(row.get("label_id")), _text(row.get("label_en")),
            as_decimal(row["lower"])))
    return framework
