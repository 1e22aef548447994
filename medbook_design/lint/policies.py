"""Policy values and every place the design states them, for the policy-drift rules.

A policy value is stated in three kinds of place: prose (policies, decisions, requirements,
project, endpoint and operation texts), the API contract (parameter bounds, field and column
lengths) and operation SQL (interval, number and string literals). This module finds each
statement once and says which value it belongs to; one rule then reports the statements
that repeat a value where a reference would do, another those that contradict it.

Attributing prose is the delicate part. A number is compared only with values of the same
unit, and only with values of policies the text is about: the text's owners (a decision's
related policies, an endpoint's policies, the policies enforcing an operation...) and the
policies a sentence names. When a sentence names several policies, a number belongs to the
nearest name in its own clause, else to a value it equals, else to the nearest name in the
sentence, else to a value of the text's owners whose name the sentence echoes. Every index
is built once per lint run, in one pass over the texts, so the cost grows with the size of
the spec, not with its square.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any, NamedTuple

from medbook_design.lint.units import measure
from medbook_design.spec.design import Design, PathKey, refs_of_kind

if TYPE_CHECKING:
    from medbook_design.lint.context import LintContext, SqlSite
    from medbook_design.lint.sql import SqlLiteral
    from medbook_design.spec.model import Endpoint

ISOLATION_LEVELS = ("read committed", "repeatable read", "serializable")

# --- units -------------------------------------------------------------------------

_UNIT_ALIASES = {"percent": "per cent", "%": "per cent", "char": "character"}
LENGTH_UNIT = "character"  # the unit of a value that a column or field length states


def singular(word: str) -> str:
    """A lower-case English word without its plural s (good enough for units and names)."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def unit_key(unit: str) -> str:
    """A unit as a comparable key: lower case, each word singular (``requests per minute``
    -> ``request per minute``)."""
    key = " ".join(singular(word) for word in re.findall(r"[a-z%]+", unit.lower()))
    return _UNIT_ALIASES.get(key, key)


@dataclass(frozen=True)
class ValueFact:
    """One policy value with its unit as a key."""

    policy: str
    name: str
    value: int | float | str | bool
    unit: str  # unit_key of the declared unit, "" when it has none
    unit_text: str  # the unit as declared

    @property
    def dotted(self) -> str:
        return f"{self.policy}.{self.name}"

    @property
    def number(self) -> float | None:
        ok = isinstance(self.value, (int, float)) and not isinstance(self.value, bool)
        return float(self.value) if ok else None

    @property
    def measure(self) -> tuple[str, float] | None:
        """("time", seconds) or ("calendar", months) for a value with a time unit."""
        return measure(self.number, self.unit) if self.number is not None else None

    @property
    def shown(self) -> str:
        return f"{self.value} {self.unit_text}" if self.unit_text else str(self.value)


def same_number(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


# --- who a text is about ------------------------------------------------------------


class ProseSite(NamedTuple):  # a tuple: one is made for every text of the spec
    """One text a reader sees, with the policies it is about by where it stands."""

    file: str
    path: PathKey
    target: str
    text: str
    owners: tuple[str, ...]
    loose: bool = False  # project texts: a policy is also named by its title's first word

    @property
    def named(self) -> str:
        """How a message names the text: "the description of endpoint:list_notes"."""
        key = next((k for k in reversed(self.path) if isinstance(k, str)), "text")
        return f"the {key.replace('_', ' ')} of {self.target}"


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


class Links:
    """Which policies each operation, endpoint and representation is under."""

    def __init__(self, design: Design):
        spec = design.spec
        self.design = design
        enforcing: dict[str, list[str]] = {}
        governing: dict[str, list[str]] = {}
        for pname, pol in spec.policies.policies.items():
            for ref in refs_of_kind(pol.enforced_by, "operation"):
                enforcing.setdefault(ref.name, []).append(pname)
            for oname in design.governed_operations(pname):
                governing.setdefault(oname, []).append(pname)
        self.enforcing = {k: _unique(v) for k, v in enforcing.items()}
        self.governing = {k: _unique(v) for k, v in governing.items()}
        schema_owners: dict[str, list[str]] = {}
        for _, ep in spec.endpoints.endpoints.items():
            owners = self.endpoint(ep)
            used = [ep.request.schema_] if ep.request else []
            used += [resp.schema_ for resp in ep.responses if resp.schema_]
            for name in used:
                schema_owners.setdefault(name, []).extend(owners)
        self.schemas = {k: _unique(v) for k, v in schema_owners.items()}
        problem_owners: dict[str, list[str]] = {}
        for pname, pol in spec.policies.policies.items():
            for prob in pol.problems:
                problem_owners.setdefault(prob, []).append(pname)
        self.problems = {k: _unique(v) for k, v in problem_owners.items()}
        column_owners: dict[str, list[str]] = {}
        for pname, pol in spec.policies.policies.items():
            for ref in refs_of_kind(pol.enforced_by, "column"):
                column_owners.setdefault(ref.name, []).append(pname)
        self.columns = {k: _unique(v) for k, v in column_owners.items()}

    def endpoint(self, ep: Endpoint) -> tuple[str, ...]:
        """The endpoint's own policies, then those enforcing its operation."""
        return _unique([*ep.policies, *(self.enforcing.get(ep.operation or "", ()))])


def prose_sites(design: Design, links: Links) -> Iterator[ProseSite]:
    """Every text that may state a policy value; scenario texts are left out on purpose,
    since test data uses other values to prove a boundary."""
    spec = design.spec
    policies = spec.policies.policies
    for pname, pol in policies.items():
        for key in ("summary", "description"):
            yield ProseSite("policies.yaml", ("policies", pname, key), f"policy:{pname}", getattr(pol, key), (pname,))
    for did, dec in spec.decisions.decisions.items():
        owners = _unique(ref.owner for ref in refs_of_kind(dec.related, "policy") if ref.owner in policies)
        base: PathKey = ("decisions", did)
        texts: list[tuple[PathKey, str | None]] = [
            ((*base, key), getattr(dec, key)) for key in ("title", "summary", "context", "decision")
        ]
        texts += [((*base, "consequences", i), text) for i, text in enumerate(dec.consequences)]
        for i, alt in enumerate(dec.alternatives):
            texts += [((*base, "alternatives", i, "option"), alt.option)]
            texts += [((*base, "alternatives", i, "rejected_because"), alt.rejected_because)]
        yield from _sites("decisions.yaml", f"decision:{did}", texts, owners)
    for rid, req in spec.requirements.requirements.items():
        refs = refs_of_kind([*req.satisfied_by, *req.proven_by], "policy")
        owners = _unique(ref.owner for ref in refs if ref.owner in policies)
        texts = [(("requirements", rid, "text"), req.text), (("requirements", rid, "notes"), req.notes)]
        yield from _sites("requirements.yaml", f"requirement:{rid}", texts, owners)
    yield from _project_sites(design)
    yield from _endpoint_sites(design, links)
    for oname, op in spec.operations.operations.items():
        owners = links.governing.get(oname, ())
        texts = [(("operations", oname, key), getattr(op, key)) for key in ("summary", "description")]
        texts += [(("operations", oname, "steps", i, "description"), s.description) for i, s in enumerate(op.steps)]
        yield from _sites("operations.yaml", f"operation:{oname}", texts, owners)


def _sites(
    file: str, target: str, texts: Iterable[tuple[PathKey, str | None]], owners: tuple[str, ...], loose: bool = False
) -> Iterator[ProseSite]:
    for path, text in texts:
        if text:
            yield ProseSite(file, path, target, text, owners, loose)


def _project_sites(design: Design) -> Iterator[ProseSite]:
    project = design.spec.project
    texts: list[tuple[PathKey, str | None]] = [(("summary",), project.summary), (("context",), project.context)]
    texts += [(("goals", i), goal) for i, goal in enumerate(project.goals)]
    for i, item in enumerate(project.non_goals):
        if isinstance(item, str):
            texts.append((("non_goals", i), item))
        else:
            texts += [(("non_goals", i, "text"), item.text), (("non_goals", i, "extension"), item.extension)]
    for i, q in enumerate(project.open_questions):
        texts += [(("open_questions", i, key), getattr(q, key)) for key in ("question", "why", "until_answered")]
    for i, r in enumerate(project.rollout):
        texts += [(("rollout", i, key), getattr(r, key)) for key in ("step", "detail", "undo")]
    yield from _sites("project.yaml", "project", texts, (), loose=True)


def _endpoint_sites(design: Design, links: Links) -> Iterator[ProseSite]:
    endpoints = design.spec.endpoints
    F = "endpoints.yaml"
    for pid, prob in endpoints.problems.items():
        yield from _sites(
            F, f"problem:{pid}", [(("problems", pid, "description"), prob.description)], links.problems.get(pid, ())
        )
    for rname, rep in endpoints.schemas.items():
        base: PathKey = ("schemas", rname)
        texts: list[tuple[PathKey, str | None]] = [((*base, "description"), rep.description)]
        texts += [((*base, "fields", f, "description"), field.description) for f, field in rep.fields.items()]
        yield from _sites(F, f"schema:{rname}", texts, links.schemas.get(rname, ()))
    for ename, ep in endpoints.endpoints.items():
        base = ("endpoints", ename)
        texts = [((*base, key), getattr(ep, key)) for key in ("summary", "description", "ownership")]
        texts += [((*base, "parameters", i, "description"), p.description) for i, p in enumerate(ep.parameters)]
        for i, resp in enumerate(ep.responses):
            texts.append(((*base, "responses", i, "description"), resp.description))
            texts += [((*base, "responses", i, "headers", name), text) for name, text in resp.headers.items()]
        yield from _sites(F, f"endpoint:{ename}", texts, links.endpoint(ep))


# --- naming a policy in a sentence --------------------------------------------------------

_WORD = re.compile(r"[a-z0-9_]+")
_STEM = 6  # a title's first word names its policy in project texts by this many letters


def _words(text: str) -> list[tuple[int, str]]:
    """(position, word) in lower case and singular: "Rate limits" and "rate limit" agree."""
    return [(m.start(), singular(m.group(0))) for m in _WORD.finditer(text.lower())]


class Mentions:
    """Where a text names a policy: its key (``cancellation_window`` or ``cancellation
    window``), its title, or one of its value names; in project texts, which cite nothing,
    also a word starting like the title's first word ("cancel" for "Cancellation cutoff").
    Names two policies share name neither."""

    def __init__(self, design: Design):
        terms: dict[tuple[str, ...], set[str]] = {}
        stems: dict[str, set[str]] = {}
        for pname, pol in design.spec.policies.policies.items():
            names = [pname, pname.replace("_", " "), pol.title]
            names += [v for v in pol.values if "_" in v]  # one-word value names are ordinary words
            for name in names:
                words = tuple(w for _, w in _words(name))
                if words:
                    terms.setdefault(words, set()).add(pname)
            first = re.findall(r"[a-z]+", pol.title.lower())
            if first and len(first[0]) >= 4:
                stems.setdefault(first[0][:_STEM], set()).add(pname)
        self.terms = {words: next(iter(ps)) for words, ps in terms.items() if len(ps) == 1}
        self.stems = {stem: next(iter(ps)) for stem, ps in stems.items() if len(ps) == 1}
        # first word -> the lengths of the names starting with it, longest first
        self.starts: dict[str, list[int]] = {}
        for words in self.terms:
            self.starts.setdefault(words[0], []).append(len(words))
        for lengths in self.starts.values():
            lengths.sort(reverse=True)
        self.stem_lengths = sorted({len(s) for s in self.stems})

    def find(self, text: str, loose: bool) -> list[tuple[int, str]]:
        """(position, policy) of every name in ``text``, in order."""
        words = _words(text)
        out = []
        for i, (pos, word) in enumerate(words):
            for n in self.starts.get(word, ()):
                policy = self.terms.get(tuple(w for _, w in words[i : i + n]))
                if policy is not None:
                    out.append((pos, policy))
                    break
            else:
                if loose:
                    for k in self.stem_lengths:
                        policy = self.stems.get(word[:k]) if len(word) >= k else None
                        if policy is not None:
                            out.append((pos, policy))
                            break
        return out


# --- numbers with units in prose ------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """A number with a unit in prose, and the policy value(s) it belongs to."""

    site: ProseSite
    stated: str  # as written, e.g. "48 hours"
    number: float
    values: tuple[ValueFact, ...]  # what it states, or what it should have stated
    equal: bool  # it states values[0]


_DIGIT = re.compile(r"\d")
_NUMBER_GOES_ON = re.compile(r"[\w.]")  # a digit after this is inside a name or a number: D13, 1.5
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")
_CLAUSE_MARK = re.compile(r"[,:()\u2014\u2013]| - ")


def _quantity_pattern(units: Iterable[str]) -> re.Pattern[str] | None:
    alternatives = set()
    for unit in units:
        words = unit.split()
        alternatives.add(r"[\s-]+".join(rf"{re.escape(w)}(?:s|es)?" for w in words))
        if unit == "per cent":
            alternatives.update({"%", "percent"})
    if not alternatives:
        return None
    units_re = "|".join(sorted(alternatives, key=len, reverse=True))
    return re.compile(rf"(\d+(?:\.\d+)?)[\s-]*({units_re})(?![\w])", re.I)


def _claims_in(
    site: ProseSite,
    mentions: Mentions,
    pattern: re.Pattern[str],
    by_policy_unit: dict[tuple[str, str], list[ValueFact]],
) -> Iterator[Claim]:
    text = site.text
    if _DIGIT.search(text) is None:  # most texts hold no number: the cheapest test first
        return
    found = [q for q in pattern.finditer(text) if q.start() == 0 or not _NUMBER_GOES_ON.match(text[q.start() - 1])]
    if not found:
        return
    starts = [0] + [m.end() for m in _SENTENCE_END.finditer(text)]
    marks = [m.start() for m in _CLAUSE_MARK.finditer(text)] + starts[1:]  # a sentence ends a clause too
    marks.sort()
    named: dict[int, list[tuple[int, str]]] = {}  # sentence -> its names, found once
    words: dict[int, frozenset[str]] = {}  # sentence -> its words
    for q in found:
        k = bisect_right(starts, q.start()) - 1
        if k not in named:
            start = starts[k]
            sentence = text[start : starts[k + 1] if k + 1 < len(starts) else len(text)]
            named[k] = [(start + pos, p) for pos, p in mentions.find(sentence, site.loose)]
            words[k] = frozenset(w for _, w in _words(sentence))
        claim = _attribute(site, q, named[k], words[k], marks, by_policy_unit)
        if claim is not None:
            yield claim


def _attribute(
    site: ProseSite,
    q: re.Match[str],
    names: list[tuple[int, str]],
    words: frozenset[str],
    marks: list[int],
    by_policy_unit: dict[tuple[str, str], list[ValueFact]],
) -> Claim | None:
    number, unit = float(q.group(1)), unit_key(q.group(2))
    at = q.start()
    clause = bisect_right(marks, at)
    named = [(abs(pos - at), bisect_right(marks, pos) == clause, p) for pos, p in names if (p, unit) in by_policy_unit]

    def claim(values: Sequence[ValueFact]) -> Claim:
        equal = [v for v in values if v.number is not None and same_number(v.number, number)]
        return Claim(site, q.group(0), number, tuple(equal[:1] or values), bool(equal))

    near = [n for n in named if n[1]]
    if near:  # a name in the same clause decides
        return claim(by_policy_unit[(min(near)[2], unit)])
    scope = _unique([*(p for _, _, p in sorted(named)), *site.owners])
    candidates = [v for p in scope for v in by_policy_unit.get((p, unit), ())]
    if not candidates:
        return None
    equal = [v for v in candidates if v.number is not None and same_number(v.number, number)]
    if equal:
        return claim(equal)
    if named:
        return claim(by_policy_unit[(min(named)[2], unit)])
    # Nothing in the sentence names a policy: a different number contradicts a value of the
    # text's owners only when the sentence speaks of what the value measures ("titles" for
    # max_title_length); a decision about closing may well say "reports keep 90 days".
    about = [v for v in candidates if _subject(v.name, v.unit) & words]
    return claim(about) if about else None


@cache
def _subject(name: str, unit: str) -> frozenset[str]:
    """What a value measures, as words of its name: ``max_title_length`` -> title, length
    (its unit's words and short words such as max or min left out)."""
    units = set(unit.split())
    return frozenset(w for w in (singular(part) for part in name.split("_")) if len(w) >= 4 and w not in units)


# --- SQL literals ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SqlClaim:
    """A literal in an operation's SQL that states a policy value, or contradicts one."""

    site: SqlSite
    literal: SqlLiteral
    values: tuple[ValueFact, ...]
    equal: bool


def _sql_claim(
    site: SqlSite,
    lit: SqlLiteral,
    governing: Sequence[ValueFact],
    enforcing: Sequence[ValueFact],
    vocabulary: frozenset[str],
) -> SqlClaim | None:
    if lit.kind == "interval":
        assert lit.measure is not None
        kind, amount = lit.measure
        equal = [v for v in governing if (m := v.measure) and m[0] == kind and same_number(m[1], amount)]
        if equal:
            return SqlClaim(site, lit, tuple(equal[:1]), True)
        same_unit = [v for v in enforcing if lit.unit and v.unit == lit.unit]
        return SqlClaim(site, lit, tuple(same_unit), False) if same_unit else None
    if lit.kind == "number":
        if lit.role != "value" or lit.value in (0, 1):
            return None
        equal = [v for v in governing if v.number is not None and same_number(v.number, float(lit.value))]
        return SqlClaim(site, lit, tuple(equal[:1]), True) if equal else None
    if lit.value in vocabulary:
        return None  # an enum's value names a state, whatever a policy calls it
    equal = [v for v in governing if isinstance(v.value, str) and v.value == lit.value]
    return SqlClaim(site, lit, tuple(equal[:1]), True) if equal else None


# --- API facts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApiFact:
    """A number or text of the API contract that a policy value may govern: a parameter's
    minimum, maximum or default, a field's max_length, or the length of a column a policy
    names."""

    file: str
    path: PathKey  # the fact, or the element holding it when it is not set
    target: str
    key: str  # the fact's key: minimum, maximum, default, max_length or length
    what: str  # "maximum of parameter limit of list_notes"
    value: int | str | None  # None: declared by policy_values but not stated
    length: bool  # a string length, compared with values counted in characters
    bound: ValueFact | None  # the value it is declared to state
    bound_by: str  # how: "policy_values" or the policy's enforced_by
    owners: tuple[str, ...]


def _stated(value: Any) -> int | str | None:
    """A number or a text an API fact states; booleans state no policy value."""
    return value if isinstance(value, (int, str)) and not isinstance(value, bool) else None


def states(fact_value: int | str, value: ValueFact) -> bool:
    """Whether an API fact's number or text is the policy value."""
    if isinstance(fact_value, str) or value.number is None:
        return isinstance(fact_value, str) and fact_value == value.value
    return same_number(value.number, fact_value)


def _length_value(values: Sequence[ValueFact]) -> ValueFact | None:
    """The one value counted in characters among a policy's values, if there is exactly one."""
    lengths = [v for v in values if v.unit == LENGTH_UNIT and v.number is not None]
    return lengths[0] if len(lengths) == 1 else None


def api_facts(design: Design, links: Links, values: dict[str, ValueFact]) -> Iterator[ApiFact]:
    spec = design.spec
    by_policy: dict[str, list[ValueFact]] = {}
    for v in values.values():
        by_policy.setdefault(v.policy, []).append(v)
    column_bound: dict[str, tuple[ValueFact, str]] = {}
    for column, policies in links.columns.items():
        for pname in policies:
            value = _length_value(by_policy.get(pname, ()))
            if value is not None:
                column_bound.setdefault(column, (value, pname))
    for dotted, (value, pname) in column_bound.items():
        table, _, cname = dotted.partition(".")
        col = design.column(dotted)
        if col is not None and col.length is not None:
            yield ApiFact(
                "tables.yaml",
                ("tables", table, "columns", cname, "length"),
                f"column:{dotted}",
                "length",
                f"length of column {dotted}",
                col.length,
                True,
                value,
                f"policy {pname}'s enforced_by",
                (pname,),
            )
    for rname, rep in spec.endpoints.schemas.items():
        for fname, field in rep.fields.items():
            declared = field.policy_values.get("max_length")
            if field.max_length is None and declared is None:
                continue
            at: PathKey = ("schemas", rname, "fields", fname)
            stated, what = field.max_length, f"max_length of field {rname}.{fname}"
            mapped = design.column(field.column)
            if stated is None and mapped is not None and mapped.length is not None:
                stated, what = mapped.length, f"{what} (the length of its column {field.column})"
            bound, how = (values.get(declared), "policy_values") if declared else (None, "")
            if declared is None and field.column in column_bound:
                bound, pname = column_bound[field.column]
                how = f"policy {pname}'s enforced_by (column {field.column})"
            yield ApiFact(
                "endpoints.yaml",
                (*at, "max_length") if field.max_length is not None else at,
                f"schema:{rname}",
                "max_length",
                what,
                stated,
                True,
                bound,
                how,
                links.schemas.get(rname, ()),
            )
    for ename, ep in spec.endpoints.endpoints.items():
        owners = links.endpoint(ep)
        for i, param in enumerate(ep.parameters):
            for fact in ("minimum", "maximum", "default"):
                declared = param.policy_values.get(fact)
                given = _stated(getattr(param, fact))
                if given is None and declared is None:
                    continue
                at = ("endpoints", ename, "parameters", i)
                yield ApiFact(
                    "endpoints.yaml",
                    (*at, fact) if given is not None else at,
                    f"endpoint:{ename}",
                    fact,
                    f"{fact} of parameter {param.name} of {ename}",
                    given,
                    False,
                    values.get(declared) if declared else None,
                    "policy_values" if declared else "",
                    owners,
                )


# --- everything at once ----------------------------------------------------------------------


class PolicyFacts:
    """The statements of policy values in one design, computed once per lint run."""

    def __init__(self, ctx: LintContext):
        self.ctx = ctx
        self.design = ctx.design

    @cached_property
    def links(self) -> Links:
        return Links(self.design)

    @cached_property
    def values(self) -> dict[str, ValueFact]:
        """policy.value -> its fact, in spec order."""
        out = {}
        for pname, pol in self.design.spec.policies.policies.items():
            for vname, v in pol.values.items():
                fact = ValueFact(pname, vname, v.value, unit_key(v.unit or ""), v.unit or "")
                out[fact.dotted] = fact
        return out

    @cached_property
    def by_policy(self) -> dict[str, list[ValueFact]]:
        out: dict[str, list[ValueFact]] = {}
        for v in self.values.values():
            out.setdefault(v.policy, []).append(v)
        return out

    @cached_property
    def claims(self) -> list[Claim]:
        """Every number with a unit in prose that belongs to a policy value."""
        by_policy_unit: dict[tuple[str, str], list[ValueFact]] = {}
        for v in self.values.values():
            if v.unit and v.number is not None:
                by_policy_unit.setdefault((v.policy, v.unit), []).append(v)
        pattern = _quantity_pattern({unit for _, unit in by_policy_unit})
        if pattern is None:
            return []
        mentions = Mentions(self.design)
        out: list[Claim] = []
        for site in prose_sites(self.design, self.links):
            out.extend(_claims_in(site, mentions, pattern, by_policy_unit))
        return out

    @cached_property
    def sql_claims(self) -> list[SqlClaim]:
        """Every literal in operation SQL that states or contradicts a policy value of the
        policies governing its operation (contradictions: only those enforcing it)."""
        from medbook_design.lint.sql import sql_literals

        vocabulary = frozenset(v for enum in self.design.spec.tables.types.values() for v in enum.values)
        out = []
        for site in self.ctx.sql_sites:
            if site.statement is None:
                continue
            governing = [v for p in self.links.governing.get(site.operation, ()) for v in self.by_policy.get(p, ())]
            enforcing = [v for p in self.links.enforcing.get(site.operation, ()) for v in self.by_policy.get(p, ())]
            if not governing:
                continue
            for lit in sql_literals(site.statement):
                claim = _sql_claim(site, lit, governing, enforcing, vocabulary)
                if claim is not None:
                    out.append(claim)
        return out

    @cached_property
    def api_facts(self) -> list[ApiFact]:
        return list(api_facts(self.design, self.links, self.values))

    def restated(self, fact: ApiFact) -> ValueFact | None:
        """The value of a policy over ``fact`` that it equals without declaring it."""
        if fact.bound is not None or fact.bound_by or fact.value is None or fact.value in (0, 1):
            return None
        for pname in fact.owners:
            for v in self.by_policy.get(pname, ()):
                if isinstance(v.value, bool) or (fact.length and v.unit != LENGTH_UNIT):
                    continue
                if states(fact.value, v):
                    return v
        return None


def is_listed(values: Sequence[ValueFact]) -> str:
    """``a.b is 24 hours or c.d is 48 hours``: how messages name the values a claim is about."""
    return " or ".join(f"{v.dotted} is {v.shown}" for v in values)
