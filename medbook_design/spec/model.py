"""The spec format, v1: one pydantic model per spec file, strict and closed.

These models are the single definition of the format: the loader validates with them and
``medbook-design schema`` exports their JSON Schema for editors. Cross-file references
are checked afterwards by :mod:`medbook_design.spec.resolve`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, model_validator

from medbook_design import defaults


class TextFormat(NamedTuple):
    """A shape of text many fields share, named so messages and the reference can say it in words."""

    noun: str
    meaning: str
    example: str


IDENTIFIER = r"^[a-z][a-z0-9_]*$"
SLUG = r"^[a-z][a-z0-9-]*$"
CODE = r"^[A-Za-z][A-Za-z0-9_.-]*$"
REF = (
    r"^(table|column|constraint|endpoint|policy|operation|decision|assumption|scenario|problem|requirement|rule)"
    r":[A-Za-z0-9_.-]+$"
)
RULE_CODE = r"^MB[0-9]{3}$"
DOTTED_NAME = r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$"
PASCAL_NAME = r"^[A-Z][A-Za-z0-9]*$"
ENUM_VALUE = r"^[a-z][a-z0-9_-]*$"
URL_PATH = r"^/[A-Za-z0-9_{}/.-]*$"
BASE_PATH = r"^/[a-z0-9/]*$"
PARAMETER_NAME = r"^[A-Za-z][A-Za-z0-9_-]*$"
SESSION_STEP = r"^[A-Z][A-Za-z0-9]*\.[a-z][a-z0-9_]*$"
ORDER_CONDITION = r"^[A-Z][A-Za-z0-9]*\.[a-z][a-z0-9_]* before [A-Z][A-Za-z0-9]*\.[a-z][a-z0-9_]*$"
SESSION_OUTCOME = r"^(ok|[a-z][a-z0-9-]*)$"
# Links end up in the OpenAPI document and the site: only schemes a reader's browser follows
# safely (never javascript: or data:).
WEB_URL = r"^(https?://|mailto:)[^\s]+$"

# pattern -> its name in words; error messages and the spec reference say the name, not the regex
TEXT_FORMATS: dict[str, TextFormat] = {
    IDENTIFIER: TextFormat(
        "identifier",
        "a snake_case name of at most 63 characters: a lowercase letter, then lowercase letters, digits or _",
        "order_items",
    ),
    SLUG: TextFormat(
        "slug", "a kebab-case name: a lowercase letter, then lowercase letters, digits or -", "out-of-stock"
    ),
    CODE: TextFormat("code", "a short id: a letter, then letters, digits, _, . or -", "R1"),
    REF: TextFormat(
        "reference",
        "'<kind>:<name>' naming a spec element, where kind is table, column, constraint, endpoint, policy, "
        "operation, decision, assumption, scenario, problem, requirement, or rule for the lint rule that checks it",
        "column:orders.customer_id",
    ),
    RULE_CODE: TextFormat("rule code", "a lint rule's code: MB and three digits", "MB101"),
    DOTTED_NAME: TextFormat(
        "dotted name", "two snake_case names joined by a dot: <table>.<column> or <policy>.<value>", "orders.placed_at"
    ),
    PASCAL_NAME: TextFormat("PascalCase name", "a capital letter, then letters and digits", "OrderList"),
    ENUM_VALUE: TextFormat("enum value", "a lowercase letter, then lowercase letters, digits, _ or -", "in_stock"),
    URL_PATH: TextFormat(
        "URL path", "starts with /; letters, digits, _ . - / and {parameter} placeholders", "/orders/{order_id}"
    ),
    BASE_PATH: TextFormat("base path", "/ followed by lowercase letters, digits and /", "/api/v1"),
    PARAMETER_NAME: TextFormat("parameter name", "a letter, then letters, digits, _ or -", "Idempotency-Key"),
    SESSION_STEP: TextFormat(
        "session step", "'<session>.<step>': a session's label and a step of its operation", "A.reserve_item"
    ),
    ORDER_CONDITION: TextFormat(
        "order condition",
        "'<session>.<step> before <session>.<step>': the first step is issued earlier in the permutation",
        "A.reserve_item before B.reserve_item",
    ),
    WEB_URL: TextFormat("web or mail URL", "an http://, https:// or mailto: URL", "https://example.com/terms"),
    SESSION_OUTCOME: TextFormat("session outcome", "'ok', or the slug of the problem type it reports", "out-of-stock"),
}


def _meaning(pattern: str) -> str:
    return TEXT_FORMATS[pattern].meaning


Identifier = Annotated[str, Field(pattern=IDENTIFIER, max_length=63, description=_meaning(IDENTIFIER))]
Slug = Annotated[str, Field(pattern=SLUG, description=_meaning(SLUG))]
Code = Annotated[str, Field(pattern=CODE, description=_meaning(CODE))]
Text = Annotated[str, Field(min_length=1)]
Ref = Annotated[str, Field(pattern=REF, description=_meaning(REF))]
WebUrl = Annotated[str, Field(pattern=WEB_URL, description=_meaning(WEB_URL))]
RuleCode = Annotated[str, Field(pattern=RULE_CODE, description=_meaning(RULE_CODE))]
DottedName = Annotated[str, Field(pattern=DOTTED_NAME, description=_meaning(DOTTED_NAME))]
PascalName = Annotated[str, Field(pattern=PASCAL_NAME, description=_meaning(PASCAL_NAME))]
EnumValue = Annotated[str, Field(pattern=ENUM_VALUE, description=_meaning(ENUM_VALUE))]
Dialect = Literal["postgres", "mysql"]
DIALECTS: tuple[str, ...] = ("postgres", "mysql")
PortableType = Literal[
    "bigint", "integer", "smallint", "boolean", "text", "string", "timestamp", "date", "uuid", "decimal", "enum"
]


# one set of field names for each combination the models of a run set (see Strict)
_FIELD_SETS: dict[frozenset[str], set[str]] = {}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    def model_post_init(self, context: Any, /) -> None:
        # pydantic gives every instance its own set of the fields it was given; a large spec has
        # hundreds of thousands of models setting the same few combinations. A frozen model
        # never changes its set (a copy gets a new one), so instances with equal sets share one.
        fields = self.__pydantic_fields_set__
        shared = _FIELD_SETS.setdefault(frozenset(fields), fields)
        if shared is not fields:
            object.__setattr__(self, "__pydantic_fields_set__", shared)


# --- project -----------------------------------------------------------------


class Person(Strict):
    """Someone who wrote or reviews the design."""

    name: Text = Field(description="the person's or team's name", examples=["Platform team"])
    role: Text = Field(description="what they do for this design", examples=["Author", "Tech lead"])


class DialectTarget(Strict):
    """The oldest version of one database engine the design supports."""

    min_version: Text = Field(
        description="the oldest server version the DDL and operations must run on (quoted: YAML reads 8.0 as a number)",
        examples=["13", "8.0.16"],
    )
    tested_on: Text | None = Field(
        None, description="the version the design was verified on, when it differs", examples=["16.4"]
    )


class NonGoal(Strict):
    """Something the design leaves out, and how it could grow to cover it."""

    model_config = ConfigDict(title="non-goal")

    text: Text = Field(description="what is out of scope", examples=["Gift cards"])
    extension: Text = Field(
        description="how the design would be extended to cover it",
        examples=["A gift_cards table and a payment method that references it"],
    )


class OpenQuestion(Strict):
    """A question the design cannot settle alone, and what it assumes until it is answered."""

    question: Text = Field(description="the question, as asked", examples=["How long must cancelled orders be kept?"])
    why: Text = Field(description="why it matters to this design", examples=["It decides whether rows are deleted"])
    owner: Text | None = Field(None, description="who can answer it", examples=["Legal team"])
    until_answered: Text | None = Field(
        None, description="what the design assumes meanwhile", examples=["Nothing is deleted"]
    )


class RolloutStep(Strict):
    """One step of taking the change to production."""

    step: Text = Field(description="the step, in the order it is taken", examples=["Create the new tables"])
    detail: Text = Field(
        description="how the step is done and what to watch", examples=["Run the migration at low traffic"]
    )
    undo: Text | None = Field(None, description="how this step is rolled back", examples=["Run the rollback script"])


class RequirementSection(Strict):
    """A section of the source the requirements come from, with a title."""

    model_config = ConfigDict(title="requirement section")

    id: Text = Field(description="what a requirement's `section` says", examples=["API"])
    title: Text | None = Field(
        None, description="what the section is about, shown beside its id", examples=["The REST API"]
    )


class Suppression(Strict):
    """One lint finding accepted on purpose, with the reason why."""

    rule: RuleCode = Field(description="the code of the rule whose finding is accepted", examples=["MB407"])
    target: Text = Field(description="the spec element the finding is about", examples=["table:customers"])
    reason: Text = Field(
        description="why this finding is acceptable here (mandatory)",
        examples=["The table is read-only reference data"],
    )


class TableChecks(Strict):
    """House rules for the shape of new tables; each is off until set."""

    max_columns: Annotated[int, Field(ge=1)] | None = Field(
        default=None, description="the most columns a new table may have (rule MB134); none: no limit", examples=[30]
    )
    required_columns: list[Identifier] = Field(
        default=[], description="columns every new table must have (rule MB135)", examples=[["created_at"]]
    )


class LintConfig(Strict):
    """How lint judges this design: severities, accepted findings and house rules."""

    severity: dict[RuleCode, Literal["error", "warning", "info", "off"]] = Field(
        default={}, description="rule code -> the severity it reports with here, or off", examples=[{"MB605": "error"}]
    )
    suppress: list[Suppression] = Field(default=[], description="findings accepted on purpose, each with a reason")
    tables: TableChecks = Field(
        default=TableChecks(),
        description="house rules for new tables: column count and required columns, off by default",
    )
    max_file_bytes: Annotated[int, Field(ge=1)] = Field(
        default=defaults.MAX_FILE_BYTES,
        description="the largest spec file, in bytes, that loading reads (project.yaml itself is held to the "
        "default, 2 MiB); raise it for generated specs",
        examples=[8388608],
    )


class MigrationSettings(Strict):
    """How long the migration may wait for a lock, and run one statement, before it gives up."""

    lock_timeout_seconds: Annotated[
        int,
        Field(
            ge=1,
            le=3600,
            description="PostgreSQL lock_timeout and MySQL lock_wait_timeout for the migration's session",
            examples=[5],
        ),
    ] = defaults.MIGRATION_LOCK_TIMEOUT_S
    statement_timeout_seconds: Annotated[
        int, Field(ge=1, le=86400, description="PostgreSQL statement_timeout for the migration", examples=[600])
    ] = defaults.MIGRATION_STATEMENT_TIMEOUT_S
    max_blocking_seconds: Annotated[
        int,
        Field(
            ge=1,
            le=86400,
            description="the longest the migration may hold up the writers of an existing table, as agreed with "
            "its owners; lint compares it with the worst case the lock timeout allows (rule MB801)",
            examples=[60],
        ),
    ] = defaults.MIGRATION_MAX_BLOCKING_S


class OutputDirs(Strict):
    """Where the build writes, relative to the project (the directory holding the spec)."""

    model_config = ConfigDict(title="output directories")

    docs: Text = Field(
        default=defaults.DOCS_DIR,
        description="the generated pages and artifacts, and the recorded verification and benchmark runs",
        examples=["design/pages"],
    )
    site: Text = Field(default=defaults.SITE_DIR, description="the built site", examples=["public"])


class Project(Strict):
    """spec/project.yaml: what the design is, who wrote it and who reviews it."""

    spec_version: Literal[1] = Field(1, description="the version of this spec format; only 1 exists", examples=[1])
    title: Text = Field(description="the design's title, shown on every page", examples=["Online ordering"])
    version: Text = Field(
        description="the design's own version (quoted: YAML reads 1.0 as a number)", examples=["0.1.0"]
    )
    status: Literal["draft", "in-review", "approved", "superseded"] = Field(
        description="where the design stands in review", examples=["draft"]
    )
    authors: list[Person] = Field(min_length=1, description="who wrote the design")
    reviewers: list[Person] = Field([], description="who reviews or approved it")
    summary: Text = Field(
        description="Section 1: the executive summary, one paragraph",
        examples=["Customers can place orders for items in stock; the database prevents overselling."],
    )
    context: Text = Field(
        description="the existing system this design extends",
        examples=["The product catalogue exists and is owned by the catalogue service."],
    )
    goals: list[Text] = Field(
        [], description="what the design must achieve, one outcome each", examples=[["A customer can place an order"]]
    )
    non_goals: list[Text | NonGoal] = Field(
        [],
        description="what the design leaves out; with 'extension', how it would grow to cover it",
        examples=[["Refunds"]],
    )
    open_questions: list[OpenQuestion] = Field([], description="what the design cannot settle alone")
    rollout: list[RolloutStep] = Field([], description="how the change reaches production and how it is undone")
    reading_budget_words: Annotated[int, Field(ge=1)] | None = Field(
        None,
        description="the most words sections 1-5 may hold outside code blocks (tables included)",
        examples=[3000],
    )
    requirement_sections: list[Text | RequirementSection] = Field(
        [],
        description="the sections of the source the requirements come from, as ids or {id, title}; a requirement's "
        "section must be one of them (none declared: any section is accepted)",
        examples=[["Data", {"id": "API", "title": "The REST API"}]],
    )
    roles: dict[Identifier, Text] = Field(
        min_length=1,
        description="caller role -> who they are; endpoints name these as callers",
        examples=[{"customer": "A person who places orders", "clerk": "Staff who pack and ship orders"}],
    )
    dialects: dict[Dialect, DialectTarget] = Field(
        min_length=1, description="the database engines the design targets, each with its oldest version"
    )
    migration: MigrationSettings = Field(
        MigrationSettings(), description="how long the migration may wait and block, in seconds"
    )
    lint: LintConfig = Field(LintConfig(), description="severities, accepted findings and house rules for lint")
    output: OutputDirs = Field(
        default=OutputDirs(),
        description="where the build writes, when --docs and --out do not say; both next to the spec by default",
    )

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

    from_: str = Field(alias="from", description="the state the row is in", examples=["placed"])
    to: str = Field(description="the state the operation leaves it in", examples=["shipped"])
    by: list[Identifier] = Field(
        min_length=1,
        description=f"who triggers it: roles of project.yaml, or '{SYSTEM_ACTOR}'",
        examples=[["clerk"]],
    )
    operation: Identifier = Field(description="the operation whose SQL performs the change", examples=["ship_order"])
    when: Text | None = Field(
        None, description="the condition, in words, under which it is allowed", examples=["every item is packed"]
    )


class Lifecycle(Strict):
    """The state machine of the columns of one enum type."""

    initial: str = Field(description="the state a new row starts in", examples=["placed"])
    terminal: list[str] = Field([], description="states no transition leaves", examples=[["delivered", "cancelled"]])
    transitions: list[Transition] = Field(min_length=1, description="every allowed change of state")
    maps_to: dict[Text, dict[str, str]] = Field(
        {},
        description="an external standard's field -> state -> that standard's code; every state must be mapped",
        examples=[{"Carrier API shipment.status": {"placed": "PENDING", "shipped": "IN_TRANSIT"}}],
    )


EnumKind = Literal["state", "category"]


class EnumType(Strict):
    """A named set of values that columns of type enum take."""

    description: Text = Field(description="what the values classify", examples=["Where an order stands"])
    kind: EnumKind | None = Field(
        None,
        description="state: where a row stands, which the design's own SQL writes as the row moves on; "
        "category: a classification whose values arrive from requests or data. Default: state when the "
        "type declares a lifecycle, else category",
        examples=["state"],
    )
    values: list[EnumValue] = Field(
        min_length=1, description="the allowed values, in display order", examples=[["placed", "shipped", "delivered"]]
    )
    value_descriptions: dict[str, Text] = Field(
        {},
        description="value -> what it means; lint asks for one per state (rule MB605)",
        examples=[{"placed": "Paid for, not yet shipped"}],
    )
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
    """A column the database computes from other columns of the same row."""

    model_config = ConfigDict(title="generated value")

    expression: Text = Field(
        description="neutral SQL expression over the row's columns", examples=["quantity * unit_price"]
    )
    stored: bool = Field(True, description="whether the value is stored (true) or computed on read", examples=[True])


class Column(Strict):
    """One column: its portable type, constraints and meaning."""

    type: PortableType = Field(
        description="the portable type; the generators map it to each dialect's own", examples=["bigint"]
    )
    length: Annotated[int, Field(ge=1, le=65535)] | None = Field(
        None, description="the most characters a 'string' column holds", examples=[200]
    )
    precision: Annotated[int, Field(ge=1, le=65)] | None = Field(
        None, description="the total digits of a 'decimal' column", examples=[10]
    )
    scale: Annotated[int, Field(ge=0, le=30)] | None = Field(
        None, description="the digits after the decimal point of a 'decimal' column", examples=[2]
    )
    enum: Identifier | None = Field(None, description="the enum type of an 'enum' column", examples=["order_status"])
    nullable: bool = Field(False, description="whether the column may hold NULL", examples=[True])
    identity: bool = Field(False, description="database-assigned surrogate key", examples=[True])
    default: str | int | bool | None = Field(None, description="a literal default value", examples=["placed"])
    default_sql: Text | None = Field(
        None, description="a neutral SQL default, e.g. CURRENT_TIMESTAMP", examples=["CURRENT_TIMESTAMP"]
    )
    generated: Generated | None = Field(None, description="compute the value from other columns of the row")
    description: Text = Field(
        description="what the column holds, for the data dictionary", examples=["When the order was placed"]
    )
    example: Any = Field(None, description="a typical value, shown in the docs and API examples", examples=[42])
    notes: dict[Dialect, Text] = Field(
        {},
        description="dialect -> how that engine stores or treats the column, when it differs",
        examples=[{"mysql": "Stored as CHAR(36)"}],
    )


class Reference(Strict):
    """The table and columns a foreign key points at."""

    model_config = ConfigDict(title="referenced key")

    table: Identifier = Field(description="the referenced table", examples=["customers"])
    columns: list[Identifier] = Field(
        min_length=1, description="its key columns, in the order of the foreign key's columns", examples=[["id"]]
    )


class ForeignKey(Strict):
    """A foreign key: columns of this table that must name a row of another."""

    name: Identifier = Field(description="the constraint's name", examples=["fk_orders_customer"])
    columns: list[Identifier] = Field(min_length=1, description="this table's columns", examples=[["customer_id"]])
    references: Reference = Field(description="the table and columns they point at")
    on_delete: Literal["restrict", "cascade", "set null", "no action"] = Field(
        "restrict", description="what deleting the referenced row does to this one", examples=["cascade"]
    )
    reason: Text = Field(
        description="why the reference exists and why on_delete is what it is",
        examples=["An order belongs to one customer; customers with orders are never deleted"],
    )


class Unique(Strict):
    """A unique constraint: no two rows share the values of these columns."""

    model_config = ConfigDict(title="unique constraint")

    name: Identifier = Field(description="the constraint's name", examples=["uq_customers_email"])
    columns: list[Identifier] = Field(
        min_length=1, description="the columns whose values are unique together", examples=[["email"]]
    )
    reason: Text = Field(description="the rule it enforces", examples=["One account per email address"])


class Check(Strict):
    """A check constraint: a condition every row must meet."""

    model_config = ConfigDict(title="check constraint")

    name: Identifier = Field(description="the constraint's name", examples=["ck_order_items_quantity"])
    expression: Text = Field(description="neutral SQL boolean expression", examples=["quantity > 0"])
    reason: Text = Field(description="the rule it enforces", examples=["An order line has at least one item"])


class Index(Strict):
    """An index, and the queries it serves."""

    name: Identifier = Field(description="the index's name", examples=["ix_orders_customer_placed"])
    columns: list[Identifier] = Field(
        min_length=1, description="the indexed columns, in order", examples=[["customer_id", "placed_at"]]
    )
    unique: bool = Field(False, description="whether the index also enforces uniqueness", examples=[True])
    reason: Text = Field(
        description="the query or constraint it serves", examples=["A customer's orders, newest first"]
    )


class Equivalent(Strict):
    """How a dialect that lacks a constraint keeps the same invariant."""

    operations: list[Identifier] = Field(
        min_length=1, description="the operations whose SQL keeps the invariant instead", examples=[["reserve_room"]]
    )
    note: Text = Field(
        description="how they keep it, e.g. which row they lock first",
        examples=["Locks the room's row before checking for overlaps"],
    )


class NoOverlap(Strict):
    """No two rows in one partition may have overlapping [starts, ends) ranges."""

    model_config = ConfigDict(title="no-overlap constraint")

    name: Identifier = Field(description="the constraint's name", examples=["ex_reservations_room_time"])
    partition_by: list[Identifier] = Field(
        min_length=1, description="only rows equal in these columns may not overlap", examples=[["room_id"]]
    )
    starts: Identifier = Field(description="the column where a row's range starts (inclusive)", examples=["starts_at"])
    ends: Identifier = Field(description="the column where a row's range ends (exclusive)", examples=["ends_at"])
    where: Text | None = Field(
        None, description="neutral SQL predicate: only these rows take part", examples=["status <> 'cancelled'"]
    )
    reason: Text = Field(description="the rule it enforces", examples=["A room is never reserved twice at once"])
    equivalents: dict[Dialect, Equivalent] = Field(
        {}, description="for dialects without exclusion constraints: what enforces it instead"
    )


class Area(Strict):
    """A subject area of the schema: its tables get an ERD of their own."""

    model_config = ConfigDict(title="area")

    title: Text = Field(description="the area's name as its diagram and the pages show it", examples=["Billing"])
    description: Text | None = Field(
        None, description="what the area's tables hold, shown under its diagram", examples=["Invoices and payments"]
    )


class Table(Strict):
    """One table: columns, keys, constraints and indexes."""

    description: Text = Field(description="what a row is", examples=["One order a customer placed"])
    area: Identifier | None = Field(
        None,
        description="the subject area the table is drawn in: one of `areas` when that declares any, else any name "
        "(tables naming the same area share a diagram); tables without one are grouped by their foreign keys",
        examples=["billing"],
    )
    existing: bool = Field(
        False, description="owned elsewhere and frozen: never created, altered or dropped", examples=[True]
    )
    history: bool = Field(
        default=False,
        description="its rows record what happened (history, audit trail): appended, never updated or deleted, "
        "and kept when the rows they describe go away",
        examples=[True],
    )
    columns: dict[Identifier, Column] = Field(min_length=1, description="column name -> column, in table order")
    primary_key: list[Identifier] = Field([], description="the primary key's columns", examples=[["id"]])
    foreign_keys: list[ForeignKey] = Field([], description="references to other tables")
    uniques: list[Unique] = Field([], description="unique constraints")
    checks: list[Check] = Field([], description="check constraints")
    indexes: list[Index] = Field([], description="indexes beyond those the keys create")
    no_overlap: list[NoOverlap] = Field([], description="ranges that must not overlap (exclusion constraints)")
    notes: dict[Dialect, Text] = Field(
        {},
        description="dialect -> how that engine stores or treats the table, when it differs",
        examples=[{"mysql": "InnoDB, utf8mb4"}],
    )

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

    types: dict[Identifier, EnumType] = Field({}, description="enum type name -> its values and lifecycle")
    areas: dict[Identifier, Area] = Field(
        {},
        description="area id -> title: the subject areas a table's `area` names, in the order the ERD shows them "
        "(none declared: any area name is accepted and shown as written)",
        examples=[{"billing": {"title": "Billing", "description": "Invoices and payments"}}],
    )
    tables: dict[Identifier, Table] = Field(min_length=1, description="table name -> table, existing and new")


# --- endpoints ---------------------------------------------------------------


class ProblemType(Strict):
    """An error the API reports, as an RFC 9457 problem type."""

    title: Text = Field(description="a short, human-readable summary of the problem", examples=["Item out of stock"])
    status: Annotated[int, Field(ge=400, le=599)] = Field(description="the HTTP status it is sent with", examples=[409])
    description: Text = Field(
        description="when it happens and what the caller can do", examples=["Fewer items are in stock than ordered."]
    )
    field_errors: bool = Field(
        False, description="the body lists each invalid field or parameter in `errors`", examples=[True]
    )


JsonType = Literal["string", "integer", "number", "boolean"]
PolicyValueName = Annotated[str, Field(pattern=DOTTED_NAME, description="<policy>.<value>")]


class ApiField(Strict):
    """One field of a representation: taken from a column, or typed here."""

    model_config = ConfigDict(title="API field")

    column: DottedName | None = Field(
        None,
        description="'<table>.<column>' whose type, nullability and description the field takes",
        examples=["orders.placed_at"],
    )
    type: JsonType | None = Field(None, description="the JSON type of a field without a column", examples=["string"])
    format: Text | None = Field(
        None, description="the OpenAPI format of a field without a column", examples=["date-time"]
    )
    enum: Identifier | None = Field(
        None,
        description="an enum type of tables.yaml: the field's values (narrower than its column's, if it has one)",
        examples=["order_status"],
    )
    schema_: Identifier | None = Field(
        None,
        alias="schema",
        description="unused by the generators; nest a representation with object_of or array_of",
        examples=["order"],
    )
    array_of: PascalName | None = Field(
        None, description="the field is a list of this representation", examples=["OrderLine"]
    )
    object_of: PascalName | None = Field(None, description="the field is this representation", examples=["Address"])
    required: bool = Field(True, description="whether the field is always present", examples=[False])
    nullable: bool | None = Field(
        None, description="whether the field may be null (default: as its column, else false)", examples=[True]
    )
    read_only: bool = Field(False, description="set by the server; never sent in a request", examples=[True])
    max_length: int | None = Field(None, description="the most characters a string field holds", examples=[200])
    description: Text | None = Field(
        None, description="what the field holds (default: its column's description)", examples=["The order's lines"]
    )
    example: Any = Field(None, description="a typical value, shown in the API documentation", examples=[42])
    policy_values: dict[Literal["max_length"], PolicyValueName] = Field(
        {},
        description="facts of this field that state a policy value; lint keeps each equal to the value",
        examples=[{"max_length": "notes.max_note_length"}],
    )


class Representation(Strict):
    """A JSON object the API sends or receives (an OpenAPI schema)."""

    description: Text = Field(description="what the object is", examples=["An order and its lines"])
    fields: dict[Identifier, ApiField] = Field(min_length=1, description="field name -> field, in document order")


class Parameter(Strict):
    """A path, query or header parameter of an endpoint."""

    name: Annotated[str, Field(pattern=PARAMETER_NAME)] = Field(
        description="the parameter's name, as it appears in the request", examples=["order_id", "Idempotency-Key"]
    )
    in_: Literal["path", "query", "header"] = Field(
        alias="in", description="where the request carries it", examples=["path"]
    )
    description: Text = Field(description="what the parameter selects or means", examples=["The order to show"])
    required: bool = Field(
        False, description="whether every request must carry it (path parameters always do)", examples=[True]
    )
    column: DottedName | None = Field(
        None, description="'<table>.<column>' whose type the parameter takes", examples=["orders.id"]
    )
    type: JsonType | None = Field(
        None, description="the JSON type of a parameter without a column", examples=["integer"]
    )
    format: Text | None = Field(
        None, description="the OpenAPI format of a parameter without a column", examples=["date"]
    )
    minimum: int | None = Field(None, description="the smallest value accepted", examples=[1])
    maximum: int | None = Field(None, description="the largest value accepted", examples=[100])
    default: str | int | bool | None = Field(
        None, description="the value used when the request leaves it out", examples=[20]
    )
    example: Any = Field(None, description="a typical value, shown in the API documentation", examples=[1042])
    policy_values: dict[Literal["minimum", "maximum", "default"], PolicyValueName] = Field(
        {},
        description="facts of this parameter that state a policy value; lint keeps each equal to the value",
        examples=[{"maximum": "paging.max_page_size"}],
    )


class Body(Strict):
    """The JSON body a request carries."""

    model_config = ConfigDict(title="request body")

    schema_: PascalName = Field(alias="schema", description="the representation of the body", examples=["NewOrder"])
    example: Any = Field(
        None, description="a typical body, checked against the representation", examples=[{"item_id": 7, "quantity": 2}]
    )


class Response(Strict):
    """One status an endpoint answers with."""

    status: Annotated[int, Field(ge=100, le=599)] = Field(description="the HTTP status code", examples=[201])
    description: Text = Field(
        description="when the endpoint answers with this status", examples=["The order was placed"]
    )
    schema_: PascalName | None = Field(
        None, alias="schema", description="the representation of a success body", examples=["Order"]
    )
    problems: list[Slug] = Field(
        [], description="problem types this status can carry (errors only)", examples=[["out-of-stock"]]
    )
    headers: dict[str, Text] = Field(
        {},
        description="header name -> what it carries",
        examples=[{"Location": "The URL of the new order"}],
    )
    example: Any = Field(
        None,
        description="a typical body, checked against the representation",
        examples=[{"id": 1042, "status": "placed"}],
    )


class Endpoint(Strict):
    """One REST endpoint: method and path, who may call it, and what it answers."""

    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE"] = Field(description="the HTTP method", examples=["POST"])
    path: Annotated[str, Field(pattern=URL_PATH)] = Field(
        description="the path below base_path, with {parameter} placeholders", examples=["/orders/{order_id}"]
    )
    summary: Text = Field(description="what the endpoint does, in a few words", examples=["Place an order"])
    description: Text = Field(
        description="what it does and how, for the API documentation",
        examples=["Reserves the items and records the order in one transaction."],
    )
    tag: Text = Field(description="the group the endpoint is listed under", examples=["Orders"])
    callers: list[Identifier] = Field(
        min_length=1, description="the roles of project.yaml that may call it", examples=[["customer"]]
    )
    authorization: Literal["owner", "role", "public"] = Field(
        "owner",
        description="how a request is authorised. owner: the caller's role, and for an object the path names, "
        "that the caller owns it, checked in the operation's SQL; role: the caller's role alone, every object "
        "is open to every caller the endpoint admits; public: no sign-in needed, callers name who uses it",
        examples=["role"],
    )
    ownership: Text = Field(
        description="the object-level authorization rule (role or public: who sees what, and why no owner applies)",
        examples=["Only the customer who placed the order"],
    )
    operation: Identifier | None = Field(
        None, description="the operation of operations.yaml that serves it", examples=["place_order"]
    )
    policies: list[Identifier] = Field([], description="the policies that govern it", examples=[["order_limits"]])
    parameters: list[Parameter] = Field([], description="path, query and header parameters")
    request: Body | None = Field(None, description="the request body, if any")
    responses: list[Response] = Field(min_length=1, description="every status it answers with")


class ApiContact(Strict):
    """Who answers questions about the API."""

    model_config = ConfigDict(title="API contact")

    name: Text = Field(description="a person or team", examples=["Platform team"])
    email: Text | None = Field(None, description="their email address", examples=["platform@example.com"])
    url: WebUrl | None = Field(None, description="where to reach them", examples=["https://example.com/support"])


class ApiLicense(Strict):
    """The terms the API is offered under."""

    model_config = ConfigDict(title="API license")

    name: Text = Field(description="the license's name", examples=["Apache-2.0"])
    url: WebUrl | None = Field(
        None,
        description="where the license text is published",
        examples=["https://www.apache.org/licenses/LICENSE-2.0"],
    )


class EndpointsFile(Strict):
    """spec/endpoints.yaml: problem types, representations and the REST endpoints."""

    contact: ApiContact | None = Field(None, description="who answers questions about the API")
    license: ApiLicense | None = Field(None, description="the terms the API is offered under")
    tags: dict[Text, Text] = Field(
        {},
        description="endpoint tag -> what its endpoints are about, in display order",
        examples=[{"Orders": "Placing and following orders"}],
    )
    base_path: Annotated[str, Field(pattern=BASE_PATH)] = Field(
        "/", description="the path every endpoint's path is below", examples=["/api"]
    )
    problem_base_uri: WebUrl = Field(
        description="the URI problem type slugs are appended to", examples=["https://example.com/problems/"]
    )
    problems: dict[Slug, ProblemType] = Field(min_length=1, description="problem type slug -> problem type")
    schemas: dict[PascalName, Representation] = Field({}, description="representation name -> representation")
    endpoints: dict[Identifier, Endpoint] = Field(min_length=1, description="endpoint name -> endpoint")


# --- policies ----------------------------------------------------------------


class PolicyValue(Strict):
    """A concrete value of a policy, which API and SQL share."""

    value: int | str | bool = Field(description="the value itself", examples=[20])
    unit: Text | None = Field(None, description="what the value counts, if a number", examples=["items"])
    description: Text = Field(
        description="what the value limits or sets", examples=["The most items one order may hold"]
    )


class PolicyInvariant(Strict):
    """What a policy promises about the stored rows: unique values, or ranges that never overlap."""

    kind: Literal["unique", "no_overlap"] = Field(
        description="unique: no two rows share the columns' values; no_overlap: no two rows of one partition "
        "have overlapping [starts, ends) ranges",
        examples=["unique"],
    )
    table: Identifier = Field(description="the table whose rows the invariant is about", examples=["customers"])
    columns: list[Identifier] = Field(
        [], description="unique: no two rows taking part share all these values", examples=[["email"]]
    )
    partition_by: list[Identifier] = Field(
        [], description="no_overlap: only rows equal in these columns may not overlap", examples=[["room_id"]]
    )
    starts: Identifier | None = Field(
        None, description="no_overlap: the column where a row's range starts (inclusive)", examples=["starts_at"]
    )
    ends: Identifier | None = Field(
        None, description="no_overlap: the column where a row's range ends (exclusive)", examples=["ends_at"]
    )
    where: Text | None = Field(
        None,
        description="neutral SQL predicate over the table's columns: only these rows take part (default: all)",
        examples=["deleted_at IS NULL"],
    )
    description: Text = Field(description="the invariant in words", examples=["Two customers never share an email"])


class Policy(Strict):
    """A business rule, its concrete values and where it is enforced."""

    title: Text = Field(description="the rule's name", examples=["Order limits"])
    summary: Text = Field(
        description="one sentence; {value} placeholders name this policy's values",
        examples=["An order holds at most {max_items} items."],
    )
    description: Text = Field(
        description="the rule and its rationale; {value} placeholders allowed",
        examples=["Large orders are split so that one order never holds stock for long."],
    )
    values: dict[Identifier, PolicyValue] = Field({}, description="value name -> value, named in placeholders")
    problems: list[Slug] = Field(
        [], description="the problem types reported when the rule is broken", examples=[["too-many-items"]]
    )
    enforced_by: list[Ref] = Field(
        [],
        description="the spec elements (and lint rules) that enforce it",
        examples=[["operation:place_order", "constraint:ck_order_items_quantity"]],
    )
    invariants: dict[Identifier, PolicyInvariant] = Field(
        {},
        description="what the policy promises about the stored rows, stated so lint can check that every target "
        "dialect enforces it",
    )


class PoliciesFile(Strict):
    """spec/policies.yaml: the rules with the concrete values API and SQL share."""

    policies: dict[Identifier, Policy] = Field(min_length=1, description="policy name -> policy")


# --- operations --------------------------------------------------------------


class OperationParam(Strict):
    """A value an operation's SQL binds as a :named parameter."""

    type: PortableType = Field(description="its portable type, as for a column", examples=["bigint"])
    source: Literal["path", "query", "header", "body", "caller", "service", "policy", "step"] = Field(
        description="where the value comes from; service: computed by the service from the request, such as "
        "a hash of its body",
        examples=["path"],
    )
    policy_value: DottedName | None = Field(
        None,
        description="'<policy>.<value>' whose value is bound (source: policy)",
        examples=["order_limits.max_items"],
    )
    step: Identifier | None = Field(
        None,
        description="the earlier returns_id step of this operation whose kept key this parameter carries to "
        "later steps (source: step)",
        examples=["insert_order"],
    )
    description: Text = Field(description="what the value is", examples=["The order to cancel"])


class Step(Strict):
    """One SQL statement of an operation's transaction."""

    name: Identifier = Field(description="the step's name, unique in the operation", examples=["reserve_item"])
    description: Text = Field(
        description="what the statement does and why", examples=["Takes the items from stock if enough are left"]
    )
    sql: Text = Field(
        description="one neutral SQL statement with :named parameters",
        examples=["UPDATE items SET stock = stock - :quantity WHERE id = :item_id AND stock >= :quantity"],
    )
    expect_rows: Annotated[int, Field(ge=0)] | None = Field(
        None, description="the row count the application checks; a mismatch aborts the transaction", examples=[1]
    )
    returns_id: bool = Field(
        False,
        description="the statement inserts one row whose key is kept: the identity column's generated value, "
        "or the value the INSERT gives a one-column primary key",
        examples=[True],
    )
    returns_rows: bool = Field(False, description="the statement's rows are the operation's result", examples=[True])
    with_previous: bool = Field(
        False,
        description="the step only writes rows its own transaction creates (an audit or outbox INSERT), so no "
        "other session can wait for it or make it wait: interleaving scenarios run it straight after the step "
        "before it instead of trying it at every position",
        examples=[True],
    )


class Diagnosis(Strict):
    """Run after a guard fails and the transaction is rolled back: says which problem it was."""

    sql: Text = Field(
        description="returns one row with a 'problem' column holding a problem id",
        examples=[
            "SELECT CASE WHEN stock < :quantity THEN 'out-of-stock' END AS problem FROM items WHERE id = :item_id"
        ],
    )
    problems: list[Slug] = Field(
        min_length=1, description="the problem types the query can name", examples=[["out-of-stock"]]
    )


class Operation(Strict):
    """One database transaction behind the API: its parameters, steps and failure handling."""

    summary: Text = Field(description="what the operation does, in a few words", examples=["Place an order"])
    description: Text = Field(
        description="what it does and how it stays correct under concurrency",
        examples=["Reserves stock with a guarded UPDATE, then records the order."],
    )
    isolation: Literal["read committed", "repeatable read", "serializable"] = Field(
        "read committed", description="the transaction isolation level", examples=["serializable"]
    )
    params: dict[Identifier, OperationParam] = Field({}, description="parameter name -> where its value comes from")
    steps: list[Step] = Field(min_length=1, description="the statements, run in order in one transaction")
    diagnose: Diagnosis | None = Field(None, description="names the problem after a guard (expect_rows) fails")
    db_errors: dict[
        Literal["unique_violation", "exclusion_violation", "foreign_key_violation", "check_violation"], Slug
    ] = Field(
        {},
        description="database error class -> the problem type it is reported as",
        examples=[{"unique_violation": "already-registered"}],
    )


class OperationsFile(Strict):
    """spec/operations.yaml: the SQL transactions behind the API."""

    operations: dict[Identifier, Operation] = Field(min_length=1, description="operation name -> operation")


# --- decisions, requirements, scenarios ---------------------------------------


class Alternative(Strict):
    """An option the decision considered and did not take."""

    option: Text = Field(description="the option", examples=["Check stock in application code"])
    rejected_because: Text = Field(
        description="why it was not taken", examples=["Two concurrent orders could both see enough stock"]
    )


class Decision(Strict):
    """A design decision: the problem, the choice, the alternatives and what follows."""

    title: Text = Field(description="the decision in a few words", examples=["Stock is reserved by a guarded UPDATE"])
    status: Literal["accepted", "proposed", "superseded"] = Field(
        "accepted", description="where the decision stands", examples=["proposed"]
    )
    summary: Text | None = Field(
        None,
        description="Section 5: the decision in brief, what was chosen and the main reason, in one or two "
        "sentences; without it Section 5 shows the full decision",
        examples=["A guarded UPDATE takes the stock, so no two orders can take the last item."],
    )
    context: Text = Field(
        description="the problem that forced a choice; shown in the decision record",
        examples=["Orders arrive concurrently for the same item."],
    )
    decision: Text = Field(
        description="what was decided, in full; shown in the decision record (Appendix C)",
        examples=["Each order decrements stock with UPDATE ... WHERE stock >= :quantity and checks the row count."],
    )
    alternatives: list[Alternative] = Field([], description="the options not taken, and why")
    consequences: list[Text] = Field(
        [], description="what follows from the decision, good and bad", examples=[["No lock is held between requests"]]
    )
    related: list[Ref] = Field(
        [], description="the spec elements the decision shapes", examples=[["operation:place_order"]]
    )


class Assumption(Strict):
    """Something the design takes as given, and why."""

    text: Text = Field(description="the assumption", examples=["An order holds fewer than 100 lines"])
    rationale: Text = Field(description="why it is safe to assume", examples=["The shop sells to consumers only"])


class DecisionsFile(Strict):
    """spec/decisions.yaml: trade-offs, alternatives and assumptions."""

    decisions: dict[Code, Decision] = Field(min_length=1, description="decision id -> decision")
    assumptions: dict[Code, Assumption] = Field({}, description="assumption id -> assumption")


class Requirement(Strict):
    """One requirement of the source (a brief, a ticket) and the parts of the design that meet and prove it."""

    section: Text = Field(
        description="the section of the source it comes from; one declared in project.yaml", examples=["Data"]
    )
    text: Text = Field(
        description="the requirement, as its source states it", examples=["A customer can cancel an order"]
    )
    satisfied_by: list[Ref] = Field(
        min_length=1, description="the spec elements that meet it", examples=[["endpoint:cancel_order"]]
    )
    proven_by: list[Ref] = Field(
        [], description="the scenarios (and lint rules) that show it is met", examples=[["scenario:cancel_twice"]]
    )
    notes: Text | None = Field(
        None, description="anything a reader should know about how it is met", examples=["Only before shipping"]
    )


class RequirementsFile(Strict):
    """spec/requirements.yaml: every requirement of the source, traced."""

    source: Text = Field(
        description="the document the requirements come from (a brief, a ticket)",
        examples=["Ordering brief, March 2026"],
    )
    requirements: dict[Code, Requirement] = Field(min_length=1, description="requirement id -> requirement")
    not_covered: list[Text] = Field(
        [],
        description="what no verification run exercises, so a reader knows the limits of the evidence",
        examples=[["Payment provider outages"]],
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
SessionLabel = Annotated[str, Field(pattern=PASCAL_NAME, description="a session's label, e.g. A")]


class FixtureRow(Strict):
    """One row (or ``count`` rows) a data scenario inserts directly before its steps run."""

    table: Identifier = Field(description="the table the row is inserted into", examples=["items"])
    values: dict[Identifier, ScenarioValue] = Field(
        min_length=1,
        description="column -> value: a literal, '@<fixture>.<column>' (an earlier fixture's value or "
        "generated id), or a time by the database clock: 'db_now', 'db_now + 2 days', "
        "'db_now + 14 days + {i} hours' (seconds, minutes, hours, days; whole seconds)",
        examples=[{"name": "Teapot", "stock": 1, "added_at": "db_now - 2 days"}],
    )
    count: Annotated[int, Field(ge=1, le=1000)] = Field(
        1, description="insert this many rows, '{i}' counting 0, 1, ...; a race picks among them", examples=[20]
    )


class Expectation(Strict):
    """What a step must give: exactly one of ok, problem and error."""

    ok: Literal[True] | None = Field(None, description="the step succeeds", examples=[True])
    rows: Annotated[int, Field(ge=0)] | list[list[ScenarioValue]] | None = Field(
        None,
        description="with ok: how many rows the operation returns (raw SQL: rows returned or changed), "
        "or the exact rows, in order",
        examples=[1, [["placed", 2]]],
    )
    columns: list[Identifier] | None = Field(
        None,
        description="with exact rows: the result columns they give, by name (default: all)",
        examples=[["status", "quantity"]],
    )
    problem: Slug | None = Field(
        None, description="the problem type the operation reports (call steps)", examples=["out-of-stock"]
    )
    error: SqlErrorKind | None = Field(
        None, description="the class of database error raw SQL raises (sql steps)", examples=["check_violation"]
    )


class PerDialect(Strict):
    """The same expectation where the engines genuinely differ: one variant per target dialect."""

    model_config = ConfigDict(title="per-dialect expectation")

    postgres: Literal["ok", "killed"] | Expectation | None = Field(
        None, description="what the step must give on PostgreSQL", examples=["ok"]
    )
    mysql: Literal["ok", "killed"] | Expectation | None = Field(
        None, description="what the step must give on MySQL and MariaDB", examples=[{"error": "deadlock"}]
    )


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

    uses_index: Identifier | None = Field(
        None, description="an index or unique constraint the plan must scan", examples=["ix_orders_customer_placed"]
    )
    no_sort: bool = Field(
        False, description="the plan has no Sort node: an index gives the rows in order", examples=[True]
    )


class ScenarioStep(Strict):
    """One step of a data scenario: an operation call, or raw SQL that bypasses the API."""

    call: Identifier | None = Field(
        None, description="the operation to run, as the service would", examples=["place_order"]
    )
    sql: Text | None = Field(
        None,
        description="one neutral SQL statement with :named parameters, run directly",
        examples=["UPDATE items SET stock = 0 WHERE id = :item_id"],
    )
    with_: dict[Identifier, ScenarioValue] = Field(
        {},
        alias="with",
        description="parameter -> value: a literal, '@<fixture>.<column>', '@<into name>' or 'db_now ± N unit'",
        examples=[{"item_id": "@teapot.id", "quantity": 2}],
    )
    expect: StepExpect | None = Field(
        None,
        description="'ok', {ok: true, rows: N or [[...]]}, {problem: <problem type>}, {error: <database error "
        "class>}, 'killed' (with kill_after), or {postgres: ..., mysql: ...} where the engines differ",
        examples=["ok", {"problem": "out-of-stock"}],
    )
    into: Identifier | None = Field(
        None, description="keep the id the operation returned under this name", examples=["first_order"]
    )
    kill_after: Identifier | None = Field(
        None,
        description="run the operation on its own connection up to and including this step, then have the "
        "server terminate that connection (expect: killed)",
        examples=["reserve_item"],
    )
    dialect: Dialect | None = Field(
        None,
        description="run this step only on this dialect, where the engines genuinely differ",
        examples=["postgres"],
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

    sql: Text = Field(
        description="one neutral SELECT with :named parameters",
        examples=["SELECT stock FROM items WHERE id = :item_id"],
    )
    with_: dict[Identifier, ScenarioValue] = Field(
        {}, alias="with", description="parameter -> value, as in steps", examples=[{"item_id": "@teapot.id"}]
    )
    rows: list[list[ScenarioValue]] = Field(
        description="the rows expected, in order; [] means the query must find nothing", examples=[[[0]]]
    )


# The last step of every interleaving session, after its operation's own steps.
COMMIT_STEP = "commit"


class SessionRun(Strict):
    """What one session of an interleaving runs: an operation, one transaction, step by step."""

    call: Identifier = Field(
        description="the operation; its steps and COMMIT are the session's steps", examples=["place_order"]
    )
    with_: dict[Identifier, ScenarioValue] = Field(
        {}, alias="with", description="parameter -> value, as in steps", examples=[{"item_id": "@teapot.id"}]
    )


# "A.reserve_item before B.reserve_item": a condition on the order a permutation issues steps in
Condition = Annotated[str, Field(pattern=ORDER_CONDITION, description=_meaning(ORDER_CONDITION))]


class PerDialectCondition(Strict):
    """Conditions that differ between the engines: one variant per target dialect."""

    model_config = ConfigDict(title="per-dialect condition")

    postgres: Condition | list[Condition] | None = Field(
        None, description="the condition(s) on PostgreSQL", examples=["A.reserve_item before B.reserve_item"]
    )
    mysql: Condition | list[Condition] | None = Field(
        None, description="the condition(s) on MySQL and MariaDB", examples=[["A.reserve_item before B.reserve_item"]]
    )


SessionExpect = Annotated[str, Field(pattern=SESSION_OUTCOME, description=_meaning(SESSION_OUTCOME))]


class Outcome(Strict):
    """What a permutation must end with, when its condition holds (the first that holds decides)."""

    when: Condition | list[Condition] | PerDialectCondition | None = Field(
        None,
        description="every condition must hold; none: the outcome of every other permutation",
        examples=["A.reserve_item before B.reserve_item"],
    )
    expect: dict[SessionLabel, SessionExpect] = Field(
        min_length=1,
        description="session -> 'ok' or the problem type its operation reports",
        examples=[{"A": "ok", "B": "out-of-stock"}],
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

    sql: Text = Field(
        description="one neutral SELECT with :named parameters",
        examples=["SELECT id FROM items WHERE stock > 0 ORDER BY id LIMIT 1"],
    )
    with_: dict[Identifier, ScenarioValue] = Field(
        {}, alias="with", description="parameter -> value, as in steps", examples=[{"min_stock": 1}]
    )


class RaceAction(Strict):
    """One kind of attempt a race makes, chosen by weight among those possible right now."""

    call: Identifier = Field(description="the operation an attempt runs", examples=["place_order"])
    weight: Annotated[int, Field(ge=1)] = Field(
        1, description="relative share among the possible actions", examples=[3]
    )
    given: Query | None = Field(
        None,
        description="a query run just before the attempt: the action is possible only when it finds a row, "
        "whose columns are '@given.<column>'",
    )
    with_: dict[Identifier, ScenarioValue] = Field(
        {}, alias="with", description="parameter -> value, as in steps", examples=[{"item_id": "@item.id"}]
    )


class Race(Strict):
    """Many connections, many attempts, a few hot rows: invariants must hold afterwards."""

    connections: Annotated[int, Field(ge=2)] = Field(32, description="concurrent connections (at least)", examples=[16])
    attempts: Annotated[int, Field(ge=1)] = Field(
        400, description="attempts shared by all connections", examples=[1000]
    )
    seed: int = Field(7, description="seeds each connection's random choices", examples=[42])
    pick: dict[Identifier, Identifier | list[ScenarioValue]] = Field(
        {},
        description="name -> a counted fixture (a random row each attempt, '@name.<column>') or a list of "
        "values (a random one, '@name')",
        examples=[{"item": "items", "quantity": [1, 2, 3]}],
    )
    actions: list[RaceAction] = Field(min_length=1, description="the kinds of attempt, chosen by weight")
    must_see: list[Slug] = Field(
        [],
        description="problem types that must occur at least once: without them the race contended nothing",
        examples=[["out-of-stock"]],
    )


class Invariant(Strict):
    """A query that must return no rows, checked after every scenario, permutation and race."""

    title: Text = Field(description="the rule the query checks, in words", examples=["Stock never goes negative"])
    sql: Text = Field(
        description="one neutral SELECT; every row it returns is a violation",
        examples=["SELECT id FROM items WHERE stock < 0"],
    )


class Scenario(Strict):
    """A run on real engines that shows the design behaves as claimed."""

    title: Text = Field(
        description="what the scenario shows, in a few words", examples=["Two orders for the last item"]
    )
    kind: Literal["interleaving", "race", "single", "migration"] = Field(
        description="single: steps in order; interleaving: concurrent sessions in every order of their steps; "
        "race: many connections making random attempts; migration: the migration and its rollback leave "
        "existing tables as they were",
        examples=["interleaving"],
    )
    description: Text = Field(
        description="what runs, and why it is the case worth checking",
        examples=["Two customers order the last teapot at the same time."],
    )
    expected: Text = Field(
        description="what must happen, in words", examples=["One order is placed; the other reports out-of-stock."]
    )
    proves: list[Ref] = Field(
        [], description="the spec elements whose claims the scenario checks", examples=[["operation:place_order"]]
    )
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
    permutations: Literal["all"] | list[list[Annotated[str, Field(pattern=SESSION_STEP)]]] = Field(
        "all",
        description="interleaving: 'all', or the orders to run as lists of '<session>.<step>'",
        examples=["all", [["A.reserve_item", "B.reserve_item", "A.commit", "B.commit"]]],
    )
    outcomes: list[Outcome] = Field([], description="interleaving: what each permutation must end with")
    race: Race | None = Field(None, description="race: the workload and what it must show")
    then: list[StateCheck] = Field([], description="checks of the final state (interleaving: after every permutation)")


class BenchmarkFixture(FixtureRow):
    """Rows a benchmark inserts before each of its runs: once, or once for every client."""

    per_client: bool = Field(
        False,
        description="insert the row(s) for every client: '{client}' is the client's number (0, 1, ...) and "
        "'@<fixture>.<column>' in that client's attempts names its own row",
        examples=[True],
    )
    per_second: Annotated[int, Field(ge=1, le=100_000)] | None = Field(
        None,
        description="also insert this many rows for every second a run lasts, shared among the clients when "
        "per_client: enough rows for attempts that 'take' a fresh one each time",
        examples=[500],
    )


class BenchmarkAttempt(Strict):
    """What a client does, again and again until the run ends: pick rows, then one action (the race format)."""

    pick: dict[Identifier, Identifier | list[ScenarioValue]] = Field(
        {},
        description="name -> a counted fixture (a random row each attempt, '@name.<column>'; a per-client "
        "fixture's rows are the client's own) or a list of values (a random one, '@name')",
        examples=[{"item": "items"}],
    )
    take: dict[Identifier, Identifier] = Field(
        {},
        description="name -> a counted per-client fixture: the client's next unused row each attempt, "
        "'@name.<column>'; a client that runs out stops early, which the figures record",
        examples=[{"cart": "carts"}],
    )
    actions: list[RaceAction] = Field(
        min_length=1, description="the operations an attempt may run, chosen by weight among those possible"
    )


class BenchmarkMode(Strict):
    """One way of running the workload, e.g. every client on its own rows, or all of them on a few."""

    description: Text = Field(description="what the mode measures", examples=["Every client orders its own items"])
    fixtures: dict[Identifier, BenchmarkFixture] = Field(
        {}, description="this mode's own rows, inserted after the benchmark's fixtures"
    )
    attempt: BenchmarkAttempt = Field(description="what each client does, again and again")


class BenchmarkAlternatives(Strict):
    """Other ways of writing one operation, derived from it and measured next to it."""

    operation: Identifier = Field(
        description="an operation the attempts call; its first step must be an UPDATE that matches one row "
        "by primary key and a guard condition",
        examples=["place_order"],
    )
    strategies: list[Literal["for-update", "serializable"]] = Field(
        min_length=1,
        description="for-update: lock the row with SELECT ... FOR UPDATE and the guard, then update it by key; "
        "serializable: read with the guard, then update by key, at SERIALIZABLE with the service's retries",
        examples=[["for-update", "serializable"]],
    )


class PgbenchTarget(Strict):
    """The throughput a mode must reach, as a share of pgbench simple-update's at the same client count."""

    mode: Identifier = Field(description="the benchmark mode the target applies to", examples=["own_rows"])
    clients: Annotated[int, Field(ge=1)] = Field(
        description="the client count the comparison is made at", examples=[16]
    )
    at_least: Annotated[float, Field(gt=0, le=10)] = Field(
        description="commits per second as a share of pgbench's transactions per second", examples=[0.5]
    )


class Benchmark(Strict):
    """A workload ``medbook-design bench <id>`` runs on a real server: throughput, latency, invariants."""

    title: Text = Field(description="what the benchmark measures, in a few words", examples=["Ordering under load"])
    description: Text = Field(
        description="the workload and the question it answers",
        examples=["Clients place orders as fast as they can, on their own items or on a few shared ones."],
    )
    clients: list[Annotated[int, Field(ge=1, le=1000)]] = Field(
        list(defaults.BENCH_CLIENTS),
        min_length=1,
        description="numbers of concurrent clients, one run each",
        examples=[[1, 8, 32]],
    )
    seconds: Annotated[float, Field(gt=0, le=3600)] = Field(
        defaults.BENCH_SECONDS, description="how long a run lasts", examples=[10]
    )
    seed: int = Field(defaults.BENCH_SEED, description="seeds each client's random choices", examples=[42])
    fixtures: dict[Identifier, BenchmarkFixture] = Field(
        {}, description="rows every mode starts from, inserted in order before each run in a fresh database"
    )
    modes: dict[Identifier, BenchmarkMode] = Field(
        min_length=1, description="mode name -> one way of running the workload"
    )
    invariants: list[Identifier] | None = Field(
        None,
        description="the invariants checked after every run (default: all of them)",
        examples=[["stock_not_negative"]],
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
    scenarios: dict[Identifier, Scenario] = Field(min_length=1, description="scenario name -> scenario")


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

    project: Project = Field(description="project.yaml")
    tables: TablesFile = Field(description="tables.yaml")
    endpoints: EndpointsFile = Field(description="endpoints.yaml")
    policies: PoliciesFile = Field(description="policies.yaml")
    operations: OperationsFile = Field(description="operations.yaml")
    scenarios: ScenariosFile = Field(description="scenarios.yaml")
    decisions: DecisionsFile = Field(description="decisions.yaml")
    requirements: RequirementsFile = Field(description="requirements.yaml")

    def table(self, name: str) -> Table:
        return self.tables.tables[name]

    @property
    def new_tables(self) -> dict[str, Table]:
        return {n: t for n, t in self.tables.tables.items() if not t.existing}

    @property
    def existing_tables(self) -> dict[str, Table]:
        return {n: t for n, t in self.tables.tables.items() if t.existing}
