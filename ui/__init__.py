"""The Qt front end and the command line: the outermost layer.

``ui`` calls services in ``desk_app`` and renders what they return; it never touches SQL
or a Session (enforced by import-linter).
"""
