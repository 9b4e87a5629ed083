"""Database: SQLAlchemy tables (one module per domain), engines and Alembic migrations."""
