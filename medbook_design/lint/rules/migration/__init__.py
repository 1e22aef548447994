"""MB8xx: migration safety (lock waits, key widths, derived names within the engines' limits).

What the generator decides for every design is tested, not linted: the PostgreSQL migration is
one transaction, the MySQL rollback drops IF EXISTS what any prefix of the migration created,
and existing tables appear only as foreign key targets (tests/ddl/test_migration_safety.py).
"""
