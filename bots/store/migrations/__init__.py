"""Alembic migrations of the stores' database; `almanac db upgrade` applies them."""
