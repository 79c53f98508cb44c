"""Incidents as CSV rows, in the shape a school pastes into CPOMS or MyConcern.

One row per pupil per incident (both systems file an incident under each student); the column
names follow theirs where they overlap ("Student", "Date/Time", "Categories", "Incident",
"Actions", "Status"). Every cell is made safe against CSV formula injection by to_csv.
"""

from __future__ import annotations

from flask_babel import gettext as _

from app.content.topics import TOPICS
from app.models import User
from app.services import safeguarding as sg
from app.services.school_calendar import today


def export_name(what: str) -> str:
    """A download name saying what it is and the day."""
    return f"safeguarding-{what}-{today().isoformat()}.csv"


def _when(entry) -> str:
    """An entry's time as a CSV shows it."""
    return entry.at.strftime("%Y-%m-%d %H:%M")


def _chronology(found: sg.State) -> str:
    """Every action, note and correction in order, one per line, with who and when."""
    lines = []
    for entry in found.incident.entries:
        if entry.kind in (sg.ACTION, sg.CORRECTION) and entry.text:
            prefix = ""
            if entry.corrects_id:
                prefix = _("Correction of entry %(n)s: ", n=entry.corrects_id)
            lines.append(f"{_when(entry)} {entry.author.display_name}: {prefix}{entry.text}")
    return "\n".join(lines)


def _coded(entries, labels, pupil_id: int | None = None) -> str:
    """Referrals or sanctions as "label (note)" lines, for one pupil or all."""
    lines = []
    for entry in entries:
        if pupil_id is not None and entry.pupil_id not in (None, pupil_id):
            continue
        label = labels.get(entry.value, entry.value)
        label = label[0] if isinstance(label, tuple) else label
        note = f" ({entry.text})" if entry.text else ""
        lines.append(f"{_when(entry)} {label}{note}")
    return "\n".join(str(line) for line in lines)


def _report_words(report) -> str:
    """What a report said: its words, or what the pupil chose."""
    return report.text or str(sg.ABOUT_LABELS.get(report.about or "", ""))


def csv_rows(states: list[sg.State], only: User | None = None) -> list[list]:
    """A heading row, then one row per pupil per incident (only one pupil's rows if given)."""
    rows = [[
        _("Incident ID"), _("Student"), _("Username"), _("Year group"), _("Role in incident"),
        _("Date/Time"), _("Recorded by"), _("Categories"), _("Topic"), _("Platform"),
        _("Incident"), _("Actions"), _("Referrals"), _("Sanctions"), _("Parents informed"),
        _("Status"), _("Outcome"),
    ]]  # fmt: skip
    topics = {topic.id: str(topic.label) for topic in TOPICS}
    for found in states:
        labels = sg.sanction_labels(found.incident.school_id)
        words = "\n\n".join(
            f"{r.created_at:%Y-%m-%d %H:%M} {r.author.display_name}: {_report_words(r)}"
            for r in found.reports
        )
        for pupil, part in found.pupils:
            if only is not None and pupil.id != only.id:
                continue
            parents = "\n".join(
                f"{_when(e)} {e.text}" for e in found.parents if e.pupil_id in (None, pupil.id)
            )
            rows.append([
                found.incident.id, pupil.display_name, pupil.username,
                pupil.year if pupil.year is not None else "", str(sg.PARTS.get(part, part)),
                found.incident.opened_at.strftime("%Y-%m-%d %H:%M"),
                found.incident.opened_by.display_name,
                str(sg.CATEGORIES.get(found.category, "")) if found.category else "",
                topics.get(found.topic or "", ""), found.platform or "", words,
                _chronology(found), _coded(found.referrals, sg.REFERRALS),
                _coded(found.sanctions, labels, pupil.id), parents,
                str(sg.STATUSES.get(found.status, found.status)), found.outcome or "",
            ])  # fmt: skip
    return rows
