"""``desk-app``: the one command. No arguments opens the window; sub-commands run headless.

Headless sub-commands import no Qt, so they work on a server or in CI without a display.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desk_app import __version__
from desk_app.config import app_dirs, db_url_from, load_config
from desk_app.services.context import SYSTEM
from ui import console
from ui.console import write_utf8

if TYPE_CHECKING:
    from desk_app.bootstrap import Services
    from desk_app.jobs import CancelToken, ProgressFn
    from desk_app.selftest import GuiCheck

log = logging.getLogger(__name__)

DEMO_HOUSEHOLDS = 300
"""Size of the demo database that ``--demo`` opens: enough to page, quick to build."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="desk-app",
        description="社会救助综合服务窗口 — 一门受理、协同办理。不带参数时打开窗口。",
    )
    parser.add_argument("--version", action="version", version=f"desk-app {__version__}")
    parser.add_argument("--db", metavar="PATH", help="使用另一个数据库文件")
    parser.add_argument(
        "--demo", action="store_true", help="打开单独的演示数据库（虚构数据，首次打开时生成）"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser("demo", help="向数据库写入虚构的演示数据（无需显示器）")
    demo.add_argument("--db", dest="sub_db", metavar="PATH", required=True, help="目标数据库")
    demo.add_argument("--households", type=int, default=1000, help="户数（默认 1000）")
    demo.add_argument("--seed", type=int, default=1, help="随机种子：相同种子生成相同数据")

    self_test = sub.add_parser(
        "self-test",
        help="在临时数据库上自检：迁移、登记、受理、打印、台账、备份恢复、审计（无需显示器）",
    )
    self_test.add_argument(
        "--gui",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="同时检查窗口：在屏幕外打开主窗口，确认内置字体能显示中文（安装版默认检查）",
    )

    route = sub.add_parser(
        "route",
        help="按 JSON 描述的诉求输出办理去向、部门、期限和理由（无需显示器，格式见 docs/route.md）",
        description="读入一份诉求描述（JSON），输出每项诉求的办理去向、接收部门、期限、缺少的材料和理由。"
        "只读，不写入数据库。格式见 docs/route.md。",
    )
    route.add_argument(
        "case", metavar="CASE.json", help="诉求描述文件（UTF-8）；- 表示从标准输入读取"
    )
    route.add_argument(
        "--db", dest="sub_db", metavar="PATH", help="数据库（默认与窗口程序使用的相同）"
    )

    assess = sub.add_parser(
        "assess",
        help="按 JSON 描述的家庭输出各项救助测算及其规则和依据（无需显示器，格式见 docs/assess.md）",
        description="读入一份家庭情况描述（JSON），按所选地区参数集输出收入、低保金、增发、渐退、"
        "特困标准、临时救助、医疗救助和核查日期等测算，每项附规则和种子依据。仅供审核参考，"
        "不写入数据库。格式见 docs/assess.md。",
    )
    assess.add_argument(
        "case", metavar="CASE.json", help="家庭情况描述文件（UTF-8）；- 表示从标准输入读取"
    )
    assess.add_argument(
        "--db",
        dest="sub_db",
        metavar="PATH",
        help="使用该数据库中的参数集（含本乡镇复制修改的参数集）；不写入数据库",
    )
    from ui import cli_print  # noqa: PLC0415 - no Qt; kept in its own module

    cli_print.add_parser(sub)
    from ui import cli_audit  # noqa: PLC0415 - no Qt; kept in its own module

    cli_audit.add_parser(sub)
    from ui import cli_backup  # noqa: PLC0415 - no Qt

    cli_backup.add_parsers(sub)
    diagnose = sub.add_parser(
        "diagnose", help="生成诊断包（日志与版本信息，不含个人信息），供技术支持使用"
    )
    diagnose.add_argument("--out", required=True, metavar="FILE.zip", help="诊断包文件")
    export = sub.add_parser(
        "export",
        help="把台账导出为 Excel 文件（无需显示器，说明见 docs/ledgers.md）",
        description="把台账导出为 .xlsx：households 家庭户及成员、intake 诉求受理、referrals 转介办理、"
        "kpi 按时办结率、notices 公示及异议、reviews 低保定期核查计划、near-relatives 近亲属备案、"
        "match 台账比对（需 --roster）。身份证号码默认隐藏中间8位。",
    )
    export.add_argument(
        "ledger",
        metavar="LEDGER",
        choices=EXPORT_CHOICES,
        help="台账：" + "、".join(EXPORT_CHOICES),
    )
    export.add_argument(
        "--db", dest="sub_db", metavar="PATH", help="数据库（默认与窗口程序使用的相同）"
    )
    export.add_argument(
        "--out", required=True, metavar="FILE.xlsx", help="保存到的文件（已存在的会被替换）"
    )
    export.add_argument(
        "--full-ids", action="store_true", help="导出完整身份证号码（注意保管；#8 起需要相应权限）"
    )
    export.add_argument(
        "--scope", choices=SCOPE_CHOICES, help="households：按类别筛选的户；match：本系统比对范围"
    )
    export.add_argument(
        "--from", dest="date_from", metavar="DATE", help="起始日期 YYYY-MM-DD（kpi 可写 YYYY-MM）"
    )
    export.add_argument(
        "--to", dest="date_to", metavar="DATE", help="截止日期 YYYY-MM-DD（kpi 可写 YYYY-MM）"
    )
    export.add_argument(
        "--on",
        metavar="DATE",
        help="类别截至日期（households、reviews、match；默认今天或名单日期）",
    )
    export.add_argument(
        "--roster", metavar="ID|KIND", help="match：名单编号，或名单种类（取最新一份）"
    )

    imp = sub.add_parser(
        "import",
        help="导入外部名单（建档立卡、残联、低保等）用于台账比对（无需显示器，说明见 docs/ledgers.md）",
        description="导入 .xlsx 或 .csv（UTF-8、GB18030）名单。先检查全部行，有问题的行全部列出且不导入任何数据，"
        "除非加 --exclude-bad-rows。导入只保存名单本身，不修改户籍登记。",
    )
    imp.add_argument(
        "roster", metavar="ROSTER", type=_roster_kind, help="名单种类：" + "、".join(ROSTER_CHOICES)
    )
    imp.add_argument("file", metavar="FILE", help="名单文件（.xlsx 或 .csv）")
    imp.add_argument(
        "--db", dest="sub_db", metavar="PATH", help="数据库（默认与窗口程序使用的相同）"
    )
    imp.add_argument(
        "--dry-run", action="store_true", help="只检查并报告将新建、替换和匹配的内容，不写入"
    )
    imp.add_argument("--mapping", metavar="NAME", help="使用保存过的列对应方案")
    imp.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="列名=字段",
        help="指定一列对应的字段，可重复；字段：" + "、".join(f.label for f in _roster_fields()),
    )
    imp.add_argument("--save-mapping", metavar="NAME", help="导入成功后把所用的列对应保存为方案")
    imp.add_argument("--as-of", metavar="DATE", help="名单日期 YYYY-MM-DD（默认今天）")
    imp.add_argument("--title", default="", help="名单名称，如“2024年第二季度建档立卡名单”")
    imp.add_argument("--sheet", help="工作表名称（默认第一个）")
    imp.add_argument("--header-row", type=int, metavar="N", help="表头所在行（默认自动查找）")
    imp.add_argument("--exclude-bad-rows", action="store_true", help="跳过有问题的行，导入其余的行")
    imp.add_argument("--replace", action="store_true", help="替换已导入的同种类、同日期名单")
    return parser


def _demo(args: argparse.Namespace) -> int:
    from desk_app.bootstrap import open_services  # noqa: PLC0415 - keep `--help` fast
    from desk_app.demo import generate_demo  # noqa: PLC0415

    if args.households < 1:
        print("户数必须大于 0", file=sys.stderr)
        return 2
    services = open_services(db_url_from(args.sub_db), identity=SYSTEM)
    try:
        last = [-1]

        def progress(fraction: float, _status: str) -> None:
            percent = int(fraction * 100)
            if percent // 10 != last[0] // 10:
                last[0] = percent
                print(f"  {percent:3d}%", flush=True)

        summary = generate_demo(services, args.households, args.seed, progress=progress)
    finally:
        services.close()
    print(f"已写入 {summary.households} 户、{summary.persons} 人，用时 {summary.seconds:.1f} 秒")
    return 0


def _self_test(args: argparse.Namespace) -> int:
    """The window check runs when asked (``--gui``), and by default in the installed build,
    whose point is to work on a PC with no fonts and no Python."""
    gui = args.gui if args.gui is not None else bool(getattr(sys, "frozen", False))
    gui_check: GuiCheck | None = None
    if gui:
        import functools  # noqa: PLC0415

        from ui.selftest_gui import check_window, process_age  # noqa: PLC0415 - Qt when called

        # Taken before the headless imports below: the window check reports the time from
        # process start to the first window as start-up would have it.
        gui_check = functools.partial(check_window, reached_command=process_age())
    from desk_app.selftest import SelfTestError, run_self_test  # noqa: PLC0415
    from reports.documents import build_document  # noqa: PLC0415 - no Qt
    from reports.ledgers import XlsxSink  # noqa: PLC0415

    started = time.perf_counter()
    try:
        run_self_test(build_pdf=build_document, xlsx_sink=XlsxSink, gui_check=gui_check)
    except SelfTestError as exc:
        print(f"self-test FAILED: {exc}", file=sys.stderr)
        return 1
    print(f"self-test ok ({time.perf_counter() - started:.2f} s)")
    return 0


def _route(args: argparse.Namespace) -> int:
    """``desk-app route CASE.json``: exit 0 with JSON on stdout, 2 on bad input, 1 if no DB."""
    from desk_app.bootstrap import open_services  # noqa: PLC0415 - keep `--help` fast
    from desk_app.errors import KnownEnvironmentError, ValidationError  # noqa: PLC0415
    from desk_app.route_case import (  # noqa: PLC0415
        dump_report,
        parse_case,
        problems_text,
        propose_case,
    )
    from desk_app.services.context import local_now  # noqa: PLC0415

    source = "标准输入" if args.case == "-" else args.case
    try:
        if args.case == "-":
            text = sys.stdin.buffer.read().decode("utf-8")
        else:
            with open(args.case, encoding="utf-8") as fh:
                text = fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        detail = "不是 UTF-8 编码" if isinstance(exc, UnicodeDecodeError) else exc.strerror or exc
        write_utf8(sys.stderr, f"desk-app route: 无法读取诉求文件 {source}：{detail}\n")
        return 2
    case = None
    try:
        case = parse_case(text, today=local_now().date())
        config = load_config(args.sub_db or args.db, demo=args.demo)
        services = open_services(config.db_url, identity=SYSTEM)
        try:
            report = propose_case(services, case)
        finally:
            services.close()
    except ValidationError as exc:
        write_utf8(sys.stderr, "desk-app route: " + problems_text(exc, case, source))
        return 2
    except KnownEnvironmentError as exc:
        write_utf8(sys.stderr, f"desk-app route: {exc.message.render()}\n")
        return 1
    write_utf8(sys.stdout, dump_report(report))
    return 0


def _assess(args: argparse.Namespace) -> int:
    """``desk-app assess CASE.json``: exit 0 with JSON on stdout, 2 on bad input."""
    from desk_app.assess_case import (  # noqa: PLC0415 - keep `--help` fast
        CaseError,
        dump_result,
        parse_case,
        problems_text,
        run_case,
    )

    source = "标准输入" if args.case == "-" else args.case
    try:
        if args.case == "-":
            text = sys.stdin.buffer.read().decode("utf-8")
        else:
            with open(args.case, encoding="utf-8") as fh:
                text = fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        detail = "不是 UTF-8 编码" if isinstance(exc, UnicodeDecodeError) else exc.strerror or exc
        write_utf8(sys.stderr, f"desk-app assess: 无法读取案例文件 {source}：{detail}\n")
        return 2
    rules = None
    if args.sub_db:
        from desk_app.bootstrap import open_services  # noqa: PLC0415
        from desk_app.errors import KnownEnvironmentError  # noqa: PLC0415

        try:
            services = open_services(load_config(args.sub_db).db_url, identity=SYSTEM)
        except KnownEnvironmentError as exc:
            write_utf8(sys.stderr, f"desk-app assess: {exc.message.render()}\n")
            return 1
        try:
            rules = services.assistance.rules_by_code()
        finally:
            services.close()
    try:
        case = parse_case(text.removeprefix("\ufeff"), rules)
        output = dump_result(case, run_case(case, rules))
    except CaseError as exc:
        write_utf8(sys.stderr, "desk-app assess: " + problems_text(exc, source))
        return 2
    write_utf8(sys.stdout, output)
    return 0


EXPORT_CHOICES = (
    "households", "intake", "referrals", "kpi", "notices", "reviews", "near-relatives", "match",
)  # fmt: skip
SCOPE_CHOICES = ("all", "dibao", "tekun", "dibao-tekun", "poverty")
ROSTER_CHOICES = ("poverty 建档立卡", "disability 残联", "dibao 低保", "tekun 特困", "other 其他")
_ROSTER_ALIASES = {
    "建档立卡": "poverty",
    "残联": "disability",
    "低保": "dibao",
    "特困": "tekun",
    "其他": "other",
}


def _roster_fields() -> tuple[Any, ...]:
    from desk_app.domain.rosters import RosterField  # noqa: PLC0415 - keep `--help` fast

    return tuple(RosterField)


def _roster_kind(text: str) -> str:
    value = _ROSTER_ALIASES.get(text.strip(), text.strip().lower())
    if value not in {c.split()[0] for c in ROSTER_CHOICES}:
        raise argparse.ArgumentTypeError("名单种类应为：" + "、".join(ROSTER_CHOICES))
    return value


def _date_arg(text: str | None, *, month_end: bool = False) -> dt.date | None:
    """YYYY-MM-DD, or YYYY-MM for a whole month (its first day, or last with month_end)."""
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        first = dt.date.fromisoformat(text + "-01")
        if not month_end:
            return first
        return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


class _Percent:
    """Progress on stderr in 10 % steps (a long import or export is not silent)."""

    def __init__(self) -> None:
        self.last = -1

    def __call__(self, fraction: float, _status: str) -> None:
        step = int(fraction * 10)
        if step > self.last:
            self.last = step
            write_utf8(sys.stderr, f"  {step * 10:3d}%\n")


def _export(args: argparse.Namespace) -> int:
    """``desk-app export LEDGER --out FILE.xlsx``: 0 written, 2 bad input, 1 environment."""
    from desk_app.bootstrap import open_services  # noqa: PLC0415 - keep `--help` fast
    from desk_app.domain.ledgers import CategoryGroup, LedgerKind  # noqa: PLC0415
    from desk_app.domain.rosters import RosterKind  # noqa: PLC0415
    from desk_app.errors import DeskAppError, KnownEnvironmentError  # noqa: PLC0415
    from desk_app.services.ledgers import LedgerRequest  # noqa: PLC0415
    from reports.ledgers import XlsxSink  # noqa: PLC0415

    try:
        kpi = args.ledger == "kpi"
        date_from = _date_arg(args.date_from)
        date_to = _date_arg(args.date_to, month_end=kpi)
        on = _date_arg(args.on)
    except ValueError:
        write_utf8(sys.stderr, "desk-app export: 日期应写成 YYYY-MM-DD（kpi 可写 YYYY-MM）\n")
        return 2
    if args.ledger == "match" and not args.roster:
        write_utf8(sys.stderr, "desk-app export match: 请用 --roster 指定名单编号或种类\n")
        return 2
    scope = CategoryGroup(args.scope) if args.scope else None
    out = Path(args.out)
    try:
        services = open_services(
            load_config(args.sub_db or args.db, demo=args.demo).db_url, identity=SYSTEM
        )
    except KnownEnvironmentError as exc:
        write_utf8(sys.stderr, f"desk-app export: {exc.message.render()}\n")
        return 1
    try:
        if args.ledger == "match":
            roster_arg = str(args.roster).strip()
            if roster_arg.isdigit():
                roster_id = int(roster_arg)
            else:
                latest = services.rosters.latest(RosterKind(_roster_kind(roster_arg)))
                if latest is None:
                    write_utf8(
                        sys.stderr,
                        f"desk-app export match: 还没有导入过{RosterKind(_roster_kind(roster_arg)).label}\n",
                    )
                    return 2
                roster_id = latest.id
            summary = services.rosters.export_match(
                roster_id,
                XlsxSink(out),
                scope=scope,
                on=on,
                full_ids=args.full_ids,
                progress=_Percent(),
            )
        else:
            request = LedgerRequest(
                kind=LedgerKind(args.ledger), full_ids=args.full_ids,
                scope=scope or CategoryGroup.ALL, date_from=date_from, date_to=date_to, on=on,
            )  # fmt: skip
            summary = services.ledgers.export(request, XlsxSink(out), progress=_Percent())
    except argparse.ArgumentTypeError as exc:
        write_utf8(sys.stderr, f"desk-app export: {exc}\n")
        return 2
    except KnownEnvironmentError as exc:
        write_utf8(sys.stderr, f"desk-app export: {exc.message.render()}\n")
        return 1
    except DeskAppError as exc:
        write_utf8(sys.stderr, f"desk-app export: {exc.message.render()}\n")
        return 2
    finally:
        services.close()
    sheets = "，".join(f"{name} {rows:,} 行" for name, rows in summary.sheets)
    ids = "完整身份证号码" if summary.full_ids else "身份证号码已隐藏中间8位"
    write_utf8(sys.stdout, f"已导出“{summary.title}”到 {out}：{sheets}（{ids}）\n")
    if summary.full_ids:
        write_utf8(
            sys.stderr, "注意：文件含完整身份证号码，请妥善保管，不要通过微信、QQ 等发送。\n"
        )
    return 0


def _parse_maps(pairs: Sequence[str]) -> dict[str, Any]:
    from desk_app.domain.rosters import FIELD_LABELS, RosterField, normalize_header  # noqa: PLC0415

    by_name = {f.value: f for f in RosterField}
    by_name.update({normalize_header(label): f for f, label in FIELD_LABELS.items()})
    out: dict[str, Any] = {}
    for pair in pairs:
        column, sep, target = pair.rpartition("=")
        field = by_name.get(target.strip()) or by_name.get(normalize_header(target))
        if not sep or not column.strip() or field is None:
            raise ValueError(pair)
        out[column.strip()] = field
    return out


def _import(args: argparse.Namespace) -> int:
    """``desk-app import ROSTER FILE``: 0 imported (or clean dry run), 2 bad file or rows,
    1 environment (database or disk)."""
    from desk_app.bootstrap import open_services  # noqa: PLC0415 - keep `--help` fast
    from desk_app.domain.rosters import RosterImportError, RosterKind  # noqa: PLC0415
    from desk_app.errors import DeskAppError, KnownEnvironmentError, ValidationError  # noqa: PLC0415
    from desk_app.services.context import local_now  # noqa: PLC0415
    from desk_app.services.rosters import ImportRequest  # noqa: PLC0415

    name = "desk-app import"
    try:
        as_of = _date_arg(args.as_of) or local_now().date()
    except ValueError:
        write_utf8(sys.stderr, f"{name}: 名单日期应写成 YYYY-MM-DD\n")
        return 2
    try:
        explicit = _parse_maps(args.map)
    except ValueError as exc:
        write_utf8(sys.stderr, f"{name}: --map 应写成“列名=字段”，字段见 --help：{exc}\n")
        return 2
    try:
        services = open_services(
            load_config(args.sub_db or args.db, demo=args.demo).db_url, identity=SYSTEM
        )
    except KnownEnvironmentError as exc:
        write_utf8(sys.stderr, f"{name}: {exc.message.render()}\n")
        return 1
    path = Path(args.file)
    try:
        preview = services.rosters.preview(path, args.sheet, args.header_row)
        mapping = (
            dict(services.rosters.mapping(args.mapping).as_dict())
            if args.mapping
            else dict(preview.suggested)
        )
        if explicit:
            mapping = {
                h: f for h, f in mapping.items() if f not in explicit.values() and h not in explicit
            }
            mapping.update(explicit)
        request = ImportRequest(
            kind=RosterKind(args.roster), as_of=as_of, mapping=mapping, title=args.title,
            sheet=args.sheet, header_row=args.header_row,
        )  # fmt: skip
        source = preview.source
        where = f"工作表“{source.sheet}”，" if source.sheet else f"编码 {source.encoding}，"
        lines = [f"名单：{path.name}（{where}第 {preview.header_row} 行为表头）",
                 "列对应：" + "；".join(f"{f.label} ←“{h}”" for h, f in mapping.items())]  # fmt: skip
        write_utf8(sys.stdout, "\n".join(lines) + "\n")
        if args.dry_run:
            plan = services.rosters.dry_run(path, request, progress=_Percent())
            write_utf8(sys.stdout, _plan_text(plan, request, dry=True))
            for row_problem in plan.problems:
                write_utf8(sys.stderr, row_problem.render() + "\n")
            return 0 if plan.clean else 2
        # One read of the file: import_file checks every row itself and refuses a file
        # with bad rows (RosterImportError below) unless they are to be left out.
        result = services.rosters.import_file(
            path,
            request,
            exclude_bad_rows=args.exclude_bad_rows,
            replace=args.replace,
            progress=_Percent(),
        )
        write_utf8(sys.stdout, _plan_text(result.plan, request, dry=False))
        for row_problem in result.plan.problems:
            write_utf8(sys.stderr, row_problem.render() + "\n")
        if args.save_mapping:
            services.rosters.save_mapping(args.save_mapping, mapping)
    except RosterImportError as exc:
        for problem in exc.problems:
            write_utf8(sys.stderr, f"{name}: {problem.render()}\n")
        for bad_row in exc.row_problems:
            write_utf8(sys.stderr, bad_row.render() + "\n")
        if exc.row_problems:
            rows = len({p.row for p in exc.row_problems})
            write_utf8(
                sys.stderr,
                f"{name}: 有 {rows} 行有问题，没有导入任何数据。改正后重新导入，或加 --exclude-bad-rows 跳过这些行。\n",
            )
        return 2
    except KnownEnvironmentError as exc:
        write_utf8(sys.stderr, f"{name}: {exc.message.render()}\n")
        return 1
    except ValidationError as exc:
        for problem in exc.problems:
            write_utf8(sys.stderr, f"{name}: {problem.render()}\n")
        return 2
    except DeskAppError as exc:
        write_utf8(sys.stderr, f"{name}: {exc.message.render()}\n")
        return 2
    finally:
        services.close()
    roster = result.roster
    skipped = f"，跳过有问题的 {len(roster.excluded_rows)} 行" if roster.excluded_rows else ""
    write_utf8(
        sys.stdout,
        f"已导入名单 {roster.id}：{roster.kind.label}，名单日期 {roster.as_of}，{roster.rows} 行、{roster.households} 户{skipped}。\n"
        f"比对：desk-app export match --roster {roster.id} --out 比对结果.xlsx\n",
    )
    return 0


def _plan_text(plan: Any, request: Any, *, dry: bool) -> str:
    lines = [
        f"读取 {plan.rows_read} 行：可以导入 {plan.rows_valid} 行，有问题 {len(plan.bad_rows)} 行；"
        f"跳过空行和合计行 {plan.rows_skipped} 行",
        f"涉及 {plan.households} 户；其中 {plan.registered_people} 人已在本系统登记（属于 {plan.registered_households} 户）",
    ]
    if dry:
        lines.append(
            f"将新建名单：{request.kind.label}，名单日期 {request.as_of}，{plan.rows_valid} 行（不修改户籍登记）"
        )
        if plan.replaces is not None:
            lines.append(
                f"将替换已导入的同日名单 {plan.replaces.id}（{plan.replaces.file_name}，{plan.replaces.rows} 行），需要 --replace"
            )
    elif plan.replaces is not None:
        lines.append(f"替换了已导入的同日名单 {plan.replaces.id}（{plan.replaces.file_name}）")
    return "\n".join(lines) + "\n"


def _fill_demo(services: Services, progress: ProgressFn, cancel: CancelToken) -> None:
    """Fill an empty demo database on first open (runs on the task runner's thread)."""
    from desk_app.demo import generate_demo  # noqa: PLC0415 - only the demo needs it

    if services.search.search("").rows:
        return
    log.info("filling the demo database with %d fictional households", DEMO_HOUSEHOLDS)
    generate_demo(services, DEMO_HOUSEHOLDS, seed=2026, progress=progress, cancel=cancel)


def main(argv: Sequence[str] | None = None) -> int:
    # The installed desk-app.exe is windowed: no stdout/stderr (ui/console.py).
    console.ensure_streams(app_dirs()[1], sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    if args.command == "demo":
        return _demo(args)
    if args.command == "self-test":
        return _self_test(args)
    if args.command == "route":
        return _route(args)
    if args.command == "assess":
        return _assess(args)
    if args.command == "export":
        return _export(args)
    if args.command == "import":
        return _import(args)
    if args.command == "print":
        from ui import cli_print  # noqa: PLC0415

        return cli_print.run(args, console.err)
    if args.command == "diagnose":
        from pathlib import Path  # noqa: PLC0415

        from desk_app.diagnostics import make_bundle  # noqa: PLC0415

        out = make_bundle(load_config(args.db, demo=args.demo), Path(args.out))
        write_utf8(sys.stdout, f"诊断包已生成：{out}（不含个人信息）\n")
        return 0
    if args.command in ("backup", "restore"):
        from ui import cli_backup  # noqa: PLC0415

        return cli_backup.run(args)
    if args.command == "audit":
        from ui import cli_audit  # noqa: PLC0415

        return cli_audit.run(args)
    config = load_config(args.db, demo=args.demo)
    if not (
        os.environ.get("DISPLAY")
        or os.environ.get("WAYLAND_DISPLAY")
        or os.environ.get("QT_QPA_PLATFORM")
    ) and sys.platform.startswith("linux"):
        print(
            "没有图形显示环境（DISPLAY 未设置），无法打开窗口。可在桌面环境中运行，或使用 desk-app self-test。",
            file=sys.stderr,
        )
        return 2
    from ui.app import run_gui  # noqa: PLC0415 - headless commands must not import Qt

    return run_gui(config, prepare=_fill_demo if args.demo else None)


if __name__ == "__main__":
    sys.exit(main())
