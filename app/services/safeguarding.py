"""Safeguarding records: pupils' worries, staff concerns and the DSL team's incident log.

Everything is added, never changed (app.models.safeguarding): an incident's current state is
worked out here from its entries, the latest of each kind winning. Only the DSL team (staff
with User.dsl) reads reports and incidents; an author sees their own reports and whether they
were read. Nothing here imports a request: views check who is asking, then call in.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.errors import NotFound
from app.extensions import db
from app.models import (
    Incident,
    IncidentEntry,
    ReportPupil,
    ReportRead,
    Role,
    SafeguardingReport,
    SanctionOption,
    User,
)
from app.models.years import key_stage

TEXT_MAX = 5000
SHORT_MAX = 200

WORRY, CONCERN = "worry", "concern"
TALK = "talk"  # a KS1 pupil's one tap: "I want to talk to my teacher"

WORRY_ABOUT = {
    "someone_online": _l("Someone I talk to online"),
    "pictures": _l("Pictures or videos"),
    "unkind": _l("Someone being unkind"),
    "something_seen": _l("Something I saw"),
    "other": _l("Something else"),
}
ABOUT_LABELS = {**WORRY_ABOUT, TALK: _l("Wants to talk to their teacher")}

CATEGORIES = {
    "content": _l("Content: something harmful they saw"),
    "contact": _l("Contact: harmful contact from someone"),
    "conduct": _l("Conduct: how someone behaved online"),
    "commerce": _l("Commerce: scams, gambling, pressure to buy"),
}
PARTS = {
    "harmed": _l("Was harmed"),
    "harmed_others": _l("Harmed others"),
    "witness": _l("Witness"),
    "unknown": _l("Part not yet known"),
}
STATUSES = {"open": _l("Open"), "monitoring": _l("Monitoring"), "closed": _l("Closed")}

REFERRALS = {
    "staff_involved": (
        _l("A member of staff is involved"),
        _l("Refer to the LADO (local authority designated officer) within one working day."),
    ),
    "illegal_content": (
        _l("Illegal images or content"),
        _l("Police; CEOP for online sexual abuse; report the content to the IWF."),
    ),
    "under_13_sexual": (
        _l("A child under 13 in a sexual context"),
        _l("Children's social care and the police at once (UKCIS nudes guidance)."),
    ),
    "coercion_blackmail": (
        _l("Coercion, blackmail or extortion"),
        _l("Children's social care and the police at once (UKCIS nudes guidance)."),
    ),
    "adult_involved": (
        _l("An adult is involved"),
        _l("Children's social care and the police at once (UKCIS nudes guidance)."),
    ),
}

# The actions of seed policy 001's sanctions matrices (the columns), as defaults
PUPIL_SANCTIONS = {
    "class_teacher": _l("Refer to class teacher"),
    "head_of_year": _l("Refer to head of year"),
    "headteacher": _l("Refer to headteacher"),
    "police": _l("Refer to the police"),
    "technical": _l("Refer to technical support for action"),
    "inform_parents": _l("Inform parents or carers"),
    "remove_access": _l("Remove access to the network or internet"),
    "warning": _l("Warning"),
    "further_action": _l("Further action (for example detention or exclusion)"),
}
STAFF_SANCTIONS = {
    "line_manager": _l("Refer to line manager"),
    "staff_headteacher": _l("Refer to headteacher"),
    "local_authority": _l("Refer to the local authority"),
    "staff_police": _l("Refer to the police"),
    "staff_technical": _l("Refer to technical support for action"),
    "staff_warning": _l("Warning"),
    "suspension": _l("Suspension"),
    "disciplinary": _l("Disciplinary action"),
}
SANCTIONS = {**PUPIL_SANCTIONS, **STAFF_SANCTIONS}

# entry kinds: what each line of an incident's chronology records
OPENED = "opened"  # the incident was opened from a report (report_id)
REPORT = "report"  # another report added (report_id)
PUPIL = "pupil"  # a pupil involved and their part (pupil_id, value)
CATEGORY = "category"
TOPIC = "topic"
PLATFORM = "platform"
ACTION = "action"  # what was done (text)
REFERRAL = "referral"  # a referral flag (value) and what was done (text)
SANCTION = "sanction"  # a sanction (value), for a pupil (pupil_id) or staff, with a note
PARENTS = "parents"  # parents informed: when and by whom (text), for a pupil (pupil_id)
STATUS = "status"  # open, monitoring or closed (value), with the outcome (text)
CORRECTION = "correction"  # corrects an earlier entry (corrects_id), whose text stays
LESSON = "lesson"  # a lesson set for the pupils' classes (value: the lesson id)
GUIDE = "guide"  # a guide shown to a pupil's parents (value: the guide id, pupil_id)
KINDS = (OPENED, REPORT, PUPIL, CATEGORY, TOPIC, PLATFORM, ACTION, REFERRAL, SANCTION, PARENTS,
         STATUS, CORRECTION, LESSON, GUIDE)  # fmt: skip

KIND_LABELS = {
    OPENED: _l("Opened from a report"),
    REPORT: _l("Report added"),
    PUPIL: _l("Pupil and their part"),
    CATEGORY: _l("Category"),
    TOPIC: _l("Topic"),
    PLATFORM: _l("Platform"),
    ACTION: _l("Action"),
    REFERRAL: _l("Referral"),
    SANCTION: _l("Sanction"),
    PARENTS: _l("Parents informed"),
    STATUS: _l("Status"),
    CORRECTION: _l("Correction"),
    LESSON: _l("Lesson set"),
    GUIDE: _l("Guide shared with parents"),
}


class SafeguardingError(ValueError):
    """A report or entry that cannot be kept, with the field at fault and a message."""

    def __init__(self, field_name: str, message) -> None:
        super().__init__(str(message))
        self.field = field_name
        self.message = message


DSL_ROLES = (Role.TEACHER, Role.COORDINATOR)
"""Who may be on the safeguarding team: teaching staff. Admins never read the log (they set
the flag, so one who could read it could let themselves in)."""


def is_dsl(user: User) -> bool:
    """Whether the user is on their school's safeguarding team (reads the incident log)."""
    return bool(user.is_authenticated and user.role in DSL_ROLES and user.dsl and user.active)


def _clean(text: str | None, limit: int, field_name: str) -> str | None:
    """Text stripped, None when empty, refused when too long or holding a NUL."""
    text = (text or "").replace("\r\n", "\n").strip()
    if "\x00" in text:
        raise SafeguardingError(field_name, _l("That text has a character that cannot be kept."))
    if len(text) > limit:
        raise SafeguardingError(field_name, _l("Keep this to %(n)s characters or fewer.", n=limit))
    return text or None


# ---- Reports ---------------------------------------------------------------------------------


def send_worry(pupil: User, about: str, text: str | None) -> SafeguardingReport:
    """Keep a pupil's worry about themselves (about is TALK for a KS1 one tap)."""
    if about not in WORRY_ABOUT and about != TALK:
        raise SafeguardingError("about", _l("Choose what it is about."))
    report = SafeguardingReport(
        school_id=pupil.school_id,
        kind=WORRY,
        author_id=pupil.id,
        about=about,
        text=_clean(text, TEXT_MAX, "text"),
    )
    report.pupils.append(ReportPupil(pupil_id=pupil.id))
    db.session.add(report)
    return report


def log_concern(
    staff: User,
    pupils: list[User],
    text: str | None,
    happened: str | None,
    platform: str | None,
    action_taken: str | None,
) -> SafeguardingReport:
    """Keep a staff member's concern about one or more pupils of their own school."""
    if not pupils:
        raise SafeguardingError("pupils", _l("Choose at least one pupil."))
    if any(p.school_id != staff.school_id or p.role is not Role.PUPIL for p in pupils):
        raise SafeguardingError("pupils", _l("Choose pupils of your own school."))
    words = _clean(text, TEXT_MAX, "text")
    if words is None:
        raise SafeguardingError("text", _l("Say what happened."))
    report = SafeguardingReport(
        school_id=staff.school_id,
        kind=CONCERN,
        author_id=staff.id,
        text=words,
        happened=_clean(happened, SHORT_MAX, "happened"),
        platform=_clean(platform, SHORT_MAX, "platform"),
        action_taken=_clean(action_taken, TEXT_MAX, "action_taken"),
    )
    for pupil in dict.fromkeys(pupils):
        report.pupils.append(ReportPupil(pupil_id=pupil.id))
    db.session.add(report)
    return report


def own_reports(author: User) -> list[SafeguardingReport]:
    """The reports this person sent, newest first."""
    return list(
        db.session.scalars(
            sa.select(SafeguardingReport)
            .where(SafeguardingReport.author_id == author.id)
            .order_by(SafeguardingReport.created_at.desc(), SafeguardingReport.id.desc())
        )
    )


def report_for_dsl(user: User, report_id: int) -> SafeguardingReport:
    """A report of the DSL's own school, else NotFound (the caller checked is_dsl)."""
    report = db.session.get(SafeguardingReport, report_id)
    if report is None or report.school_id != user.school_id or not is_dsl(user):
        raise NotFound()
    return report


def mark_read(report: SafeguardingReport, reader: User) -> bool:
    """Record that the reader opened the report, once per reader; whether it was new."""
    if any(read.reader_id == reader.id for read in report.reads):
        return False
    report.reads.append(ReportRead(reader_id=reader.id))
    return True


def _unread():
    """Reports nobody on the DSL team has opened yet."""
    return ~sa.exists().where(ReportRead.report_id == SafeguardingReport.id)


def new_count(school_id: int) -> int:
    """How many reports of the school nobody has opened: the only thing an alert says."""
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(SafeguardingReport)
        .where(SafeguardingReport.school_id == school_id, _unread())
    )


def _in_incident():
    """Reports already opened as, or added to, an incident."""
    return sa.exists().where(IncidentEntry.report_id == SafeguardingReport.id)


def inbox(school_id: int) -> list[SafeguardingReport]:
    """The school's reports not yet in an incident, newest first (unread ones included)."""
    return list(
        db.session.scalars(
            sa.select(SafeguardingReport)
            .where(SafeguardingReport.school_id == school_id, ~_in_incident())
            .order_by(SafeguardingReport.created_at.desc(), SafeguardingReport.id.desc())
        )
    )


def incident_of(report: SafeguardingReport) -> Incident | None:
    """The incident a report was opened as or added to, if any."""
    return db.session.scalar(
        sa.select(Incident)
        .join(IncidentEntry, IncidentEntry.incident_id == Incident.id)
        .where(IncidentEntry.report_id == report.id)
        .limit(1)
    )


# ---- Incidents -------------------------------------------------------------------------------


def open_incident(report: SafeguardingReport, dsl: User) -> Incident:
    """Open an incident from a report: its pupils involved (part not yet known), status open."""
    incident = Incident(school_id=report.school_id, opened_by_id=dsl.id)
    db.session.add(incident)
    incident.entries.append(IncidentEntry(author_id=dsl.id, kind=OPENED, report_id=report.id))
    for row in report.pupils:
        incident.entries.append(
            IncidentEntry(author_id=dsl.id, kind=PUPIL, pupil_id=row.pupil_id, value="unknown")
        )
    if report.platform:
        incident.entries.append(
            IncidentEntry(author_id=dsl.id, kind=PLATFORM, text=report.platform)
        )
    incident.entries.append(IncidentEntry(author_id=dsl.id, kind=STATUS, value="open"))
    return incident


def add_report(incident: Incident, report: SafeguardingReport, dsl: User) -> None:
    """Add another report (and its pupils) to an incident."""
    incident.entries.append(IncidentEntry(author_id=dsl.id, kind=REPORT, report_id=report.id))
    known = {e.pupil_id for e in incident.entries if e.kind == PUPIL}
    for row in report.pupils:
        if row.pupil_id not in known:
            incident.entries.append(
                IncidentEntry(author_id=dsl.id, kind=PUPIL, pupil_id=row.pupil_id, value="unknown")
            )


def incident_for_dsl(user: User, incident_id: int) -> Incident:
    """An incident of the DSL's own school, else NotFound."""
    incident = db.session.get(Incident, incident_id)
    if incident is None or incident.school_id != user.school_id or not is_dsl(user):
        raise NotFound()
    return incident


ALLOWED_VALUES = {
    PUPIL: PARTS,
    CATEGORY: CATEGORIES,
    REFERRAL: {key: label for key, (label, _route) in REFERRALS.items()},
    SANCTION: SANCTIONS,
    STATUS: STATUSES,
}
NEEDS_TEXT = {ACTION, PLATFORM, PARENTS, CORRECTION}


def add_entry(
    incident: Incident,
    author: User,
    kind: str,
    *,
    value: str | None = None,
    text: str | None = None,
    pupil: User | None = None,
    corrects: IncidentEntry | None = None,
) -> IncidentEntry:
    """Add one line to an incident's chronology, checked for its kind."""
    if kind not in KINDS or kind in (OPENED, REPORT, LESSON, GUIDE):
        raise SafeguardingError("kind", _l("That is not something the log records."))
    allowed = ALLOWED_VALUES.get(kind)
    if kind == SANCTION:
        allowed = {k for audience in AUDIENCES for k, _label in
                   sanction_options(incident.school_id, audience)}  # fmt: skip
    if allowed is not None and value not in allowed:
        raise SafeguardingError("value", _l("Choose one of the options."))
    if kind == TOPIC:
        from app.content.topics import TOPIC_IDS

        if value not in TOPIC_IDS:
            raise SafeguardingError("value", _l("Choose one of the options."))
    if kind not in ALLOWED_VALUES and kind != TOPIC:
        value = None
    words = _clean(text, TEXT_MAX if kind != PLATFORM else SHORT_MAX, "text")
    if kind in NEEDS_TEXT and words is None:
        raise SafeguardingError("text", _l("Write what happened."))
    if kind == PUPIL:
        if pupil is None or pupil.school_id != incident.school_id or pupil.role is not Role.PUPIL:
            raise SafeguardingError("pupil", _l("Choose a pupil of your school."))
    elif kind in (SANCTION, PARENTS):
        if pupil is not None and pupil.id not in pupils_of(incident):
            raise SafeguardingError("pupil", _l("Choose a pupil involved in this incident."))
    else:
        pupil = None
    pupil_keys = {k for k, _label in sanction_options(incident.school_id, "pupil")}
    if kind == SANCTION and value in pupil_keys and pupil is None:
        raise SafeguardingError("pupil", _l("Choose the pupil this sanction is for."))
    if kind == CORRECTION:
        if corrects is None or corrects.incident_id != incident.id or corrects.text is None:
            raise SafeguardingError("corrects", _l("Choose the entry this corrects."))
    else:
        corrects = None
    entry = IncidentEntry(
        author_id=author.id,
        kind=kind,
        value=value,
        text=words,
        pupil_id=pupil.id if pupil else None,
        corrects_id=corrects.id if corrects else None,
    )
    incident.entries.append(entry)
    return entry


def pupils_of(incident: Incident) -> dict[int, str]:
    """Each pupil involved and their latest recorded part, in the order they were added."""
    parts: dict[int, str] = {}
    for entry in incident.entries:
        if entry.kind == PUPIL and entry.pupil_id is not None:
            parts[entry.pupil_id] = entry.value or "unknown"
    return parts


@dataclass
class State:
    """An incident as it stands: the latest entry of each kind, and the lists of the others."""

    incident: Incident
    pupils: list[tuple[User, str]] = field(default_factory=list)
    category: str | None = None
    topic: str | None = None
    platform: str | None = None
    status: str = "open"
    outcome: str | None = None
    reports: list[SafeguardingReport] = field(default_factory=list)
    referrals: list[IncidentEntry] = field(default_factory=list)
    sanctions: list[IncidentEntry] = field(default_factory=list)
    parents: list[IncidentEntry] = field(default_factory=list)
    corrected: dict[int, list[IncidentEntry]] = field(default_factory=dict)

    @property
    def closed(self) -> bool:
        """Whether the incident is closed."""
        return self.status == "closed"


def state(incident: Incident) -> State:
    """Work out an incident's state from its entries."""
    found = State(incident)
    people = pupils_of(incident)
    users = {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(list(people))))}
    found.pupils = [(users[pid], part) for pid, part in people.items() if pid in users]
    for entry in incident.entries:
        if entry.kind == CATEGORY:
            found.category = entry.value
        elif entry.kind == TOPIC:
            found.topic = entry.value
        elif entry.kind == PLATFORM:
            found.platform = entry.text
        elif entry.kind == STATUS:
            found.status, found.outcome = entry.value or "open", entry.text
        elif entry.kind in (OPENED, REPORT) and entry.report_id is not None:
            found.reports.append(db.session.get(SafeguardingReport, entry.report_id))
        elif entry.kind == REFERRAL:
            found.referrals.append(entry)
        elif entry.kind == SANCTION:
            found.sanctions.append(entry)
        elif entry.kind == PARENTS:
            found.parents.append(entry)
        elif entry.kind == CORRECTION and entry.corrects_id is not None:
            found.corrected.setdefault(entry.corrects_id, []).append(entry)
    return found


def incidents(school_id: int) -> list[State]:
    """Every incident of the school, newest first, each with its state."""
    rows = db.session.scalars(
        sa.select(Incident)
        .where(Incident.school_id == school_id)
        .order_by(Incident.opened_at.desc(), Incident.id.desc())
    )
    return [state(incident) for incident in rows]


def incidents_of_pupil(pupil: User) -> list[State]:
    """Every incident a pupil is involved in (their file), oldest first."""
    ids = sa.select(IncidentEntry.incident_id).where(
        IncidentEntry.kind == PUPIL, IncidentEntry.pupil_id == pupil.id
    )
    rows = db.session.scalars(
        sa.select(Incident)
        .where(Incident.school_id == pupil.school_id, Incident.id.in_(ids))
        .order_by(Incident.opened_at, Incident.id)
    )
    return [state(incident) for incident in rows]


def reports_about(pupil: User) -> list[SafeguardingReport]:
    """Every report about a pupil, oldest first (for their file)."""
    return list(
        db.session.scalars(
            sa.select(SafeguardingReport)
            .join(ReportPupil, ReportPupil.report_id == SafeguardingReport.id)
            .where(ReportPupil.pupil_id == pupil.id)
            .order_by(SafeguardingReport.created_at, SafeguardingReport.id)
        )
    )


def pupil_in_school(dsl: User, pupil_id: int) -> User:
    """A pupil of the DSL's own school, else NotFound."""
    pupil = db.session.get(User, pupil_id)
    if pupil is None or pupil.school_id != dsl.school_id or pupil.role is not Role.PUPIL:
        raise NotFound()
    return pupil


def school_pupils(school_id: int) -> list[User]:
    """The school's pupils on roll, by year and name (for choosing who a concern is about)."""
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.school_id == school_id, User.role == Role.PUPIL, User.active.is_(True))
            .order_by(User.year, User.display_name)
        )
    )


# ---- Counts for governors ---------------------------------------------------------------------

SMALL = 3
"""Counts below this are shown as "fewer than 3", so a governor cannot pick out a child."""


def counts_by(school_id: int, start: date, end: date) -> dict[str, Counter]:
    """Incidents opened between start and end (inclusive), counted by category and key stage.

    Each incident counts once per category (uncategorised ones as "none") and once for each
    key stage of the pupils involved; no name or id leaves this function.
    """
    by_category: Counter = Counter()
    by_stage: Counter = Counter()
    rows = db.session.scalars(
        sa.select(Incident).where(
            Incident.school_id == school_id,
            Incident.opened_at >= datetime.combine(start, time()),
            Incident.opened_at < datetime.combine(end + timedelta(days=1), time()),
        )
    )
    for incident in rows:
        found = state(incident)
        by_category[found.category or "none"] += 1
        stages = {key_stage(p.year) for p, _part in found.pupils if p.year is not None}
        for stage in stages:
            by_stage[stage] += 1
    return {"category": by_category, "stage": by_stage}


@dataclass(frozen=True)
class TermCounts:
    """One term's incidents counted by category and by key stage (counts only)."""

    term: object  # school_calendar.Term
    category: Counter
    stage: Counter


def governors_counts(school, today: date) -> list[TermCounts]:
    """This school year's terms so far, each with its incidents counted for governors."""
    from app.services import school_calendar

    terms, day = [], school_calendar.year_start(school, today)
    while day <= today:
        term = school_calendar.term_of(school, day)
        terms.append(term)
        day = term.end + timedelta(days=1)
    found = []
    for term in terms:
        counts = counts_by(school.id, term.start, term.end)
        found.append(TermCounts(term, counts["category"], counts["stage"]))
    return found


def shown_count(n: int) -> str | int:
    """A count as governors see it: 1 and 2 become "fewer than 3" (0 and 3 up are exact)."""
    return _l("fewer than %(n)s", n=SMALL) if 0 < n < SMALL else n


CLUSTER = 2
"""Incidents on one topic in one year group that make a cluster (within one school year)."""


@dataclass(frozen=True)
class Cluster:
    """Incidents clustering on a topic in a year group where it was not taught this year."""

    year: int
    topic: str
    incidents: int


def clusters(school, today: date) -> list[Cluster]:
    """Year groups with CLUSTER or more incidents on a topic this school year, where no lesson
    on that topic was taught in class or completed by a pupil of the year group this year.

    An incident counts for the year group of each pupil involved (once per year group); only
    incidents whose topic the DSL set count. Counts only: nothing names a child.
    """
    from app.reporting import coverage

    window = coverage.window(school, today)
    per: Counter = Counter()
    rows = db.session.scalars(
        sa.select(Incident).where(
            Incident.school_id == school.id,
            Incident.opened_at >= datetime.combine(window.start, time()),
            Incident.opened_at < datetime.combine(window.end, time()),
        )
    )
    for incident in rows:
        found = state(incident)
        if not found.topic:
            continue
        for year in {p.year for p, _part in found.pupils if p.year is not None}:
            per[(year, found.topic)] += 1
    if not any(n >= CLUSTER for n in per.values()):
        return []
    matrix = coverage.matrix([school], "topic", today)
    found_clusters = []
    for (year, topic), n in sorted(per.items()):
        cell = matrix.cell(topic, year)
        if n >= CLUSTER and not (cell.taught or cell.completers):
            found_clusters.append(Cluster(year, topic, n))
    return found_clusters


def shared_guides(parent: User) -> list[str]:
    """The ids of guides the school shared with this parent (for any of their children),
    newest first; nothing about why is ever shown to them."""
    children = [child.id for child in parent.children]
    if not children:
        return []
    rows = db.session.scalars(
        sa.select(IncidentEntry.value)
        .where(IncidentEntry.kind == GUIDE, IncidentEntry.pupil_id.in_(children))
        .order_by(IncidentEntry.id.desc())
    )
    return list(dict.fromkeys(value for value in rows if value))


# ---- The school's sanctions matrices ---------------------------------------------------------

AUDIENCES = ("pupil", "staff")
DEFAULT_SANCTIONS = {"pupil": PUPIL_SANCTIONS, "staff": STAFF_SANCTIONS}
OWN_MAX = 60
"""How many sanctions of its own a school may add to each matrix."""


def _option_rows(school_id: int) -> dict[str, SanctionOption]:
    """The latest change to each key of the school's matrices."""
    rows = db.session.scalars(
        sa.select(SanctionOption)
        .where(SanctionOption.school_id == school_id)
        .order_by(SanctionOption.id)
    )
    return {row.key: row for row in rows}


def sanction_matrix(school_id: int, audience: str) -> list[tuple[str, object, bool]]:
    """Every sanction of one matrix, default or the school's own: (key, label, shown)."""
    latest = _option_rows(school_id)
    found = [(key, label, latest[key].shown if key in latest else True)
             for key, label in DEFAULT_SANCTIONS[audience].items()]  # fmt: skip
    found += [(key, row.label, row.shown) for key, row in latest.items()
              if row.audience == audience and key not in SANCTIONS]  # fmt: skip
    return found


def sanction_options(school_id: int, audience: str) -> list[tuple[str, object]]:
    """The sanctions the DSL may choose for pupils or for staff (those shown)."""
    return [(key, label) for key, label, shown in sanction_matrix(school_id, audience) if shown]


def sanction_labels(school_id: int) -> dict[str, object]:
    """Every sanction's name by key, hidden ones too (a past entry still reads right)."""
    return {key: label for audience in AUDIENCES
            for key, label, _shown in sanction_matrix(school_id, audience)}  # fmt: skip


def change_sanction(dsl: User, audience: str, key: str, shown: bool) -> SanctionOption:
    """Show or hide one sanction of a matrix (a new row; the history stays)."""
    if audience not in AUDIENCES or key not in {
        k for k, _l, _s in sanction_matrix(dsl.school_id, audience)
    }:
        raise SafeguardingError("key", _l("Choose one of the options."))
    previous = _option_rows(dsl.school_id).get(key)
    row = SanctionOption(school_id=dsl.school_id, audience=audience, key=key, shown=shown,
                         label=previous.label if previous else None,
                         changed_by_id=dsl.id)  # fmt: skip
    db.session.add(row)
    return row


def add_sanction(dsl: User, audience: str, label: str | None) -> SanctionOption:
    """Add a sanction of the school's own to a matrix."""
    if audience not in AUDIENCES:
        raise SafeguardingError("audience", _l("Choose pupils or staff."))
    words = _clean(label, SHORT_MAX, "label")
    if words is None:
        raise SafeguardingError("label", _l("Name the sanction."))
    matrix = sanction_matrix(dsl.school_id, audience)
    if any(str(existing).casefold() == words.casefold() for _k, existing, _s in matrix):
        raise SafeguardingError("label", _l("That sanction is already in the matrix."))
    own = [k for k, _l, _s in matrix if k not in SANCTIONS]
    if len(own) >= OWN_MAX:
        raise SafeguardingError("label", _l("A matrix can hold %(n)s of your own.", n=OWN_MAX))
    count = db.session.scalar(
        sa.select(sa.func.count()).select_from(SanctionOption)
        .where(SanctionOption.school_id == dsl.school_id)
    )  # fmt: skip
    row = SanctionOption(school_id=dsl.school_id, audience=audience, key=f"own-{count + 1}",
                         label=words, shown=True, changed_by_id=dsl.id)  # fmt: skip
    db.session.add(row)
    return row
