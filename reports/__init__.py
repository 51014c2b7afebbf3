"""Printed documents and spreadsheets: no Qt and no database (enforced by import-linter).

Built from the frozen DTOs in ``desk_app.services.dto``; the documents arrive with #6 and
the ledgers with #7.
"""
