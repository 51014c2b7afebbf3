"""Fixed, fictional example content for every document kind.

Used by the golden tests, ``scripts/render_documents.py``, the benchmark and demos. All
people, numbers and places are invented; ID numbers are well-formed (valid check
character) so masks look as they will in use. Values follow the seeds where they give one:
安顺 2020 rural standard 375 元/月 (domain.md §7), 清流 temporary-aid cap 20,000 元 and the
township limit 5,000 元 (§1.5), 篇九 care visits ≥2 a month.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from desk_app.domain.documents import (
    AnyContent,
    ApplicationContent,
    ApprovalLevel,
    AuthorisationContent,
    CareAgreementContent,
    ChangeKind,
    ChangeNoticeContent,
    CommitmentContent,
    DocumentKind,
    FeePayer,
    FormMember,
    NoticeContent,
    NoticeHousehold,
    NoticeMember,
    NoticeStage,
    ObjectionChannel,
    PairingAgreementContent,
    PairingMeasure,
    Paper,
    Person,
    PlacementAgreementContent,
    ReceiptContent,
    ReceiptMatter,
    ReferralContent,
    SupportAgreementContent,
    Supporter,
    TemporaryAidContent,
    notice_rows,
)
from desk_app.domain.ids import check_character
from desk_app.domain.intake import Handling
from desk_app.domain.registry import ChildStatus, DisabilityCategory, HouseholdCategory

TOWNSHIP = "青石镇"
ISSUER = "示范县青石镇人民政府"
WINDOW = "青石镇社会救助综合服务窗口"
OFFICE = "青石镇社会事务办公室"
WINDOW_PHONE = "0851-33221100"
OFFICE_ADDRESS = "青石镇人民政府便民服务中心一楼"
VILLAGE = "石桥村"
VILLAGE_COMMITTEE = "青石镇石桥村民委员会"
CLERK = "李明"
DAY = dt.date(2024, 7, 15)
INTAKE = "SL2024-000123"
HOUSEHOLD = "520402101-00012"


def _id(birth: str, seq: str, region: str = "520402") -> str:
    first17 = region + birth + seq
    return first17 + check_character(first17)


APPLICANT = Person("王秀英", _id("19680412", "026"), "户主", "13800000000", "石桥村三组18号")
HUSBAND = Person("张建国", _id("19650903", "013"), "配偶")
SON = Person("张小军", _id("19920115", "031"), "子")


def receipt() -> ReceiptContent:
    return ReceiptContent(
        number=INTAKE,
        received_at=dt.datetime(2024, 7, 15, 9, 30),
        township=ISSUER,
        window=WINDOW,
        clerk=CLERK,
        household_number=HOUSEHOLD,
        village=VILLAGE,
        group_name="三组",
        applicant_name=APPLICANT.name,
        came_as="申请人本人",
        agent_name="",
        matters=(
            ReceiptMatter(
                "最低生活保障",
                Handling.WINDOW,
                OFFICE,
                papers_received=("居民身份证、户口簿复印件", "社会救助申请书"),
                papers_missing=("家庭经济状况核对授权书（每位成年成员签字）", "收入证明"),
                limit_days=30,
                due_date=dt.date(2024, 8, 26),
            ),
            ReceiptMatter(
                "医疗救助（住院自付费用）",
                Handling.REFERRAL,
                "示范县医疗保障局",
                papers_received=("住院费用结算单",),
                papers_missing=("出院小结",),
                limit_days=10,
                due_date=dt.date(2024, 7, 29),
                referral_number="ZJ2024-000045",
            ),
            ReceiptMatter(
                "教育救助（高中生活补助）",
                Handling.REFERRAL,
                "示范县教育局",
                papers_received=("学生证",),
                limit_days=15,
                due_date=dt.date(2024, 8, 5),
                referral_number="ZJ2024-000046",
            ),
        ),
        hotline=WINDOW_PHONE,
        papers_within_days=10,
    )


def referral() -> ReferralContent:
    return ReferralContent(
        number="ZJ2024-000045",
        intake_number=INTAKE,
        created_on=DAY,
        township=ISSUER,
        window=WINDOW,
        clerk=CLERK,
        window_phone=WINDOW_PHONE,
        window_address=OFFICE_ADDRESS,
        department_name="示范县医疗保障局",
        department_contact="医疗救助股 赵科长 0851-33222200",
        household_number=HOUSEHOLD,
        village=f"{VILLAGE}三组",
        person=APPLICANT,
        matter_name="医疗救助（住院自付费用）",
        need=(
            "申请人2024年6月住院治疗，医保报销后政策范围内自付约1.2万元，"
            "家庭为低保申请户，请按医疗救助政策核定救助金额。"
        ),
        evidence=("住院费用结算单复印件", "居民身份证复印件", "受理回执复印件"),
        limit_days=10,
        due_date=dt.date(2024, 7, 29),
        consent_to_share=True,
    )


def _households() -> tuple[NoticeHousehold, ...]:
    return (
        NoticeHousehold(
            head_name="王秀英",
            head_id_number=APPLICANT.id_number,
            phone="13800000000",
            bank_account="6217000000001234567",
            village=VILLAGE,
            group_name="三组",
            category=HouseholdCategory.DIBAO_B,
            covered=(NoticeMember("王秀英"), NoticeMember("张建国"), NoticeMember("张小军")),
            monthly_amount=Decimal("865.00"),
            start=dt.date(2024, 8, 1),
        ),
        NoticeHousehold(
            head_name="刘德才",
            head_id_number=_id("19420621", "017"),
            phone="13900000001",
            bank_account="6217000000007654321",
            village=VILLAGE,
            group_name="一组",
            category=HouseholdCategory.TEKUN_DISPERSED,
            covered=(NoticeMember("刘德才"),),
            monthly_amount=Decimal("650.00"),
            start=dt.date(2024, 8, 1),
        ),
        NoticeHousehold(
            head_name="陈桂兰",
            head_id_number=_id("19460308", "024"),
            phone="13700000002",
            bank_account="6217000000005555555",
            village=VILLAGE,
            group_name="五组",
            category=HouseholdCategory.DIBAO_SINGLE_PERSON,
            covered=(NoticeMember("陈桂兰", diagnosis="尿毒症"),),
            monthly_amount=Decimal("375.00"),
            start=dt.date(2024, 8, 1),
            single_person_cause="重特大疾病",
        ),
        NoticeHousehold(
            head_name="欧阳明辉",
            head_id_number=_id("19800714", "019"),
            phone="13600000003",
            bank_account="6217000000003333333",
            village=VILLAGE,
            group_name="二组",
            category=HouseholdCategory.DIBAO_A,
            covered=(
                NoticeMember(
                    "欧阳明辉",
                    disability_category=DisabilityCategory.PHYSICAL,
                    disability_grade=1,
                ),
                NoticeMember("欧阳小雨", child_status=ChildStatus.LEFT_BEHIND),
            ),
            monthly_amount=Decimal("1064.00"),
            start=dt.date(2024, 8, 1),
            end=dt.date(2025, 7, 31),
        ),
    )


def result_notice(paper: Paper = Paper.A4_LANDSCAPE) -> NoticeContent:
    return NoticeContent(
        stage=NoticeStage.APPROVAL,
        number="GS2024-石桥-03",
        issuer=ISSUER,
        township=TOWNSHIP,
        village=VILLAGE,
        scheme="最低生活保障和特困人员救助供养",
        period_label="2024年第三季度",
        posted_on=DAY,
        objection_days=7,
        channel=ObjectionChannel(
            OFFICE, WINDOW_PHONE, OFFICE_ADDRESS, deadline=dt.date(2024, 7, 21)
        ),
        rows=notice_rows(_households()),
        paper=paper,
    )


def standing_notice(paper: Paper = Paper.A3_LANDSCAPE) -> NoticeContent:
    return NoticeContent(
        stage=NoticeStage.STANDING,
        number="CQ2024-石桥-Q3",
        issuer=ISSUER,
        township=TOWNSHIP,
        village=VILLAGE,
        scheme="最低生活保障",
        period_label="2024年第三季度",
        posted_on=dt.date(2024, 8, 1),
        objection_days=None,
        channel=ObjectionChannel(OFFICE, WINDOW_PHONE, OFFICE_ADDRESS, deadline=None),
        rows=notice_rows(
            [h for h in _households() if h.category is not HouseholdCategory.TEKUN_DISPERSED]
        ),
        paper=paper,
    )


_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
_GIVEN = "秀英建国明华丽军芳伟强敏静磊洋艳勇杰娟涛超霞平刚桂兰玉珍德才海燕春梅志红文斌"
_CATEGORIES = (
    HouseholdCategory.DIBAO_A,
    HouseholdCategory.DIBAO_B,
    HouseholdCategory.DIBAO_C,
    HouseholdCategory.DIBAO_SINGLE_PERSON,
    HouseholdCategory.TEKUN_DISPERSED,
)


def notice_households(count: int) -> tuple[NoticeHousehold, ...]:
    """``count`` deterministic fictional households for long-notice tests and the benchmark."""
    out = []
    for i in range(count):
        name = (
            _SURNAMES[i % len(_SURNAMES)]
            + _GIVEN[(i * 7) % len(_GIVEN)]
            + _GIVEN[(i * 13 + 5) % len(_GIVEN)]
        )
        category = _CATEGORIES[i % len(_CATEGORIES)]
        single = category in (
            HouseholdCategory.DIBAO_SINGLE_PERSON,
            HouseholdCategory.TEKUN_DISPERSED,
        )
        size = 1 if single else 1 + i % 5
        out.append(
            NoticeHousehold(
                head_name=name,
                head_id_number=_id(f"19{40 + i % 50:02d}0{1 + i % 9}1{i % 9}", f"{i % 1000:03d}"),
                phone=f"138{i:08d}",
                bank_account=f"62170000{i:011d}",
                village=f"第{1 + i // 120}村",
                group_name=f"{1 + (i // 12) % 10}组",
                category=category,
                covered=tuple(NoticeMember(f"{name}{k}") for k in range(size)),
                monthly_amount=Decimal(375 * size - (i % 4) * 25),
                start=dt.date(2024, 1 + i % 6, 1),
            )
        )
    return tuple(out)


def long_notice(count: int = 1000, paper: Paper = Paper.A4_LANDSCAPE) -> NoticeContent:
    """A township-wide standing notice of ``count`` households."""
    return NoticeContent(
        stage=NoticeStage.STANDING,
        number="CQ2024-青石-Q3",
        issuer=ISSUER,
        township=TOWNSHIP,
        village=None,
        scheme="最低生活保障和特困人员救助供养",
        period_label="2024年第三季度",
        posted_on=dt.date(2024, 8, 1),
        objection_days=None,
        channel=ObjectionChannel(OFFICE, WINDOW_PHONE, OFFICE_ADDRESS, deadline=None),
        rows=notice_rows(notice_households(count)),
        paper=paper,
    )


def application() -> ApplicationContent:
    return ApplicationContent(
        number=INTAKE,
        township=TOWNSHIP,
        village=VILLAGE,
        group_name="三组",
        address="示范县青石镇石桥村三组18号",
        household_number=HOUSEHOLD,
        applicant=APPLICANT,
        guardian=None,
        members=(
            FormMember(APPLICANT.name, "本人", APPLICANT.id_number, "部分丧失劳动能力", "务农"),
            FormMember(
                HUSBAND.name, "配偶", HUSBAND.id_number, "完全丧失劳动能力", "无", Decimal(0)
            ),
            FormMember(SON.name, "子", SON.id_number, "有劳动能力", "县城务工", Decimal("1800.00")),
        ),
        causes=("因病", "缺劳力"),
        other_cause="",
        items=("最低生活保障", "医疗救助", "教育救助"),
        monthly_income_total=Decimal("2100.00"),
        property_note="自有砖木结构住房一处（约90平方米），无机动车，存款约3000元。",
        statement=(
            "本人丈夫张建国2023年患脑梗后长期卧床，需人照料，家中主要靠儿子在县城打零工维持，"
            "今年6月本人住院治疗，医疗费用负担较重，生活困难，特申请社会救助。"
        ),
        applied_on=DAY,
    )


def authorisation() -> AuthorisationContent:
    return AuthorisationContent(
        number=INTAKE,
        township=ISSUER,
        village=VILLAGE,
        household_number=HOUSEHOLD,
        applicant_name=APPLICANT.name,
        members=(APPLICANT, HUSBAND, SON),
        signed_on=DAY,
    )


def commitment() -> CommitmentContent:
    return CommitmentContent(
        number=INTAKE,
        township=ISSUER,
        village=VILLAGE,
        household_number=HOUSEHOLD,
        applicant_name=APPLICANT.name,
        items=("最低生活保障", "医疗救助"),
        members=(APPLICANT, HUSBAND, SON),
        signed_on=DAY,
    )


def temporary_aid() -> TemporaryAidContent:
    return TemporaryAidContent(
        number="LS2024-000008",
        township=ISSUER,
        household_number="520402101-00031",
        village=f"{VILLAGE}四组",
        applicant=Person("黄大海", _id("19790520", "035"), "户主", "13500000004"),
        family_size=4,
        event="2024年7月10日夜间住房失火，房屋及生活用品基本烧毁，一家四口无处居住。",
        event_at=dt.datetime(2024, 7, 10, 21, 0),
        requested=Decimal("8000.00"),
        proposed=Decimal("6000.00"),
        approval_level=ApprovalLevel.COUNTY,
        township_limit=Decimal("5000.00"),
        granted_this_year=Decimal("15000.00"),
        annual_cap=Decimal("20000.00"),
        case_by_case=True,
        advance_aid=True,
        paperwork_due=dt.date(2024, 7, 31),
        payee_name="黄大海",
        bank_name="示范县农村信用合作联社青石支行",
        bank_account="6217000000008888123",
        prepared_on=dt.date(2024, 7, 11),
    )


def change_notice(kind: ChangeKind = ChangeKind.GRADUAL_EXIT) -> ChangeNoticeContent:
    base = ChangeNoticeContent(
        kind=kind,
        number="BG2024-000021",
        issuer=ISSUER,
        household_number=HOUSEHOLD,
        village=f"{VILLAGE}三组",
        head_name=APPLICANT.name,
        scheme="最低生活保障",
        decided_on=DAY,
        reason="家庭成员就业，家庭月人均收入增至410元，高于当地低保标准（375元）但低于2倍",
        effective_month=dt.date(2024, 8, 1),
        old_amount=Decimal("865.00"),
        new_amount=Decimal("865.00"),
        review_office=OFFICE,
        review_phone=WINDOW_PHONE,
    )
    r = dataclasses.replace
    if kind is ChangeKind.INCREASE:
        return r(
            base,
            reason="家庭成员张建国经认定为重度残疾，按分类施保增发",
            new_amount=Decimal("1040.00"),
        )
    if kind is ChangeKind.DECREASE:
        return r(
            base, reason="家庭成员张小军稳定就业，家庭月人均收入增加", new_amount=Decimal("510.00")
        )
    if kind is ChangeKind.STOP:
        return r(
            base, reason="经复核，家庭月人均收入已达到当地低保标准的2倍以上", new_amount=Decimal(0)
        )
    if kind is ChangeKind.EXTENSION:
        return r(
            base,
            reason="经复核已符合退出条件，但家庭仍有子女就读高中，存在实际困难",
            period_start=dt.date(2024, 8, 1),
            period_end=dt.date(2025, 1, 31),
        )
    if kind is ChangeKind.VOLUNTARY_EXIT:
        return r(base, reason="户主主动申请退出低保", new_amount=Decimal(0), exit_payment_months=3)
    # 渐退 (T1: above the standard, below 2×): 12 months from the next month (§1.3).
    return r(base, period_start=dt.date(2024, 8, 1), period_end=dt.date(2025, 7, 31))


def care_agreement() -> CareAgreementContent:
    return CareAgreementContent(
        number="ZL2024-000003",
        township=ISSUER,
        village_committee=VILLAGE_COMMITTEE,
        person=Person("刘德才", _id("19420621", "017"), "", "", "石桥村一组6号"),
        guardian=None,
        carer=Person("刘小平", _id("19700302", "052"), "侄子", "13900000005", "石桥村一组8号"),
        duties=(
            "日常生活照料：协助做饭、洗衣、打扫居室卫生，保持居住环境整洁",
            "每月协助理发不少于1次",
            "患病时及时陪同就医，住院期间做好陪护或落实护理",
            "发现异常情况及时报告村（居）委会和乡镇（街道）",
        ),
        service_standard="吃、穿、住、医、葬有保障，居室整洁，个人卫生良好",
        visit_cycle="照料人每日探视；上门照料和清洁每月不少于2次",
        emergency_plan="突发疾病或意外时，照料人立即拨打120并通知村委会和乡镇社会事务办",
        emergency_phone=WINDOW_PHONE,
        monthly_pay=Decimal("300.00"),
        start=dt.date(2024, 8, 1),
        end=dt.date(2025, 7, 31),
        signed_on=DAY,
    )


def placement_agreement() -> PlacementAgreementContent:
    return PlacementAgreementContent(
        number="RZ2024-000002",
        township=ISSUER,
        institution="示范县青石镇敬老院",
        institution_address="青石镇新街12号",
        person=Person("韩福生", _id("19400101", "011"), "", "", "石桥村二组3号"),
        relatives=(
            Person("韩志强", _id("19680215", "037"), "子", "13800000006"),
            Person("韩丽", _id("19710918", "048"), "女", "13800000007"),
        ),
        wish_confirmed=True,
        relatives_agree=True,
        health_checked_on=dt.date(2024, 7, 8),
        fee_payer=FeePayer.TOWNSHIP,
        monthly_fee=Decimal("1200.00"),
        start=dt.date(2024, 8, 1),
        signed_on=DAY,
    )


def support_agreement() -> SupportAgreementContent:
    return SupportAgreementContent(
        number="SY2024-000005",
        township=ISSUER,
        village_committee=VILLAGE_COMMITTEE,
        elder=Person("周桂芳", _id("19430512", "020"), "", "", "石桥村四组11号"),
        supporters=(
            Supporter(
                Person("周建华", _id("19660101", "019"), "长子", "13800000008"),
                Decimal("300.00"),
                "负责日常生活用品和农忙时的生活照料",
            ),
            Supporter(
                Person("周建民", _id("19690707", "039"), "次子", "13800000009"),
                Decimal("300.00"),
                "负责就医陪护和住房修缮",
            ),
        ),
        contact=Person("周建华", "", "长子", "13800000008"),
        visit_schedule="每周电话问候不少于1次，每月回家探望不少于1次",
        signed_on=DAY,
    )


def pairing_agreement() -> PairingAgreementContent:
    return PairingAgreementContent(
        number="JD2024-000011",
        township=ISSUER,
        village_committee="石桥村党支部、石桥村民委员会",
        household_number=HOUSEHOLD,
        head=APPLICANT,
        helper=Person("孙立新", "", "", "13800000010"),
        helper_unit="示范县农业农村局",
        helper_position="干部",
        causes=("因病", "缺劳力"),
        measures=(
            PairingMeasure("就业", "推荐张小军参加县人社局电工技能培训并推荐就业", "2024年10月"),
            PairingMeasure("医疗", "协助办理医疗救助和慢性病门诊待遇", "2024年8月"),
            PairingMeasure("兜底", "协助落实低保分类施保", "2024年8月"),
        ),
        visit_cycle="每季度走访不少于2次，每半年召开一次帮扶会议",
        special_item="申请“就业奖励”特惠政策一项",
        start=dt.date(2024, 8, 1),
        end=dt.date(2025, 7, 31),
        signed_on=DAY,
    )


EXAMPLES: dict[DocumentKind, Callable[[], AnyContent]] = {
    DocumentKind.APPLICATION: application,
    DocumentKind.RECEIPT: receipt,
    DocumentKind.AUTHORISATION: authorisation,
    DocumentKind.COMMITMENT: commitment,
    DocumentKind.RESULT_NOTICE: result_notice,
    DocumentKind.STANDING_NOTICE: standing_notice,
    DocumentKind.REFERRAL: referral,
    DocumentKind.TEMPORARY_AID: temporary_aid,
    DocumentKind.CARE_AGREEMENT: care_agreement,
    DocumentKind.PLACEMENT_AGREEMENT: placement_agreement,
    DocumentKind.SUPPORT_AGREEMENT: support_agreement,
    DocumentKind.PAIRING_AGREEMENT: pairing_agreement,
    DocumentKind.CHANGE_NOTICE: change_notice,
}
"""One example per kind, for ``desk-app print`` demos and the golden tests."""
