import re

from medbook_design.lint.rule import Rule

MONEY = re.compile(r"(^|_)(price|amount|cost|fee|fees|total|balance|salary|charge|refund|payment|tax|deposit)(_|$)")
MINOR_UNITS = re.compile(r"_(cents|minor|pence|minor_units)$")


class MoneyType(Rule):
    """A money amount stored in a type that loses or hides cents.

    ## Why is this bad?
    Money needs exact arithmetic: `decimal` with a scale of at least 2, or an integer count
    of minor units whose name says so (`price_cents`). Text amounts cannot be summed or
    compared, integers named `price` invite someone to store euros in one place and cents in
    another, and a decimal without scale rounds every amount to whole units.

    ## Anti-pattern
    ```yaml
    invoices:
      columns:
        amount: {type: integer, description: Amount due.}
    ```

    ## Fix
    ```yaml
    invoices:
      columns:
        amount: {type: decimal, precision: 12, scale: 2, description: Amount due, in the invoice currency.}
    ```
    """

    code = "MB107"
    name = "schema.money-type"
    severity = "warning"

    def check(self, ctx):
        for tname, table in ctx.spec.new_tables.items():
            for cname, col in table.columns.items():
                if not MONEY.search(cname) or MINOR_UNITS.search(cname):
                    continue
                if col.type == "decimal" and (col.scale or 0) >= 2:
                    continue
                if col.type in ("enum", "boolean", "timestamp", "date", "uuid"):
                    continue  # e.g. payment_status, payment_at: not an amount
                found = f"decimal with scale {col.scale or 0}" if col.type == "decimal" else col.type
                yield ctx.hit(
                    f"column:{tname}.{cname}",
                    "tables.yaml",
                    ("tables", tname, "columns", cname, "type"),
                    f"{tname}.{cname} looks like a money amount but is {found} (expected decimal with "
                    f"scale >= 2, or an integer named {cname}_cents)",
                )
