"""Pure rules and vocabularies: no I/O, no SQLAlchemy, no Qt."""
