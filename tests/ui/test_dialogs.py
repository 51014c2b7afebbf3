"""The registry dialogs driven like a clerk would, against real services on SQLite.

Chinese text is entered with ``setText`` (``qtbot.keyClicks`` with non-ASCII text
aborts the interpreter); ASCII digits are typed with ``keyClicks``. Every save goes
through the Save button of the dialog's button box, and the database is checked
through the services afterwards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QInputDialog,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desk_app.bootstrap import Services
from desk_app.domain.household import HouseholdInput, PersonInput
from desk_app.domain.ids import check_character
from desk_app.domain.registry import (
    DisabilityCategory,
    Employment,
    HouseholdCategory,
    Relation,
    ResidenceType,
)
from desk_app.services.dto import HouseholdDetail, PersonDetail, SearchPage
from ui.dialogs import is_invalid
from ui.dialogs.category_dialog import CategoryDialog, EndCategoryDialog
from ui.dialogs.first_start_dialog import FirstStartDialog
from ui.dialogs.household_dialog import HouseholdDialog
from ui.dialogs.move_person_dialog import MovePersonDialog
from ui.dialogs.person_dialog import PersonDialog
from ui.widgets.enum_combo import EnumCombo
from ui.widgets.id_number_edit import IdNumberEdit

TODAY = dt.date(2026, 5, 1)  # the services' clock in conftest
HEAD_ID_17 = "52040219800101001"  # 张三 in the ``household`` fixture


def make_id(first17: str) -> str:
    return first17 + check_character(first17)


W = TypeVar("W", bound=QWidget)


def fixed_today() -> dt.date:
    return TODAY


def shown(qtbot: QtBot, dialog: W) -> W:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def click_save(qtbot: QtBot, dialog: QDialog) -> None:
    save = dialog.save_button()  # type: ignore[attr-defined]
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)


def error_boxes() -> list[QMessageBox]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]


def all_people(services: Services) -> SearchPage:
    return services.search.search("")


def add_son(services: Services, household: HouseholdDetail) -> PersonDetail:
    detail = services.households.add_member(
        household.id, PersonInput("张小明", make_id("52040220120304003")), Relation.SON
    )
    return next(m for m in detail.members if m.name == "张小明")


# --------------------------------------------------------------------- widgets
def test_id_number_edit_names_the_expected_check_character(qtbot: QtBot) -> None:
    edit = IdNumberEdit(today=fixed_today)
    qtbot.addWidget(edit)
    good = make_id(HEAD_ID_17)
    wrong = "0" if good[-1] != "0" else "1"
    qtbot.keyClicks(edit.line_edit, HEAD_ID_17 + wrong)
    assert not edit.is_valid()
    assert edit.hint_state() == "bad"
    assert f"校验位应为“{good[-1]}”" in edit.hint_text()
    assert f"而不是“{wrong}”" in edit.hint_text()


def test_id_number_edit_shows_sex_birth_and_age_when_valid(qtbot: QtBot) -> None:
    edit = IdNumberEdit(today=fixed_today)
    qtbot.addWidget(edit)
    qtbot.keyClicks(edit.line_edit, HEAD_ID_17[:10])
    assert edit.hint_state() == "partial"  # still typing: grey, not red
    assert "应为18位" in edit.hint_text()
    with qtbot.waitSignal(edit.validity_changed) as blocker:
        qtbot.keyClicks(edit.line_edit, make_id(HEAD_ID_17)[10:])
    assert blocker.args == [True]
    assert edit.is_valid()
    assert edit.hint_state() == "ok"
    assert edit.hint_text() == "男 · 1980-01-01 · 46岁"


def test_id_number_edit_accepts_full_width_digits_and_lower_x(qtbot: QtBot) -> None:
    edit = IdNumberEdit(today=fixed_today)
    qtbot.addWidget(edit)
    number = "11010519491231002X"
    assert make_id(number[:17]) == number
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in number[:17]) + "x"
    edit.set_value(full_width)
    assert edit.is_valid()
    assert edit.value() == number
    assert edit.hint_text() == "女 · 1949-12-31 · 76岁"


def test_enum_combo_shows_labels_and_returns_members(qtbot: QtBot) -> None:
    combo = EnumCombo(Relation, allow_none=True)
    qtbot.addWidget(combo)
    assert combo.itemText(0) == "（未填）"
    assert combo.itemText(1) == "户主"
    assert combo.value() is None
    combo.set_value(Relation.SON)
    assert combo.value() is Relation.SON
    assert combo.currentText() == "子"
    combo.set_value("daughter")
    assert combo.value() is Relation.DAUGHTER
    combo.set_value(None)
    assert combo.value() is None
    limited = EnumCombo(Relation, members=[Relation.SPOUSE, Relation.OTHER])
    qtbot.addWidget(limited)
    assert limited.members() == [Relation.SPOUSE, Relation.OTHER]
    assert limited.value() is Relation.SPOUSE


# ------------------------------------------------------------- household dialog
def new_household_dialog(qtbot: QtBot, services: Services) -> HouseholdDialog:
    return shown(
        qtbot,
        HouseholdDialog(
            villages=["新华村", "东门社区"],
            save_new=services.households.register,
            today=fixed_today,
        ),
    )


def test_household_dialog_registers_household_with_head(qtbot: QtBot, services: Services) -> None:
    dialog = new_household_dialog(qtbot, services)
    assert dialog.person_form is not None
    dialog.village_edit.setText("东门社区")
    dialog.group_edit.setText("1组")
    dialog.residence_combo.set_value(ResidenceType.URBAN)
    dialog.address_edit.setText("东门路12号")
    form = dialog.person_form
    form.name_edit.setText("李四")
    qtbot.keyClicks(form.id_edit.line_edit, make_id("52040219750505003"))
    qtbot.keyClicks(form.phone_edit, "13900001111")
    form.employment_combo.set_value(Employment.FLEXIBLE)
    click_save(qtbot, dialog)

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.result_detail is not None
    saved = services.households.get(dialog.result_detail.id)
    assert (saved.village, saved.group_name, saved.residence) == ("东门社区", "1组", "urban")
    assert saved.address == "东门路12号"
    assert saved.head is not None
    assert saved.head.name == "李四"
    assert saved.head.employment == "flexible"
    assert saved.head.phone_masked == "139****1111"
    assert [r.name for r in services.search.search("李四").rows] == ["李四"]


def test_household_dialog_shows_problems_inline_and_writes_nothing(
    qtbot: QtBot, services: Services
) -> None:
    dialog = new_household_dialog(qtbot, services)
    assert dialog.person_form is not None
    form = dialog.person_form
    dialog.group_edit.setText("3组")
    form.name_edit.setText("张3")
    bad_id = HEAD_ID_17 + ("0" if make_id(HEAD_ID_17)[-1] != "0" else "1")
    qtbot.keyClicks(form.id_edit.line_edit, bad_id)
    click_save(qtbot, dialog)

    assert dialog.isVisible()
    assert dialog.result_detail is None
    lines = dialog.problem_label.lines()
    assert dialog.problem_label.isVisible()
    assert any(line.startswith("村（社区）：") for line in lines)
    assert any(line.startswith("户主姓名：") for line in lines)
    assert any(line.startswith("户主身份证号码：校验位应为") for line in lines)
    assert is_invalid(dialog.village_edit)
    assert is_invalid(form.name_edit)
    assert is_invalid(form.id_edit.line_edit)
    assert not is_invalid(dialog.group_edit)
    assert dialog.group_edit.text() == "3组"  # everything typed is kept
    assert form.name_edit.text() == "张3"
    assert form.id_edit.value() == bad_id
    assert dialog.focusWidget() is dialog.village_edit  # the first problem has the focus
    assert all_people(services).rows == ()


def test_household_dialog_tells_household_note_from_head_note(
    qtbot: QtBot, services: Services
) -> None:
    dialog = new_household_dialog(qtbot, services)
    assert dialog.person_form is not None
    dialog.village_edit.setText("新华村")
    dialog.note_edit.setPlainText("长" * 2001)
    dialog.person_form.name_edit.setText("王五")
    dialog.person_form.id_edit.set_value(make_id("52040219900101005"))
    click_save(qtbot, dialog)

    assert is_invalid(dialog.note_edit)
    assert not is_invalid(dialog.person_form.note_edit)
    assert dialog.problem_label.lines() == ["备注：最多2000个字，现在2001个字，请删减"]
    assert all_people(services).rows == ()


def test_household_dialog_sends_head_problems_to_the_head_form(
    qtbot: QtBot, services: Services
) -> None:
    dialog = new_household_dialog(qtbot, services)
    form = dialog.person_form
    assert form is not None
    dialog.village_edit.setText("新华村")
    dialog.note_edit.setPlainText("户" * 2001)
    form.name_edit.setText("王五")
    form.id_edit.set_value(make_id("52040219900101005"))
    form.note_edit.setPlainText("人" * 2002)
    click_save(qtbot, dialog)

    # The service names the 户主's fields "head.note"; the dialog marks the right 备注.
    assert dialog.problem_label.lines() == [
        "备注：最多2000个字，现在2001个字，请删减",
        "户主备注：最多2000个字，现在2002个字，请删减",
    ]
    assert is_invalid(dialog.note_edit)
    assert is_invalid(form.note_edit)
    assert not is_invalid(form.name_edit)
    assert all_people(services).rows == ()


def test_household_dialog_without_site_says_where_to_set_it(
    qtbot: QtBot, bare_services: Services
) -> None:
    dialog = new_household_dialog(qtbot, bare_services)
    assert dialog.person_form is not None
    dialog.village_edit.setText("新华村")
    dialog.person_form.name_edit.setText("王五")
    dialog.person_form.id_edit.set_value(make_id("52040219900101005"))
    click_save(qtbot, dialog)

    assert dialog.isVisible()
    (line,) = dialog.problem_label.lines()
    assert line.startswith("窗口信息：")
    assert "设置 → 窗口与经办人" in line
    assert not is_invalid(dialog.village_edit)
    assert dialog.person_form.name_edit.text() == "王五"  # nothing typed is lost
    assert all_people(bare_services).rows == ()


def test_household_dialog_duplicate_id_shows_error_box_and_keeps_input(
    qtbot: QtBot, services: Services, household: HouseholdDetail
) -> None:
    dialog = new_household_dialog(qtbot, services)
    assert dialog.person_form is not None
    dialog.village_edit.setText("东门社区")
    dialog.person_form.name_edit.setText("张三")
    qtbot.keyClicks(dialog.person_form.id_edit.line_edit, make_id(HEAD_ID_17))
    click_save(qtbot, dialog)

    qtbot.waitUntil(lambda: len(error_boxes()) == 1)
    box = error_boxes()[0]
    assert "已登记给“张三”" in box.text()
    assert household.number in box.text()
    box.close()
    qtbot.waitUntil(lambda: not error_boxes())
    assert dialog.isVisible()
    assert dialog.village_edit.text() == "东门社区"
    assert dialog.person_form.id_edit.value() == make_id(HEAD_ID_17)
    assert len(all_people(services).rows) == 1


def test_household_dialog_edit_mode_updates_household(
    qtbot: QtBot, services: Services, household: HouseholdDetail
) -> None:
    def save_edit(data: object) -> HouseholdDetail:
        return services.households.update_household(household.id, household.version, data)  # type: ignore[arg-type]

    dialog = shown(qtbot, HouseholdDialog(existing=household, save_edit=save_edit))
    assert dialog.person_form is None
    assert dialog.village_edit.text() == "新华村"
    assert dialog.residence_combo.value() is ResidenceType.RURAL
    dialog.address_edit.setText("新华村3组18号")
    click_save(qtbot, dialog)

    assert dialog.result() == QDialog.DialogCode.Accepted
    saved = services.households.get(household.id)
    assert saved.address == "新华村3组18号"
    assert saved.version > household.version


def test_household_dialog_enter_saves_and_escape_cancels(qtbot: QtBot, services: Services) -> None:
    dialog = new_household_dialog(qtbot, services)
    qtbot.keyClick(dialog.village_edit, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert not dialog.isVisible()

    dialog = new_household_dialog(qtbot, services)
    assert dialog.person_form is not None
    dialog.village_edit.setText("新华村")
    dialog.person_form.name_edit.setText("赵六")
    qtbot.keyClicks(dialog.person_form.id_edit.line_edit, make_id("52040219850607007"))
    qtbot.keyClick(dialog.person_form.name_edit, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert [r.name for r in all_people(services).rows] == ["赵六"]


# ---------------------------------------------------------------- person dialog
def test_person_dialog_adds_member_with_relation(
    qtbot: QtBot, services: Services, household: HouseholdDetail
) -> None:
    choices = [r for r in Relation if r is not Relation.HEAD]

    def save(data: PersonInput, relation: Relation | None) -> HouseholdDetail:
        return services.households.add_member(household.id, data, relation)

    dialog = shown(qtbot, PersonDialog(save, relation_choices=choices, today=fixed_today))
    form = dialog.form
    assert form.relation_combo is not None
    assert Relation.HEAD not in form.relation_combo.members()
    form.name_edit.setText("刘芳")
    qtbot.keyClicks(form.id_edit.line_edit, make_id("52040219820202008"))
    click_save(qtbot, dialog)
    # No relation chosen yet: said inline, the combo is marked, nothing saved.
    assert dialog.problem_label.lines() == ["与户主关系：请选择与户主的关系"]
    assert is_invalid(form.relation_combo)
    assert len(services.households.get(household.id).members) == 1

    form.relation_combo.set_value(Relation.SPOUSE)
    click_save(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    members = {m.name: m for m in services.households.get(household.id).members}
    assert members["刘芳"].relation == "spouse"
    assert members["刘芳"].sex == "女"


def test_person_dialog_edit_keeps_id_number_unless_corrected(
    qtbot: QtBot, services: Services, household: HouseholdDetail
) -> None:
    son = add_son(services, household)
    original = services.households.reveal_id_number(son.id)

    def save(data: PersonInput, relation: Relation | None) -> HouseholdDetail:
        return services.households.update_person(son.id, son.version, data, relation)

    dialog = shown(qtbot, PersonDialog(save, existing=son, today=fixed_today))
    form = dialog.form
    assert form.id_masked_edit is not None
    assert form.correct_id_check is not None
    assert form.id_masked_edit.text() == son.id_masked
    assert form.id_masked_edit.isReadOnly()
    assert not form.correct_id_check.isChecked()
    assert form.relation_combo is not None
    assert form.relation_combo.value() is Relation.SON
    form.name_edit.setText("张晓明")
    assert form.to_input().id_number is None
    click_save(qtbot, dialog)

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert services.households.reveal_id_number(son.id) == original
    renamed = next(m for m in services.households.get(household.id).members if m.id == son.id)
    assert renamed.name == "张晓明"


def test_person_dialog_corrects_id_number_when_ticked(
    qtbot: QtBot, services: Services, household: HouseholdDetail
) -> None:
    son = add_son(services, household)
    corrected = make_id("52040220120305003")

    def save(data: PersonInput, relation: Relation | None) -> HouseholdDetail:
        return services.households.update_person(son.id, son.version, data, relation)

    dialog = shown(qtbot, PersonDialog(save, existing=son, today=fixed_today))
    form = dialog.form
    assert form.correct_id_check is not None
    assert not form.id_edit.isVisible()
    form.correct_id_check.setChecked(True)
    assert form.id_edit.isVisible()
    qtbot.keyClicks(form.id_edit.line_edit, corrected)
    click_save(qtbot, dialog)

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert services.households.reveal_id_number(son.id) == corrected


def test_person_dialog_keeps_the_stored_phone_unless_changed(
    qtbot: QtBot, services: Services, household: HouseholdDetail
) -> None:
    head = household.members[0]
    assert head.has_phone

    def save(data: PersonInput, relation: Relation | None) -> HouseholdDetail:
        fresh = next(m for m in services.households.get(household.id).members if m.id == head.id)
        return services.households.update_person(head.id, fresh.version, data, relation)

    dialog = shown(qtbot, PersonDialog(save, existing=head, today=fixed_today))
    form = dialog.form
    assert form.change_phone_check is not None
    assert form.phone_edit.text() == "138****5678"  # masked, never the full number
    assert form.phone_edit.isReadOnly()
    assert form.relation_combo is not None
    assert not form.relation_combo.isEnabled()  # heads change via 变更户主
    form.name_edit.setText("张叁")
    click_save(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    saved = services.households.get(household.id).head
    assert saved is not None
    assert (saved.name, saved.phone_masked) == ("张叁", "138****5678")

    again = shown(qtbot, PersonDialog(save, existing=saved, today=fixed_today))
    check = again.form.change_phone_check
    assert check is not None
    check.setChecked(True)
    assert again.form.phone_edit.text() == ""
    qtbot.keyClicks(again.form.phone_edit, "13700002222")
    click_save(qtbot, again)
    assert again.result() == QDialog.DialogCode.Accepted
    changed = services.households.get(household.id).head
    assert changed is not None
    assert changed.phone_masked == "137****2222"


def test_person_form_disability_fields_follow_the_certificate(
    qtbot: QtBot, services: Services, household: HouseholdDetail
) -> None:
    def save(data: PersonInput, relation: Relation | None) -> HouseholdDetail:
        return services.households.add_member(household.id, data, relation)

    dialog = shown(qtbot, PersonDialog(save, today=fixed_today))
    form = dialog.form
    assert not form.grade_combo.isEnabled()
    form.name_edit.setText("张秀英")
    qtbot.keyClicks(form.id_edit.line_edit, make_id("52040219550808004"))
    assert form.relation_combo is not None
    form.relation_combo.set_value(Relation.PARENT)
    form.has_cert_check.setChecked(True)
    assert form.grade_combo.isEnabled()
    click_save(qtbot, dialog)

    assert is_invalid(form.category_combo)
    assert is_invalid(form.grade_combo)
    assert form.tabs.currentIndex() == 1  # the 残疾 tab is shown with the first problem
    assert dialog.focusWidget() is form.category_combo
    assert len(services.households.get(household.id).members) == 1

    form.category_combo.set_value(DisabilityCategory.PHYSICAL)
    form.grade_combo.setCurrentIndex(form.grade_combo.findData(2))
    form.has_cert_check.setChecked(False)  # an uncertified grade is never sent
    assert form.to_input().disability_grade is None
    form.has_cert_check.setChecked(True)
    assert form.to_input().disability_grade == 2  # re-ticking brings the values back
    click_save(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    member = next(m for m in services.households.get(household.id).members if m.name == "张秀英")
    assert (member.disability_category, member.disability_grade) == ("physical", 2)


# -------------------------------------------------------------- category dialog
def test_category_dialog_adds_category(
    qtbot: QtBot, services: Services, household: HouseholdDetail
) -> None:
    def save(*args: object) -> HouseholdDetail:
        return services.households.add_category(household.id, *args)  # type: ignore[arg-type]

    dialog = shown(qtbot, CategoryDialog(save, household=household, today=fixed_today))
    assert dialog.start_edit.displayFormat() == "yyyy-MM-dd"
    assert dialog.start_edit.calendarPopup()
    assert not dialog.end_edit.isEnabled()
    click_save(qtbot, dialog)
    assert dialog.problem_label.lines() == ["类别：请选择类别"]
    assert is_invalid(dialog.category_combo)

    dialog.category_combo.set_value(HouseholdCategory.DIBAO_B)
    dialog.note_edit.setText("黔民发〔2026〕3号")
    click_save(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    (record,) = services.households.get(household.id).categories
    assert (record.category, record.start_date, record.end_date) == ("dibao_b", TODAY, None)
    assert record.note == "黔民发〔2026〕3号"


def test_category_dialog_end_before_start_is_shown_inline(
    qtbot: QtBot, services: Services, household: HouseholdDetail
) -> None:
    def save(*args: object) -> HouseholdDetail:
        return services.households.add_category(household.id, *args)  # type: ignore[arg-type]

    dialog = shown(qtbot, CategoryDialog(save, today=fixed_today))
    dialog.category_combo.set_value(HouseholdCategory.MONITORED)
    dialog.end_check.setChecked(True)
    assert dialog.end_edit.isEnabled()
    dialog.end_edit.setDate(dialog.start_edit.date().addDays(-1))
    click_save(qtbot, dialog)

    assert dialog.isVisible()
    assert dialog.problem_label.lines() == ["结束日期：结束日期不能早于开始日期"]
    assert is_invalid(dialog.end_edit)
    assert services.households.get(household.id).categories == ()


def test_end_category_dialog_defaults_to_today_and_shows_refusals_inline(
    qtbot: QtBot, services: Services, household: HouseholdDetail
) -> None:
    detail = services.households.add_category(
        household.id, HouseholdCategory.MONITORED, dt.date(2026, 1, 1)
    )
    (record,) = detail.categories

    def save(end: dt.date) -> HouseholdDetail:
        return services.households.end_category(record.id, end)

    dialog = shown(qtbot, EndCategoryDialog(save, record, household=detail, today=fixed_today))
    assert dialog.end_date() == TODAY
    # Meanwhile another window ends the same record.
    services.households.end_category(record.id, dt.date(2026, 3, 31))
    click_save(qtbot, dialog)

    assert dialog.isVisible()
    (line,) = dialog.problem_label.lines()
    assert line.startswith("结束日期：")
    assert "不能再次结束" in line
    assert is_invalid(dialog.end_edit)
    (stored,) = services.households.get(household.id).categories
    assert stored.end_date == dt.date(2026, 3, 31)


# ----------------------------------------------------------- move person dialog
def test_move_person_dialog_finds_target_by_name_and_moves(
    qtbot: QtBot, services: Services, household: HouseholdDetail
) -> None:
    son = add_son(services, household)
    target = services.households.register(
        HouseholdInput("东门社区", "1组"), PersonInput("李四", make_id("52040219750505003"))
    )
    searches: list[str] = []

    def search(text: str) -> SearchPage:
        searches.append(text)
        return services.search.search(text)

    def save(household_id: int, relation: Relation) -> HouseholdDetail:
        return services.households.move_person(son.id, son.version, household_id, relation)

    dialog = shown(qtbot, MovePersonDialog(son, household, search=search, save=save))
    assert not dialog.save_button().isEnabled()
    assert Relation.HEAD not in dialog.relation_combo.members()
    dialog.search_edit.setText("李")
    qtbot.waitUntil(lambda: dialog.result_list.count() == 1)
    assert searches == ["李"]  # debounced: one search, after the pause
    assert "李四（户主）" in dialog.result_list.item(0).text()
    assert target.number in dialog.result_list.item(0).text()

    dialog.result_list.setCurrentRow(0)
    dialog.relation_combo.set_value(Relation.GRANDCHILD)
    assert (
        dialog.summary_label.text() == f"将 张小明 从 户 {household.number} 迁入 户 {target.number}"
    )
    assert dialog.save_button().isEnabled()
    click_save(qtbot, dialog)

    assert dialog.result() == QDialog.DialogCode.Accepted
    moved = {m.name: m.relation for m in services.households.get(target.id).members}
    assert moved == {"李四": "head", "张小明": "grandchild"}
    assert [m.name for m in services.households.get(household.id).members] == ["张三"]


def test_move_person_dialog_debounces_typing_and_skips_source(
    qtbot: QtBot, services: Services, household: HouseholdDetail
) -> None:
    son = add_son(services, household)
    searches: list[str] = []

    def search(text: str) -> SearchPage:
        searches.append(text)
        return services.search.search(text)

    def save(household_id: int, relation: Relation) -> HouseholdDetail:
        raise AssertionError("nothing to save")

    dialog = shown(qtbot, MovePersonDialog(son, household, search=search, save=save))
    qtbot.keyClicks(dialog.search_edit, "zs")  # pinyin initials of 张三, the source's head
    qtbot.waitUntil(lambda: searches == ["zs"])
    assert dialog.result_list.count() == 0  # the member's own household is not a target
    assert dialog.status_label.text() == "没有找到其他户"
    assert not dialog.save_button().isEnabled()


# ----------------------------------------------------------- first start dialog
def test_first_start_dialog_saves_site_and_clerk(qtbot: QtBot, bare_services: Services) -> None:
    assert bare_services.site.get() is None
    dialog = shown(qtbot, FirstStartDialog(bare_services.site.save))
    assert dialog.window_edit.text() == "社会救助综合服务窗口"
    dialog.township_edit.setText("青山镇")
    qtbot.keyClicks(dialog.code_edit, "52040211a0")  # the letter is refused by the field
    assert dialog.code_edit.text() == "520402110"
    dialog.clerk_edit.setText(" 王芳 ")
    click_save(qtbot, dialog)

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.clerk_name() == "王芳"
    site = bare_services.site.get()
    assert site is not None
    assert (site.township_name, site.township_code, site.window_name) == (
        "青山镇",
        "520402110",
        "社会救助综合服务窗口",
    )
    assert dialog.result_site == site


@pytest.mark.parametrize(
    ("clerk", "expected"),
    [("", "请填写"), ("王" * 21, "最多20个字，现在21个字")],
)
def test_first_start_dialog_checks_clerk_inline_before_saving(
    qtbot: QtBot, bare_services: Services, clerk: str, expected: str
) -> None:
    dialog = shown(qtbot, FirstStartDialog(bare_services.site.save))
    dialog.township_edit.setText("青山镇")
    qtbot.keyClicks(dialog.code_edit, "520402")
    dialog.clerk_edit.setText(clerk)
    click_save(qtbot, dialog)

    assert dialog.isVisible()
    (line,) = dialog.problem_label.lines()
    assert line.startswith("经办人姓名：")
    assert expected in line
    assert is_invalid(dialog.clerk_edit)
    assert dialog.clerk_edit.text() == clerk
    assert bare_services.site.get() is None


def test_first_start_dialog_shows_site_problems_inline(
    qtbot: QtBot, bare_services: Services
) -> None:
    dialog = shown(qtbot, FirstStartDialog(bare_services.site.save))
    dialog.window_edit.setText("")
    qtbot.keyClicks(dialog.code_edit, "5204021")
    dialog.clerk_edit.setText("王芳")
    click_save(qtbot, dialog)

    fields = [line.split("：", 1)[0] for line in dialog.problem_label.lines()]
    assert fields == ["乡镇（街道）名称", "区划代码", "窗口名称"]
    assert all(is_invalid(w) for w in (dialog.township_edit, dialog.code_edit, dialog.window_edit))
    assert dialog.focusWidget() is dialog.township_edit
    assert bare_services.site.get() is None


def test_dialog_buttons_read_in_chinese(qtbot: QtBot, bare_services: Services) -> None:
    dialog = shown(qtbot, FirstStartDialog(bare_services.site.save))
    assert dialog.button_box.button(dialog.button_box.StandardButton.Save).text() == "保存"
    assert dialog.button_box.button(dialog.button_box.StandardButton.Cancel).text() == "取消"


def test_person_dialog_keyboard_tab_order_and_ctrl_s(
    qtbot: QtBot, services: Services, household: HouseholdDetail
) -> None:
    def save(data: PersonInput, relation: Relation | None) -> HouseholdDetail:
        return services.households.add_member(household.id, data, relation)

    dialog = shown(qtbot, PersonDialog(save, today=fixed_today))
    form = dialog.form
    assert form.relation_combo is not None
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    assert QApplication.focusWidget() is form.name_edit
    visited = []
    for _ in range(4):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget())
    assert visited == [form.id_edit.line_edit, form.relation_combo, form.phone_edit, form.note_edit]
    form.name_edit.setText("刘芳")
    qtbot.keyClicks(form.id_edit.line_edit, make_id("52040219820202008"))
    form.relation_combo.set_value(Relation.SPOUSE)
    qtbot.keyClick(form.phone_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert len(services.households.get(household.id).members) == 2


def test_first_start_dialog_edits_an_existing_site(qtbot: QtBot, services: Services) -> None:
    site = services.site.get()
    assert site is not None
    dialog = shown(qtbot, FirstStartDialog(services.site.save, existing=site, clerk_name="王芳"))
    assert dialog.windowTitle() == "窗口与经办人"
    assert (dialog.township_edit.text(), dialog.code_edit.text()) == ("中华路街道", "520402102")
    assert dialog.clerk_edit.text() == "王芳"
    dialog.window_edit.setText("社会救助服务大厅")
    dialog.clerk_edit.setText("李娟")
    click_save(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.clerk_name() == "李娟"
    saved = services.site.get()
    assert saved is not None
    assert saved.window_name == "社会救助服务大厅"


# ------------------------------------------------------------------ modal guard
@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: QInputDialog.getText(None, "t", "l"), "QInputDialog.getText"),
        (lambda: QInputDialog.getItem(None, "t", "l", ["a"]), "QInputDialog.getItem"),
        (lambda: QInputDialog.getInt(None, "t", "l"), "QInputDialog.getInt"),
        (lambda: QInputDialog.getDouble(None, "t", "l"), "QInputDialog.getDouble"),
        (lambda: QFileDialog.getOpenFileName(None), "QFileDialog.getOpenFileName"),
        (lambda: QFileDialog.getSaveFileName(None), "QFileDialog.getSaveFileName"),
        (lambda: QFileDialog.getExistingDirectory(None), "QFileDialog.getExistingDirectory"),
        (lambda: QMessageBox.warning(None, "t", "x"), "QMessageBox.warning"),
        (lambda: QDialog().exec(), "QDialog"),
    ],
)
def test_modal_guard_refuses_blocking_helpers(
    qtbot: QtBot, call: Callable[[], object], name: str
) -> None:
    # These exec() inside C++: unanswered they would hang the run until its timeout.
    with pytest.raises(AssertionError, match=f"unexpected modal dialog: {name}"):
        call()
