"""The spec format, v1: one pydantic model per spec file, strict and closed.

These models are the single definition of the format: the loader validates with them and
``medbook-design schema`` exports their JSON Schema for editors. Cross-file references
are checked afterwards by :mod:`medbook_design.spec.resolve`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from medbook_design import defaults

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=63, description="snake_case SQL identifier")]
Slug = Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$", description="kebab-case id")]
Code = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_.-]*$", description="an id")]
Text = Annotated[str, Field(min_length=1)]
# Links end up in the OpenAPI document and the site: only schemes a reader's browser follows
# safely (never javascript: or data:).
WebUrl = Annotated[
    str, Field(pattern=r"^(https?://|mailto:)[^\s]+$", description="an http://, https:// or mailto: URL")
]
Ref = Annotated[
    str,
    Field(
        pattern=r"^(table|column|constraint|endpoint|policy|operation|decision|assumption|scenario|problem|requirement|rule):[A-Za-z0-9_.-]+$",
        description="a reference to a spec element, e.g. 'table:appointments' or 'column:appointments.slot_id', "
        "or to a lint rule that checks it, e.g. 'rule:MB401'",
    ),
]
Dialect = Literal["postgres", "mysql"]
DIALECTS: tuple[str, ...] = ("postgres", "mysql")
PortableType = Literal[
    "bigint", "integer", "smallint", "boolean", "text", "string", "timestamp", "date", "uuid", "decimal", "enum"
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# --- project -----------------------------------------------------------------


class Person(Strict):
    name: Text
    role: Text


class DialectTarget(Strict):
    min_version: Text
    tested_on: Text | None = None


class NonGoal(Strict):
    text: Text = Field(description="what is out of scope")
    extension: Text = Field(description="how the design would be extended to cover it")


class OpenQuestion(Strict):
    question: Text
    why: Text = Field(description="why it matters to this design")
    owner: Text | None = Field(None, description="who can answer it")
    until_answered: Text | None = Field(None, description="what the design assumes meanwhile")


class RolloutStep(Strict):
    step: Text = Field(description="the step, in the order it is taken")
    detail: Text
    undo: Text | None = Field(None, description="how this step is rolled back")


class RequirementSection(Strict):
    id: Text = Field(description="what a requirement's `section` says, e.g. '3A'")
    title: Text | None = Field(None, description="what the section is about, shown beside its id")


class Suppression(Strict):
    rule: Annotated[str, Field(pattern=r"^MB[0-9]{3}$")]
    target: Text = Field(description="the spec element the finding is about, e.g. 'table:users'")
    reason: Text = Field(description="why this finding is acceptable here (mandatory)")


class TableChecks(Strict):
    """House rules for the shape of new tables; each is off until set."""

    max_columns: Annotated[int, Field(ge=1)] | None = Field(
        default=None, description="the most columns a new table may have (rule MB134); none: no limit"
    )
    required_columns: list[Identifier] = Field(
        default=[], description="columns every new table must have, e.g. created_at (rule MB135)"
    )


class LintConfig(Strict):
    severity: dict[Annotated[str, Field(pattern=r"^MB[0-9]{3}$")], Literal["error", "warning", "info", "off"]] = {}
    suppress: list[Suppression] = []
    tables: TableChecks = Field(
        default=TableChecks(),
        description="house rules for new tables: column count and required columns, off by default",
    )


class MigrationSettings(Strict):
    """How long the migration may wait for a lock, and run one statement, before it gives up."""

    lock_timeout_seconds: Annotated[
        int,
        Field(
            ge=1,
            le=3600,
            description="PostgreSQL lock_timeout and MySQL lock_wait_timeout for the migration's session",
        ),
    ] = defaults.MIGRATION_LOCK_TIMEOUT_S
    statement_timeout_seconds: Annotated[
        int, Field(ge=1, le=86400, description="PostgreSQL statement_timeout for the migration")
    ] = defaults.MIGRATION_STATEMENT_TIMEOUT_S
    max_blocking_seconds: Annotated[
        int,
        Field(
            ge=1,
            le=86400,
            description="the longest the migration may hold up the writers of an existing table, as agreed with "
            "its owners; lint compares it with the worst case the lock timeout allows (rule MB801)",
        ),
    ] = defaults.MIGRATION_MAX_BLOCKING_S


class Project(Strict):
    """spec/project.yaml: what the design is, who wrote it and who reviews it."""

    spec_version: Literal[1] = 1
    title: Text
    version: Text
    status: Literal["draft", "in-review", "approved", "superseded"]
    authors: list[Person] = Field(min_length=1)
    reviewers: list[Person] = []
    summary: Text = Field(description="Section 1: the executive summary, one paragraph")
    context: Text = Field(description="the existing system this design extends")
    goals: list[Text] = []
    non_goals: list[Text | NonGoal] = Field(
        [], description="what the design leaves out; with 'extension', how it would grow to cover it"
    )
    open_questions: list[OpenQuestion] = Field([], description="what the design cannot settle alone")
    rollout: list[RolloutStep] = Field([], description="how the change reaches production and how it is undone")
    reading_budget_words: Annotated[int, Field(ge=1)] | None = Field(
        None, description="the most words sections 1-5 may hold outside code blocks (tables included)"
    )
    requirement_sections: list[Text | RequirementSection] = Field(
        [],
        description="the sections of the source the requirements come from, as ids or {id, title}; a requirement's "
        "section must be one of them (none declared: any section is accepted)",
    )
    roles: dict[Identifier, Text] = Field(min_length=1, description="caller roles and who they are")
    dialects: dict[Dialect, DialectTarget] = Field(min_length=1)
    migration: MigrationSettings = MigrationSettings()
    lint: LintConfig = LintConfig()

    @property
    def section_titles(self) -> dict[str, str | None]:
        """The declared requirement sections, id -> title (None when untitled), in declared order."""
        titles: dict[str, str | None] = {}
        for entry in self.requirement_sections:
            if isinstance(entry, str):
                titles[entry] = None
            else:
                titles[entry.id] = entry.title
        return titles


# --- tables ------------------------------------------------------------------


# who may trigger a lifecycle transition: a role of project.yaml, or the system itself
SYSTEM_ACTOR = "system"


class Transition(Strict):
    """One allowed change of state and what performs it."""

    from_: str = Field(alias="from", description="the state the row is in")
    to: str = Field(description="the state the operation leaves it in")
    by: list[Identifier] = Field(
        min_length=1, description=f"who triggers it: roles of project.yaml, or '{SYSTEM_ACTOR}'"
    )
    operation: Identifier = Field(description="the operation whose SQL performs the change")
    when: Text | None = Field(None, description="the condition, in words, under which it is allowed")


class Lifecycle(Strict):
    """The state machine of the columns of one enum type."""

    initial: str = Field(description="the state a new row starts in")
    terminal: list[str] = Field([], description="states no transition leaves")
    transitions: list[Transition] = Field(min_length=1)
    maps_to: dict[Text, dict[str, str]] = Field(
        {},
        description="an external standard's field, e.g. 'FHIR Appointment.status' -> state -> that standard's "
        "code; every state must be mapped",
    )


EnumKind = Literal["state", "category"]


class EnumType(Strict):
    description: Text
    kind: EnumKind | None = Field(
        None,
        description="state: where a row stands, which the design's own SQL writes as the row moves on; "
        "category: a classification whose values arrive from requests or data. Default: state when the "
        "type declares a lifecycle, else category",
    )
    values: list[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]*$")]] = Field(min_length=1)
    value_descriptions: dict[str, Text] = {}
    lifecycle: Lifecycle | None = Field(
        None, description="the states' machine: initial and terminal states, transitions, external codes"
    )

    @model_validator(mode="after")
    def _lifecycle_needs_states(self) -> EnumType:
        if self.kind == "category" and self.lifecycle is not None:
            raise ValueError("a category has no lifecycle (expected kind: state, or no lifecycle)")
        return self

    @property
    def is_state(self) -> bool:
        """Whether the values are states the design's SQL moves rows through (declared or implied)."""
        return self.kind == "state" or (self.kind is None and self.lifecycle is not None)


class Generated(Strict):
    expression: Text = Field(description="neutral SQL expression over the row's columns")
    stored: bool = True


class Column(Strict):
    type: PortableType
    length: Annotated[int, Field(ge=1, le=65535)] | None = None
    precision: Annotated[int, Field(ge=1, le=65)] | None = None
    scale: Annotated[int, Field(ge=0, le=30)] | None = None
    enum: Identifier | None = Field(None, description="the enum type of an 'enum' column")
    nullable: bool = False
    identity: bool = Field(False, description="database-assigned surrogate key")
    default: str | int | bool | None = Field(None, description="a literal default value")
    default_sql: Text | None = Field(None, description="a neutral SQL default, e.g. CURRENT_TIMESTAMP")
    generated: Generated | None = None
    description: Text
    example: Any = None
    notes: dict[Dialect, Text] = {}


class Reference(Strict):
    table: Identifier
    columns: list[Identifier] = Field(min_length=1)


class ForeignKey(Strict):
    name: Identifier
    columns: list[Identifier] = Field(min_length=1)
    references: Reference
    on_delete: Literal["restrict", "cascade", "set null", "no action"] = "restrict"
    reason: Text


class Unique(Strict):
    name: Identifier
    columns: list[Identifier] = Field(min_length=1)
    reason: Text


class Check(Strict):
    name: Identifier
    expression: Text = Field(description="neutral SQL boolean expression")
    reason: Text


class Index(Strict):
    name: Identifier
    columns: list[Identifier] = Field(min_length=1)
    unique: bool = False
    reason: Text


class Equivalent(Strict):
    """How a dialect that lacks a constraint keeps the same invariant."""

    operations: list[Identifier] = Field(min_length=1)
    note: Text


class NoOverlap(Strict):
    """No two rows in one partition may have overlapping [starts, ends) ranges."""

    name: Identifier
    partition_by: list[Identifier] = Field(min_length=1)
    starts: Identifier
    ends: Identifier
    where: Text | None = Field(None, description="neutral SQL predicate: only these rows take part")
    reason: Text
    equivalents: dict[Dialect, Equivalent] = Field(
        {}, description="for dialects without exclusion constraints: what enforces it instead"
    )


class Table(Strict):
    description: Text
    existing: bool = Field(False, description="owned elsewhere and frozen: never created, altered or dropped")
    history: bool = Field(
        default=False,
        description="its rows record what happened (history, audit trail): appended, never updated or deleted, "
        "and kept when the rows they describe go away",
    )
    columns: dict[Identifier, Column] = Field(min_length=1)
    primary_key: list[Identifier] = []
    foreign_keys: list[ForeignKey] = []
    uniques: list[Unique] = []
    checks: list[Check] = []
    indexes: list[Index] = []
    no_overlap: list[NoOverlap] = []
    notes: dict[Dialect, Text] = {}

    @property
    def identity_column(self) -> str | None:
        """The column the database numbers (the first, if a faulty spec declares several)."""
        return next((name for name, column in self.columns.items() if column.identity), None)

    @property
    def key_column(self) -> str | None:
        """The one column that names a row: the identity column, else a one-column primary key.

        None for a composite key without an identity column: no single value names its rows.
        """
        if self.identity_column is not None:
            return self.identity_column
        return self.primary_key[0] if len(self.primary_key) == 1 else None


class TablesFile(Strict):
    """spec/tables.yaml: enum types and tables, existing and new."""

    types: dict[Identifier, EnumType] = {}
    tables: dict[Identifier, Table] = Field(min_length=1)


# --- endpoints ---------------------------------------------------------------


class ProblemType(Strict):
    title: Text
    status: Annotated[int, Field(ge=400, le=599)]
    description: Text
    field_errors: bool = Field(False, description="the body lists each invalid field or parameter in `errors`")


JsonType = Literal["string", "integer", "number", "boolean"]
PolicyValueName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$", description="policy.value")]


class ApiField(Strict):
    column: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")] | None = None
    type: JsonType | None = None
    format: Text | None = None
    enum: Identifier | None = None
    schema_: Identifier | None = Field(None, alias="schema")
    array_of: Annotated[str, Field(pattern=r"^[A-Z][A-Za-z0-9]*$")] | None = None
    object_of: Annotated[str, Field(pattern=r"^[A-Z][A-Za-z0-9]*$")] | None = None
    required: bool = True
    nullable: bool | None = None
    read_only: bool = False
    max_length: int | None = None
    description: Text | None = None
    example: Any = None
    policy_values: dict[Literal["max_length"], PolicyValueName] = Field(
        {},
        description="facts of this field that state a policy value, e.g. {max_length: notes.max_title_length}; "
        "lint keeps each equal to the value",
    )


class Representation(Strict):
    description: Text
    fields: dict[Identifier, ApiField] = Field(min_length=1)


class Parameter(Strict):
    name: Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_-]*$")]
    in_: Literal["path", "query", "header"] = Field(alias="in")
    description: Text
    required: bool = False
    column: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")] | None = None
    type: JsonType | None = None
    format: Text | None = None
    minimum: int | None = None
    maximum: int | None = None
    default: str | int | bool | None = None
    example: Any = None
    policy_values: dict[Literal["minimum", "maximum", "default"], PolicyValueName] = Field(
        {},
        description="facts of this parameter that state a policy value, e.g. {maximum: paging.max_page_size}; "
        "lint keeps each equal to the value",
    )


class Body(Strict):
    schema_: Annotated[str, Field(pattern=r"^[A-Z][A-Za-z0-9]*$")] = Field(alias="schema")
    example: Any = None


class Response(Strict):
    status: Annotated[int, Field(ge=100, le=599)]
    description: Text
    schema_: Annotated[str, Field(pattern=r"^[A-Z][A-Za-z0-9]*$")] | None = Field(None, alias="schema")
    problems: list[Slug] = Field([], description="problem types this status can carry (errors only)")
    headers: dict[str, Text] = {}
    example: Any = None


class Endpoint(Strict):
    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
    path: Annotated[str, Field(pattern=r"^/[A-Za-z0-9_{}/.-]*$")]
    summary: Text
    description: Text
    tag: Text
    callers: list[Identifier] = Field(min_length=1)
    authorization: Literal["owner", "role", "public"] = Field(
        "owner",
        description="how a request is authorised. owner: the caller's role, and for an object the path names, "
        "that the caller owns it, checked in the operation's SQL; role: the caller's role alone, every object "
        "is open to every caller the endpoint admits; public: no sign-in needed, callers name who uses it",
    )
    ownership: Text = Field(
        description="the object-level authorization rule, e.g. 'only the slot's practitioner' (role or public: "
        "who sees what, and why no owner applies)"
    )
    operation: Identifier | None = None
    policies: list[Identifier] = []
    parameters: list[Parameter] = []
    request: Body | None = None
    responses: list[Response] = Field(min_length=1)


class ApiContact(Strict):
    name: Text
    email: Text | None = None
    url: WebUrl | None = None


class ApiLicense(Strict):
    name: Text
    url: WebUrl | None = Field(None, description="where the license text is published")


class EndpointsFile(Strict):
    """spec/endpoints.yaml: problem types, representations and the REST endpoints."""

    contact: ApiContact | None = Field(None, description="who answers questions about the API")
    license: ApiLicense | None = Field(None, description="the terms the API is offered under")
    tags: dict[Text, Text] = Field({}, description="endpoint tag -> what its endpoints are about, in display order")
    base_path: Annotated[str, Field(pattern=r"^/[a-z0-9/]*$")] = "/"
    problem_base_uri: WebUrl
    problems: dict[Slug, ProblemType] = Field(min_length=1)
    schemas: dict[Annotated[str, Field(pattern=r"^[A-Z][A-Za-z0-9]*$")], Representation] = {}
    endpoints: dict[Identifier, Endpoint] = Field(min_length=1)


# --- policies ----------------------------------------------------------------


class PolicyValue(Strict):
    value: int | str | bool
    unit: Text | None = None
    description: Text


class PolicyInvariant(Strict):
    """What a policy promises about the stored rows: unique values, or ranges that never overlap."""

    kind: Literal["unique", "no_overlap"] = Field(
        description="unique: no two rows share the columns' values; no_overlap: no two rows of one partition "
        "have overlapping [starts, ends) ranges"
    )
    table: Identifier = Field(description="the table whose rows the invariant is about")
    columns: list[Identifier] = Field([], description="unique: no two rows taking part share all these values")
    partition_by: list[Identifier] = Field(
        [], description="no_overlap: only rows equal in these columns may not overlap"
    )
    starts: Identifier | None = Field(None, description="no_overlap: the column where a row's range starts (inclusive)")
    ends: Identifier | None = Field(None, description="no_overlap: the column where a row's range ends (exclusive)")
    where: Text | None = Field(
        None, description="neutral SQL predicate over the table's columns: only these rows take part (default: all)"
    )
    description: Text = Field(description="the invariant in words")


class Policy(Strict):
    title: Text
    summary: Text = Field(description="one sentence; {value} placeholders name this policy's values")
    description: Text = Field(description="the rule and its rationale; {value} placeholders allowed")
    values: dict[Identifier, PolicyValue] = {}
    problems: list[Slug] = []
    enforced_by: list[Ref] = []
    invariants: dict[Identifier, PolicyInvariant] = Field(
        {},
        description="what the policy promises about the stored rows, stated so lint can check that every target "
        "dialect enforces it: kind unique (table, columns, where) or kind no_overlap (table, partition_by, "
        "starts, ends, where)",
    )


class PoliciesFile(Strict):
    """spec/policies.yaml: the rules with the concrete values API and SQL share."""

    policies: dict[Identifier, Policy] = Field(min_length=1)


# --- operations --------------------------------------------------------------


class OperationParam(Strict):
    type: PortableType
    source: Literal["path", "query", "header", "body", "caller", "service", "policy", "step"] = Field(
        description="where the value comes from; service: computed by the service from the request, such as "
        "a hash of its body"
    )
    policy_value: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")] | None = Field(
        None, description="policy.value whose value is bound (source: policy)"
    )
    step: Identifier | None = Field(
        None,
        description="the earlier returns_id step of this operation whose kept key this parameter carries to "
        "later steps (source: step)",
    )
    description: Text


class Step(Strict):
    name: Identifier
    description: Text
    sql: Text = Field(description="one neutral SQL statement with :named parameters")
    expect_rows: Annotated[int, Field(ge=0)] | None = Field(
        None, description="the row count the application checks; a mismatch aborts the transaction"
    )
    returns_id: bool = Field(
        False,
        description="the statement inserts one row whose key is kept: the identity column's generated value, "
        "or the value the INSERT gives a one-column primary key",
    )
    returns_rows: bool = False
    with_previous: bool = Field(
        False,
        description="the step only writes rows its own transaction creates (an audit or outbox INSERT), so no "
        "other session can wait for it or make it wait: interleaving scenarios run it straight after the step "
        "before it instead of trying it at every position",
    )


class Diagnosis(Strict):
    """Run after a guard fails and the transaction is rolled back: says which problem it was."""

    sql: Text = Field(description="returns one row with a 'problem' column holding a problem id")
    problems: list[Slug] = Field(min_length=1)


class Operation(Strict):
    summary: Text
    description: Text
    isolation: Literal["read committed", "repeatable read", "serializable"] = "read committed"
    params: dict[Identifier, OperationParam] = {}
    steps: list[Step] = Field(min_length=1)
    diagnose: Diagnosis | None = None
    db_errors: dict[
        Literal["unique_violation", "exclusion_violation", "foreign_key_violation", "check_violation"], Slug
    ] = {}


class OperationsFile(Strict):
    """spec/operations.yaml: the SQL transactions behind the API."""

    operations: dict[Identifier, Operation] = Field(min_length=1)


# --- decisions, requirements, scenarios ---------------------------------------


class Alternative(Strict):
    option: Text
    rejected_because: Text


class Decision(Strict):
    title: Text
    status: Literal["accepted", "proposed", "superseded"] = "accepted"
    summary: Text | None = Field(
        None,
        description="Section 5: the decision in brief, what was chosen and the main reason, in one or two "
        "sentences; without it Section 5 shows the full decision",
    )
    context: Text = Field(description="the problem that forced a choice; shown in the decision record")
    decision: Text = Field(description="what was decided, in full; shown in the decision record (Appendix C)")
    alternatives: list[Alternative] = []
    consequences: list[Text] = []
    related: list[Ref] = []


class Assumption(Strict):
    text: Text
    rationale: Text


class DecisionsFile(Strict):
    """spec/decisions.yaml: trade-offs, alternatives and assumptions."""

    decisions: dict[Code, Decision] = Field(min_length=1)
    assumptions: dict[Code, Assumption] = {}


class Requirement(Strict):
    section: Text = Field(description="the section of the source it comes from; one declared in project.yaml")
    text: Text
    satisfied_by: list[Ref] = Field(min_length=1)
    proven_by: list[Ref] = []
    notes: Text | None = None


class RequirementsFile(Strict):
    """spec/requirements.yaml: every requirement of the brief, traced."""

    source: Text
    requirements: dict[Code, Requirement] = Field(min_length=1)
    not_covered: list[Text] = Field(
        [], description="what no verification run exercises, so a reader knows the limits of the evidence"
    )


# A value in a data scenario: a literal, "@fixture.column" (an earlier fixture's value or
# generated id), "@name" (an id a step kept with `into`, or a race's pick), or
# "db_now [+|- N unit]..." (the database clock). In strings, "{n}" is a number unique in the
# run (fixtures repeated per permutation stay distinct) and "{i}" a counted fixture's index.
ScenarioValue = str | int | float | bool | None
SqlErrorKind = Literal[
    "unique_violation",
    "check_violation",
    "foreign_key_violation",
    "exclusion_violation",
    "lock_timeout",
    "serialization_failure",
    "deadlock",
]
SessionLabel = Annotated[str, Field(pattern=r"^[A-Z][A-Za-z0-9]*$", description="a session's label, e.g. A")]


class FixtureRow(Strict):
    """One row (or ``count`` rows) a data scenario inserts directly before its steps run."""

    table: Identifier = Field(description="the table the row is inserted into")
    values: dict[Identifier, ScenarioValue] = Field(
        min_length=1,
        description="column -> value: a literal, '@<fixture>.<column>' (an earlier fixture's value or "
        "generated id), or a time by the database clock: 'db_now', 'db_now + 2 days', "
        "'db_now + 14 days + {i} hours' (seconds, minutes, hours, days; whole seconds)",
    )
    count: Annotated[int, Field(ge=1, le=1000)] = Field(
        1, description="insert this many rows, '{i}' counting 0, 1, ...; a race picks among them"
    )


class Expectation(Strict):
    """What a step must give: exactly one of ok, problem and error."""

    ok: Literal[True] | None = Field(None, description="the step succeeds")
    rows: Annotated[int, Field(ge=0)] | list[list[ScenarioValue]] | None = Field(
        None,
        description="with ok: how many rows the operation returns (raw SQL: rows returned or changed), "
        "or the exact rows, in order",
    )
    columns: list[Identifier] | None = Field(
        None, description="with exact rows: the result columns they give, by name (default: all)"
    )
    problem: Slug | None = Field(None, description="the problem type the operation reports (call steps)")
    error: SqlErrorKind | None = Field(None, description="the class of database error raw SQL raises (sql steps)")


class PerDialect(Strict):
    """The same expectation where the engines genuinely differ: one variant per target dialect."""

    postgres: Literal["ok", "killed"] | Expectation | None = None
    mysql: Literal["ok", "killed"] | Expectation | None = None


StepExpect = Literal["ok", "killed"] | Expectation | PerDialect


def spelled_out(expect: Literal["ok", "killed"] | Expectation | None) -> Expectation | None:
    """An expectation with the 'ok' shorthand spelled out ('killed' and None have no form)."""
    if isinstance(expect, Expectation):
        return expect
    if expect == "ok":
        return Expectation.model_validate({"ok": True})
    return None


class PlanExpectation(Strict):
    """What PostgreSQL's plan for an operation's query must show, read with EXPLAIN (FORMAT JSON)."""

    uses_index: Identifier | None = Field(None, description="an index or unique constraint the plan must scan")
    no_sort: bool = Field(False, description="the plan has no Sort node: an index gives the rows in order")


class ScenarioStep(Strict):
    """One step of a data scenario: an operation call, or raw SQL that bypasses the API."""

    call: Identifier | None = Field(None, description="the operation to run, as the service would")
    sql: Text | None = Field(None, description="one neutral SQL statement with :named parameters, run directly")
    with_: dict[Identifier, ScenarioValue] = Field(
        {},
        alias="with",
        description="parameter -> value: a literal, '@<fixture>.<column>', '@<into name>' or 'db_now ± N unit'",
    )
    expect: StepExpect | None = Field(
        None,
        description="'ok', {ok: true, rows: N or [[...]]}, {problem: <problem type>}, {error: <database error "
        "class>}, 'killed' (with kill_after), or {postgres: ..., mysql: ...} where the engines differ",
    )
    into: Identifier | None = Field(None, description="keep the id the operation returned under this name")
    kill_after: Identifier | None = Field(
        None,
        description="run the operation on its own connection up to and including this step, then have the "
        "server terminate that connection (expect: killed)",
    )
    dialect: Dialect | None = Field(
        None, description="run this step only on this dialect, where the engines genuinely differ"
    )
    explain: PlanExpectation | None = Field(
        None,
        description="instead of running the call, ANALYZE the tables and EXPLAIN the operation's query "
        "(its returns_rows step) with these parameters; PostgreSQL only (dialect: postgres)",
    )

    def expectation(self, dialect: str) -> Literal["killed"] | Expectation | None:
        """What this step must give on ``dialect`` ('ok' spelled out)."""
        chosen = getattr(self.expect, dialect) if isinstance(self.expect, PerDialect) else self.expect
        return "killed" if chosen == "killed" else spelled_out(chosen)


class StateCheck(Strict):
    """A query over the state and the exact rows it must return ([] for an invariant)."""

    sql: Text = Field(description="one neutral SELECT with :named parameters")
    with_: dict[Identifier, ScenarioValue] = Field({}, alias="with", description="parameter -> value, as in steps")
    rows: list[list[ScenarioValue]] = Field(
        description="the rows expected, in order; [] means the query must find nothing"
    )


# The last step of every interleaving session, after its operation's own steps.
COMMIT_STEP = "commit"


class SessionRun(Strict):
    """What one session of an interleaving runs: an operation, one transaction, step by step."""

    call: Identifier = Field(description="the operation; its steps and COMMIT are the session's steps")
    with_: dict[Identifier, ScenarioValue] = Field({}, alias="with", description="parameter -> value, as in steps")


# "A.claim_slot before B.claim_slot": a condition on the order a permutation issues steps in
Condition = Annotated[
    str,
    Field(
        pattern=r"^[A-Z][A-Za-z0-9]*\.[a-z][a-z0-9_]* before [A-Z][A-Za-z0-9]*\.[a-z][a-z0-9_]*$",
        description="'<session>.<step> before <session>.<step>': the first is issued earlier in the permutation",
    ),
]


class PerDialectCondition(Strict):
    postgres: Condition | list[Condition] | None = None
    mysql: Condition | list[Condition] | None = None


SessionExpect = Annotated[str, Field(pattern=r"^(ok|[a-z][a-z0-9-]*)$", description="'ok' or a problem type")]


class Outcome(Strict):
    """What a permutation must end with, when its condition holds (the first that holds decides)."""

    when: Condition | list[Condition] | PerDialectCondition | None = Field(
        None, description="every condition must hold; none: the outcome of every other permutation"
    )
    expect: dict[SessionLabel, SessionExpect] = Field(
        min_length=1, description="session -> 'ok' or the problem type its operation reports"
    )
    then: list[StateCheck] = Field([], description="checks of the state this outcome leaves")

    def conditions(self, dialect: str) -> list[str] | None:
        """The conditions on ``dialect``; None when this outcome has no variant for it."""
        when = self.when
        if isinstance(when, PerDialectCondition):
            when = getattr(when, dialect)
            if when is None:
                return None
        if when is None:
            return []
        return [when] if isinstance(when, str) else list(when)


class Query(Strict):
    """A SELECT with :named parameters and their values."""

    sql: Text = Field(description="one neutral SELECT with :named parameters")
    with_: dict[Identifier, ScenarioValue] = Field({}, alias="with", description="parameter -> value, as in steps")


class RaceAction(Strict):
    """One kind of attempt a race makes, chosen by weight among those possible right now."""

    call: Identifier = Field(description="the operation an attempt runs")
    weight: Annotated[int, Field(ge=1)] = Field(1, description="relative share among the possible actions")
    given: Query | None = Field(
        None,
        description="a query run just before the attempt: the action is possible only when it finds a row, "
        "whose columns are '@given.<column>'",
    )
    with_: dict[Identifier, ScenarioValue] = Field({}, alias="with", description="parameter -> value, as in steps")


class Race(Strict):
    """Many connections, many attempts, a few hot rows: invariants must hold afterwards."""

    connections: Annotated[int, Field(ge=2)] = Field(32, description="concurrent connections (at least)")
    attempts: Annotated[int, Field(ge=1)] = Field(400, description="attempts shared by all connections")
    seed: int = Field(7, description="seeds each connection's random choices")
    pick: dict[Identifier, Identifier | list[ScenarioValue]] = Field(
        {},
        description="name -> a counted fixture (a random row each attempt, '@name.<column>') or a list of "
        "values (a random one, '@name')",
    )
    actions: list[RaceAction] = Field(min_length=1)
    must_see: list[Slug] = Field(
        [], description="problem types that must occur at least once: without them the race contended nothing"
    )


class Invariant(Strict):
    """A query that must return no rows, checked after every scenario, permutation and race."""

    title: Text
    sql: Text = Field(description="one neutral SELECT; every row it returns is a violation")


class Scenario(Strict):
    title: Text
    kind: Literal["interleaving", "race", "single", "migration"]
    description: Text
    expected: Text
    proves: list[Ref] = []
    fixtures: dict[Identifier, FixtureRow] = Field(
        {},
        description="rows inserted directly before the steps, in order (again for every permutation); "
        "later ones may reference earlier ones",
    )
    steps: list[ScenarioStep] = Field(
        [], description="what runs, in order, each step its own transaction (interleaving: before the sessions)"
    )
    sessions: dict[SessionLabel, SessionRun] = Field(
        {}, description="interleaving: the concurrent sessions, each running one operation"
    )
    permutations: (
        Literal["all"] | list[list[Annotated[str, Field(pattern=r"^[A-Z][A-Za-z0-9]*\.[a-z][a-z0-9_]*$")]]]
    ) = Field("all", description="interleaving: 'all', or the orders to run as lists of '<session>.<step>'")
    outcomes: list[Outcome] = Field([], description="interleaving: what each permutation must end with")
    race: Race | None = Field(None, description="race: the workload and what it must show")
    then: list[StateCheck] = Field([], description="checks of the final state (interleaving: after every permutation)")


class BenchmarkFixture(FixtureRow):
    """Rows a benchmark inserts before each of its runs: once, or once for every client."""

    per_client: bool = Field(
        False,
        description="insert the row(s) for every client: '{client}' is the client's number (0, 1, ...) and "
        "'@<fixture>.<column>' in that client's attempts names its own row",
    )
    per_second: Annotated[int, Field(ge=1, le=100_000)] | None = Field(
        None,
        description="also insert this many rows for every second a run lasts, shared among the clients when "
        "per_client: enough rows for attempts that 'take' a fresh one each time",
    )


class BenchmarkAttempt(Strict):
    """What a client does, again and again until the run ends: pick rows, then one action (the race format)."""

    pick: dict[Identifier, Identifier | list[ScenarioValue]] = Field(
        {},
        description="name -> a counted fixture (a random row each attempt, '@name.<column>'; a per-client "
        "fixture's rows are the client's own) or a list of values (a random one, '@name')",
    )
    take: dict[Identifier, Identifier] = Field(
        {},
        description="name -> a counted per-client fixture: the client's next unused row each attempt, "
        "'@name.<column>'; a client that runs out stops early, which the figures record",
    )
    actions: list[RaceAction] = Field(
        min_length=1, description="the operations an attempt may run, chosen by weight among those possible"
    )


class BenchmarkMode(Strict):
    """One way of running the workload, e.g. every client on its own rows, or all of them on a few."""

    description: Text
    fixtures: dict[Identifier, BenchmarkFixture] = Field(
        {}, description="this mode's own rows, inserted after the benchmark's fixtures"
    )
    attempt: BenchmarkAttempt


class BenchmarkAlternatives(Strict):
    """Other ways of writing one operation, derived from it and measured next to it."""

    operation: Identifier = Field(
        description="an operation the attempts call; its first step must be an UPDATE that matches one row "
        "by primary key and a guard condition"
    )
    strategies: list[Literal["for-update", "serializable"]] = Field(
        min_length=1,
        description="for-update: lock the row with SELECT ... FOR UPDATE and the guard, then update it by key; "
        "serializable: read with the guard, then update by key, at SERIALIZABLE with the service's retries",
    )


class PgbenchTarget(Strict):
    """The throughput a mode must reach, as a share of pgbench simple-update's at the same client count."""

    mode: Identifier
    clients: Annotated[int, Field(ge=1)]
    at_least: Annotated[float, Field(gt=0, le=10)] = Field(
        description="commits per second as a share of pgbench's transactions per second, e.g. 0.5"
    )


class Benchmark(Strict):
    """A workload ``medbook-design bench <id>`` runs on a real server: throughput, latency, invariants."""

    title: Text
    description: Text
    clients: list[Annotated[int, Field(ge=1, le=1000)]] = Field(
        list(defaults.BENCH_CLIENTS), min_length=1, description="numbers of concurrent clients, one run each"
    )
    seconds: Annotated[float, Field(gt=0, le=3600)] = Field(defaults.BENCH_SECONDS, description="how long a run lasts")
    seed: int = Field(defaults.BENCH_SEED, description="seeds each client's random choices")
    fixtures: dict[Identifier, BenchmarkFixture] = Field(
        {}, description="rows every mode starts from, inserted in order before each run in a fresh database"
    )
    modes: dict[Identifier, BenchmarkMode] = Field(min_length=1)
    invariants: list[Identifier] | None = Field(
        None, description="the invariants checked after every run (default: all of them)"
    )
    alternatives: BenchmarkAlternatives | None = Field(
        None, description="derived variants of one operation, each run with the same modes and clients"
    )
    target: PgbenchTarget | None = Field(
        None, description="the spec's own operations must reach this share of pgbench simple-update"
    )


class ScenariosFile(Strict):
    """spec/scenarios.yaml: what verification runs on real engines, and what it must show."""

    invariants: dict[Identifier, Invariant] = Field(
        {}, description="queries that must return no rows, checked after every scenario, permutation and race"
    )
    benchmarks: dict[Identifier, Benchmark] = Field(
        {}, description="workloads `medbook-design bench <id>` measures on real servers"
    )
    scenarios: dict[Identifier, Scenario] = Field(min_length=1)


# The spec directory: file name -> model. Order is the order errors and docs use.
FILES: dict[str, type[Strict]] = {
    "project.yaml": Project,
    "tables.yaml": TablesFile,
    "endpoints.yaml": EndpointsFile,
    "policies.yaml": PoliciesFile,
    "operations.yaml": OperationsFile,
    "scenarios.yaml": ScenariosFile,
    "decisions.yaml": DecisionsFile,
    "requirements.yaml": RequirementsFile,
}


class Spec(Strict):
    """The whole, validated and cross-checked spec: what every later stage reads."""

    project: Project
    tables: TablesFile
    endpoints: EndpointsFile
    policies: PoliciesFile
    operations: OperationsFile
    scenarios: ScenariosFile
    decisions: DecisionsFile
    requirements: RequirementsFile

    def table(self, name: str) -> Table:
        return self.tables.tables[name]

    @property
    def new_tables(self) -> dict[str, Table]:
        return {n: t for n, t in self.tables.tables.items() if not t.existing}

    @property
    def existing_tables(self) -> dict[str, Table]:
        return {n: t for n, t in self.tables.tables.items() if t.existing}
