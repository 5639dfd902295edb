"""The search language on real stored missions: Codeur (French) and Remotive (English) recordings.

Each query's answer is checked against a plain-Python reading of the same rows (an oracle), so the
tests follow the data rather than hard-coded lists, and each one also names a real mission it must
find or miss.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from missionboard.normalise.skills import fold
from missionboard.query import QueryError, compile_query, count, search_ids
from missionboard.store import Store
from tests.query_store import NOW, build_query_store


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = build_query_store(tmp_path_factory.mktemp("query") / "missions.db")
    with Store(path) as store:
        store.set_state("codeur:481826", read=True, starred=True, pipeline="applied", note="vu")
        store.set_state("codeur:481816", read=True, pipeline="interested")
        store.set_state("codeur:481823", hidden=True)  # one of the two "Recherche monteur vidéo"
        store.set_state("remotive:2091081", pipeline="won", snoozed_until=NOW + timedelta(days=2))
        yield store


def rows(store):
    return list(store.iter_rows())


def uids(store, query, **kw):
    kw.setdefault("now", NOW)
    ids = search_ids(store, query, **kw)
    by_id = dict(store.execute("SELECT id, uid FROM missions").fetchall())
    return [by_id[i] for i in ids]


def visible(store):
    """Every mission the default view shows: all but the hidden one."""
    return {r["uid"] for r in rows(store) if not r["hidden"]}


def words(row):
    text = " ".join([row["title"], row["description"], row["client"], row["skills"]])
    return re.findall(r"[^\W_]+", fold(text))


def has_prefix(row, prefix):
    return any(w.startswith(prefix) for w in words(row))


def has_phrase(row, phrase):
    target = phrase.split()
    tokens = words(row)
    return any(tokens[i : i + len(target)] == target for i in range(len(tokens)))


def oracle(store, predicate):
    return {r["uid"] for r in rows(store) if not r["hidden"] and predicate(r)}


# --- text: words, accents, prefixes, phrases --------------------------------------------------------


def test_accents_are_folded_both_ways(store):
    plain = set(uids(store, "developpeur"))
    accented = set(uids(store, "développeur"))
    assert plain == accented == oracle(store, lambda r: has_prefix(r, "developpeur"))
    # "dévéloppeur" (a typo with two accents) and "Developpeur" (none) are both found.
    assert {"codeur:481826", "codeur:478611"} <= plain


def test_words_are_prefixes(store):
    found = set(uids(store, "develop"))
    assert found == oracle(store, lambda r: has_prefix(r, "develop"))
    assert set(uids(store, "developpeur")) < found  # "Développement", "Développer" too
    assert "codeur:478229" in found  # "Développement Shopify"


def test_one_letter_words_are_not_prefixes(store):
    # "e-commerce" is the phrase "e commerce", not every word starting with "e" then "commerce*".
    found = set(uids(store, "e-commerce"))
    assert "codeur:481773" in found  # "Recherche un développeur en E-commerce"
    assert found == oracle(store, lambda r: has_phrase(r, "e commerce") or _phrase_prefix(r))


def _phrase_prefix(row):
    tokens = words(row)
    return any(
        tokens[i] == "e" and tokens[i + 1].startswith("commerce") for i in range(len(tokens) - 1)
    )


def test_quoted_phrase_is_exact_and_adjacent(store):
    phrase = set(uids(store, '"site vitrine"'))
    both = set(uids(store, "site vitrine"))
    assert phrase == oracle(store, lambda r: has_phrase(r, "site vitrine"))
    assert phrase and phrase <= both
    assert "codeur:481819" in phrase  # "Un site vitrine et une entité visuelle complète"


def test_words_search_client_and_skills(store):
    assert uids(store, "telus") == ["remotive:2091074"]  # the client, TELUS Digital
    assert set(uids(store, "title:graphic")) == {"remotive:2091081"}
    assert "remotive:2091081" in uids(store, "client:lemon")
    # client: looks only at the client: "Lemon.io" is nowhere in Codeur's missions.
    assert all(u.startswith("remotive:") for u in uids(store, "client:lemon"))


def test_a_pasted_link_is_searched_as_words(store):
    # Not an unknown field "https:": the words of the link, side by side.
    assert compile_query("https://remotive.com/jobs").fts == ('("https remotive com jobs"*)',)
    assert uids(store, "https://remotive.com remote:remote") == []


def test_title_field_ignores_descriptions(store):
    in_title = set(uids(store, "title:wordpress"))
    anywhere = set(uids(store, "wordpress"))
    assert in_title == oracle(store, lambda r: "wordpress" in fold(r["title"]))
    assert in_title < anywhere


# --- boolean structure ---------------------------------------------------------------------------


def test_negation_of_words_and_fields(store):
    site = set(uids(store, "site"))
    vitrine = set(uids(store, "vitrine"))
    assert set(uids(store, "site -vitrine")) == site - vitrine
    assert set(uids(store, "-vitrine")) == visible(store) - vitrine
    assert set(uids(store, "NOT vitrine")) == visible(store) - vitrine
    wordpress = oracle(store, lambda r: "wordpress" in r["skills"].split())
    assert set(uids(store, "-skill:wordpress")) == visible(store) - wordpress
    assert set(uids(store, "-(site OR vitrine)")) == visible(store) - site - vitrine


def test_or_and_precedence(store):
    site = set(uids(store, "site"))
    wordpress = set(uids(store, "wordpress"))
    mobile = set(uids(store, "mobile"))
    loose = set(uids(store, "site wordpress OR mobile"))
    grouped = set(uids(store, "site (wordpress OR mobile)"))
    assert loose == (site & wordpress) | mobile  # AND binds tighter than OR
    assert grouped == site & (wordpress | mobile)
    assert loose != grouped  # the data tells the two readings apart
    assert set(uids(store, "site AND wordpress OR mobile")) == loose
    assert set(uids(store, "mobile OR site wordpress")) == loose


def test_or_mixes_text_and_fields(store):
    found = set(uids(store, "shopify OR remote:hybrid"))
    assert found == set(uids(store, "shopify")) | oracle(store, lambda r: r["remote"] == "hybrid")
    assert {"codeur:478229", "remotive:2091075"} <= found


# --- every field ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, predicate",
    [
        ("skill:wordpress", lambda r: "wordpress" in r["skills"].split()),
        ("skill:WordPress", lambda r: "wordpress" in r["skills"].split()),
        ("skills:python,shopify", lambda r: {"python", "shopify"} & set(r["skills"].split())),
        ("skill:graph*", lambda r: any(s.startswith("graph") for s in r["skills"].split())),
        ("remote:remote", lambda r: r["remote"] == "remote"),
        ("remote:hybrid,onsite", lambda r: r["remote"] in ("hybrid", "onsite")),
        ("remote:unknown", lambda r: r["remote"] == "unknown"),
        ("cat:design", lambda r: r["category"] == "design"),
        ("category:data", lambda r: r["category"] == "data"),
        ("source:remotive", lambda r: r["source"] == "remotive"),
        ("contract:employment", lambda r: r["contract"] == "employment"),
        ("contract:freelance", lambda r: r["contract"] == "freelance"),
        ("status:closed", lambda r: r["status"] == "closed"),
        ("status:in-progress", lambda r: r["status"] == "in_progress"),
        ("status:applied", lambda r: r["pipeline"] == "applied"),
        ("status:open,won", lambda r: r["status"] == "open" or r["pipeline"] == "won"),
        ("pipeline:interested", lambda r: r["pipeline"] == "interested"),
        ("is:new", lambda r: (r["pipeline"] or "new") == "new"),
        ("is:unread", lambda r: not r["read"]),
        ("is:read", lambda r: bool(r["read"])),
        ("is:starred", lambda r: bool(r["starred"])),
        ("is:applied", lambda r: r["pipeline"] == "applied"),
        ("is:snoozed", lambda r: bool(r["snoozed_until"])),
        ("lang:en", lambda r: r["language"] == "en"),
        ("budget>=10000", lambda r: _budget_range(r) and _budget_range(r)[1] >= 10000),
        ("budget>10000", lambda r: _budget_range(r) and _budget_range(r)[1] > 10000),
        ("budget<=500", lambda r: _budget_range(r) and _budget_range(r)[0] <= 500),
        ("budget<1000", lambda r: _budget_range(r) and _budget_range(r)[0] < 1000),
        (
            "budget:700",
            lambda r: _budget_range(r) and _budget_range(r)[0] <= 700 <= _budget_range(r)[1],
        ),
        ("budget>=1k", lambda r: _budget_range(r) and _budget_range(r)[1] >= 1000),
        ("rate>=300", lambda r: r["daily_rate"] is not None and r["daily_rate"] >= 300),
        ("rate<200", lambda r: r["daily_rate"] is not None and r["daily_rate"] < 200),
        ("offers<10", lambda r: r["offers"] is not None and r["offers"] < 10),
        ("offers:0", lambda r: r["offers"] == 0),
        ("views>100", lambda r: r["views"] is not None and r["views"] > 100),
        ("age<3h", lambda r: _age(r) < timedelta(hours=3)),
        ("age<12d", lambda r: _age(r) < timedelta(days=12)),
        ("age>110d", lambda r: _age(r) > timedelta(days=110)),
        ("age<=2w", lambda r: _age(r) <= timedelta(weeks=2)),
        ("age:10d", lambda r: _age(r) <= timedelta(days=10)),
    ],
)
def test_every_field_matches_the_rows_that_say_so(store, query, predicate):
    expected = oracle(store, predicate)
    found = uids(store, query)
    assert set(found) == expected
    assert len(found) == len(set(found))
    assert count(store, query, now=NOW) == len(expected)
    # And the negation is the exact complement within what is visible.
    assert set(uids(store, f"-{query}")) == visible(store) - expected


def test_every_field_finds_something_and_misses_something(store):
    """The parametrized cases above are not vacuous on this data."""
    for query in ["skill:wordpress", "remote:hybrid", "cat:design", "source:remotive",
                  "contract:employment", "status:closed", "is:starred", "budget>=10000",
                  "rate>=300", "offers<10", "views>100", "age<7d", "is:snoozed", "lang:en"]:  # fmt: skip
        n = count(store, query, now=NOW)
        assert 0 < n < len(visible(store)), query


def _budget_range(row):
    if row["budget_kind"] not in ("fixed", "monthly", "yearly"):
        return None
    if row["budget_min"] is None and row["budget_max"] is None:
        return None
    low = row["budget_min"] if row["budget_min"] is not None else 0
    high = row["budget_max"] if row["budget_max"] is not None else float("inf")
    return (low, high)


def _age(row):
    from datetime import datetime

    return NOW - datetime.fromisoformat(row["posted_at"] or row["first_seen"])


def test_hourly_and_daily_amounts_are_rates_not_budgets(store):
    # Data Labeling Specialists: $18-22/hr, a daily equivalent of 140; no fixed budget to compare.
    assert "remotive:2090903" in uids(store, "rate>=100")
    assert "remotive:2090903" not in uids(store, "budget<=50")


# --- hidden missions and hide rules -----------------------------------------------------------------


def test_hidden_missions_stay_out_unless_asked_for(store):
    assert "codeur:481823" not in uids(store, "")
    assert "codeur:481823" not in uids(store, "monteur")
    assert uids(store, "is:hidden") == ["codeur:481823"]
    assert uids(store, "monteur is:hidden") == ["codeur:481823"]
    assert compile_query("is:hidden").include_hidden
    assert not compile_query("monteur").include_hidden
    assert "codeur:481803" in uids(store, "monteur")  # the other "Recherche monteur vidéo"


def test_hide_rules_apply_at_display_time_and_are_reversible(store):
    hide = ["source:remotive contract:employment", "graphiste"]
    shown = set(uids(store, "", hide=hide))
    employment = oracle(
        store, lambda r: r["source"] == "remotive" and r["contract"] == "employment"
    )
    graphiste = set(uids(store, "graphiste"))
    assert employment and graphiste
    assert shown == visible(store) - employment - graphiste
    # is:hidden shows what the rules (and the flag) hide; without the rules everything is back.
    assert set(uids(store, "is:hidden", hide=hide)) == employment | graphiste | {"codeur:481823"}
    assert set(uids(store, "")) == visible(store)


# --- sorting -------------------------------------------------------------------------------------


def test_default_order_is_newest_first(store):
    found = uids(store, "")
    dates = {r["uid"]: r["posted_at"] or r["first_seen"] for r in rows(store)}
    assert [dates[u] for u in found] == sorted((dates[u] for u in found), reverse=True)
    assert uids(store, "sort:oldest") == list(reversed(found))


def test_sort_by_budget_rate_offers_and_match(store):
    by_budget = uids(store, "sort:budget")
    first = store.get(by_budget[0])
    assert first.budget.min == 45000  # the largest fixed amount ($45,000 - $50,000)
    assert set(by_budget) == visible(store)
    by_rate = uids(store, "rate>=1 sort:rate")
    rates = [store.get(u).daily_rate for u in by_rate]
    assert rates == sorted(rates, reverse=True) and len(rates) >= 3
    by_offers = uids(store, "offers>=0 sort:offers")
    offers = [store.get(u).offers for u in by_offers]
    assert offers == sorted(offers)
    # Match: share of the mission's skills that the profile has ("WordPress" canonicalises).
    matched = uids(store, "sort:match", profile_skills=["WordPress", "Shopify"])

    def share(uid):
        skills = store.get(uid).skills
        return sum(s in ("wordpress", "shopify") for s in skills) / len(skills) if skills else 0

    shares = [share(u) for u in matched]
    assert shares == sorted(shares, reverse=True)
    assert shares[0] > 0 and shares[-1] == 0
    assert set(matched) == visible(store)


def test_sort_argument_is_the_default_and_query_sort_wins(store):
    assert uids(store, "", sort="oldest") == uids(store, "sort:oldest")
    assert uids(store, "sort:newest", sort="oldest") == uids(store, "")


@pytest.mark.parametrize(
    "query", ["site OR remote:remote", "site", "skill:wordpress sort:budget", "rate>=1 sort:rate"]
)
def test_limit_returns_the_first_of_the_full_order(store, query):
    full = uids(store, query)
    assert len(full) > 3
    for limit in (1, 3, len(full) + 5):
        assert uids(store, query, limit=limit) == full[:limit]


def test_match_sort_with_a_limit_is_the_start_of_the_full_order(store):
    # With a limit the profile's missions are sorted apart, then the rest follow newest first.
    profile = {"profile_skills": ["WordPress", "graphisme"]}
    full = uids(store, "sort:match", **profile)
    for limit in (1, 5, 20, len(full)):
        assert uids(store, "sort:match", limit=limit, **profile) == full[:limit]


# --- saved views ---------------------------------------------------------------------------------


def test_saved_views_expand_inside_queries(store):
    views = {"wp": "skill:wordpress OR shopify", "design": "cat:design"}
    assert set(uids(store, "view:wp", views=views)) == set(
        uids(store, "skill:wordpress OR shopify")
    )
    assert set(uids(store, "view:wp -view:design", views=views)) == set(
        uids(store, "(skill:wordpress OR shopify) -cat:design")
    )


# --- errors: one line, pointing at the token -----------------------------------------------------

ERRORS = [
    ("python skil:python", 'position 8: unknown field "skil:" (did you mean "skill:"?)', 7, 5),
    ("remot:remote", 'unknown field "remot:" (did you mean "remote:"?)', 0, 6),
    ("zzz:1", 'unknown field "zzz:" (known fields:', 0, 4),
    (
        "remote:remot",
        'unknown remote value "remot" (expected remote, hybrid, onsite or unknown; did you mean "remote"?)',
        7,
        5,
    ),
    ("cat:desing", 'unknown category "desing"', 4, 6),
    ("contract:freelence", 'did you mean "freelance"?', 9, 9),
    ("status:aplied", 'unknown status "aplied"', 7, 6),
    ("is:unred", 'unknown is: value "unred"', 3, 5),
    (
        "skill:pyhton",
        'unknown skill "pyhton" (not in the skills list; did you mean "python"?)',
        6,
        6,
    ),
    ("skill:python,wordpres", 'unknown skill "wordpres"', 13, 8),
    (
        "source:remotiv",
        'no source called "remotiv" (sources in the store: codeur, remotive; did you mean "remotive"?)',
        7,
        7,
    ),
    ("skill:", "skill: needs a skill, as in skill:python", 0, 6),
    ("budget>=abc", 'expected a number after budget>=, not "abc"', 8, 3),
    ("budget>=", "budget>= needs a number", 0, 8),
    ("age<3x", "expected a duration like 12h, 3d or 2w", 4, 2),
    ("skill>3", 'skill: takes a value after ":"', 0, 7),
    ("sort:cheapest", 'unknown sort "cheapest"', 0, 13),
    ("sort:budget sort:rate", "only one sort: per query", 12, 9),
    ("python OR sort:budget", "sort: orders the whole query", 10, 11),
    ("-sort:budget", "sort: orders the whole query", 1, 11),
    ("sort:match", "sort:match needs your skills", 0, 10),
    ("view:nope", 'no saved view "nope"', 0, 9),
    ("(python OR php", 'this "(" is never closed', 0, 1),
    ("python)", 'unmatched ")"', 6, 1),
    ("()", "empty parentheses", 0, 2),
    ("python OR", "OR needs a term on its right", 7, 2),
    ("OR python", "OR needs a term on its left", 0, 2),
    ("python AND", "AND needs a term on both sides", 7, 3),
    ("python - php", '"-" must be followed by the term it excludes', 7, 1),
    ("python NOT", '"NOT" must be followed by the term it excludes', 7, 3),
    ('"site vitrine', "this quote is never closed", 0, 13),
    ("+++", '"+++" has no letters or digits to search for', 0, 3),
    ('title:"', "this quote is never closed", 6, 1),
]


@pytest.mark.parametrize("query, message, position, length", ERRORS)
def test_bad_queries_get_one_line_pointing_at_the_token(store, query, message, position, length):
    with pytest.raises(QueryError) as info:
        search_ids(store, query, now=NOW)
    err = info.value
    text = str(err)
    assert "\n" not in text
    assert message in text
    assert text.startswith(f"position {err.position + 1}: ")
    assert (err.position, err.length) == (position, length)
    assert query[err.position : err.position + err.length] or err.length == 0


def test_a_bad_hide_rule_names_the_rule():
    with pytest.raises(QueryError, match=r'hide rule #2 "remote:anywhere": .*unknown remote value'):
        compile_query("python", hide=["cat:admin", "remote:anywhere"])


def test_empty_query_is_everything_visible(store):
    assert set(uids(store, "")) == visible(store)
    assert set(uids(store, "   ")) == visible(store)


def test_config_check_names_saved_queries_that_do_not_compile(tmp_path):
    from click.testing import CliRunner

    from missionboard.cli import cli

    config = tmp_path / "config.toml"
    config.write_text(
        '[views]\nok = "skill:python"\nbad = "remote:anywhere"\n\n'
        '[hide]\nrule = "(stage"\n\n[[alerts]]\nname = "A"\nquery = "view:ok age<3x"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["--config", str(config), "config", "check"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert lines == [
        "missionboard: config error: [views] bad = 'remote:anywhere': position 8: unknown remote "
        'value "anywhere" (expected remote, hybrid, onsite or unknown)',
        "missionboard: config error: [hide] rule = '(stage': position 1: this \"(\" is never "
        'closed (expected ")")',
        "missionboard: config error: [[alerts]] A = 'view:ok age<3x': position 13: expected a "
        'duration like 12h, 3d or 2w after age<, not "3x"',
    ]


@pytest.mark.parametrize(
    "query",
    [
        "site",
        "developpeur -wordpress",
        "site OR mobile",
        "application sort:budget",
        "site sort:rate",
        "site remote:unknown sort:oldest",
    ],
)
def test_walking_the_index_in_order_gives_the_same_first_screen(store, monkeypatch, query):
    """On a large store common words walk a covering index instead; same answer, other plan."""
    import missionboard.query as q

    expected = uids(store, query)
    monkeypatch.setattr(q, "_walk_in_order", lambda *args: True)
    for limit in (1, 4, len(expected) + 1):
        assert uids(store, query, limit=limit) == expected[:limit]
