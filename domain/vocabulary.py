"""The closed vocabularies of the model, each value with an English and a zh-CN label.

Every enum here is a ``StrEnum`` whose value is what the store keeps, so stored data stays
readable and stable when labels are reworded.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from domain.text import Text

Label = Text
"""The names of one enum value in both languages."""


class DecisionRole(StrEnum):
    """What a key person does in the buying decision of one opportunity."""

    DECISION_MAKER = "DECISION_MAKER"
    APPROVER = "APPROVER"
    TECHNICAL_EVALUATOR = "TECHNICAL_EVALUATOR"
    BUSINESS_EVALUATOR = "BUSINESS_EVALUATOR"
    USER = "USER"
    PROCUREMENT = "PROCUREMENT"
    FINANCE = "FINANCE"
    GATEKEEPER = "GATEKEEPER"
    COACH = "COACH"
    SUPERVISOR = "SUPERVISOR"
    """Supervises the purchase for the buyer (a discipline-inspection or compliance officer):
    dealt with openly and on the record only, never through relationship plays."""


class Attitude(StrEnum):
    """A key person's stance towards us on one opportunity, from opponent to champion."""

    OPPONENT = "OPPONENT"
    SKEPTIC = "SKEPTIC"
    NEUTRAL = "NEUTRAL"
    SUPPORTER = "SUPPORTER"
    CHAMPION = "CHAMPION"


class InfluenceLevel(StrEnum):
    """Declared weight of a key person in the decision."""

    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"
    DECISIVE = "DECISIVE"


class TieStrength(StrEnum):
    """Strength of a tie: our KNOWS level, an INFLUENCES strength, a competitor's CLOSE_TO level."""

    WEAK = "WEAK"
    MODERATE = "MODERATE"
    STRONG = "STRONG"
    VERY_STRONG = "VERY_STRONG"


class TeamRole(StrEnum):
    """Roles of our own people; the iron triangle is drawn from these."""

    ACCOUNT_MANAGER = "ACCOUNT_MANAGER"
    SOLUTION_MANAGER = "SOLUTION_MANAGER"
    DELIVERY_MANAGER = "DELIVERY_MANAGER"
    SERVICE_MANAGER = "SERVICE_MANAGER"
    LEAD_EXPERT = "LEAD_EXPERT"
    SALES_DIRECTOR = "SALES_DIRECTOR"


class LifecyclePhase(StrEnum):
    """The three phases of account operation, each with its own triangle."""

    ACQUISITION = "ACQUISITION"
    DEAL = "DEAL"
    DELIVERY = "DELIVERY"


class Stage(StrEnum):
    """Opportunity stages of the default TAS+ process, plus the three closing states."""

    VALIDATE = "VALIDATE"
    INITIATE = "INITIATE"
    REQUIREMENTS = "REQUIREMENTS"
    VALUE_PRESENTATION = "VALUE_PRESENTATION"
    PROPOSAL = "PROPOSAL"
    BIDDING = "BIDDING"
    NEGOTIATION = "NEGOTIATION"
    WON = "WON"
    LOST = "LOST"
    ABANDONED = "ABANDONED"


CLOSED_STAGES: Final = frozenset({Stage.WON, Stage.LOST, Stage.ABANDONED})
ENDED_STAGES: Final = frozenset({Stage.LOST, Stage.ABANDONED})
"""Closed without a sale: nothing more is done on the deal (a won one goes on to delivery)."""
OPEN_STAGES: Final = tuple(s for s in Stage if s not in CLOSED_STAGES)
"""The stages a deal works through, first to last."""


def furthest_of(*stages: Stage | None) -> Stage | None:
    """The furthest open stage among ``stages`` (closed ones and None are not on the way)."""
    open_ = [s for s in stages if s is not None and s not in CLOSED_STAGES]
    return max(open_, key=OPEN_STAGES.index, default=None)


class Grade(StrEnum):
    """Opportunity grade; E marks an opportunity registered by a partner (TAS+2-2)."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"


class ActivityType(StrEnum):
    """Kinds of contact our team has with key persons."""

    VISIT = "VISIT"
    CALL = "CALL"
    MEETING = "MEETING"
    EXECUTIVE_VISIT = "EXECUTIVE_VISIT"
    TECHNICAL_EXCHANGE = "TECHNICAL_EXCHANGE"
    DEMO = "DEMO"
    POC = "POC"
    REFERENCE_VISIT = "REFERENCE_VISIT"
    WORKSHOP = "WORKSHOP"
    PRICING_DISCUSSION = "PRICING_DISCUSSION"
    SOCIAL = "SOCIAL"
    EMAIL = "EMAIL"


class Outcome(StrEnum):
    """How an activity (or a person's reaction within it) went, seen from our side."""

    VERY_NEGATIVE = "VERY_NEGATIVE"
    NEGATIVE = "NEGATIVE"
    NEUTRAL = "NEUTRAL"
    POSITIVE = "POSITIVE"
    VERY_POSITIVE = "VERY_POSITIVE"


class CompetitivePosition(StrEnum):
    """A competitor's standing on one opportunity, against us (its labels say so: "leading"
    alone leaves the reader guessing who leads)."""

    UNKNOWN = "UNKNOWN"
    TRAILING = "TRAILING"
    EVEN = "EVEN"
    LEADING = "LEADING"


class PricePosition(StrEnum):
    """A competitor's price compared with our quote."""

    UNKNOWN = "UNKNOWN"
    LOWER = "LOWER"
    SIMILAR = "SIMILAR"
    HIGHER = "HIGHER"


class NeedsFit(StrEnum):
    """How well our solution meets a key person's stated needs."""

    UNKNOWN = "UNKNOWN"
    POOR = "POOR"
    PARTIAL = "PARTIAL"
    GOOD = "GOOD"
    FULL = "FULL"


class DeliveryRisk(StrEnum):
    """Delivery risk of an opportunity as judged by the delivery manager."""

    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"


class QuoteStatus(StrEnum):
    """Where our quote stands; SUBMITTED needs the delivery manager's review first."""

    NONE = "NONE"
    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"


class ExternalKind(StrEnum):
    """Why a person of another organisation sits in a deal's decision chain (and meetings).

    Group officers work at the customer's parent company (group HQ); the others may come from
    any organisation."""

    GROUP_OFFICER = "GROUP_OFFICER"
    TENDER_EXPERT = "TENDER_EXPERT"
    CONSULTANT = "CONSULTANT"
    REGULATOR = "REGULATOR"
    OTHER = "OTHER"


class WorkPlanStatus(StrEnum):
    """Lifecycle of a work plan item."""

    OPEN = "OPEN"
    DONE = "DONE"
    CANCELLED = "CANCELLED"


class DropReason(StrEnum):
    """Why a step was dropped from a work plan: each says when its play may be suggested again
    (``strategy.workplan.held_back``)."""

    REFUSED = "REFUSED"
    TIMING = "TIMING"
    NOT_NEEDED = "NOT_NEEDED"
    NOBODY = "NOBODY"
    PERSON_LEFT = "PERSON_LEFT"
    """Set by the record of the person's departure (never chosen when dropping a step): the
    step waits for nothing, its person is gone; undoing the record opens it again."""


class DepartureKind(StrEnum):
    """How a key person left their organisation: what the plan may still ask of them (a
    sales VP: someone who moved on introduces a successor gladly, someone who left under
    investigation is not contacted)."""

    MOVED = "MOVED"
    """Left for another organisation."""
    RETIRED = "RETIRED"
    ROTATED = "ROTATED"
    """Rotated to another organisation of the same group."""
    INVESTIGATED = "INVESTIGATED"
    """Left under investigation."""


class ApprovalState(StrEnum):
    """Lifecycle of an approval of a TAS+ process."""

    PENDING = "PENDING"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    WITHDRAWN = "WITHDRAWN"


LABELS: Final[dict[StrEnum, Label]] = {
    ExternalKind.GROUP_OFFICER: Label("Group officer", "集团总部人员"),
    ExternalKind.TENDER_EXPERT: Label("Tender-evaluation expert", "评标专家"),
    ExternalKind.CONSULTANT: Label("Consultant", "咨询顾问"),
    ExternalKind.REGULATOR: Label("Regulator", "监管人员"),
    ExternalKind.OTHER: Label("Other external", "其他外部人员"),
    DecisionRole.DECISION_MAKER: Label("Decision maker", "决策者"),
    DecisionRole.APPROVER: Label("Approver", "审批者"),
    DecisionRole.TECHNICAL_EVALUATOR: Label("Technical evaluator", "技术评估者"),
    DecisionRole.BUSINESS_EVALUATOR: Label("Business evaluator", "业务评估者"),
    DecisionRole.USER: Label("User", "使用者"),
    DecisionRole.PROCUREMENT: Label("Procurement", "采购"),
    DecisionRole.FINANCE: Label("Finance", "财务"),
    DecisionRole.GATEKEEPER: Label("Gatekeeper", "把关者"),
    DecisionRole.COACH: Label("Coach", "教练"),
    DecisionRole.SUPERVISOR: Label("Compliance supervisor", "纪检监督人"),
    Attitude.OPPONENT: Label("Opponent", "反对者"),
    Attitude.SKEPTIC: Label("Skeptic", "怀疑者"),
    Attitude.NEUTRAL: Label("Neutral", "中立"),
    Attitude.SUPPORTER: Label("Supporter", "支持者"),
    Attitude.CHAMPION: Label("Champion", "拥护者"),
    InfluenceLevel.LOW: Label("Low", "低"),
    InfluenceLevel.MEDIUM: Label("Medium", "中"),
    InfluenceLevel.HIGH: Label("High", "高"),
    InfluenceLevel.DECISIVE: Label("Decisive", "决定性"),
    TieStrength.WEAK: Label("Weak", "弱"),
    TieStrength.MODERATE: Label("Moderate", "一般"),
    TieStrength.STRONG: Label("Strong", "强"),
    TieStrength.VERY_STRONG: Label("Very strong", "很强"),
    TeamRole.ACCOUNT_MANAGER: Label("Account manager", "客户经理"),
    TeamRole.SOLUTION_MANAGER: Label("Solution manager", "方案经理"),
    TeamRole.DELIVERY_MANAGER: Label("Delivery manager", "交付经理"),
    TeamRole.SERVICE_MANAGER: Label("Service manager", "服务经理"),
    TeamRole.LEAD_EXPERT: Label("Lead expert", "引领专家"),
    TeamRole.SALES_DIRECTOR: Label("Sales director", "销售总监"),
    LifecyclePhase.ACQUISITION: Label("Acquisition", "获客"),
    LifecyclePhase.DEAL: Label("Deal winning", "打单"),
    LifecyclePhase.DELIVERY: Label("Delivery and after-sales", "交付和售后"),
    Stage.VALIDATE: Label("1 Validate opportunity", "1 验证商机"),
    Stage.INITIATE: Label("2 Initiate opportunity", "2 商机立项"),
    Stage.REQUIREMENTS: Label("3 Requirements analysis", "3 需求分析"),
    Stage.VALUE_PRESENTATION: Label("4 Value presentation", "4 价值呈现"),
    Stage.PROPOSAL: Label("5 Proposal and quotation", "5 方案与报价"),
    Stage.BIDDING: Label("6 Bidding", "6 组织投标"),
    Stage.NEGOTIATION: Label("7 Negotiation and signing", "7 谈判签约"),
    Stage.WON: Label("Won", "赢单"),
    Stage.LOST: Label("Lost", "丢单"),
    Stage.ABANDONED: Label("Abandoned", "放弃"),
    Grade.A: Label("A", "A类"),
    Grade.B: Label("B", "B类"),
    Grade.C: Label("C", "C类"),
    Grade.D: Label("D", "D类"),
    Grade.E: Label("E (partner-registered)", "E类（合作伙伴报备）"),
    ActivityType.VISIT: Label("Visit", "拜访"),
    ActivityType.CALL: Label("Call", "电话"),
    ActivityType.MEETING: Label("Meeting", "会议"),
    ActivityType.EXECUTIVE_VISIT: Label("Executive visit", "高层拜访"),
    ActivityType.TECHNICAL_EXCHANGE: Label("Technical exchange", "技术交流"),
    ActivityType.DEMO: Label("Demo", "产品演示"),
    ActivityType.POC: Label("Presales test (POC)", "售前测试（POC）"),
    ActivityType.REFERENCE_VISIT: Label("Reference visit", "样板客户参观"),
    ActivityType.WORKSHOP: Label("Workshop", "研讨会"),
    ActivityType.PRICING_DISCUSSION: Label("Pricing discussion", "价格沟通"),
    ActivityType.SOCIAL: Label("Social contact", "商务活动"),
    ActivityType.EMAIL: Label("Email", "邮件"),
    Outcome.VERY_NEGATIVE: Label("Very negative", "很负面"),
    Outcome.NEGATIVE: Label("Negative", "负面"),
    Outcome.NEUTRAL: Label("Neutral", "中性"),
    Outcome.POSITIVE: Label("Positive", "正面"),
    Outcome.VERY_POSITIVE: Label("Very positive", "很正面"),
    CompetitivePosition.UNKNOWN: Label("Unknown", "未知"),
    CompetitivePosition.TRAILING: Label("Behind us", "落后于我方"),
    CompetitivePosition.EVEN: Label("Level with us", "与我方持平"),
    CompetitivePosition.LEADING: Label("Ahead of us", "领先于我方"),
    PricePosition.UNKNOWN: Label("Unknown", "未知"),
    PricePosition.LOWER: Label("Lower than ours", "低于我方"),
    PricePosition.SIMILAR: Label("Similar to ours", "与我方相当"),
    PricePosition.HIGHER: Label("Higher than ours", "高于我方"),
    NeedsFit.UNKNOWN: Label("Unknown", "未知"),
    NeedsFit.POOR: Label("Poor", "差"),
    NeedsFit.PARTIAL: Label("Partial", "部分满足"),
    NeedsFit.GOOD: Label("Good", "较好"),
    NeedsFit.FULL: Label("Full", "完全满足"),
    DeliveryRisk.LOW: Label("Low", "低"),
    DeliveryRisk.MEDIUM: Label("Medium", "中"),
    DeliveryRisk.HIGH: Label("High", "高"),
    QuoteStatus.NONE: Label("No quote", "未报价"),
    QuoteStatus.DRAFT: Label("Draft", "草稿"),
    QuoteStatus.SUBMITTED: Label("Submitted", "已提交"),
    WorkPlanStatus.OPEN: Label("Open", "待办"),
    WorkPlanStatus.DONE: Label("Done", "已完成"),
    WorkPlanStatus.CANCELLED: Label("Cancelled", "已取消"),
    DropReason.REFUSED: Label("The customer refused it", "客户拒绝"),
    DropReason.TIMING: Label("Not now: the timing is wrong", "时机不对，暂缓"),
    DropReason.NOT_NEEDED: Label("No longer makes sense", "已无必要"),
    DropReason.NOBODY: Label("Nobody of ours to do it", "我方无人可做"),
    DropReason.PERSON_LEFT: Label("The key person left", "关键人已离任"),
    DepartureKind.MOVED: Label("Moved to another organisation", "调往其他单位"),
    DepartureKind.RETIRED: Label("Retired", "退休"),
    DepartureKind.ROTATED: Label("Rotated within the group", "集团内轮岗"),
    DepartureKind.INVESTIGATED: Label("Under investigation", "因接受调查"),
    ApprovalState.PENDING: Label("Pending", "待审批"),
    ApprovalState.APPROVED: Label("Approved", "已批准"),
    ApprovalState.REJECTED: Label("Rejected", "已驳回"),
    ApprovalState.WITHDRAWN: Label("Withdrawn", "已撤回"),
}

ALL_ENUMS: Final[tuple[type[StrEnum], ...]] = (
    DecisionRole,
    Attitude,
    InfluenceLevel,
    TieStrength,
    TeamRole,
    LifecyclePhase,
    Stage,
    Grade,
    ActivityType,
    Outcome,
    CompetitivePosition,
    PricePosition,
    NeedsFit,
    DeliveryRisk,
    QuoteStatus,
    WorkPlanStatus,
    DropReason,
    ApprovalState,
    ExternalKind,
    DepartureKind,
)


def label_of(value: StrEnum, locale: str = "en") -> str:
    """Return the label of an enum value in the given locale."""
    return LABELS[value].in_(locale)
