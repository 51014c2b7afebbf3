"""Vocabularies of the household registry (户籍与家庭成员).

Data items follow domain.md §6.2 (household) and §6.3 (person). Codes are ASCII so the
schema stays portable and exports stay stable; labels are the Chinese the clerk reads,
marked for Qt's translator. Enum order is the order shown in pick lists.
"""

from __future__ import annotations

from enum import StrEnum

from desk_app.i18n import QT_TRANSLATE_NOOP

_C = "registry"


class Labelled(StrEnum):
    """A code with a Chinese label, looked up in :data:`LABELS` by the enum's class name."""

    @property
    def label(self) -> str:
        return LABELS[type(self).__name__][self.value]

    @classmethod
    def from_label(cls, label: str) -> Labelled:
        for member in cls:
            if member.label == label:
                return member
        raise ValueError(label)


class ResidenceType(Labelled):
    URBAN = "urban"
    RURAL = "rural"


class Relation(Labelled):
    HEAD = "head"
    SPOUSE = "spouse"
    SON = "son"
    DAUGHTER = "daughter"
    DAUGHTER_IN_LAW = "daughter_in_law"
    SON_IN_LAW = "son_in_law"
    GRANDCHILD = "grandchild"
    PARENT = "parent"
    PARENT_IN_LAW = "parent_in_law"
    GRANDPARENT = "grandparent"
    SIBLING = "sibling"
    OTHER = "other"


class DisabilityCategory(Labelled):
    PHYSICAL = "physical"
    VISUAL = "visual"
    HEARING = "hearing"
    SPEECH = "speech"
    INTELLECTUAL = "intellectual"
    MENTAL = "mental"
    MULTIPLE = "multiple"


class CertificateCheck(Labelled):
    """残疾人证 annual check and renewal (T13: urge renewal of a lapsed certificate)."""

    VALID = "valid"
    CHECK_DUE = "check_due"
    NOT_RENEWED = "not_renewed"


class LabourAbility(Labelled):
    FULL = "full"
    PARTIAL = "partial"
    LOST = "lost"


class SelfCare(Labelled):
    INDEPENDENT = "independent"
    SEMI_DISABLED = "semi_disabled"
    DISABLED = "disabled"


class Employment(Labelled):
    EMPLOYED = "employed"
    UNEMPLOYED = "unemployed"
    FLEXIBLE = "flexible"
    SELF_EMPLOYED = "self_employed"
    PUBLIC_WELFARE_JOB = "public_welfare_job"
    NOT_APPLICABLE = "not_applicable"


class SchoolingStage(Labelled):
    NONE = "none"
    PRESCHOOL = "preschool"
    COMPULSORY = "compulsory"
    HIGH_SCHOOL = "high_school"
    VOCATIONAL = "vocational"
    HIGHER = "higher"


class ChildStatus(Labelled):
    NONE = "none"
    ORPHAN = "orphan"
    DE_FACTO_UNSUPPORTED = "de_facto_unsupported"
    IN_DIFFICULTY = "in_difficulty"
    LEFT_BEHIND = "left_behind"


class HouseholdCategory(Labelled):
    """Categories and flags recorded on a household with start and end dates (§6.2)."""

    DIBAO_A = "dibao_a"
    DIBAO_B = "dibao_b"
    DIBAO_C = "dibao_c"
    DIBAO_SINGLE_PERSON = "dibao_single_person"
    DIBAO_SEPARATE = "dibao_separate"
    TEKUN_CENTRALIZED = "tekun_centralized"
    TEKUN_DISPERSED = "tekun_dispersed"
    POVERTY_UNLIFTED = "poverty_unlifted"
    POVERTY_LIFTED = "poverty_lifted"
    POVERTY_RELAPSED = "poverty_relapsed"
    MONITORED = "monitored"
    LOW_INCOME = "low_income"
    DIBAO_EDGE = "dibao_edge"
    ZERO_EMPLOYMENT = "zero_employment"
    RELOCATED = "relocated"
    DISASTER = "disaster"
    HARDSHIP_WORKER = "hardship_worker"
    YOUFU = "youfu"


LABELS: dict[str, dict[str, str]] = {
    "ResidenceType": {
        "urban": QT_TRANSLATE_NOOP(_C, "城镇"),
        "rural": QT_TRANSLATE_NOOP(_C, "农村"),
    },
    "Relation": {
        "head": QT_TRANSLATE_NOOP(_C, "户主"),
        "spouse": QT_TRANSLATE_NOOP(_C, "配偶"),
        "son": QT_TRANSLATE_NOOP(_C, "子"),
        "daughter": QT_TRANSLATE_NOOP(_C, "女"),
        "daughter_in_law": QT_TRANSLATE_NOOP(_C, "儿媳"),
        "son_in_law": QT_TRANSLATE_NOOP(_C, "女婿"),
        "grandchild": QT_TRANSLATE_NOOP(_C, "孙子女/外孙子女"),
        "parent": QT_TRANSLATE_NOOP(_C, "父母"),
        "parent_in_law": QT_TRANSLATE_NOOP(_C, "公婆/岳父母"),
        "grandparent": QT_TRANSLATE_NOOP(_C, "祖父母/外祖父母"),
        "sibling": QT_TRANSLATE_NOOP(_C, "兄弟姐妹"),
        "other": QT_TRANSLATE_NOOP(_C, "其他"),
    },
    "DisabilityCategory": {
        "physical": QT_TRANSLATE_NOOP(_C, "肢体"),
        "visual": QT_TRANSLATE_NOOP(_C, "视力"),
        "hearing": QT_TRANSLATE_NOOP(_C, "听力"),
        "speech": QT_TRANSLATE_NOOP(_C, "言语"),
        "intellectual": QT_TRANSLATE_NOOP(_C, "智力"),
        "mental": QT_TRANSLATE_NOOP(_C, "精神"),
        "multiple": QT_TRANSLATE_NOOP(_C, "多重"),
    },
    "CertificateCheck": {
        "valid": QT_TRANSLATE_NOOP(_C, "正常"),
        "check_due": QT_TRANSLATE_NOOP(_C, "待年审"),
        "not_renewed": QT_TRANSLATE_NOOP(_C, "逾期未换证"),
    },
    "LabourAbility": {
        "full": QT_TRANSLATE_NOOP(_C, "有劳动能力"),
        "partial": QT_TRANSLATE_NOOP(_C, "部分丧失劳动能力"),
        "lost": QT_TRANSLATE_NOOP(_C, "完全丧失劳动能力"),
    },
    "SelfCare": {
        "independent": QT_TRANSLATE_NOOP(_C, "生活能自理"),
        "semi_disabled": QT_TRANSLATE_NOOP(_C, "半失能"),
        "disabled": QT_TRANSLATE_NOOP(_C, "失能"),
    },
    "Employment": {
        "employed": QT_TRANSLATE_NOOP(_C, "在业"),
        "unemployed": QT_TRANSLATE_NOOP(_C, "失业"),
        "flexible": QT_TRANSLATE_NOOP(_C, "灵活就业"),
        "self_employed": QT_TRANSLATE_NOOP(_C, "个体经营"),
        "public_welfare_job": QT_TRANSLATE_NOOP(_C, "公益性岗位"),
        "not_applicable": QT_TRANSLATE_NOOP(_C, "不适用（学生、老人等）"),
    },
    "SchoolingStage": {
        "none": QT_TRANSLATE_NOOP(_C, "未在学"),
        "preschool": QT_TRANSLATE_NOOP(_C, "学前教育"),
        "compulsory": QT_TRANSLATE_NOOP(_C, "义务教育"),
        "high_school": QT_TRANSLATE_NOOP(_C, "普通高中"),
        "vocational": QT_TRANSLATE_NOOP(_C, "中职"),
        "higher": QT_TRANSLATE_NOOP(_C, "高等教育"),
    },
    "ChildStatus": {
        "none": QT_TRANSLATE_NOOP(_C, "无"),
        "orphan": QT_TRANSLATE_NOOP(_C, "孤儿"),
        "de_facto_unsupported": QT_TRANSLATE_NOOP(_C, "事实无人抚养儿童"),
        "in_difficulty": QT_TRANSLATE_NOOP(_C, "困境儿童"),
        "left_behind": QT_TRANSLATE_NOOP(_C, "留守儿童"),
    },
    "HouseholdCategory": {
        "dibao_a": QT_TRANSLATE_NOOP(_C, "低保 A类"),
        "dibao_b": QT_TRANSLATE_NOOP(_C, "低保 B类"),
        "dibao_c": QT_TRANSLATE_NOOP(_C, "低保 C类"),
        "dibao_single_person": QT_TRANSLATE_NOOP(_C, "低保单人户"),
        "dibao_separate": QT_TRANSLATE_NOOP(_C, "低保分户核算"),
        "tekun_centralized": QT_TRANSLATE_NOOP(_C, "特困 集中供养"),
        "tekun_dispersed": QT_TRANSLATE_NOOP(_C, "特困 分散供养"),
        "poverty_unlifted": QT_TRANSLATE_NOOP(_C, "建档立卡 未脱贫"),
        "poverty_lifted": QT_TRANSLATE_NOOP(_C, "建档立卡 已脱贫"),
        "poverty_relapsed": QT_TRANSLATE_NOOP(_C, "建档立卡 返贫"),
        "monitored": QT_TRANSLATE_NOOP(_C, "防返贫监测对象"),
        "low_income": QT_TRANSLATE_NOOP(_C, "低收入"),
        "dibao_edge": QT_TRANSLATE_NOOP(_C, "低保边缘"),
        "zero_employment": QT_TRANSLATE_NOOP(_C, "零就业家庭"),
        "relocated": QT_TRANSLATE_NOOP(_C, "易地扶贫搬迁"),
        "disaster": QT_TRANSLATE_NOOP(_C, "受灾"),
        "hardship_worker": QT_TRANSLATE_NOOP(_C, "困难职工"),
        "youfu": QT_TRANSLATE_NOOP(_C, "优抚对象"),
    },
}
