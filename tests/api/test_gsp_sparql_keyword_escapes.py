"""A backslash escape in a prefixed name (`ex:a\\'`, SPARQL's PN_LOCAL_ESC) made the
keyword tokenizer of `sparql_update` read a string where Oxigraph reads a name: whatever
followed, up to the next quote, was hidden from it. A reader's query hid `SERVICE` that
way (the server fetched an intranet URL although SPBE_SPARQL_SERVICE was off), and an
admin's update hid its `WHERE` (its effect was not worked out, and the update then ran in
the server with no time limit)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from spbe_arch.sparql_update import (
    UpdateEffectTask,
    compute_effect,
    operations,
    uses_keyword,
)

HIDDEN_SERVICE = ("PREFIX e: <x:>\nSELECT * WHERE { OPTIONAL { <x:s> <x:p> e:c\\' }"
                  " SERVICE <http://127.0.0.1:9/query> { ?a ?b ?c } } #'\n")
HIDDEN_WHERE = ("PREFIX e: <x:>\nINSERT DATA { <x:a> <x:b> e:c\\' } ;"
                " INSERT { <x:a> <x:b> <x:c> } WHERE { ?a ?b ?c . ?d ?e ?f } #'\n")


def test_oxigraph_reads_these_as_names() -> None:
    """The premise: both texts are valid SPARQL, the escape part of a prefixed name."""
    ox.Store().update(HIDDEN_WHERE)
    with pytest.raises(OSError):  # it parsed, and tried to fetch the service
        list(ox.Store().query(HIDDEN_SERVICE))  # type: ignore[arg-type]


@pytest.mark.parametrize("escape", ["\\'", "\\#", "\\;", "\\(", "\\~", "\\!"])
def test_a_keyword_after_an_escaped_name_is_seen(escape: str) -> None:
    text = HIDDEN_SERVICE.replace("\\'", escape)
    assert uses_keyword(text, "SERVICE")


def test_a_comment_ends_at_a_carriage_return() -> None:
    """Oxigraph ends a comment at a bare CR; read to the next LF, the comment hid the
    SERVICE after it."""
    query = "SELECT * WHERE { # komentar\r SERVICE <http://127.0.0.1:9/q> { ?s ?p ?o } }"
    with pytest.raises(OSError):  # Oxigraph did try to call the service
        list(ox.Store().query(query))  # type: ignore[arg-type]
    assert uses_keyword(query, "SERVICE")
    assert not uses_keyword("SELECT * WHERE { ?s ?p ?o } # SERVICE\r", "SERVICE")


def test_a_stray_backslash_leaves_the_decision_to_the_bare_word() -> None:
    # not valid SPARQL; the tokens may be wrong, so the keyword counts wherever it is
    assert uses_keyword('SELECT * { ?s ?p ?o \\" } SERVICE', "SERVICE")


def test_a_keyword_in_a_string_or_comment_is_still_not_one() -> None:
    assert not uses_keyword('SELECT * WHERE { ?s ?p "SERVICE" } # SERVICE', "SERVICE")
    assert not uses_keyword("SELECT * WHERE { ?s <x:SERVICE> ?o }", "SERVICE")


def test_the_update_is_taken_apart_operation_by_operation() -> None:
    assert [op.keyword for op in operations(HIDDEN_WHERE)] == ["INSERT", "INSERT"]
    task = UpdateEffectTask(HIDDEN_WHERE, 1000)
    assert task.needs_time_limit
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("x:s"), ox.NamedNode("x:p"), ox.Literal("1")))
    effect = compute_effect(store, HIDDEN_WHERE, max_quads=1000)
    expected = ox.Store()
    expected.extend(store)
    expected.update(HIDDEN_WHERE)
    assert set(effect.added) == set(expected) - set(store)
    assert effect.removed == []


def test_an_update_with_a_where_has_its_effect_worked_out_in_a_worker() -> None:
    """Even if the tokenizer were misled again: the bare word decides."""
    assert UpdateEffectTask("INSERT DATA { <x:a> <x:b> 'where' }", 10).needs_time_limit
    assert not UpdateEffectTask("INSERT DATA { <x:a> <x:b> 'x' }", 10).needs_time_limit


@pytest.mark.parametrize("query", [
    HIDDEN_SERVICE,
    "SELECT * WHERE { # komentar\r SERVICE <http://127.0.0.1:9/q> { ?s ?p ?o } }",
])
def test_a_reader_cannot_reach_a_service_through_the_endpoint(service, query: str) -> None:
    response = service.client.post("/sparql", content=query.encode(),
                                   headers={"content-type": "application/sparql-query"})
    assert response.status_code == 403
    assert "SERVICE" in response.text


def test_an_update_whose_where_cannot_be_taken_apart_is_not_run_unbounded(
        service, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its effect was "unsupported": the update was then committed by running its text in
    the server, WHERE and all, with no time limit. The workers are forked after the patch,
    so they answer as for a form this module does not take apart."""
    from spbe_arch import sparql_update
    from spbe_arch.api.query_engine import fork_available

    if not fork_available():
        pytest.skip("query workers need fork()")

    def unsupported(*args: object, **kwargs: object) -> object:
        raise sparql_update.UnsupportedUpdateError("a form not taken apart")

    monkeypatch.setattr(sparql_update, "compute_effect", unsupported)
    before = service.repository.export(None, "nquads")
    response = service.client.post(
        "/sparql", content=b"INSERT { <x:a> <x:b> <x:c> } WHERE { ?s ?p ?o }",
        headers={"content-type": "application/sparql-update", **service.auth("admin")})
    assert response.status_code == 400
    assert "tidak ada yang diubah" in response.text and "a form not taken apart" in response.text
    assert service.repository.export(None, "nquads") == before
    # without a WHERE nothing can run away: recorded by its text, as before
    response = service.client.post(
        "/sparql", content=b"INSERT DATA { <x:a> <x:b> <x:c> }",
        headers={"content-type": "application/sparql-update", **service.auth("admin")})
    assert response.status_code == 200
