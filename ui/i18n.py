"""Qt translators: Qt's own strings (确定/取消) and ours.

Our source strings are Simplified Chinese, so no .qm is needed for zh_CN; a file
``resources/translations/desk_app_<locale>.qm`` is loaded when present so another
language can be added without code changes.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from desk_app.i18n import Message
from resources import TRANSLATIONS_DIR

log = logging.getLogger(__name__)

_installed: list[QTranslator] = []  # Qt does not own translators: keep them alive here


def install_translators(app: QCoreApplication, locale: QLocale | None = None) -> list[str]:
    """Load ``qtbase_<locale>.qm`` from the Qt wheel and our own file if any."""
    locale = locale or QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    QLocale.setDefault(locale)
    loaded: list[str] = []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, directory in (("qtbase", qt_dir), ("desk_app", str(TRANSLATIONS_DIR))):
        translator = QTranslator(app)
        if translator.load(locale, name, "_", directory):
            app.installTranslator(translator)
            _installed.append(translator)
            loaded.append(name)
        elif name == "qtbase":
            log.warning("Qt translation for %s not found in %s", locale.name(), directory)
    return loaded


def tr_message(message: Message) -> str:
    """Render a core :class:`Message` through Qt's translator."""
    return message.render(QCoreApplication.translate)


def tr_label(context: str, source: str) -> str:
    """Translate a core label (enum label, field name) marked with QT_TRANSLATE_NOOP."""
    return QCoreApplication.translate(context, source)
