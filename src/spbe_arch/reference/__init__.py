"""Generators for the project's data files: reference-architecture SKOS schemes
(`generate`), the demo sample (`sample`) and the ontology documentation (`docs`)."""
