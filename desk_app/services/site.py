"""The window's own identity: township, its code and the window name (first start)."""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import select

from desk_app.domain.security import Permission
from desk_app.errors import FieldProblem, ValidationError, problem
from desk_app.i18n import QT_TRANSLATE_NOOP
from desk_app.persistence.models import Site
from desk_app.services.context import ServiceContext, requires
from desk_app.services.dto import SiteInfo
from desk_app.services.uow_factory import UowFactory

_CODE_RE = re.compile(r"^[0-9]{6}([0-9]{3}([0-9]{3})?)?$")


class SiteService:
    def __init__(self, uow: UowFactory, context: ServiceContext) -> None:
        self._uow = uow
        self._context = context

    @requires(None)
    def get(self) -> SiteInfo | None:
        with self._uow(write=False) as uow:
            site = uow.session.scalars(select(Site).order_by(Site.id).limit(1)).first()
            return None if site is None else _to_info(site)

    @requires(Permission.SETTINGS)
    def save(
        self,
        township_name: str,
        township_code: str,
        window_name: str,
        *,
        phone: str | None = None,
        address: str | None = None,
    ) -> SiteInfo:
        """Create or change the window's identity (``phone``/``address`` None: unchanged)."""
        # NFKC first: a Chinese IME in full-width mode types "５２０４０２" and "　";
        # the code is digits only, so spaces inside it (as read off a paper) go too.
        township_name, window_name = _fold(township_name), _fold(window_name)
        township_code = "".join(_fold(township_code).split())
        problems: list[FieldProblem] = []
        if not township_name:
            problems.append(problem("township_name", QT_TRANSLATE_NOOP("fields", "乡镇（街道）名称"),
                               QT_TRANSLATE_NOOP("validation", "请填写本乡镇（街道）的名称")))  # fmt: skip
        elif len(township_name) > 60:
            problems.append(problem("township_name", QT_TRANSLATE_NOOP("fields", "乡镇（街道）名称"),
                               QT_TRANSLATE_NOOP("validation", "最多60个字")))  # fmt: skip
        if not _CODE_RE.match(township_code):
            problems.append(problem("township_code", QT_TRANSLATE_NOOP("fields", "区划代码"),
                               QT_TRANSLATE_NOOP("validation", "应为6、9或12位数字的行政区划代码（如 520402102000）")))  # fmt: skip
        if not window_name:
            problems.append(problem("window_name", QT_TRANSLATE_NOOP("fields", "窗口名称"),
                               QT_TRANSLATE_NOOP("validation", "请填写窗口名称，如“社会救助综合服务窗口”")))  # fmt: skip
        phone = None if phone is None else _fold(phone)
        address = None if address is None else _fold(address)
        if phone is not None and len(phone) > 40:
            problems.append(problem("phone", QT_TRANSLATE_NOOP("fields", "咨询电话"),
                               QT_TRANSLATE_NOOP("validation", "最多40个字")))  # fmt: skip
        if address is not None and len(address) > 100:
            problems.append(problem("address", QT_TRANSLATE_NOOP("fields", "窗口地址"),
                               QT_TRANSLATE_NOOP("validation", "最多100个字")))  # fmt: skip
        if problems:
            raise ValidationError(problems)
        with self._uow(write=True) as uow:
            site = uow.session.scalars(select(Site).order_by(Site.id).limit(1)).first()
            if site is None:
                site = Site(created_at=self._context.clock())
                uow.session.add(site)
            site.township_name = township_name
            site.township_code = township_code
            site.window_name = window_name
            if phone is not None:
                site.phone = phone
            if address is not None:
                site.address = address
            uow.commit()
            return _to_info(site)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _to_info(site: Site) -> SiteInfo:
    return SiteInfo(
        site.township_name, site.township_code, site.window_name, site.phone, site.address
    )
