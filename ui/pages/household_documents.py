"""The household panel's 打印文书 menu and its 公示 line (issue #6).

Forms filled from the registry alone (D1 申请书, D3 核对授权书, D4 如实申报承诺书) open the
preview at once; those that need the clerk's entries (D12 临时救助审批表, the agreements,
D21 告知书) open their form first. 存档文书… lists what was printed for the household and
reprints it byte for byte. Kept apart from ``household_panel`` so the panel only hosts
the button, the menu and one summary line.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from desk_app.bootstrap import Services
from desk_app.domain.documents import AnyContent, DocumentKind
from desk_app.errors import DeskAppError
from desk_app.i18n import QT_TRANSLATE_NOOP
from desk_app.services.dto import HouseholdDetail
from desk_app.services.notices import EntryState, NoticeInfo
from ui.dialogs import open_dialog
from ui.dialogs.agreement_dialog import AGREEMENT_DIALOGS
from ui.dialogs.archived_documents_dialog import ArchivedDocumentsDialog
from ui.dialogs.change_notice_dialog import ChangeNoticeDialog
from ui.dialogs.document_preview import open_preview
from ui.dialogs.temporary_aid_dialog import TemporaryAidDialog
from ui.errors import show_error
from ui.i18n import tr_label

_C = "HouseholdDocuments"

MENU: tuple[tuple[str, str], ...] = (
    ("application", QT_TRANSLATE_NOOP("HouseholdDocuments", "社会救助申请书(&S)")),
    ("authorisation", QT_TRANSLATE_NOOP("HouseholdDocuments", "家庭经济状况核对授权书(&H)")),
    ("commitment", QT_TRANSLATE_NOOP("HouseholdDocuments", "如实申报承诺书(&R)")),
    ("", ""),
    ("temporary_aid", QT_TRANSLATE_NOOP("HouseholdDocuments", "临时救助审批表(&L)…")),
    ("care_agreement", QT_TRANSLATE_NOOP("HouseholdDocuments", "特困人员委托照料协议(&W)…")),
    ("placement_agreement", QT_TRANSLATE_NOOP("HouseholdDocuments", "入住（托养）协议(&T)…")),
    ("support_agreement", QT_TRANSLATE_NOOP("HouseholdDocuments", "赡养协议(&Y)…")),
    ("pairing_agreement", QT_TRANSLATE_NOOP("HouseholdDocuments", "结对帮扶协议(&J)…")),
    ("change_notice", QT_TRANSLATE_NOOP("HouseholdDocuments", "救助变更（退出）告知书(&G)…")),
    ("", ""),
    ("archive", QT_TRANSLATE_NOOP("HouseholdDocuments", "存档文书(&C)…")),
)
"""Menu keys (``DocumentKind`` values, and ``archive``) and their texts, in menu order."""


def _tr(source: str) -> str:
    return QCoreApplication.translate(_C, source)


def notice_state_text(state: tuple[NoticeInfo, EntryState] | None) -> str:
    """The panel's 公示 line: the latest posted notice the household is on, and its state."""
    if state is None:
        return _tr("尚未列入公示")
    info, entry = state
    until = (
        _tr("，异议截止 {day}").format(day=info.objection_until.isoformat())
        if info.objection_until
        else ""
    )
    return _tr("{number} {stage}（{scheme}）：{state}{until}").format(
        number=info.number,
        stage=tr_label("documents", info.stage.label),
        scheme=tr_label("documents", info.scheme),
        state=tr_label("documents", entry.label),
        until=until,
    )


class DocumentsMenu(QMenu):
    """打印文书 for the household the panel shows.

    Args:
        services: returns the services (the panel finds them through its parents).
        household: returns the household shown, or None.
        parent: the panel (dialogs and previews open over it).

    :attr:`opened` is the last dialog a menu entry opened.
    """

    def __init__(
        self,
        services: Callable[[], Services | None],
        household: Callable[[], HouseholdDetail | None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("documentsMenu")
        self._services = services
        self._household = household
        self._parent = parent
        self.opened: object = None
        self.entries: dict[str, QAction] = {}
        for key, text in MENU:
            if not key:
                self.addSeparator()
                continue
            action = self.addAction(_tr(text))
            action.triggered.connect(lambda _c=False, k=key: self.open_document(k))
            self.entries[key] = action

    def open_document(self, key: str) -> object:
        """Open the entry ``key`` for the shown household; returns what it opened."""
        services, household = self._services(), self._household()
        if services is None or household is None:
            return None
        parent = self._parent
        opened: object = None
        try:
            if key == "archive":
                head = household.head
                title = _tr("户 {number}　户主 {head}").format(
                    number=household.number, head=head.name if head else "—"
                )
                opened = open_dialog(
                    ArchivedDocumentsDialog(services.documents, household.id, title, parent)
                )
            elif key == "temporary_aid":
                opened = open_dialog(TemporaryAidDialog(services, household, parent))
            elif key == "change_notice":
                opened = open_dialog(ChangeNoticeDialog(services, household, parent))
            elif DocumentKind(key) in AGREEMENT_DIALOGS:
                dialog_type = AGREEMENT_DIALOGS[DocumentKind(key)]
                opened = open_dialog(dialog_type(services, household, parent))
            else:
                content: AnyContent
                if key == "application":
                    content = services.documents.application(household.id)
                elif key == "authorisation":
                    content = services.documents.authorisation(household.id)
                else:
                    content = services.documents.commitment(household.id)
                opened = open_preview(
                    parent, services.documents, content, household_id=household.id
                )
        except DeskAppError as exc:
            show_error(parent, exc)
            return None
        self.opened = opened
        return opened
