"""One entry point for every document: content record in, PDF bytes out.

Each document module exposes ``build(content, *, allow_missing=frozenset()) -> bytes``;
:func:`build_document` picks the module from the content's type, so callers (the UI's
preview and print, ``desk-app print KIND``) need not know the modules.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desk_app.domain.documents import (
    AnyContent,
    ApplicationContent,
    AuthorisationContent,
    CareAgreementContent,
    ChangeNoticeContent,
    CommitmentContent,
    DocumentKind,
    NoticeContent,
    PairingAgreementContent,
    PlacementAgreementContent,
    ReceiptContent,
    ReferralContent,
    SupportAgreementContent,
    TemporaryAidContent,
    kind_of,
)
from reports import (
    agreements,
    application,
    authorisation,
    change_notice,
    commitment,
    notice,
    receipt,
    referral,
    temporary_aid,
)

_BUILDERS: dict[type, Callable[..., bytes]] = {
    ApplicationContent: application.build,
    ReceiptContent: receipt.build,
    AuthorisationContent: authorisation.build,
    CommitmentContent: commitment.build,
    NoticeContent: notice.build,
    ReferralContent: referral.build,
    TemporaryAidContent: temporary_aid.build,
    ChangeNoticeContent: change_notice.build,
    CareAgreementContent: agreements.build,
    PlacementAgreementContent: agreements.build,
    SupportAgreementContent: agreements.build,
    PairingAgreementContent: agreements.build,
}


def build_document(content: AnyContent, *, allow_missing: frozenset[str] = frozenset()) -> bytes:
    """The PDF of any content record; raises ``MissingGlyphs`` before drawing anything."""
    builder: Callable[..., Any] = _BUILDERS[type(content)]
    pdf = builder(content, allow_missing=allow_missing)
    assert isinstance(pdf, bytes)
    return pdf


def file_name(content: AnyContent) -> str:
    """A file name that sorts by kind and says what the file is: ``D2-受理回执-SL2024-000123.pdf``."""
    kind: DocumentKind = kind_of(content)
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in content.number)
    return f"{kind.code}-{kind.label.replace('/', '')}-{safe}.pdf"
