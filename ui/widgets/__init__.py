"""Reusable input widgets shared by the dialogs and pages."""
