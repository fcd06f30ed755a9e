"""The typed view of the architecture entities, shared by the REST API, the Excel import
and export, and the web UI.

- `KINDS` / `get_kind`: the catalogue of entity kinds and their fields (`catalogue`);
  labels, help texts, enumerations and required flags come from the ontology and the shapes
  at run time (`metadata`).
- `list_entities`, `get_entity`, `iter_entities`: entities as dicts whose keys are the
  ontology's local names (`kode`, `nama`, `pemilik`, `klasifikasiRAB` …).
- `entity_to_graph`: a record as triples (offline).
- `plan_upsert`, `plan_delete`, `plan_changes`: writes planned as an `EntityChangeSet`, to be
  checked and applied with `spbe_arch.audit.apply_audited`.
"""

from spbe_arch.model.catalogue import (
    KINDS,
    REFERENCE_SCHEMES,
    TOP_LEVEL_KINDS,
    EntityKind,
    Field,
    get_kind,
    kind_of_class,
)
from spbe_arch.model.metadata import Metadata, metadata, use_metadata
from spbe_arch.model.service import (
    EntityChange,
    EntityChangeSet,
    Page,
    ReferenceConcept,
    RepositoryResolver,
    enum_choices,
    get_entity,
    iter_entities,
    list_entities,
    plan_changes,
    plan_delete,
    plan_upsert,
    reference_code_in_use,
    reference_concepts,
    reference_version_in_force,
    require_known_instansi,
    stored_opds,
)
from spbe_arch.model.values import FieldProblem, Resolver, entity_to_graph, local_name

__all__ = [
    "KINDS",
    "REFERENCE_SCHEMES",
    "TOP_LEVEL_KINDS",
    "EntityChange",
    "EntityChangeSet",
    "EntityKind",
    "Field",
    "FieldProblem",
    "Metadata",
    "Page",
    "ReferenceConcept",
    "RepositoryResolver",
    "Resolver",
    "entity_to_graph",
    "enum_choices",
    "get_entity",
    "get_kind",
    "iter_entities",
    "kind_of_class",
    "list_entities",
    "local_name",
    "metadata",
    "plan_changes",
    "plan_delete",
    "plan_upsert",
    "reference_code_in_use",
    "reference_concepts",
    "reference_version_in_force",
    "require_known_instansi",
    "stored_opds",
    "use_metadata",
]
