"""``desk-app backup`` and ``desk-app restore`` (issue #9), headless and without Qt.

The passphrase is read from an environment variable named on the command line
(``--passphrase-env VAR``), never from the command line itself, where it would stay in
the shell history and the process list.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from desk_app.config import load_config
from ui import console


def add_parsers(sub: Any) -> None:
    b = sub.add_parser("backup", help="在线备份数据库（可加密），备份前后校验（无需显示器）")
    b.add_argument("--db", dest="sub_db", metavar="PATH", help="数据库（默认与窗口程序相同）")
    b.add_argument("--out", required=True, metavar="FILE", help="备份文件")
    b.add_argument("--passphrase-env", metavar="VAR", help="从该环境变量读取备份口令（加密备份）")
    r = sub.add_parser("restore", help="校验备份后恢复数据库；原数据库保留在旁边（无需显示器）")
    r.add_argument("file", metavar="FILE", help="备份文件")
    r.add_argument(
        "--db", dest="sub_db", metavar="PATH", help="恢复到的数据库（默认与窗口程序相同）"
    )
    r.add_argument("--passphrase-env", metavar="VAR", help="从该环境变量读取备份口令")


def _passphrase(args: argparse.Namespace) -> tuple[str | None, bool]:
    if not args.passphrase_env:
        return None, True
    value = os.environ.get(args.passphrase_env)
    if not value:
        console.err(f"desk-app {args.command}: 环境变量 {args.passphrase_env} 未设置或为空\n")
        return None, False
    return value, True


def _db_path(args: argparse.Namespace) -> Path | None:
    path = load_config(args.sub_db).sqlite_path
    if path is None:
        console.err(
            f"desk-app {args.command}: 只能备份本机 SQLite 数据库；服务器数据库请用 pg_dump\n"
        )
    return path


def run(args: argparse.Namespace) -> int:
    """Exit 0 done, 1 the backup or the database could not be used, 2 bad arguments."""
    from desk_app.backup import BackupError, backup, restore  # noqa: PLC0415

    passphrase, ok = _passphrase(args)
    db = _db_path(args)
    if not ok or db is None:
        return 2
    try:
        if args.command == "backup":
            if not db.exists():
                console.err(f"desk-app backup: 数据库文件不存在：{db}\n")
                return 1
            info = backup(db, Path(args.out), passphrase)
            console.out(
                f"备份完成：{info.path}（{info.size} 字节，{'已加密' if info.encrypted else '未加密'}，"
                f"{info.seconds:.1f} 秒）\n户 {info.rows.get('household', 0)}，人 {info.rows.get('person', 0)}，"
                f"审计记录 {info.audit_rows} 条，校验通过\n"
            )
            return 0
        info, kept = restore(Path(args.file), db, passphrase)
        console.out(
            f"恢复完成：{db}\n户 {info.rows.get('household', 0)}，人 {info.rows.get('person', 0)}，"
            f"审计记录 {info.audit_rows} 条，校验通过\n"
            + (f"原数据库保留为：{kept}\n" if kept else "")
        )
        return 0
    except BackupError as exc:
        console.err(f"desk-app {args.command}: {exc.message.render()}\n")
        return 1
    except OSError as exc:
        console.err(f"desk-app {args.command}: {exc.strerror or exc}\n")
        return 1
