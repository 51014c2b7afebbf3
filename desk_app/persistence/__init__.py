"""SQLAlchemy mapping, engine set-up and Alembic migrations. Only services use this."""
