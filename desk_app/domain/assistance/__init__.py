"""Assistance rules as explained decision support (issue #5; domain.md §1, §2.3, §4).

Every computation returns a :class:`~desk_app.domain.assistance.result.Computation`: the
figure, the rule applied in words, and its seed basis. The program proposes and explains;
people decide. Money is ``Decimal`` throughout.
"""
