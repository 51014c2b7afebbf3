"""Qt item models over service calls. Sorting and filtering happen in SQL, not in proxies."""
