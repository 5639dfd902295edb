"""The search language: one parser for the TUI's search bar, exports, alerts, saved views and hide rules.

A query is compiled to an SQL boolean expression over ``missions AS m LEFT JOIN user_state AS s``::

    python "site vitrine" -remote:onsite (skill:react OR skill:vue) budget>=1000 age<3d sort:budget

Plain words and "quoted phrases" go to FTS5 (accents folded by the tokenizer, words prefix-matched);
``field:value`` and ``field<op>number`` terms become SQL; ``-`` negates any term; ``OR`` and
parentheses group; AND (implicit, or the word ``AND``) binds tighter than OR.

What keeps it fast on a large store (see ``bench/query.py``):

- Text terms of one AND group are merged into a single FTS5 MATCH (``a b -c`` becomes
  ``("a"* AND "b"*) NOT ("c"*)``), so the FTS index is read once.
- The user's marks are tested with ``<state key> [NOT] IN (SELECT uid FROM user_state WHERE ...)``
  (the few marked rows are read once), and the default "not hidden" with a probe per mission (a
  first screenful probes 200 times instead of reading every hidden mission). Either way the
  planner drops the LEFT JOIN and walks a covering index (``missions_browse``,
  ``missions_by_budget``, ``missions_by_rate``) in display order without ever reading the wide
  rows (the descriptions).
- ``skill:`` terms add an FTS5 filter on the ``skills`` column to their group's MATCH (a superset
  of the exact SQL test, which stays): a rare skill, or a word next to a skill, is found from the
  index instead of testing every row.
- With a limit (a first screenful), common words walk that index in order and stop early, rare
  ones are looked up from FTS and sorted (:func:`_walk_in_order` decides). ``sort:match`` reads
  the match scores the store keeps for the profile in order (``Store.set_match_profile``), or,
  when they are for another profile, sorts only the missions sharing a skill with it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from missionboard.model import Category, Contract, Pipeline, Remote, Status, iso, utc_now
from missionboard.store import STATE_JOIN, match_share, skill_tests

if TYPE_CHECKING:
    import sqlite3

    from missionboard.store import Store

__all__ = [
    "CompiledQuery",
    "QueryError",
    "compile_query",
    "count",
    "search_ids",
    "FIELDS",
    "SORTS",
]


class QueryError(ValueError):
    """A query that cannot be understood; ``str(err)`` is one line naming the offending token.

    ``position`` is the 0-based offset of that token in the query text and ``length`` its length
    (for underlining); the message itself counts characters from 1, as people do.
    """

    def __init__(self, message: str, position: int = 0, length: int = 0):
        self.message = message
        self.position = position
        self.length = length
        super().__init__(f"position {position + 1}: {message}")


@dataclass(frozen=True)
class CompiledQuery:
    """SQL for one query; ``where`` and ``order_by`` use the aliases ``m`` (missions) and ``s``."""

    where: str
    params: list = field(default_factory=list)
    order_by: str = ""
    include_hidden: bool = False
    sort: str = "newest"
    text: str = ""
    fts: tuple[str, ...] = ()  # the FTS5 MATCH expressions every result must satisfy
    # For each of those, the part made of words (without skill: filters); '' when there is none.
    fts_words: tuple[str, ...] = ()
    match_any: str = ""  # sort:match only: "has one of the profile's skills" (no parameters)
    match_slugs: tuple[str, ...] = ()  # sort:match only: the profile's skills (sorted slugs)


NEWEST = "coalesce(m.posted_at, m.first_seen) DESC, m.id DESC"
# User state is kept under the mission's duplicate group, so a mark on one copy marks them all.
STATE_KEY = "coalesce(m.group_uid, m.uid)"

# --- the vocabulary ---------------------------------------------------------------------------------

# Field name -> canonical field. Aliases keep typing short and forgiving.
FIELDS: dict[str, str] = {
    "skill": "skill",
    "skills": "skill",
    "remote": "remote",
    "cat": "cat",
    "category": "cat",
    "source": "source",
    "src": "source",
    "contract": "contract",
    "status": "status",
    "pipeline": "pipeline",
    "is": "is",
    "lang": "lang",
    "language": "lang",
    "title": "title",
    "client": "client",
    "desc": "desc",
    "description": "desc",
    "budget": "budget",
    "rate": "rate",
    "offers": "offers",
    "views": "views",
    "age": "age",
    "sort": "sort",
    "view": "view",
}
NUMERIC = {"budget", "rate", "offers", "views", "age"}
TEXT_COLUMNS = {"title": "title", "client": "client", "desc": "description"}

SORTS: dict[str, str] = {
    "newest": NEWEST,
    "oldest": "coalesce(m.posted_at, m.first_seen) ASC, m.id ASC",
    "budget": "CASE WHEN m.budget_kind IN ('fixed', 'monthly', 'yearly') "
    "THEN coalesce(m.budget_max, m.budget_min) END DESC NULLS LAST, " + NEWEST,
    "rate": "m.daily_rate DESC NULLS LAST, " + NEWEST,
    "offers": "m.offers ASC NULLS LAST, " + NEWEST,  # least competition first
    "match": "",  # built from the profile's skills
}

# Budgets compared by `budget`; day and hour rates are compared by `rate` (the daily equivalent).
BUDGET_KINDS = "('fixed', 'monthly', 'yearly')"

IS_STATE = {
    "unread": ("read", False),
    "read": ("read", True),
    "starred": ("starred", True),
    "hidden": ("hidden", True),
}
PIPELINE_VALUES = [str(p) for p in Pipeline]
MISSION_STATUS = {str(s): str(s) for s in Status} | {
    "in-progress": "in_progress",
    "inprogress": "in_progress",
}
IS_VALUES = [*IS_STATE, *PIPELINE_VALUES, "snoozed"]

_DURATION_UNITS = {
    "m": 60,
    "min": 60,
    "h": 3600,
    "d": 86400,
    "w": 7 * 86400,
}
_OPS = (">=", "<=", "!=", ">", "<", "=")


# --- tokens -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # word, phrase, field, lparen, rparen, or, and, not
    text: str  # the token as typed
    pos: int
    name: str = ""  # field name as typed
    op: str = ""  # ":" or a comparison
    value: str = ""
    value_pos: int = 0
    quoted: bool = False

    @property
    def length(self) -> int:
        return len(self.text)


_FIELD_START = re.compile(r"([A-Za-z][A-Za-z_]*)(:(?:>=|<=|!=|>|<|=)?|>=|<=|!=|>|<|=)")
_DELIMS = set('()"') | {" ", "\t", "\n", "\r"}


def _read_quoted(text: str, start: int) -> tuple[str, int]:
    """The text between the quote at ``start`` and the closing quote; the index after it."""
    end = text.find('"', start + 1)
    if end < 0:
        raise QueryError(
            'this quote is never closed (expected a closing ")', start, len(text) - start
        )
    return text[start + 1 : end], end + 1


def tokenize(text: str) -> list[Token]:
    """Split a query into tokens, keeping each one's position for error messages."""
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            continue
        if c == "(":
            tokens.append(Token("lparen", c, i))
            i += 1
            continue
        if c == ")":
            tokens.append(Token("rparen", c, i))
            i += 1
            continue
        if c == "-":
            if i + 1 >= n or text[i + 1].isspace() or text[i + 1] == ")":
                raise QueryError(
                    '"-" must be followed by the term it excludes, as in -remote:onsite', i, 1
                )
            tokens.append(Token("not", c, i))
            i += 1
            continue
        if c == '"':
            phrase, end = _read_quoted(text, i)
            tokens.append(Token("phrase", text[i:end], i, value=phrase, quoted=True))
            i = end
            continue
        m = _FIELD_START.match(text, i)
        if m and m.group(2) == ":" and text.startswith("//", m.end()):
            m = None  # a pasted link (https://...) is searched as words, not read as a field
        if m:
            value_start = m.end()
            if value_start < n and text[value_start] == '"':
                value, end = _read_quoted(text, value_start)
                quoted = True
            else:
                end = value_start
                while end < n and text[end] not in _DELIMS:
                    end += 1
                value, quoted = text[value_start:end], False
            tokens.append(
                Token(
                    "field",
                    text[i:end],
                    i,
                    name=m.group(1),
                    op=m.group(2),
                    value=value,
                    value_pos=value_start,
                    quoted=quoted,
                )
            )
            i = end
            continue
        end = i
        while end < n and text[end] not in _DELIMS:
            end += 1
        word = text[i:end]
        if word == "OR" or word == "|":
            tokens.append(Token("or", word, i))
        elif word == "AND":
            tokens.append(Token("and", word, i))
        elif word == "NOT":
            tokens.append(Token("not", word, i))
        else:
            tokens.append(Token("word", word, i))
        i = end
    return tokens


# --- the syntax tree ----------------------------------------------------------------------------------


@dataclass(slots=True)
class Term:
    token: Token


@dataclass(slots=True)
class Not:
    child: Any
    token: Token


@dataclass(slots=True)
class And:
    children: list[Any]


@dataclass(slots=True)
class Or:
    children: list[Any]


class _Parser:
    """Recursive descent: or_expr := and_expr (OR and_expr)*; and_expr := unary+; unary := -unary | atom."""

    def __init__(self, text: str, tokens: list[Token]):
        self.text = text
        self.tokens = tokens
        self.i = 0

    def peek(self) -> Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def parse(self) -> Any:
        if not self.tokens:
            return And([])
        node = self.or_expr()
        tok = self.peek()
        if tok is not None:  # only a stray ")" can stop or_expr early
            raise QueryError('unmatched ")" (no "(" opens it)', tok.pos, 1)
        return node

    def or_expr(self) -> Any:
        branches = [self.and_expr()]
        while (tok := self.peek()) is not None and tok.kind == "or":
            self.i += 1
            nxt = self.peek()
            if nxt is None or nxt.kind in ("or", "rparen"):
                raise QueryError(f"{tok.text} needs a term on its right", tok.pos, tok.length)
            branches.append(self.and_expr())
        return branches[0] if len(branches) == 1 else Or(branches)

    def and_expr(self) -> Any:
        items = []
        while (tok := self.peek()) is not None and tok.kind not in ("or", "rparen"):
            if tok.kind == "and":
                self.i += 1
                nxt = self.peek()
                if not items or nxt is None or nxt.kind in ("or", "rparen", "and"):
                    raise QueryError("AND needs a term on both sides", tok.pos, tok.length)
                continue
            items.append(self.unary())
        if not items:
            tok = self.peek()
            if tok is None:
                raise QueryError("expected a term at the end of the query", len(self.text), 0)
            if tok.kind == "or":
                raise QueryError(f"{tok.text} needs a term on its left", tok.pos, tok.length)
            raise QueryError('expected a term before ")"', tok.pos, 1)
        return items[0] if len(items) == 1 else And(items)

    def unary(self) -> Any:
        tok = self.tokens[self.i]
        if tok.kind == "not":
            self.i += 1
            nxt = self.peek()
            if nxt is None or nxt.kind in ("or", "and", "rparen"):
                raise QueryError(
                    f'"{tok.text}" must be followed by the term it excludes', tok.pos, tok.length
                )
            return Not(self.unary(), tok)
        if tok.kind == "lparen":
            self.i += 1
            nxt = self.peek()
            if nxt is not None and nxt.kind == "rparen":
                raise QueryError("empty parentheses (expected a term inside)", tok.pos, 2)
            node = self.or_expr()
            close = self.peek()
            if close is None or close.kind != "rparen":
                raise QueryError('this "(" is never closed (expected ")")', tok.pos, 1)
            self.i += 1
            return node
        self.i += 1
        return Term(tok)


# --- compiling --------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    from missionboard.normalise.skills import fold

    return fold(text)


# The FTS5 unicode61 tokenizer keeps letters and digits; everything else separates tokens.
_FTS_TOKEN = re.compile(r"[^\W_]+")


def _suggest(value: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(value.lower(), list(choices), n=1, cutoff=0.6)
    return f'; did you mean "{close[0]}"?' if close else ""


def _choices(values: Sequence[str]) -> str:
    values = list(values)
    return ", ".join(values[:-1]) + f" or {values[-1]}" if len(values) > 1 else values[0]


@dataclass(slots=True)
class _Sql:
    sql: str
    params: list[Any]


class _Compiler:
    def __init__(
        self,
        text: str,
        now: datetime,
        views: Mapping[str, str],
        sources: Sequence[str] | None,
        depth: int = 0,
    ):
        self.text = text
        self.now = now
        self.views = views
        self.sources = sources
        self.depth = depth
        self.hide_rules: list[_Sql] = []  # compiled hide rules, for is:hidden
        self.top_fts: list[str] = []  # MATCH expressions every result must satisfy
        self.top_words: list[str] = []  # their words alone (CompiledQuery.fts_words)
        self.sort_token: Token | None = None
        self.sort: str | None = None
        self.include_hidden = False

    # Text (FTS) terms -------------------------------------------------------------------------

    def fts_leaf(self, token: Token) -> str | None:
        """An FTS5 expression for a word, phrase or title:/client:/desc: term; None if not text."""
        if token.kind == "word":
            return self.fts_words(token.text, token, prefix=True)
        if token.kind == "phrase":
            return self.fts_words(token.value, token, prefix=False)
        if token.kind == "field" and FIELDS.get(token.name.lower()) in TEXT_COLUMNS:
            self.expect_colon(token)
            column = TEXT_COLUMNS[FIELDS[token.name.lower()]]
            if not token.value:
                raise self.missing_value(token, "a word")
            return f"{{{column}}} : ({self.fts_words(token.value, token, prefix=not token.quoted)})"
        return None

    def fts_words(self, text: str, token: Token, prefix: bool) -> str:
        words = _FTS_TOKEN.findall(_fold(text))
        if not words:
            raise QueryError(
                f'"{token.text}" has no letters or digits to search for', token.pos, token.length
            )
        # One-letter words as prefixes would match half the store; they stay whole words.
        star = "*" if prefix and len(words[-1]) > 1 else ""
        return '"' + " ".join(words) + '"' + star

    def fts_expr(self, node: Any) -> str | None:
        """The whole node as one FTS5 expression, or None when it holds non-text terms."""
        if isinstance(node, Term):
            return self.fts_leaf(node.token)
        if isinstance(node, Or):
            parts = [self.fts_expr(c) for c in node.children]
            if any(p is None for p in parts):
                return None
            return "(" + " OR ".join(parts) + ")"  # type: ignore[arg-type]
        if isinstance(node, And):
            positive, negative = [], []
            for child in node.children:
                if isinstance(child, Not):
                    expr = self.fts_expr(child.child)
                    negative.append(expr)
                else:
                    expr = self.fts_expr(child)
                    positive.append(expr)
                if expr is None:
                    return None
            if not positive:
                return None
            expr = "(" + " AND ".join(positive) + ")"
            if negative:
                expr += " NOT (" + " OR ".join(negative) + ")"
            return expr
        return None

    # The tree ------------------------------------------------------------------------------

    def compile(self, node: Any, top: bool = False) -> _Sql:
        if isinstance(node, And):
            return self.compile_and(node.children, top)
        if isinstance(node, Or):
            self.check_no_sort(node)
            expr = self.fts_expr(node)
            if expr is not None:
                if top:
                    self.top_fts.append(expr)
                    self.top_words.append(expr)
                return _fts_match(expr)
            parts = [self.compile(c) for c in node.children]
            return _Sql(
                "(" + " OR ".join(p.sql for p in parts) + ")", [x for p in parts for x in p.params]
            )
        if isinstance(node, Not):
            self.check_no_sort(node.child)
            inner = self.compile(node.child)
            if inner.sql.startswith("m.id IN ("):  # a lone negated text term
                return _Sql("m.id NOT IN (" + inner.sql[len("m.id IN (") :], inner.params)
            return _Sql(f"NOT ({inner.sql})", inner.params)
        if top or FIELDS.get(node.token.name.lower()) == "sort":
            return self.compile_and([node], top)
        return self.compile_term(node.token)

    def compile_and(self, children: list[Any], top: bool) -> _Sql:
        texts: list[Any] = []
        others: list[_Sql] = []
        prefilters: list[str] = []  # FTS expressions implied by skill: terms (see skill_prefilter)
        for child in children:
            if isinstance(child, Term) and child.token.kind == "field":
                name = FIELDS.get(child.token.name.lower())
                if name == "sort":
                    self.take_sort(child.token, top)
                    continue
            if self.fts_expr(child) is not None or (
                isinstance(child, Not) and self.fts_expr(child.child) is not None
            ):
                texts.append(child)
            else:
                others.append(self.compile(child))
                if isinstance(child, Term) and child.token.kind == "field":
                    if FIELDS.get(child.token.name.lower()) == "skill":
                        prefilter = skill_prefilter(child.token.value)
                        if prefilter:
                            prefilters.append(prefilter)
        words = [self.fts_expr(t) for t in texts if not isinstance(t, Not)]
        positive = words + prefilters
        negative = [self.fts_expr(t.child) for t in texts if isinstance(t, Not)]
        parts: list[_Sql] = []
        if positive:  # one MATCH for the whole group: the FTS index is read once
            expr = "(" + " AND ".join(positive) + ")"  # type: ignore[arg-type]
            if negative:
                expr += " NOT (" + " OR ".join(negative) + ")"  # type: ignore[arg-type]
            # Made of skill: terms only, the MATCH is a shortcut next to their exact test.
            parts.append(_Sql(_SKILLS_IN if not texts else _FTS_IN, [expr]))
            if top:
                self.top_fts.append(expr)
                self.top_words.append(
                    expr if not prefilters else "(" + " AND ".join(words) + ")" if words else ""  # type: ignore[arg-type]
                )
        else:  # only negated text terms: each one excludes its matches
            parts += [self.compile(t) for t in texts]
        parts += others
        if not parts:
            return _Sql("1", [])
        if len(parts) == 1:
            return parts[0]
        return _Sql(
            "(" + " AND ".join(p.sql for p in parts) + ")", [x for p in parts for x in p.params]
        )

    def check_no_sort(self, node: Any) -> None:
        if isinstance(node, Term) and FIELDS.get(node.token.name.lower()) == "sort":
            raise QueryError(
                "sort: orders the whole query; it cannot be negated or put inside OR",
                node.token.pos,
                node.token.length,
            )
        for child in getattr(node, "children", ()):
            self.check_no_sort(child)
        if isinstance(node, Not):
            self.check_no_sort(node.child)

    def take_sort(self, token: Token, top: bool) -> None:
        if not top:
            raise QueryError(
                "sort: orders the whole query; put it outside parentheses",
                token.pos,
                token.length,
            )
        self.expect_colon(token)
        value = token.value.lower()
        if value not in SORTS:
            raise QueryError(
                f'unknown sort "{token.value}" (expected {_choices(list(SORTS))}{_suggest(value, list(SORTS))})',
                token.pos,
                token.length,
            )
        if self.sort_token is not None:
            raise QueryError("only one sort: per query", token.pos, token.length)
        self.sort_token, self.sort = token, value

    # Field terms ---------------------------------------------------------------------------

    def expect_colon(self, token: Token) -> None:
        if token.op != ":":
            name = token.name.lower()
            raise QueryError(
                f'{name}: takes a value after ":" (as in {name}:{_example(name)}), not a comparison',
                token.pos,
                token.length,
            )

    def missing_value(self, token: Token, what: str) -> QueryError:
        name = token.name.lower()
        return QueryError(
            f"{name}{token.op} needs {what}, as in {name}{token.op}{_example(name)}",
            token.pos,
            token.length,
        )

    def values(self, token: Token, known: Sequence[str], label: str) -> list[str]:
        """Comma-separated values, each checked against ``known``."""
        if not token.value:
            raise self.missing_value(token, f"one of {_choices(known)}")
        out = []
        offset = token.value_pos + (1 if token.quoted else 0)
        for raw in token.value.split(","):
            value = raw.strip().lower()
            if value not in known:
                raise QueryError(
                    f'unknown {label} "{raw}" (expected {_choices(known)}{_suggest(value, known)})',
                    offset,
                    len(raw),
                )
            out.append(value)
            offset += len(raw) + 1
        return out

    def compile_term(self, token: Token) -> _Sql:
        if token.kind != "field":  # words and phrases are handled as FTS
            expr = self.fts_leaf(token)
            assert expr is not None
            return _fts_match(expr)
        name = FIELDS.get(token.name.lower())
        if name is None:
            field_names = sorted(set(FIELDS))
            close = difflib.get_close_matches(token.name.lower(), field_names, n=1, cutoff=0.5)
            hint = (
                f' (did you mean "{close[0]}:"?)'
                if close
                else f" (known fields: {', '.join(f + ':' for f in sorted(set(FIELDS.values())))})"
            )
            raise QueryError(
                f'unknown field "{token.name}{token.op[:1]}"{hint}',
                token.pos,
                len(token.name) + 1,
            )
        if name in NUMERIC:
            return self.compile_comparison(name, token)
        self.expect_colon(token)
        if name in TEXT_COLUMNS:
            expr = self.fts_leaf(token)
            assert expr is not None
            return _fts_match(expr)
        if name == "skill":
            return self.compile_skill(token)
        if name == "remote":
            return _in("m.remote", self.values(token, [str(r) for r in Remote], "remote value"))
        if name == "cat":
            return _in("m.category", self.values(token, [str(c) for c in Category], "category"))
        if name == "contract":
            return _in("m.contract", self.values(token, [str(c) for c in Contract], "contract"))
        if name == "lang":
            if not token.value:
                raise self.missing_value(token, "a language code")
            return _in("m.language", [v.strip().lower() for v in token.value.split(",")])
        if name == "source":
            return self.compile_source(token)
        if name == "status":
            values = self.values(token, [*MISSION_STATUS, *PIPELINE_VALUES], "status")
            mission = [MISSION_STATUS[v] for v in values if v in MISSION_STATUS]
            pipeline = [v for v in values if v in PIPELINE_VALUES]
            parts = []
            if mission:
                parts.append(_in("m.status", mission))
            if pipeline:
                parts.append(_pipeline(pipeline))
            return _or(parts)
        if name == "pipeline":
            return _pipeline(self.values(token, PIPELINE_VALUES, "pipeline status"))
        if name == "is":
            return _or([self.compile_is(v) for v in self.values(token, IS_VALUES, "is: value")])
        if name == "view":
            return self.compile_view(token)
        raise QueryError(f'"{token.name}:" cannot be used here', token.pos, token.length)

    def compile_skill(self, token: Token) -> _Sql:
        from missionboard.normalise.skills import load_taxonomy

        if not token.value:
            raise self.missing_value(token, "a skill")
        taxonomy = load_taxonomy()
        parts = []
        offset = token.value_pos + (1 if token.quoted else 0)
        for raw in token.value.split(","):
            value = raw.strip()
            if value.endswith("*") and len(value) > 1:  # skill:java* = every skill starting so
                parts.append(_has_skill(" " + _fold(value[:-1])))
            else:
                slug = taxonomy.match_tag(value) or (
                    _fold(value) if _fold(value) in taxonomy.skills else None
                )
                if slug is None:
                    names = sorted(set(taxonomy.skills) | set(taxonomy.by_synonym))
                    close = difflib.get_close_matches(_fold(value), names, n=1, cutoff=0.6)
                    hint = (
                        f'; did you mean "{taxonomy.by_synonym.get(close[0], close[0])}"?'
                        if close
                        else "; search it as a word instead"
                    )
                    raise QueryError(
                        f'unknown skill "{value}" (not in the skills list{hint})',
                        offset,
                        len(raw),
                    )
                parts.append(_has_skill(f" {slug} "))
            offset += len(raw) + 1
        return _or(parts)

    def compile_source(self, token: Token) -> _Sql:
        if not token.value:
            raise self.missing_value(token, "a source name")
        values = [v.strip().lower() for v in token.value.split(",")]
        if self.sources is not None:
            offset = token.value_pos + (1 if token.quoted else 0)
            for raw, value in zip(token.value.split(","), values, strict=True):
                if value not in self.sources:
                    known = sorted(self.sources)
                    expected = (
                        f"sources in the store: {', '.join(known)}"
                        if known
                        else "the store is empty"
                    )
                    raise QueryError(
                        f'no source called "{raw}" ({expected}{_suggest(value, known)})',
                        offset,
                        len(raw),
                    )
                offset += len(raw) + 1
        # "+" keeps SQLite on the covering index in display order: the narrow source index would
        # make it read every matching row's wide record and sort them (a source is often 10-40%).
        return _in("+m.source", values)

    def compile_is(self, value: str) -> _Sql:
        if value in IS_STATE:
            column, wanted = IS_STATE[value]
            sql = f"{STATE_KEY} {'IN' if wanted else 'NOT IN'} (SELECT uid FROM user_state WHERE {column} = 1)"
            if value == "hidden":  # hidden by the user, or by a hide rule
                self.include_hidden = True
                return _or([_Sql(sql, []), *self.hide_rules])
            return _Sql(sql, [])
        if value == "snoozed":
            return _Sql(
                f"{STATE_KEY} IN (SELECT uid FROM user_state WHERE snoozed_until > ?)",
                [iso(self.now)],
            )
        return _pipeline([value])

    def compile_view(self, token: Token) -> _Sql:
        name = token.value
        if name not in self.views:
            known = sorted(self.views)
            if not known:
                raise QueryError(
                    f'no saved view "{name}" (add one under [views] in the config)',
                    token.pos,
                    token.length,
                )
            raise QueryError(
                f'no saved view "{name}" (saved views: {", ".join(known)}{_suggest(name, known)})',
                token.pos,
                token.length,
            )
        if self.depth >= 5:
            raise QueryError(f'view "{name}" refers to itself', token.pos, token.length)
        sub = _Compiler(self.views[name], self.now, self.views, self.sources, self.depth + 1)
        sub.hide_rules = self.hide_rules
        try:
            tree = _Parser(self.views[name], tokenize(self.views[name])).parse()
            sql = sub.compile(tree, top=True)
        except QueryError as exc:
            raise QueryError(f'in saved view "{name}": {exc}', token.pos, token.length) from None
        self.include_hidden |= sub.include_hidden
        return sql

    def compile_comparison(self, name: str, token: Token) -> _Sql:
        op = token.op[1:] if token.op.startswith(":") else token.op
        op = op or "="
        if not token.value:
            raise self.missing_value(token, "a duration" if name == "age" else "a number")
        if name == "age":
            seconds = _parse_duration(token)
            cutoff = iso(self.now - timedelta(seconds=seconds))
            # Younger than the cutoff = posted after it; "age:3d" reads as "at most 3 days old".
            date_op = {"<": ">", "<=": ">=", "=": ">=", ">": "<", ">=": "<=", "!=": "<"}[op]
            return _Sql(f"coalesce(m.posted_at, m.first_seen) {date_op} ?", [cutoff])
        number = _parse_number(token)
        if name == "budget":
            # A budget is a range [min, max], either end open; it matches when the range holds an
            # amount that satisfies the comparison ("Moins de 500 €" matches budget<=500).
            low = "coalesce(m.budget_min, 0)"
            high = "coalesce(m.budget_max, 1e308)"
            known = f"m.budget_kind IN {BUDGET_KINDS} AND (m.budget_min IS NOT NULL OR m.budget_max IS NOT NULL)"
            test = {
                ">": f"{high} > ?",
                ">=": f"{high} >= ?",
                "<": f"{low} < ?",
                "<=": f"{low} <= ?",
                "=": f"{low} <= ? AND {high} >= ?",
                "!=": f"NOT ({low} <= ? AND {high} >= ?)",
            }[op]
            return _Sql(f"({known} AND {test})", [number] * test.count("?"))
        column = {"rate": "m.daily_rate", "offers": "m.offers", "views": "m.views"}[name]
        sql_op = "=" if op == "=" else op
        return _Sql(f"({column} IS NOT NULL AND {column} {sql_op} ?)", [number])


# Sorts a covering index delivers in order (migration 3 in missionboard.store).
INDEXED_SORTS = {"newest", "oldest", "budget", "rate"}

_FTS_IN = "m.id IN (SELECT rowid FROM missions_fts WHERE missions_fts MATCH ?)"
# The same for a MATCH made only of skill: prefilters (see skill_prefilter): the exact test of
# each skill sits next to it, so a walk along an index can drop it (search_ids).
_SKILLS_IN = "m.id IN (SELECT rowid FROM missions_fts(?))"


def _fts_match(expr: str) -> _Sql:
    return _Sql(_FTS_IN, [expr])


def _has_skill(needle: str) -> _Sql:
    """``m.skills`` (space-separated slugs) holds ``needle`` (" slug " or, for a prefix, " slu").

    The plain instr() first: most rows fail it without building the padded string.
    """
    return _Sql(
        "(instr(m.skills, ?) > 0 AND instr(' ' || m.skills || ' ', ?) > 0)",
        [needle.strip(), needle],
    )


def skill_prefilter(value: str) -> str:
    """An FTS5 expression over the ``skills`` column that every mission matching ``skill:value``
    satisfies (a superset: the exact test stays in SQL); '' when there is none worth using.

    The FTS index holds each mission's skill slugs, so a skill's missions are found from the index
    instead of testing every row: "site skill:wordpress" reads two doclists, not the whole store.
    """
    from missionboard.normalise.skills import load_taxonomy

    taxonomy = load_taxonomy()
    alternatives = []
    for raw in value.split(","):
        raw = raw.strip()
        if raw.endswith("*") and len(raw) > 1:
            words = _FTS_TOKEN.findall(_fold(raw[:-1]))
            # A one-letter prefix has no prefix index: it would merge every word starting so.
            if not words or len(words[-1]) < 2:
                return ""
            alternatives.append('"' + " ".join(words) + '"*')
            continue
        slug = taxonomy.match_tag(raw) or (_fold(raw) if _fold(raw) in taxonomy.skills else None)
        words = _FTS_TOKEN.findall(slug or "")
        if not words:
            return ""  # every alternative must have one, or the filter would lose matches
        alternatives.append('"' + " ".join(words) + '"')
    if not alternatives:
        return ""
    return "{skills} : (" + " OR ".join(alternatives) + ")"


def _in(column: str, values: list[str]) -> _Sql:
    if len(values) == 1:
        return _Sql(f"{column} = ?", values)
    return _Sql(f"{column} IN ({', '.join('?' * len(values))})", list(values))


def _or(parts: list[_Sql]) -> _Sql:
    if len(parts) == 1:
        return parts[0]
    return _Sql("(" + " OR ".join(p.sql for p in parts) + ")", [x for p in parts for x in p.params])


def _pipeline(values: list[str]) -> _Sql:
    """Missions whose pipeline status is one of ``values`` (no user_state row means "new")."""
    others = [p for p in PIPELINE_VALUES if p not in values]
    if "new" in values:  # easier to name the rows that are *not* wanted
        if not others:
            return _Sql("1", [])
        return _Sql(
            f"{STATE_KEY} NOT IN (SELECT uid FROM user_state WHERE pipeline IN ({', '.join('?' * len(others))}))",
            others,
        )
    return _Sql(
        f"{STATE_KEY} IN (SELECT uid FROM user_state WHERE pipeline IN ({', '.join('?' * len(values))}))",
        list(values),
    )


_NUMBER = re.compile(r"^(\d+(?:[.,]\d+)?)\s*([kKmM]?)\s*[€$£]?$")
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*([a-zA-Z]*)$")


def _parse_number(token: Token) -> float:
    m = _NUMBER.match(token.value.replace("\u00a0", "").replace(" ", ""))
    if not m:
        name = token.name.lower()
        raise QueryError(
            f'expected a number after {name}{token.op}, not "{token.value}" (as in {name}{token.op}{_example(name)})',
            token.value_pos,
            len(token.value),
        )
    number = float(m.group(1).replace(",", "."))
    return number * {"": 1, "k": 1e3, "m": 1e6}[m.group(2).lower()]


def _parse_duration(token: Token) -> float:
    m = _DURATION.match(token.value)
    unit = m.group(2).lower() if m else ""
    if not m or (unit and unit not in _DURATION_UNITS):
        raise QueryError(
            f'expected a duration like 12h, 3d or 2w after age{token.op}, not "{token.value}"',
            token.value_pos,
            len(token.value),
        )
    return float(m.group(1)) * _DURATION_UNITS[unit or "d"]


_EXAMPLES = {
    "skill": "python",
    "remote": "remote",
    "cat": "dev",
    "source": "codeur",
    "contract": "freelance",
    "status": "open",
    "pipeline": "applied",
    "is": "unread",
    "lang": "fr",
    "title": "wordpress",
    "client": "acme",
    "desc": "api",
    "budget": "1000",
    "rate": "400",
    "offers": "10",
    "views": "100",
    "age": "3d",
    "sort": "newest",
    "view": "NAME",
}


def _example(name: str) -> str:
    return _EXAMPLES.get(FIELDS.get(name, name), "VALUE")


# --- public API ---------------------------------------------------------------------------------------


def parse(text: str) -> Any:
    """The syntax tree of a query (raises QueryError); mostly useful to validate saved queries."""
    return _expand_remote_words(_Parser(text, tokenize(text)).parse())


# A freelancer typing "python remote" means remote missions about Python, not only those whose text
# happens to say "remote": these plain words also match the remote class the normaliser found (from
# a site's field, "100 % télétravail", "full remote"...). "-remote" excludes both.
REMOTE_WORDS = {
    "remote": "remote",
    "teletravail": "remote",
    "télétravail": "remote",
    "hybrid": "hybrid",
    "hybride": "hybrid",
}


def _expand_remote_words(node: Any) -> Any:
    if isinstance(node, Term):
        remote = REMOTE_WORDS.get(node.token.text.lower()) if node.token.kind == "word" else None
        if remote is None:
            return node
        token = node.token
        field = Token("field", token.text, token.pos, "remote", ":", remote, token.pos)
        return Or([node, Term(field)])
    if isinstance(node, And | Or):
        node.children = [_expand_remote_words(child) for child in node.children]
    elif isinstance(node, Not):
        node.child = _expand_remote_words(node.child)
    return node


def match_slugs(profile_skills: Sequence[str]) -> list[str]:
    """The skill slugs of the profile's skills ([profile] skills), sorted; unknown ones dropped."""
    from missionboard.normalise.skills import load_taxonomy

    taxonomy = load_taxonomy()
    return sorted({s for s in (taxonomy.match_tag(p) for p in profile_skills) if s})


def prepare_match(store: Store, profile_skills: Sequence[str]) -> bool:
    """Keep the store's match scores for this profile, so sort:match reads them in order instead
    of computing every mission's share; True when they were recomputed (the profile changed)."""
    return store.set_match_profile(match_slugs(profile_skills))


def match_order(profile_skills: Sequence[str]) -> tuple[str, str]:
    """ORDER BY for "match" (the share of a mission's skills found in the profile, then newest)
    and the condition "has at least one of the profile's skills"; ('', '') without known skills."""
    slugs = match_slugs(profile_skills)
    if not slugs:
        return "", ""
    share = f"CASE WHEN m.skills = '' THEN 0 ELSE {match_share(slugs, 'm.skills')} END"
    return f"{share} DESC, {NEWEST}", "(" + " OR ".join(skill_tests(slugs, "m.skills")) + ")"


def compile_query(
    text: str,
    *,
    now: datetime | None = None,
    profile_skills: Sequence[str] = (),
    sort: str | None = None,
    hide: Sequence[str] = (),
    views: Mapping[str, str] | None = None,
    sources: Sequence[str] | None = None,
) -> CompiledQuery:
    """Compile a query to SQL; raise QueryError (one line, with position) when it is not valid.

    ``sort`` is used when the query has no ``sort:`` term. ``hide`` holds hide-rule queries whose
    matches are left out unless the query asks for ``is:hidden``. ``views`` lets ``view:NAME``
    stand for a saved view. ``sources``, when given, lets ``source:`` name only known sources, so
    a typo is an error rather than an empty result.
    """
    now = (now or utc_now()).astimezone(UTC)
    views = views or {}
    rules: list[_Sql] = []
    for number, rule in enumerate(hide):
        try:
            rule_sql = _Compiler(rule, now, views, None).compile(parse(rule), top=True)
        except QueryError as exc:
            raise QueryError(f'hide rule #{number + 1} "{rule}": {exc}', 0, 0) from None
        if rule_sql.sql != "1":  # an empty rule hides nothing (not everything)
            rules.append(rule_sql)
    compiler = _Compiler(text, now, views, sources)
    compiler.hide_rules = rules
    body = compiler.compile(parse(text), top=True)
    clauses = [] if body.sql == "1" else [body.sql]
    clause_params = list(body.params)
    if not compiler.include_hidden:
        # Probed per mission, not a list of every hidden one: a first screenful then costs
        # 200 probes, not the reading of all the user's hidden missions (10 ms at 1M).
        clauses.append(
            f"NOT EXISTS (SELECT 1 FROM user_state AS h WHERE h.uid = {STATE_KEY} AND h.hidden = 1)"
        )
        for rule_sql in rules:
            clauses.append(f"NOT ({rule_sql.sql})")
            clause_params += rule_sql.params
    chosen = compiler.sort or (sort.lower() if sort else "newest")
    if chosen not in SORTS:
        raise QueryError(
            f'unknown sort "{sort}" (expected {_choices(list(SORTS))}{_suggest(chosen, list(SORTS))})',
            0,
            0,
        )
    order_by, match_any, slugs = SORTS[chosen], "", ()
    if chosen == "match":
        order_by, match_any = match_order(profile_skills)
        slugs = tuple(match_slugs(profile_skills))
        if not order_by:
            token = compiler.sort_token
            raise QueryError(
                "sort:match needs your skills in the config ([profile] skills = [...])",
                token.pos if token else 0,
                token.length if token else 0,
            )
    where_sql = " AND ".join(clauses) if clauses else "1"
    return CompiledQuery(
        where=where_sql,
        params=clause_params,
        order_by=order_by,
        include_hidden=compiler.include_hidden,
        sort=chosen,
        text=text,
        fts=tuple(compiler.top_fts),
        fts_words=tuple(compiler.top_words),
        match_any=match_any,
        match_slugs=slugs,
    )


def _as_compiled(query: str | CompiledQuery, store: Store, kwargs: dict[str, Any]) -> CompiledQuery:
    if isinstance(query, CompiledQuery):
        return query
    if "sources" not in kwargs and "source" in query.lower():
        kwargs = {**kwargs, "sources": store_sources(store)}
    return compile_query(query, **kwargs)


def store_sources(store: Store) -> list[str]:
    """The distinct sources in the store, read by skipping along the source index."""
    rows = store.execute(
        "WITH RECURSIVE s(name) AS (SELECT min(source) FROM missions UNION ALL "
        "SELECT (SELECT min(source) FROM missions WHERE source > s.name) FROM s WHERE s.name IS NOT NULL) "
        "SELECT name FROM s WHERE name IS NOT NULL"
    )
    return [r[0] for r in rows]


_FROM = f"FROM missions AS m {STATE_JOIN}"


# Reading one FTS match's row and sorting it costs about as much as checking this many entries of
# a covering index (measured by bench/query.py: ~2.5 us against ~0.3 us).
_LOOKUP_COST = 8


def _walk_in_order(store: Store, compiled: CompiledQuery, limit: int) -> bool:
    """Whether walking a covering index in display order beats driving the query by its FTS matches.

    SQLite answers ``m.id IN (FTS match)`` by reading each of the ``h`` matching rows and sorting
    them. Walking the index in display order instead checks about ``limit * N / h'`` entries (all
    ``N`` if fewer than ``limit`` match), ``h'`` being the missions that pass every term, and
    stops. So: walk when that is cheaper than ``_LOOKUP_COST * h`` (a word in a fifth of the
    store, a common skill), drive by FTS otherwise (a rare word, phrase or skill; "site
    skill:wordpress budget>=500"). The shares are measured on the newest missions (the MATCH's
    on the last 20,000 ids, the other terms' on the newest thousand), which is also where a walk
    in display order looks first. A skill: term is counted once: its exact test is among the
    other terms, so the words' share is measured without the skill's FTS filter.
    """
    if not compiled.fts or compiled.sort not in INDEXED_SORTS:
        return False
    size = store.execute("SELECT max(id) FROM missions").fetchone()[0] or 0
    window = min(size, 20000)
    probe = "SELECT count(*) FROM missions_fts WHERE missions_fts MATCH ? AND rowid > ?"
    shares: dict[str, float] = {}

    def share(expr: str) -> float:
        """The share of the newest ids matching ``expr`` (FTS5 seeks straight to a rowid range),
        whole words first: a prefix merges every expansion over the whole index first."""
        if expr not in shares:
            whole = expr.replace('"*', '"')
            found = store.execute(probe, (whole, size - window)).fetchone()[0]
            if found * size < _LOOKUP_COST * window * limit and whole != expr:
                # Rare as whole words: only the prefix can tell (a rare prefix merges cheaply).
                found = store.execute(probe, (expr, size - window)).fetchone()[0]
            shares[expr] = found / max(1, window)
        return shares[expr]

    read = min(share(expr) for expr in compiled.fts) * size  # what driving by FTS reads
    words = min((share(expr) for expr in compiled.fts_words if expr), default=1.0) * size
    sample = 1000
    # Every other term, with the MATCHes taken as true (the "?" keeps the parameters in place),
    # on a range of the covering index (the newest ``sample`` entries), not a list of ids: that
    # would read each mission's wide row.
    others = compiled.where.replace(_FTS_IN, "(? IS NOT NULL)")
    others = others.replace(_SKILLS_IN, "(? IS NOT NULL)")
    passed = store.execute(
        f"SELECT count(*) {_FROM} WHERE coalesce(m.posted_at, m.first_seen) >= coalesce((SELECT "
        "coalesce(posted_at, first_seen) FROM missions ORDER BY coalesce(posted_at, first_seen) "
        f"DESC LIMIT 1 OFFSET ?), '') AND {others}",
        [min(sample, size) - 1, *compiled.params],
    ).fetchone()[0]
    kept = words * passed / max(1, min(sample, size))
    walked = size if kept < limit else limit * size / kept
    return walked < _LOOKUP_COST * read


def search_ids(
    store: Store, query: str | CompiledQuery, *, limit: int | None = None, **compile_kwargs: Any
) -> list[int]:
    """The ids (``missions.id``) of the matching missions in display order."""
    compiled = _as_compiled(query, store, compile_kwargs)
    where = compiled.where
    if limit is not None and _walk_in_order(store, compiled, limit):
        # A unary + keeps SQLite from driving the query by the FTS matches (see above).
        where = where.replace(_FTS_IN, "+" + _FTS_IN)
        # A skill's exact test is cheap on the index entry; its MATCH would read every mission
        # that mentions the word anywhere. The "?" keeps the parameters in place.
        where = where.replace(_SKILLS_IN, "(? IS NOT NULL)")
    if limit is not None and compiled.match_any:
        # Sorting every mission by its match share is slow on a large store, but only missions
        # sharing a skill with the profile can rank above the rest, which follow newest first
        # (along the covering index). Those few are read in order from the match scores the store
        # keeps for the profile (see Store.set_match_profile), or else sorted here.
        if store.match_profile() == list(compiled.match_slugs):
            first = _ids(
                store,
                where,
                compiled,
                limit,
                "ms.share DESC, ms.posted DESC, ms.id DESC",
                "FROM match_scores AS ms CROSS JOIN missions AS m ON m.id = ms.id " + STATE_JOIN,
            )
        else:
            first = _ids(store, f"({where}) AND {compiled.match_any}", compiled, limit)
        if len(first) < limit:
            rest = f"({where}) AND NOT {compiled.match_any}"
            first += _ids(store, rest, compiled, limit - len(first), NEWEST)
        return first
    return _ids(store, where, compiled, limit)


def _ids(
    store: Store,
    where: str,
    compiled: CompiledQuery,
    limit: int | None,
    order_by: str | None = None,
    from_: str = _FROM,
) -> list[int]:
    sql = f"SELECT m.id {from_} WHERE {where} ORDER BY {order_by or compiled.order_by}"
    params = list(compiled.params)
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [row[0] for row in store.execute(sql, params)]


def count(
    store: Store, query: str | CompiledQuery, *, groups: bool = False, **compile_kwargs: Any
) -> int:
    """How many missions match; with ``groups``, a duplicate group counts once (as the TUI's
    list shows it)."""
    compiled = _as_compiled(query, store, compile_kwargs)
    what = f"count(DISTINCT {STATE_KEY})" if groups else "count(*)"
    return store.execute(
        f"SELECT {what} {_FROM} WHERE {compiled.where}", compiled.params
    ).fetchone()[0]


def iter_matching(
    store: Store, query: str | CompiledQuery, **compile_kwargs: Any
) -> Iterator[sqlite3.Row]:
    """The matching rows (missions joined with user state) in display order."""
    compiled = _as_compiled(query, store, compile_kwargs)
    return store.iter_rows(compiled.where, compiled.params, compiled.order_by)


def check_saved_queries(
    views: Mapping[str, str], hide: Mapping[str, str], alerts: Sequence[Mapping[str, Any]]
) -> list[str]:
    """One line per saved view, hide rule or alert whose query does not compile."""
    problems = []
    named = [(f"[views] {name}", text) for name, text in views.items()]
    named += [(f"[hide] {name}", text) for name, text in hide.items()]
    named += [
        (f"[[alerts]] {a.get('name', '#' + str(i + 1))}", a.get("query", ""))
        for i, a in enumerate(alerts)
    ]
    for label, text in named:
        try:
            compile_query(text, views=views, profile_skills=["python"])
        except QueryError as exc:
            problems.append(f"{label} = {text!r}: {exc}")
    return problems
