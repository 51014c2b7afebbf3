"""``desk-app audit verify [--db PATH]``: check the audit hash chain, headless (issue #8).

Walks every audit row in order and recomputes its hash from the row before; the first
row that does not follow (edited, inserted, or a row before it deleted) is named. Exit 0
when the chain holds, 1 when it is broken or the database cannot be read. Read-only: the
database is neither migrated nor written. No Qt is imported.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from desk_app.config import load_config
from ui import console


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    audit = sub.add_parser(
        "audit",
        help="校验审计记录链是否完整（无需显示器）",
        description="审计记录逐条以哈希相连。verify 从第一条起逐条校验，"
        "报告第一条被改动或删除的记录；只读，不修改数据库。",
    )
    actions = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = actions.add_parser("verify", help="校验审计链，报告第一条被改动或删除的记录")
    verify.add_argument(
        "--db", dest="sub_db", metavar="PATH", help="数据库（默认与窗口程序使用的相同）"
    )


def run(args: argparse.Namespace, write: Callable[[str], None] | None = None) -> int:
    """Exit 0 when the chain holds, 1 when it is broken or the database cannot be read."""
    from desk_app.bootstrap import open_services  # noqa: PLC0415 - keep `--help` fast
    from desk_app.errors import KnownEnvironmentError  # noqa: PLC0415
    from desk_app.services.context import SYSTEM  # noqa: PLC0415

    out = write or console.out
    try:
        config = load_config(args.sub_db or getattr(args, "db", None))
        # upgrade=False: a check must not change the file it checks.
        services = open_services(config.db_url, identity=SYSTEM, upgrade=False)
    except KnownEnvironmentError as exc:
        out(f"desk-app audit: {exc.message.render()}\n")
        return 1
    try:
        result = services.audit.verify()
    except Exception as exc:
        out(f"desk-app audit: 无法读取审计记录：{type(exc).__name__}\n")
        return 1
    finally:
        services.close()
    if result.first_broken is None:
        out(f"审计链完整：共 {result.rows} 条记录\n")
        return 0
    out(
        f"审计链已断开：第 {result.first_broken} 条记录起被改动或删除"
        f"（此前 {result.rows} 条完整）\n"
    )
    return 1
