"""Use cases: one unit of work per user action, frozen DTOs out, never ORM objects."""
