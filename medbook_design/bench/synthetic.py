"""A valid, lint-clean spec of any size: the workload the tool benchmark scales up.

``synthetic_spec(n)`` returns the eight spec files of a design with ``n`` new tables as
artifacts (the one writer puts them on disk). The shape follows the shipped spec rather
than a minimal schema, so every stage has real work to do:

* two existing tables (``accounts`` and ``clinics``) that the design extends, as the
  shipped spec extends two tables of the platform it adds to;
* per new table: fourteen typed columns, a parent foreign key (the tables form a binary
  tree rooted at ``clinics``, so the ERD has one edge per table and no hub), for every
  third table a second, nullable reference, unique keys, a CHECK, indexes on every
  foreign key; four endpoints (list, create, get, rename) with request and response
  representations and examples; four operations in neutral SQL, all scoped to the
  caller (keyset list, get, idempotent insert, guarded update with a diagnosis);
* per five tables a policy and a scenario, per ten a decision, per table a requirement
  traced to what satisfies and proves it.

The output is a pure function of ``n``: names, values and prose derive from the table's
number, so two runs produce byte-identical files.
"""

from __future__ import annotations

from typing import Any

import yaml

from medbook_design import defaults
from medbook_design.write import Artifact

# (plural, singular): table names are "<plural>_<number>", representations "<Singular><number>"
_NOUNS: tuple[tuple[str, str], ...] = (
    ("rooms", "room"),
    ("devices", "device"),
    ("invoices", "invoice"),
    ("payments", "payment"),
    ("referrals", "referral"),
    ("prescriptions", "prescription"),
    ("allergies", "allergy"),
    ("vaccinations", "vaccination"),
    ("documents", "document"),
    ("messages", "message"),
    ("reminders", "reminder"),
    ("insurers", "insurer"),
    ("claims", "claim"),
    ("programs", "program"),
    ("sessions", "session"),
    ("exercises", "exercise"),
    ("plans", "plan"),
    ("goals", "goal"),
    ("notes", "note"),
    ("labs", "lab"),
    ("results", "result"),
    ("orders", "order"),
    ("suppliers", "supplier"),
    ("products", "product"),
    ("stocks", "stock"),
    ("shifts", "shift"),
    ("teams", "team"),
    ("contracts", "contract"),
    ("audits", "audit"),
    ("visits", "visit"),
)
_SECTIONS = ("3A", "3B", "3C", "4")
EXISTING = ("accounts", "clinics")
_ROOT = "clinics"  # the existing table the first new table hangs from
_WHEN = "2026-12-01T09:00:00Z"


def table_name(i: int) -> str:
    return f"{_NOUNS[i % len(_NOUNS)][0]}_{i:04d}"


def _singular(i: int) -> str:
    return _NOUNS[i % len(_NOUNS)][1]


def _a(noun: str) -> str:
    return ("an " if noun[0] in "aeiou" else "a ") + noun


def _schema_name(i: int, suffix: str = "") -> str:
    return f"{_singular(i).capitalize()}{i:04d}{suffix}"


def _path(i: int) -> str:
    # the last word stays the plural noun, so the path reads as a collection
    return f"/g{i:04d}-{_NOUNS[i % len(_NOUNS)][0]}"


def parent_of(i: int) -> int | None:
    """The new tables form a binary tree; the first one hangs from the existing clinics."""
    return (i - 1) // 2 if i else None


def _related_of(i: int) -> int | None:
    return i - 3 if i >= 3 and i % 3 == 0 else None


# --- tables.yaml -------------------------------------------------------------------


def _existing_tables() -> dict[str, Any]:
    return {
        "accounts": {
            "existing": True,
            "description": "Every person who signs in. Owned by the accounts service; unchanged by this design.",
            "columns": {
                "id": {"type": "bigint", "identity": True, "description": "Surrogate key of the account."},
                "email": {"type": "string", "length": 255, "description": "Sign-in e-mail address, unique."},
                "created_at": {
                    "type": "timestamp",
                    "default_sql": "CURRENT_TIMESTAMP",
                    "description": "When the account was opened.",
                },
            },
            "primary_key": ["id"],
            "uniques": [
                {
                    "name": "uq_accounts_email",
                    "columns": ["email"],
                    "reason": "Two accounts cannot share a sign-in address.",
                }
            ],
        },
        "clinics": {
            "existing": True,
            "description": "A practice using the platform. Owned by the clinics service; unchanged by this design.",
            "columns": {
                "id": {"type": "bigint", "identity": True, "description": "Surrogate key of the clinic."},
                "account_id": {"type": "bigint", "description": "The account that administers the clinic."},
                "name": {"type": "string", "length": 200, "description": "Display name of the clinic."},
            },
            "primary_key": ["id"],
            "foreign_keys": [
                {
                    "name": "fk_clinics_account",
                    "columns": ["account_id"],
                    "references": {"table": "accounts", "columns": ["id"]},
                    "on_delete": "restrict",
                    "reason": "A clinic is always administered by an existing account.",
                }
            ],
            "indexes": [
                {
                    "name": "ix_clinics_account",
                    "columns": ["account_id"],
                    "reason": "Indexes the foreign key, so restricted account deletes do not scan clinics.",
                }
            ],
        },
    }


def _table(i: int) -> dict[str, Any]:
    name, noun = table_name(i), _singular(i)
    parent, related = parent_of(i), _related_of(i)
    pname = _ROOT if parent is None else table_name(parent)
    pnoun = "clinic" if parent is None else _singular(parent)
    columns: dict[str, Any] = {
        "id": {"type": "bigint", "identity": True, "description": f"Surrogate key of the {noun}."},
        "owner_account_id": {
            "type": "bigint",
            "description": "The account that owns the record; every operation is scoped to it.",
        },
        "parent_id": {"type": "bigint", "description": f"The {pnoun} in {pname} this {noun} belongs to."},
    }
    fks: list[dict[str, Any]] = [
        {
            "name": f"fk_{name}_parent",
            "columns": ["parent_id"],
            "references": {"table": pname, "columns": ["id"]},
            "on_delete": "restrict",
            "reason": f"Every {noun} belongs to an existing {pnoun}; history is never cascaded away.",
        },
    ]
    indexes: list[dict[str, Any]] = [
        {
            "name": f"ix_{name}_parent",
            "columns": ["parent_id"],
            "reason": "Indexes the foreign key, so joins and restricted deletes do not scan the table.",
        },
    ]
    if related is not None:
        rname = table_name(related)
        columns["related_id"] = {
            "type": "bigint",
            "nullable": True,
            "description": f"An optional {_singular(related)} in {rname} this {noun} refers to.",
        }
        fks.append(
            {
                "name": f"fk_{name}_related",
                "columns": ["related_id"],
                "references": {"table": rname, "columns": ["id"]},
                "on_delete": "set null",
                "reason": "The reference is informative only, so deleting its target clears it.",
            }
        )
        indexes.append(
            {
                "name": f"ix_{name}_related",
                "columns": ["related_id"],
                "reason": "Indexes the optional foreign key for the same reason as the parent key.",
            }
        )
    columns.update(
        {
            "code": {
                "type": "string",
                "length": 32,
                "description": f"Short human-readable code of the {noun}, unique.",
                "example": f"C-{i:04d}",
            },
            "name": {"type": "string", "length": 200, "description": f"Display name of the {noun}."},
            "status": {
                "type": "enum",
                "enum": "record_status",
                "default": "draft",
                "description": f"Lifecycle of the {noun}: draft until published, archived when retired.",
            },
            "amount": {
                "type": "decimal",
                "precision": 12,
                "scale": 2,
                "description": "An amount of money in the clinic's currency, never negative.",
            },
            "quantity": {"type": "integer", "default": 1, "description": "How many units the record covers."},
            "is_urgent": {
                "type": "boolean",
                "default": False,
                "description": "Whether staff should look at the record first.",
            },
            "valid_from": {
                "type": "date",
                "nullable": True,
                "description": "First day the record applies, if limited.",
            },
            "notes": {"type": "text", "nullable": True, "description": "Free-text notes written by staff."},
            "idempotency_key": {
                "type": "string",
                "length": 64,
                "nullable": True,
                "description": "The Idempotency-Key of the request that created the record.",
            },
            "created_at": {
                "type": "timestamp",
                "default_sql": "CURRENT_TIMESTAMP",
                "description": "When the row was created, by the database clock.",
            },
            "updated_at": {
                "type": "timestamp",
                "default_sql": "CURRENT_TIMESTAMP",
                "description": "Last change of the row, written by every update.",
            },
        }
    )
    indexes.append(
        {
            "name": f"ix_{name}_owner_status",
            "columns": ["owner_account_id", "status", "id"],
            "reason": "Serves the caller's keyset-paginated listing of records in one status.",
        }
    )
    return {
        "description": f"{noun.capitalize()} records of group {i:04d}, listed, read, created and renamed "
        "through the API.",
        "columns": columns,
        "primary_key": ["id"],
        "foreign_keys": fks,
        "uniques": [
            {
                "name": f"uq_{name}_code",
                "columns": ["code"],
                "reason": "Staff look records up by code, so two records cannot share one.",
            },
            {
                "name": f"uq_{name}_idempotency",
                "columns": ["owner_account_id", "idempotency_key"],
                "reason": "A retried create with the same Idempotency-Key can never add a second record.",
            },
        ],
        "checks": [
            {
                "name": f"ck_{name}_amount_positive",
                "expression": "amount >= 0 AND quantity > 0",
                "reason": "Negative amounts and empty quantities are data-entry mistakes.",
            }
        ],
        "indexes": indexes,
    }


def _tables_file(n: int) -> dict[str, Any]:
    tables = _existing_tables()
    tables.update({table_name(i): _table(i) for i in range(n)})
    return {
        "types": {
            "record_status": {
                "description": "Lifecycle of a record.",
                "values": ["draft", "active", "archived"],
                "value_descriptions": {
                    "draft": "Being prepared; not yet visible.",
                    "active": "In use.",
                    "archived": "Retired; kept as history.",
                },
            },
        },
        "tables": tables,
    }


# --- endpoints.yaml and operations.yaml -----------------------------------------------


def _item_example(i: int) -> dict[str, Any]:
    return {
        "id": 7,
        "parent_id": 3,
        "code": f"C-{i:04d}",
        "name": f"{_singular(i).capitalize()} seven",
        "status": "draft",
        "amount": "12.50",
        "created_at": _WHEN,
    }


def _endpoints_for(i: int) -> dict[str, Any]:
    name, noun, path = table_name(i), _singular(i), _path(i)
    item, page = _schema_name(i), _schema_name(i, "Page")
    create_body, rename_body = _schema_name(i, "Input"), _schema_name(i, "Rename")
    item_example = _item_example(i)
    id_param = {
        "name": "id",
        "in": "path",
        "required": True,
        "column": f"{name}.id",
        "description": f"The {noun}'s id.",
        "example": 7,
    }
    unauthenticated = {"status": 401, "description": "Not signed in.", "problems": ["unauthenticated"]}
    not_found = {"status": 404, "description": "No such record of the caller's.", "problems": ["record-not-found"]}
    invalid = {"status": 422, "description": "Invalid body.", "problems": ["validation-failed"]}
    common = {
        "tag": "Records",
        "callers": ["member", "admin"],
        "ownership": "Only records the caller's account owns; any other id answers 404.",
    }
    return {
        f"list_{name}": {
            "method": "GET",
            "path": path,
            "summary": f"List {noun} records",
            "description": f"The caller's records of {name} in one status, oldest first, keyset-paginated.",
            **common,
            "operation": f"list_{name}",
            "parameters": [
                {
                    "name": "status",
                    "in": "query",
                    "required": True,
                    "column": f"{name}.status",
                    "description": "Only records in this status.",
                    "example": "active",
                },
                {
                    "name": "limit",
                    "in": "query",
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 100,
                    "default": 50,
                    "description": "Page size.",
                    "example": 50,
                },
                {
                    "name": "cursor",
                    "in": "query",
                    "type": "string",
                    "description": "next_cursor from the previous page.",
                    "example": "eyJpIjo0Mn0",
                },
            ],
            "responses": [
                {
                    "status": 200,
                    "description": "One page of records.",
                    "schema": page,
                    "example": {"items": [item_example], "next_cursor": None},
                },
                unauthenticated,
                {"status": 422, "description": "Bad status, limit or cursor.", "problems": ["validation-failed"]},
            ],
        },
        f"create_{name}": {
            "method": "POST",
            "path": path,
            "summary": f"Create {_a(noun)}",
            "description": f"Adds {_a(noun)} in draft status, owned by the caller; its code must be new.",
            **common,
            "operation": f"create_{name}",
            "parameters": [
                {
                    "name": "Idempotency-Key",
                    "in": "header",
                    "required": True,
                    "column": f"{name}.idempotency_key",
                    "description": "Client-chosen unique key for this request; reuse it when retrying.",
                    "example": "4b1f7c2e-0d3a-4f4e-9a51-6c2d7e8f9a10",
                },
            ],
            "request": {
                "schema": create_body,
                "example": {"parent_id": 3, "code": f"C-{i:04d}", "name": item_example["name"], "amount": "12.50"},
            },
            "responses": [
                {
                    "status": 201,
                    "description": f"The new {noun}.",
                    "schema": item,
                    "headers": {"Location": "URL of the new record."},
                    "example": item_example,
                },
                unauthenticated,
                {"status": 404, "description": "The parent record does not exist.", "problems": ["record-not-found"]},
                {
                    "status": 409,
                    "description": "The code or the Idempotency-Key is already used.",
                    "problems": ["record-conflict"],
                },
                invalid,
            ],
        },
        f"get_{name}": {
            "method": "GET",
            "path": path + "/{id}",
            "summary": f"Get one {noun}",
            "description": f"Returns one of the caller's {noun} records by id.",
            **common,
            "operation": f"get_{name}",
            "parameters": [id_param],
            "responses": [
                {"status": 200, "description": f"The {noun}.", "schema": item, "example": item_example},
                unauthenticated,
                not_found,
            ],
        },
        f"update_{name}": {
            "method": "PUT",
            "path": path + "/{id}",
            "summary": f"Rename {_a(noun)}",
            "description": f"Changes the name and amount of one of the caller's {noun} records unless archived.",
            **common,
            "operation": f"update_{name}",
            "parameters": [id_param],
            "request": {"schema": rename_body, "example": {"name": item_example["name"], "amount": "12.50"}},
            "responses": [
                {"status": 200, "description": f"The changed {noun}.", "schema": item, "example": item_example},
                unauthenticated,
                not_found,
                {"status": 409, "description": "The record is archived.", "problems": ["record-conflict"]},
                invalid,
            ],
        },
    }


def _schemas_for(i: int) -> dict[str, Any]:
    name, noun = table_name(i), _singular(i)
    return {
        _schema_name(i): {
            "description": f"{_a(noun).capitalize()} record.",
            "fields": {
                "id": {"column": f"{name}.id", "read_only": True},
                "parent_id": {"column": f"{name}.parent_id"},
                "code": {"column": f"{name}.code"},
                "name": {"column": f"{name}.name"},
                "status": {"column": f"{name}.status", "read_only": True},
                "amount": {"column": f"{name}.amount"},
                "created_at": {"column": f"{name}.created_at", "read_only": True},
            },
        },
        _schema_name(i, "Input"): {
            "description": f"What a client sends to create {_a(noun)}.",
            "fields": {
                "parent_id": {"column": f"{name}.parent_id"},
                "code": {"column": f"{name}.code"},
                "name": {"column": f"{name}.name"},
                "amount": {"column": f"{name}.amount"},
            },
        },
        _schema_name(i, "Rename"): {
            "description": f"What a client sends to rename {_a(noun)}.",
            "fields": {
                "name": {"column": f"{name}.name"},
                "amount": {"column": f"{name}.amount"},
            },
        },
        _schema_name(i, "Page"): {
            "description": f"One page of {noun} records.",
            "fields": {
                "items": {"array_of": _schema_name(i), "description": "The records on this page."},
                "next_cursor": {
                    "type": "string",
                    "nullable": True,
                    "description": "Opaque cursor for the next page; null on the last page.",
                },
            },
        },
    }


_CALLER = {"type": "bigint", "source": "caller", "description": "The caller's account id."}


def _operations_for(i: int) -> dict[str, Any]:
    name, noun = table_name(i), _singular(i)
    cols = "id, parent_id, code, name, status, amount, created_at"
    return {
        f"list_{name}": {
            "summary": f"One page of the caller's {noun} records in a status.",
            "description": "Keyset pagination on id; the service decodes the cursor into after_id.",
            "params": {
                "caller_account_id": _CALLER,
                "status": {"type": "enum", "source": "query", "description": "The status to list."},
                "after_id": {"type": "bigint", "source": "query", "description": "Last id of the previous page."},
                "limit": {"type": "integer", "source": "query", "description": "Page size plus one."},
            },
            "steps": [
                {
                    "name": "select_page",
                    "description": "The caller's records after the cursor, in id order.",
                    "sql": f"SELECT {cols} FROM {name} WHERE owner_account_id = :caller_account_id "
                    "AND status = :status AND id > :after_id ORDER BY id LIMIT :limit",
                    "returns_rows": True,
                }
            ],
        },
        f"get_{name}": {
            "summary": f"One of the caller's {noun} records by id.",
            "description": "A primary-key lookup scoped to the caller, so other accounts' records are not found.",
            "params": {
                "id": {"type": "bigint", "source": "path", "description": "The record's id."},
                "caller_account_id": _CALLER,
            },
            "steps": [
                {
                    "name": "select_record",
                    "description": "The record, if the caller owns it.",
                    "sql": f"SELECT {cols} FROM {name} WHERE id = :id AND owner_account_id = :caller_account_id",
                    "returns_rows": True,
                }
            ],
        },
        f"create_{name}": {
            "summary": f"Insert a draft {noun} owned by the caller.",
            "description": f"One INSERT; the unique keys and the foreign keys of {name} are checked by the database.",
            "params": {
                "caller_account_id": _CALLER,
                "idempotency_key": {"type": "string", "source": "header", "description": "The Idempotency-Key."},
                "parent_id": {"type": "bigint", "source": "body", "description": "The parent record."},
                "code": {"type": "string", "source": "body", "description": "The new record's code."},
                "name": {"type": "string", "source": "body", "description": "The new record's name."},
                "amount": {"type": "decimal", "source": "body", "description": "The new record's amount."},
            },
            "steps": [
                {
                    "name": "insert_record",
                    "description": f"Add the {noun} in draft status.",
                    "sql": f"INSERT INTO {name} (owner_account_id, idempotency_key, parent_id, code, name, amount) "
                    "VALUES (:caller_account_id, :idempotency_key, :parent_id, :code, :name, :amount)",
                    "expect_rows": 1,
                    "returns_id": True,
                }
            ],
            "db_errors": {"unique_violation": "record-conflict", "foreign_key_violation": "record-not-found"},
        },
        f"update_{name}": {
            "summary": f"Rename one of the caller's {noun} records unless it is archived.",
            "description": "A guarded UPDATE: it changes nothing when the record is archived, missing or not the "
            "caller's.",
            "params": {
                "id": {"type": "bigint", "source": "path", "description": "The record to change."},
                "caller_account_id": _CALLER,
                "name": {"type": "string", "source": "body", "description": "The new name."},
                "amount": {"type": "decimal", "source": "body", "description": "The new amount."},
            },
            "steps": [
                {
                    "name": "rename_record",
                    "description": "Change a draft or active record of the caller's.",
                    "sql": f"UPDATE {name} SET name = :name, amount = :amount, updated_at = CURRENT_TIMESTAMP "
                    "WHERE id = :id AND owner_account_id = :caller_account_id "
                    "AND status IN ('draft', 'active')",
                    "expect_rows": 1,
                }
            ],
            "diagnose": {
                "sql": f"SELECT CASE WHEN EXISTS (SELECT 1 FROM {name} WHERE id = :id "
                "AND owner_account_id = :caller_account_id AND status = 'archived') "
                "THEN 'record-conflict' ELSE 'record-not-found' END AS problem",
                "problems": ["record-not-found", "record-conflict"],
            },
            "db_errors": {"check_violation": "validation-failed"},
        },
    }


def _endpoints_file(n: int) -> dict[str, Any]:
    endpoints: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for i in range(n):
        endpoints.update(_endpoints_for(i))
        schemas.update(_schemas_for(i))
    return {
        "contact": {"name": "Synthetic benchmark team", "email": "bench@example.org"},
        "license": {"name": "Proprietary", "url": "https://example.org/terms"},
        "tags": {"Records": "Generated record endpoints: list, create, read and rename."},
        "base_path": "/v1",
        "problem_base_uri": "https://api.example.org/problems/",
        "problems": {
            "validation-failed": {
                "title": "Request is not valid",
                "status": 422,
                "field_errors": True,
                "description": "A parameter or field is missing or malformed; errors lists each.",
            },
            "unauthenticated": {
                "title": "Authentication required",
                "status": 401,
                "description": "No valid bearer token was presented.",
            },
            "record-not-found": {
                "title": "Record not found",
                "status": 404,
                "description": "No such record visible to the caller.",
            },
            "record-conflict": {
                "title": "Record conflicts with its current state",
                "status": 409,
                "description": "The code or key is taken, or the record is archived.",
            },
        },
        "schemas": schemas,
        "endpoints": endpoints,
    }


def _operations_file(n: int) -> dict[str, Any]:
    operations: dict[str, Any] = {}
    for i in range(n):
        operations.update(_operations_for(i))
    return {"operations": operations}


# --- policies, scenarios, decisions, requirements, project ----------------------------


def _groups(n: int, size: int) -> list[int]:
    """The first table of each group of ``size`` tables."""
    return list(range(0, n, size))


def _policies_file(n: int) -> dict[str, Any]:
    policies = {}
    for g in _groups(n, 5):
        name = table_name(g)
        policies[f"retention_{g:04d}"] = {
            "title": f"Retention of group {g:04d}",
            "summary": "Archived records are kept for {days} days before they may be purged.",
            "description": f"Records of {name} and the four tables after it stay readable for {{days}} days "
            "after archiving, because audits look back that far; renaming is refused once archived.",
            "values": {
                "days": {"value": 365 + g, "unit": "days", "description": "How long archived records are kept."}
            },
            "problems": ["record-conflict"],
            "enforced_by": [f"operation:update_{name}"],
        }
    return {"policies": policies}


def _scenarios_file(n: int) -> dict[str, Any]:
    scenarios: dict[str, Any] = {
        "existing_tables_untouched": {
            "title": "The migration leaves the existing tables untouched",
            "kind": "migration",
            "description": "Describe accounts and clinics, apply the migration and its rollback, describe them again.",
            "expected": "The descriptions are identical before and after.",
            "proves": [f"table:{t}" for t in EXISTING],
        },
    }
    for g in _groups(n, 5):
        name = table_name(g)
        scenarios[f"duplicate_code_{g:04d}"] = {
            "title": f"A second record with the same code in {name} is refused",
            "kind": "single",
            "description": f"Create the records {name} hangs from, one in {name}, then another with the same code.",
            "expected": f"The second create_{name} fails on the unique key and answers record-conflict.",
            "proves": [f"operation:create_{name}", f"constraint:{name}.uq_{name}_code"],
            "fixtures": {
                "account": {"table": "accounts", "values": {"email": f"dup-{g:04d}@example.org"}},
                "clinic": {"table": _ROOT, "values": {"account_id": "@account.id", "name": "Clinic"}},
            },
            "steps": _duplicate_code_steps(g),
        }
    return {"scenarios": scenarios}


def _duplicate_code_steps(g: int) -> list[dict[str, Any]]:
    """Create each ancestor of table ``g`` from the root down, then the same code in ``g`` twice."""
    chain = [g]
    while (up := parent_of(chain[-1])) is not None:
        chain.append(up)
    steps: list[dict[str, Any]] = []
    parent = "@clinic.id"

    def create(i: int, code: str, key: str) -> dict[str, Any]:
        values = {"caller_account_id": "@account.id", "idempotency_key": key, "parent_id": parent}
        return {"call": f"create_{table_name(i)}", "with": values | {"code": code, "name": "N", "amount": 1}}

    for i in reversed(chain[1:]):
        steps.append(create(i, f"P-{g:04d}-{i:04d}", f"parent-{i:04d}") | {"expect": "ok", "into": f"r{i:04d}"})
        parent = f"@r{i:04d}"
    steps.append(create(g, "DUP", "first") | {"expect": "ok"})
    steps.append(create(g, "DUP", "second") | {"expect": {"problem": "record-conflict"}})
    return steps


def _decisions_file(n: int) -> dict[str, Any]:
    decisions = {}
    for g in _groups(n, 10):
        name = table_name(g)
        decisions[f"D{g // 10 + 1}"] = {
            "title": f"Records of group {g:04d} are archived, never deleted",
            "context": "Audits need the full history of every record.",
            "decision": f"{name} and the nine tables after it have a status column; archiving replaces DELETE.",
            "alternatives": [
                {
                    "option": "Hard delete with an audit table",
                    "rejected_because": "Two places to query and a trigger to keep correct.",
                }
            ],
            "consequences": ["Listings filter on status, served by the owner and status index."],
            "related": [f"table:{name}", f"operation:update_{name}"],
        }
    return {
        "decisions": decisions,
        "assumptions": {
            "A1": {
                "text": "Authentication tells the service the caller's account id.",
                "rationale": "The accounts service already signs people in.",
            }
        },
    }


def _requirements_file(n: int) -> dict[str, Any]:
    requirements = {}
    for i in range(n):
        name, group = table_name(i), i - i % 5
        requirements[f"R{i + 1}"] = {
            "section": _SECTIONS[i % len(_SECTIONS)],
            "text": f"Staff can list, create, read and rename {_singular(i)} records of {name}.",
            "satisfied_by": [f"table:{name}", f"endpoint:create_{name}", f"operation:create_{name}"],
            "proven_by": [f"scenario:duplicate_code_{group:04d}"],
        }
    return {"source": "Synthetic benchmark brief", "requirements": requirements}


def _project_file(n: int) -> dict[str, Any]:
    return {
        "title": f"Synthetic design with {n} tables",
        "version": "1.0.0",
        "status": "draft",
        "authors": [{"name": "Benchmark generator", "role": "Author"}],
        "summary": f"A generated design of {n} new tables, {4 * n} endpoints and {4 * n} operations on top of "
        "two existing tables, shaped like the shipped spec, used to measure how the tool scales.",
        "context": "There is no real system behind this design; it exists to load, lint, generate and render.",
        "goals": ["Exercise every stage of the tool with realistic volume."],
        "non_goals": ["Describing a real product."],
        "roles": {
            "member": "Clinic staff member who manages their account's records.",
            "admin": "Administrator who manages their account's records and settings.",
        },
        "dialects": {"postgres": {"min_version": "13"}, "mysql": {"min_version": "8.0.16"}},
    }


_HEADER = "# Generated by medbook_design.bench.synthetic for benchmarks ({n} tables); do not edit.\n"

# libyaml's emitter is ~5x faster, which matters at 5,000 tables (tens of MB of YAML); PyYAML
# built without libyaml lacks it and the pure-Python dumper, with the same interface, stands in.
_BaseDumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_BaseDumper):
    # Aliases would be refused by the loader (and never occur in hand-written specs); shared
    # sub-dicts such as the common 401 response must be written out each time.
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _dump(data: dict[str, Any]) -> str:
    # flow style for innermost collections, block style above: how the shipped spec reads
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110, default_flow_style=None)


def synthetic_spec(n_tables: int) -> list[Artifact]:
    """The eight spec files of a valid spec with ``n_tables`` new tables (plus two existing)."""
    if n_tables < 1:
        raise ValueError("a spec needs at least one table")
    files = {
        "tables.yaml": _tables_file(n_tables),
        "endpoints.yaml": _endpoints_file(n_tables),
        "policies.yaml": _policies_file(n_tables),
        "operations.yaml": _operations_file(n_tables),
        "scenarios.yaml": _scenarios_file(n_tables),
        "decisions.yaml": _decisions_file(n_tables),
        "requirements.yaml": _requirements_file(n_tables),
    }
    header = _HEADER.format(n=n_tables)
    texts = {name: header + _dump(data) for name, data in files.items()}
    # Large specs outgrow the loader's default per-file limit (a 1,000-table endpoints.yaml is
    # about 6 MB): project.yaml raises it to the next whole MiB above the largest file.
    largest = max(len(text.encode("utf-8")) for text in texts.values())
    project = _project_file(n_tables)
    if largest > defaults.MAX_FILE_BYTES:
        project["lint"] = {"max_file_bytes": -(-largest // _MIB) * _MIB}
    texts = {"project.yaml": header + _dump(project), **texts}
    return [Artifact(name, text) for name, text in texts.items()]


_MIB = 1024 * 1024
