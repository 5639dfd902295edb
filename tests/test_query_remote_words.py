"""Plain words "remote", "télétravail", "hybrid" also find the remote class the normaliser decided."""

from __future__ import annotations

import pytest

from missionboard.query import search_ids
from missionboard.store import Store
from tests.query_store import NOW, build_query_store


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = build_query_store(tmp_path_factory.mktemp("remote_words") / "q.db")
    with Store(path) as store:
        yield store


def uids(store, query):
    ids = search_ids(store, query, now=NOW)
    if not ids:
        return set()
    marks = ",".join("?" * len(ids))
    return {r["uid"] for r in store.execute(f"SELECT uid FROM missions WHERE id IN ({marks})", ids)}


def test_remote_word_finds_remote_missions_whose_text_never_says_it(store):
    remote_class = {
        r["uid"] for r in store.execute("SELECT uid FROM missions WHERE remote = 'remote'")
    }
    text_says = uids(store, '"remote"')  # a phrase stays a text search
    silent = remote_class - text_says
    # Codeur's "à distance" missions are remote without the word "remote" anywhere.
    assert any(uid.startswith("codeur:") for uid in silent)
    assert uids(store, "remote") == text_says | remote_class
    assert uids(store, "télétravail") >= remote_class


def test_negated_remote_word_excludes_the_class_too(store):
    everything = uids(store, "")
    remote_class = {
        r["uid"] for r in store.execute("SELECT uid FROM missions WHERE remote = 'remote'")
    }
    assert uids(store, "-remote") == everything - uids(store, "remote")
    assert not uids(store, "-remote") & remote_class


def test_hybrid_word_and_field_terms(store):
    hybrid_class = {
        r["uid"] for r in store.execute("SELECT uid FROM missions WHERE remote = 'hybrid'")
    }
    assert uids(store, "remote:hybrid") == hybrid_class
    assert uids(store, "hybride") >= hybrid_class
    # A field term on the text ("title:remote") stays a text search.
    assert uids(store, "title:remote") < uids(store, "remote")
