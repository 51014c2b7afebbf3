"""Vocabularies and rules of window intake and referral (一门受理、协同办理).

Rules: domain.md §2.1 (steps 0–2 and 12), §3.1–§3.3 (routing and the referral protocol),
§3.7 (the 80 % on-time KPI). A referral is closed only by the department's reply recorded
at the window, never by the hand-off itself (§3.3: "the window 主动协助 … a referral is
not closed on hand-off").
"""

from __future__ import annotations

from enum import StrEnum

from desk_app.domain.registry import LABELS, Labelled
from desk_app.i18n import QT_TRANSLATE_NOOP

_C = "registry"


class CameAs(Labelled):
    """Who came to the window: the applicant (one co-resident member) or someone for them."""

    APPLICANT = "applicant"
    GUARDIAN = "guardian"
    PROXY = "proxy"


class Channel(Labelled):
    """How the matter reached the window (domain.md §2.1 step 0)."""

    WALK_IN = "walk_in"
    VILLAGE_REFERRAL = "village_referral"
    PROACTIVE = "proactive"
    HOTLINE = "hotline"


class Urgency(Labelled):
    NORMAL = "normal"
    URGENT = "urgent"
    EMERGENCY = "emergency"


class Handling(Labelled):
    WINDOW = "window"
    REFERRAL = "referral"


class ReferralStatus(Labelled):
    PENDING = "pending"
    SENT = "sent"
    ACCEPTED = "accepted"
    DONE = "done"
    RETURNED = "returned"

    @property
    def open(self) -> bool:
        return self in (ReferralStatus.PENDING, ReferralStatus.SENT, ReferralStatus.ACCEPTED)


class ReferralAction(StrEnum):
    SEND = "send"
    ACCEPT = "accept"
    COMPLETE = "complete"
    RETURN = "return"
    REMIND = "remind"
    FOLLOW_UP = "follow_up"


class Eased(Labelled):
    """回访: did the hardship ease after the department acted? (domain.md §2.1 step 12)."""

    YES = "yes"
    PARTLY = "partly"
    NO = "no"


TRANSITIONS: dict[ReferralAction, tuple[frozenset[ReferralStatus], ReferralStatus | None]] = {
    # action: (statuses it may start from, status it leads to; None = unchanged)
    ReferralAction.SEND: (frozenset({ReferralStatus.PENDING}), ReferralStatus.SENT),
    ReferralAction.ACCEPT: (frozenset({ReferralStatus.SENT}), ReferralStatus.ACCEPTED),
    ReferralAction.COMPLETE: (
        frozenset({ReferralStatus.SENT, ReferralStatus.ACCEPTED}),
        ReferralStatus.DONE,
    ),
    ReferralAction.RETURN: (
        frozenset({ReferralStatus.SENT, ReferralStatus.ACCEPTED}),
        ReferralStatus.RETURNED,
    ),
    ReferralAction.REMIND: (frozenset({ReferralStatus.SENT, ReferralStatus.ACCEPTED}), None),
    ReferralAction.FOLLOW_UP: (frozenset({ReferralStatus.DONE}), None),
}


def allowed_actions(status: ReferralStatus) -> list[ReferralAction]:
    return [action for action, (sources, _to) in TRANSITIONS.items() if status in sources]


ACTION_LABELS: dict[ReferralAction, str] = {
    ReferralAction.SEND: QT_TRANSLATE_NOOP(_C, "转出"),
    ReferralAction.ACCEPT: QT_TRANSLATE_NOOP(_C, "登记部门受理"),
    ReferralAction.COMPLETE: QT_TRANSLATE_NOOP(_C, "登记办结"),
    ReferralAction.RETURN: QT_TRANSLATE_NOOP(_C, "登记退回"),
    ReferralAction.REMIND: QT_TRANSLATE_NOOP(_C, "催办"),
    ReferralAction.FOLLOW_UP: QT_TRANSLATE_NOOP(_C, "回访"),
}

LABELS.update(
    {
        "CameAs": {
            "applicant": QT_TRANSLATE_NOOP(_C, "申请人本人"),
            "guardian": QT_TRANSLATE_NOOP(_C, "法定监护人"),
            "proxy": QT_TRANSLATE_NOOP(_C, "代办人"),
        },
        "Channel": {
            "walk_in": QT_TRANSLATE_NOOP(_C, "窗口来访"),
            "village_referral": QT_TRANSLATE_NOOP(_C, "村（社区）转来"),
            "proactive": QT_TRANSLATE_NOOP(_C, "主动发现"),
            "hotline": QT_TRANSLATE_NOOP(_C, "救助热线"),
        },
        "Urgency": {
            "normal": QT_TRANSLATE_NOOP(_C, "一般"),
            "urgent": QT_TRANSLATE_NOOP(_C, "紧急"),
            "emergency": QT_TRANSLATE_NOOP(_C, "急难（先行救助）"),
        },
        "Handling": {
            "window": QT_TRANSLATE_NOOP(_C, "窗口办理"),
            "referral": QT_TRANSLATE_NOOP(_C, "转介"),
        },
        "ReferralStatus": {
            "pending": QT_TRANSLATE_NOOP(_C, "待转出"),
            "sent": QT_TRANSLATE_NOOP(_C, "已转出"),
            "accepted": QT_TRANSLATE_NOOP(_C, "已受理"),
            "done": QT_TRANSLATE_NOOP(_C, "办结"),
            "returned": QT_TRANSLATE_NOOP(_C, "退回"),
        },
        "Eased": {
            "yes": QT_TRANSLATE_NOOP(_C, "困难已缓解"),
            "partly": QT_TRANSLATE_NOOP(_C, "部分缓解"),
            "no": QT_TRANSLATE_NOOP(_C, "未缓解"),
        },
    }
)
