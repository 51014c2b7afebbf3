"""Composition root: the one place that builds engine, sessions and services.

Nothing here runs at import time; ``ui``, the command line and tests call
:func:`open_services` with an :class:`~desk_app.config.AppConfig` or a URL.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import partial

from sqlalchemy import Engine
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from desk_app.errors import KnownEnvironmentError
from desk_app.i18n import QT_TRANSLATE_NOOP, Message
from desk_app.persistence import migrate
from desk_app.persistence.db import make_engine, make_session_factory
from desk_app.services.assistance import AssistanceService
from desk_app.services.audit import AuditService
from desk_app.services.audit import install as install_audit
from desk_app.services.calendar import CalendarService
from desk_app.services.catalogue import CatalogueService
from desk_app.services.context import Clock, Identity, ServiceContext, local_now
from desk_app.services.documents import DocumentService
from desk_app.services.households import HouseholdService
from desk_app.services.intake import IntakeService
from desk_app.services.ledgers import LedgerService
from desk_app.services.near_relatives import NearRelativeService
from desk_app.services.notices import NoticeService
from desk_app.services.parameters import ParameterService
from desk_app.services.referrals import ReferralService
from desk_app.services.rosters import RosterService
from desk_app.services.search import SearchService
from desk_app.services.site import SiteService
from desk_app.services.unit_of_work import UnitOfWork, environment_error
from desk_app.services.users import UserService

log = logging.getLogger(__name__)


@dataclass
class Services:
    """Everything the UI and the command line may call. Built only by :func:`open_services`."""

    engine: Engine
    context: ServiceContext
    site: SiteService
    households: HouseholdService
    search: SearchService
    catalogue: CatalogueService
    parameters: ParameterService
    calendar: CalendarService
    intake: IntakeService
    referrals: ReferralService
    assistance: AssistanceService
    notices: NoticeService
    documents: DocumentService
    ledgers: LedgerService
    rosters: RosterService
    near_relatives: NearRelativeService
    users: UserService
    audit: AuditService
    _session_factory: sessionmaker[Session] = field(repr=False)

    def unit_of_work(self, *, write: bool) -> UnitOfWork:
        return UnitOfWork(self._session_factory, write=write)

    def close(self) -> None:
        self.engine.dispose()


def open_services(
    db_url: str,
    *,
    clock: Clock = local_now,
    upgrade: bool = True,
    identity: Identity | None = None,
) -> Services:
    """Open the database at ``db_url``, bring its schema to head, and build the services.

    ``identity``: who the services act for. None (the window before sign-in) has no rights;
    the command line passes :data:`~desk_app.services.context.SYSTEM`.
    """
    engine = make_engine(db_url)
    if upgrade:
        try:
            migrate.upgrade_if_needed(engine)
        except migrate.NewerSchemaError as exc:
            engine.dispose()
            raise KnownEnvironmentError(
                Message(
                    "errors",
                    QT_TRANSLATE_NOOP(
                        "errors",
                        "这个数据库由更新版本的程序创建（结构版本 {revision}），本程序无法打开。请安装新版本后再打开。",
                    ),
                    {"revision": exc.revision},
                )
            ) from exc
        except (OperationalError, DatabaseError) as exc:
            engine.dispose()
            raise environment_error(exc) or KnownEnvironmentError(
                Message(
                    "errors",
                    QT_TRANSLATE_NOOP(
                        "errors",
                        "无法打开数据库：文件已损坏或不是本程序的数据库。请检查路径，或从备份恢复。",
                    ),
                )
            ) from exc
    factory = make_session_factory(engine)
    context = ServiceContext(clock=clock, identity=identity)
    uow = partial(UnitOfWork, factory)
    # Every change is audited in its own transaction, whoever calls (issue #8).
    install_audit(factory, context)
    return Services(
        engine=engine,
        context=context,
        site=SiteService(uow, context),
        households=HouseholdService(uow, context),
        search=SearchService(uow, context),
        catalogue=CatalogueService(uow, context),
        parameters=ParameterService(uow, context),
        calendar=CalendarService(uow, context),
        intake=IntakeService(uow, context),
        referrals=ReferralService(uow, context),
        assistance=AssistanceService(uow, context),
        notices=NoticeService(uow, context),
        documents=DocumentService(uow, context),
        ledgers=LedgerService(uow, context),
        rosters=RosterService(uow, context),
        users=UserService(uow, context),
        audit=AuditService(uow, context),
        near_relatives=NearRelativeService(uow, context),
        _session_factory=factory,
    )
