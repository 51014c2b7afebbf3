"""``desk-app print KIND --id ID --out FILE.pdf``: any document, headless (issue #6).

Content comes from the database through :class:`~desk_app.services.documents.DocumentService`
and :class:`~desk_app.services.notices.NoticeService`; ``reports`` draws it. Writing the
PDF counts as an export of personal data, so it is archived and logged like a print in the
window. Documents that need the clerk's entries (agreements, change notices, 临时救助审批表)
are made in the window; once printed there they are reprinted byte for byte with
``archived --id N``. ``--example`` prints the fictional example of any kind (for checking a
printer or the layout). No Qt is imported.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desk_app.config import load_config
from desk_app.services.context import SYSTEM

if TYPE_CHECKING:
    from desk_app.bootstrap import Services

# Kind → (what --id names, how to get the content from the services).
_FROM_DB: dict[str, tuple[str, Callable[[Services, int], Any]]] = {
    "receipt": ("受理记录编号（intake id）", lambda s, i: s.documents.receipt(i)),
    "referral": ("转介记录编号（referral id）", lambda s, i: s.documents.referral(i)),
    "application": ("户的编号（household id）", lambda s, i: s.documents.application(i)),
    "authorisation": ("户的编号（household id）", lambda s, i: s.documents.authorisation(i)),
    "commitment": ("户的编号（household id）", lambda s, i: s.documents.commitment(i)),
    "result_notice": ("公示编号（notice id）", lambda s, i: s.notices.content(i)),
    "standing_notice": ("公示编号（notice id）", lambda s, i: s.notices.content(i)),
}
# Every document kind may be asked for: those made from the clerk's entries in the window
# answer with where to make them (or print their --example).
KINDS = (
    "receipt", "referral", "application", "authorisation", "commitment", "result_notice",
    "standing_notice", "temporary_aid", "change_notice", "care_agreement",
    "placement_agreement", "support_agreement", "pairing_agreement", "archived",
)  # fmt: skip


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "print",
        help="生成文书 PDF（回执、转介单、公示、申请书等；无需显示器，见 docs/documents.md）",
        description="从数据库生成一份文书的 PDF。写出 PDF 视同导出个人信息，会存档并记录经办人和时间。",
    )
    p.add_argument("kind", choices=KINDS, metavar="KIND", help="文书种类：" + "、".join(KINDS))
    p.add_argument("--db", dest="sub_db", metavar="PATH", help="数据库（默认与窗口程序相同）")
    p.add_argument("--id", dest="record_id", type=int, help="记录编号（见 docs/documents.md）")
    p.add_argument("--out", required=True, metavar="FILE.pdf", help="输出文件")
    p.add_argument("--example", action="store_true", help="输出该种类的虚构示例，不读数据库")
    p.add_argument("--operator", default="", help="经办人姓名（记入打印日志）")


def run(args: argparse.Namespace, write_err: Callable[[str], None]) -> int:
    """Exit 0 with the PDF written, 2 on bad input, 1 when the database cannot be opened."""
    from desk_app.errors import DeskAppError, KnownEnvironmentError  # noqa: PLC0415

    out = Path(args.out)
    if args.example:
        return _example(args.kind, out, write_err)
    if args.kind not in _FROM_DB and args.kind != "archived":
        write_err(
            f"desk-app print: {args.kind} 需要经办人在窗口中填写后打印；打印过的文书可用"
            " `desk-app print archived --id 存档编号` 原样重印，或用 --example 查看示例\n"
        )
        return 2
    if args.record_id is None:
        write_err("desk-app print: 请用 --id 指定记录编号（见 docs/documents.md）\n")
        return 2
    from desk_app.bootstrap import open_services  # noqa: PLC0415

    try:
        services = open_services(load_config(args.sub_db).db_url, identity=SYSTEM)
    except KnownEnvironmentError as exc:
        write_err(f"desk-app print: {exc.message.render()}\n")
        return 1
    try:
        if args.operator:
            services.context.operator.name = args.operator
        if args.kind == "archived":
            pdf = services.documents.archived_pdf(args.record_id)
            _write(out, pdf)
            return 0
        from reports.documents import build_document  # noqa: PLC0415
        from reports.pages import page_count  # noqa: PLC0415

        _what, fetch = _FROM_DB[args.kind]
        content = fetch(services, args.record_id)
        if args.kind.endswith("_notice") and _kind_of(content) != args.kind:
            write_err(f"desk-app print: 该公示不是 {args.kind} 种类\n")
            return 2
        pdf = build_document(content)
        _write(out, pdf)
        from desk_app.domain.documents import kind_of  # noqa: PLC0415

        kind = kind_of(content)
        services.documents.record(
            kind, content.number, f"{kind.label} {content.number}", pdf, page_count(pdf), "pdf",
            household_id=args.record_id if args.kind in ("application", "authorisation", "commitment") else None,
        )  # fmt: skip
        return 0
    except DeskAppError as exc:
        write_err(f"desk-app print: {exc.message.render()}\n")
        return 2
    except OSError as exc:
        write_err(f"desk-app print: 无法写入 {out}：{exc.strerror or exc}\n")
        return 2
    finally:
        services.close()


def _kind_of(content: Any) -> str:
    from desk_app.domain.documents import kind_of  # noqa: PLC0415

    return kind_of(content).value


def _example(kind: str, out: Path, write_err: Callable[[str], None]) -> int:
    from reports import examples  # noqa: PLC0415
    from reports.documents import build_document  # noqa: PLC0415

    makers: dict[str, Callable[[], Any]] = {
        "receipt": examples.receipt, "referral": examples.referral,
        "application": examples.application, "authorisation": examples.authorisation,
        "commitment": examples.commitment, "result_notice": examples.result_notice,
        "standing_notice": examples.standing_notice, "temporary_aid": examples.temporary_aid,
        "change_notice": examples.change_notice, "care_agreement": examples.care_agreement,
        "placement_agreement": examples.placement_agreement,
        "support_agreement": examples.support_agreement,
        "pairing_agreement": examples.pairing_agreement,
    }  # fmt: skip
    if kind not in makers:
        write_err(f"desk-app print: {kind} 没有示例\n")
        return 2
    _write(out, build_document(makers[kind]()))
    return 0


def _write(out: Path, pdf: bytes) -> None:
    """Write through a temporary file in the same folder: no half-written PDF on failure."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".desk-app-", suffix=".pdf", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(pdf)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
