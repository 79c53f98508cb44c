"""Lantern's database models; content lives in files and is referenced by id and hash."""

from app.models.accounts import (
    STAFF_ROLES,
    MfaRecoveryCode,
    Role,
    School,
    SchoolClass,
    Trust,
    User,
    class_pupil,
    class_teacher,
    parent_child,
    utcnow,
)
from app.models.audit import AuditEvent
from app.models.aup import (
    DEFAULT_FREQUENCY,
    Acceptance,
    AcceptanceNote,
    AupCheck,
    AupLatest,
    AupSetting,
    AupText,
    Frequency,
    Method,
)
from app.models.consent import ConsentDecision, ConsentPart, PhotoConsent
from app.models.people import ParentInvite, PupilYear
from app.models.progress import (
    LessonProgress,
    QuizAnswer,
    QuizAttempt,
    QuizMisconception,
    StepResponse,
)
from app.models.rostering import RosterUpload
from app.models.safeguarding import (
    Incident,
    IncidentEntry,
    ReportPupil,
    ReportRead,
    SafeguardingReport,
    SanctionOption,
)
from app.models.sessions import LoginSession
from app.models.teaching import Assignment, AupIntroduction, Module, ModuleLesson, TaughtLesson
from app.models.workshops import WorkshopFeedback, WorkshopSession

__all__ = [
    "STAFF_ROLES",
    "DEFAULT_FREQUENCY",
    "Acceptance",
    "AcceptanceNote",
    "AupCheck",
    "AuditEvent",
    "AupLatest",
    "AupText",
    "Method",
    "Assignment",
    "AupIntroduction",
    "ConsentDecision",
    "ConsentPart",
    "Module",
    "ModuleLesson",
    "ParentInvite",
    "PhotoConsent",
    "PupilYear",
    "TaughtLesson",
    "WorkshopFeedback",
    "WorkshopSession",
    "AupSetting",
    "Frequency",
    "Incident",
    "IncidentEntry",
    "ReportPupil",
    "ReportRead",
    "SafeguardingReport",
    "SanctionOption",
    "LessonProgress",
    "LoginSession",
    "MfaRecoveryCode",
    "QuizAnswer",
    "QuizMisconception",
    "QuizAttempt",
    "RosterUpload",
    "StepResponse",
    "Role",
    "School",
    "SchoolClass",
    "Trust",
    "User",
    "class_pupil",
    "class_teacher",
    "parent_child",
    "utcnow",
]
