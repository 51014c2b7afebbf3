"""``desk-app``: the one command. No arguments opens the window; sub-commands run headless.

Headless sub-commands import no Qt, so they work on a server or in CI without a display.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from desk_app import __version__
from desk_app.config import db_url_from, load_config

if TYPE_CHECKING:
    from desk_app.bootstrap import Services
    from desk_app.jobs import CancelToken, ProgressFn

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

    sub.add_parser("self-test", help="在临时数据库上自检：迁移、登记、查找（无需显示器）")

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
    return parser


def _demo(args: argparse.Namespace) -> int:
    from desk_app.bootstrap import open_services  # noqa: PLC0415 - keep `--help` fast
    from desk_app.demo import generate_demo  # noqa: PLC0415

    if args.households < 1:
        print("户数必须大于 0", file=sys.stderr)
        return 2
    services = open_services(db_url_from(args.sub_db))
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


def _self_test() -> int:
    from desk_app.selftest import SelfTestError, run_self_test  # noqa: PLC0415

    started = time.perf_counter()
    try:
        run_self_test()
    except SelfTestError as exc:
        print(f"self-test FAILED: {exc}", file=sys.stderr)
        return 1
    print(f"self-test ok ({time.perf_counter() - started:.2f} s)")
    return 0


def _write_utf8(stream: TextIO, text: str) -> None:
    """UTF-8 whatever the console's code page (a Windows console may be GBK)."""
    buffer = getattr(stream, "buffer", None)
    if buffer is None:  # a captured stream in tests
        stream.write(text)
        return
    stream.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()


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
        _write_utf8(sys.stderr, f"desk-app route: 无法读取诉求文件 {source}：{detail}\n")
        return 2
    case = None
    try:
        case = parse_case(text, today=local_now().date())
        config = load_config(args.sub_db or args.db, demo=args.demo)
        services = open_services(config.db_url)
        try:
            report = propose_case(services, case)
        finally:
            services.close()
    except ValidationError as exc:
        _write_utf8(sys.stderr, "desk-app route: " + problems_text(exc, case, source))
        return 2
    except KnownEnvironmentError as exc:
        _write_utf8(sys.stderr, f"desk-app route: {exc.message.render()}\n")
        return 1
    _write_utf8(sys.stdout, dump_report(report))
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
        _write_utf8(sys.stderr, f"desk-app assess: 无法读取案例文件 {source}：{detail}\n")
        return 2
    rules = None
    if args.sub_db:
        from desk_app.bootstrap import open_services  # noqa: PLC0415
        from desk_app.errors import KnownEnvironmentError  # noqa: PLC0415

        try:
            services = open_services(load_config(args.sub_db).db_url)
        except KnownEnvironmentError as exc:
            _write_utf8(sys.stderr, f"desk-app assess: {exc.message.render()}\n")
            return 1
        try:
            rules = services.assistance.rules_by_code()
        finally:
            services.close()
    try:
        case = parse_case(text.removeprefix("\ufeff"), rules)
        output = dump_result(case, run_case(case, rules))
    except CaseError as exc:
        _write_utf8(sys.stderr, "desk-app assess: " + problems_text(exc, source))
        return 2
    _write_utf8(sys.stdout, output)
    return 0


def _fill_demo(services: Services, progress: ProgressFn, cancel: CancelToken) -> None:
    """Fill an empty demo database on first open (runs on the task runner's thread)."""
    from desk_app.demo import generate_demo  # noqa: PLC0415 - only the demo needs it

    if services.search.search("").rows:
        return
    log.info("filling the demo database with %d fictional households", DEMO_HOUSEHOLDS)
    generate_demo(services, DEMO_HOUSEHOLDS, seed=2026, progress=progress, cancel=cancel)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "demo":
        return _demo(args)
    if args.command == "self-test":
        return _self_test()
    if args.command == "route":
        return _route(args)
    if args.command == "assess":
        return _assess(args)
    if args.command == "print":
        from ui import cli_print  # noqa: PLC0415

        return cli_print.run(args, cli_print.write_stderr)
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
