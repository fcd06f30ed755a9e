"""spbe-arch: an RDF/SHACL enterprise-architecture repository for SPBE (Indonesian e-government)."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
