"""Content negotiation for SPARQL results and RDF graphs.

Accept headers are parsed with python-mimeparse. Some clients also name the format in a
query parameter (SPARQLWrapper adds `format`, `output` and `results`); a value we know
wins over the Accept header, an unknown one is ignored — never an error.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import mimeparse
import pyoxigraph as ox

from spbe_arch.api import sparql_results as fmt

FORMAT_PARAMS = ("format", "output", "results")


@dataclass(frozen=True)
class Offer:
    media_type: str
    """What the client may ask for, and what the Content-Type header then says."""
    serializer: str
    """Our canonical name of the format (a result media type or an RDF media type)."""


# Order matters: with equal preference python-mimeparse picks the LAST match, so each
# list ends with the format we prefer when the client does not care (`*/*`).
SOLUTION_OFFERS = (
    Offer("text/tab-separated-values", fmt.TSV),
    Offer("text/csv", fmt.CSV),
    Offer("text/xml", fmt.XML),
    Offer("application/xml", fmt.XML),
    Offer("application/sparql-results+xml", fmt.XML),
    Offer("application/json", fmt.JSON),
    Offer("application/sparql-results+json", fmt.JSON),
)
BOOLEAN_OFFERS = tuple(o for o in SOLUTION_OFFERS if o.serializer in fmt.BOOLEAN_FORMATS)
GRAPH_OFFERS = (
    Offer("application/json", "application/ld+json"),
    Offer("application/ld+json", "application/ld+json"),
    Offer("application/xml", "application/rdf+xml"),
    Offer("application/rdf+xml", "application/rdf+xml"),
    Offer("text/plain", "application/n-triples"),
    Offer("application/n-triples", "application/n-triples"),
    Offer("text/n3", "text/turtle"),
    Offer("application/x-turtle", "text/turtle"),
    Offer("text/turtle", "text/turtle"),
)
RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}

_SOLUTION_NAMES = {"json": fmt.JSON, "srj": fmt.JSON, "xml": fmt.XML, "srx": fmt.XML,
                   "csv": fmt.CSV, "tsv": fmt.TSV}
_GRAPH_NAMES = {"turtle": "text/turtle", "ttl": "text/turtle", "n3": "text/turtle",
                "nt": "application/n-triples", "ntriples": "application/n-triples",
                "n-triples": "application/n-triples", "xml": "application/rdf+xml",
                "rdf": "application/rdf+xml", "rdfxml": "application/rdf+xml",
                "rdf+xml": "application/rdf+xml", "json-ld": "application/ld+json",
                "jsonld": "application/ld+json", "json": "application/ld+json"}


def _by_name(value: str, offers: Iterable[Offer], names: Mapping[str, str]) -> Offer | None:
    value = value.strip().lower()
    for offer in offers:
        if value == offer.media_type:
            return offer
    serializer = names.get(value)
    if serializer is None:
        return None
    return next((o for o in reversed(tuple(offers)) if o.serializer == serializer), None)


def choose(offers: tuple[Offer, ...], accept: str | None,
           format_values: Iterable[str] = (), names: Mapping[str, str] | None = None
           ) -> Offer | None:
    """The offer to answer with, or None when the client accepts none of them (406)."""
    for value in format_values:
        found = _by_name(value, offers, names or {})
        if found is not None:
            return found
    if not accept or not accept.strip():
        return offers[-1]
    try:
        best = mimeparse.best_match([o.media_type for o in offers], accept)
    except (mimeparse.MimeTypeParseException, ValueError, IndexError):
        return offers[-1]  # a header we cannot read is treated like no header
    if not best:
        return None
    return next(o for o in offers if o.media_type == best)


@dataclass(frozen=True)
class Negotiated:
    """The answer format for each kind of query result, chosen before the query runs."""

    solutions: Offer | None
    boolean: Offer | None
    graph: Offer | None


def negotiate(accept: str | None, format_values: Iterable[str] = ()) -> Negotiated:
    # python-mimeparse costs ~0.2 ms per request, as much as a selective query; clients
    # send a handful of distinct Accept headers, so the answers are memoised
    return _negotiate(accept, tuple(format_values))


@functools.lru_cache(maxsize=512)
def _negotiate(accept: str | None, values: tuple[str, ...]) -> Negotiated:
    return Negotiated(
        solutions=choose(SOLUTION_OFFERS, accept, values, _SOLUTION_NAMES),
        boolean=choose(BOOLEAN_OFFERS, accept, values, _SOLUTION_NAMES),
        graph=choose(GRAPH_OFFERS, accept, values, _GRAPH_NAMES),
    )


def choose_graph_format(accept: str | None, format_values: Iterable[str] = ()) -> Offer | None:
    return choose(GRAPH_OFFERS, accept, format_values, _GRAPH_NAMES)


def choose_solution_format(accept: str | None,
                           format_values: Iterable[str] = ()) -> Offer | None:
    return choose(SOLUTION_OFFERS, accept, format_values, _SOLUTION_NAMES)
