"""Write a made-up OneRoster 1.2 CSV bulk export of a school or a trust, for timing imports.

Each school (URNs 900001, 900002, ...) has pupils in Years 1 to 11 (one registration class
each, and one Computing set for half of them), staff teaching two classes each, and parents
(most pupils have two; a parent of siblings has both children). Rows are written as they are
made, so even a 75,000-pupil trust export is written with flat memory. Names are made from short
lists: nothing here is anyone's real data.

Run: .venv/bin/python benchmarks/roster_export.py OUT_FOLDER [--schools 1] [--pupils 1500]
     [--staff 150] [--parents 2500] [--classes 60]
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

GIVEN = ["Amara", "Ben", "Chloe", "Dev", "Efua", "Finn", "Grace", "Hamza", "Isla", "Jamal",
         "Kasia", "Leo", "Maya", "Noah", "Olivia", "Priya", "Ryan", "Sofia", "Tom",
         "Zara"]  # fmt: skip
FAMILY = ["Ahmed", "Brown", "Carter", "Davies", "Evans", "Frost", "Green", "Hughes", "Iqbal",
          "Jones", "Khan", "Lewis", "Morgan", "Nowak", "Owen", "Patel", "Roberts", "Shah",
          "Taylor", "Williams"]  # fmt: skip
STAMP = "2026-09-01T06:00:00.000Z"
USERS = ["sourcedId", "status", "dateLastModified", "enabledUser", "username", "userIds",
         "givenName", "familyName", "middleName", "identifier", "email", "sms", "phone",
         "agentSourcedIds", "grades", "password", "userMasterIdentifier", "resourceSourcedIds",
         "preferredGivenName", "preferredMiddleName", "preferredFamilyName", "primaryOrg",
         "pronouns"]  # fmt: skip


def name(n: int) -> tuple[str, str]:
    """A made-up given and family name for the n-th person."""
    return GIVEN[n % len(GIVEN)], FAMILY[(n // len(GIVEN)) % len(FAMILY)]


def write(out: Path, schools: int, pupils: int, staff: int, parents: int, classes: int) -> None:
    """Write manifest, orgs, sessions, courses, classes, users, roles and enrollments."""
    out.mkdir(parents=True, exist_ok=True)
    files = {n: (out / f"{n}.csv").open("w", newline="", encoding="utf-8") for n in (
        "manifest", "orgs", "academicSessions", "courses", "classes", "users", "roles",
        "enrollments")}  # fmt: skip
    w = {n: csv.writer(f, lineterminator="\r\n") for n, f in files.items()}
    w["manifest"].writerows([["propertyName", "value"], ["manifest.version", "1.0"],
                             ["oneroster.version", "1.2"]])  # fmt: skip
    for part in ("academicSessions", "classes", "courses", "enrollments", "orgs", "users", "roles"):
        w["manifest"].writerow([f"file.{part}", "bulk"])
    w["orgs"].writerow(["sourcedId", "status", "dateLastModified", "name", "type", "identifier",
                        "parentSourcedId"])  # fmt: skip
    w["orgs"].writerow(["trust", "active", STAMP, "Benchmark Learning Trust", "district", "", ""])
    w["academicSessions"].writerows([
        ["sourcedId", "status", "dateLastModified", "title", "type", "startDate", "endDate",
         "parentSourcedId", "schoolYear"],
        ["y2026", "active", STAMP, "2026/27", "schoolYear", "2026-09-01", "2027-07-23", "", "2027"],
    ])  # fmt: skip
    w["courses"].writerow(["sourcedId", "status", "dateLastModified", "schoolYearSourcedId",
                           "title", "courseCode", "grades", "orgSourcedId", "subjects",
                           "subjectCodes"])  # fmt: skip
    w["classes"].writerow(["sourcedId", "status", "dateLastModified", "title", "grades",
                           "courseSourcedId", "classCode", "classType", "location",
                           "schoolSourcedId", "termSourcedIds", "subjects", "subjectCodes",
                           "periods"])  # fmt: skip
    w["users"].writerow(USERS)
    w["roles"].writerow(["sourcedId", "status", "dateLastModified", "userSourcedId", "roleType",
                         "role", "beginDate", "endDate", "orgSourcedId",
                         "userProfileSourcedId"])  # fmt: skip
    w["enrollments"].writerow(["sourcedId", "status", "dateLastModified", "classSourcedId",
                               "schoolSourcedId", "userSourcedId", "role", "primary",
                               "beginDate", "endDate"])  # fmt: skip
    for s in range(schools):
        _school(w, s, pupils, staff, parents, classes)
    for handle in files.values():
        handle.close()


def _user(w, org: str, sid: str, role: str, n: int, grade: str = "", agents: str = "") -> None:
    """One users.csv row and its roles.csv row."""
    given, family = name(n)
    w["users"].writerow([sid, "active", STAMP, "true", "", "", given, family, "", sid, "", "",
                         "", agents, grade, "", "", "", "", "", "", org, ""])  # fmt: skip
    w["roles"].writerow([f"r-{sid}", "active", STAMP, sid, "primary", role, "", "", org, ""])


def _school(w, s: int, pupils: int, staff: int, parents: int, classes: int) -> None:
    """One school's org, courses, classes, people and enrollments."""
    org = f"org{s}"
    w["orgs"].writerow([org, "active", STAMP, f"Benchmark School {s + 1}", "school",
                        str(900001 + s), "trust"])  # fmt: skip
    w["courses"].writerow([f"{org}-reg", "active", STAMP, "y2026", "Registration", "REG", "",
                           org, "", ""])  # fmt: skip
    registration = classes * 2 // 3
    per_year = max(1, registration // 11)
    class_ids = []
    for c in range(classes):
        year = 1 + (c // per_year) % 11 if c < registration else 1 + c % 11
        title = f"{year}{'ABCDEFGHJK'[c % per_year % 10]}{c}" if c < registration else (
            f"Computing {year} set {c}")  # fmt: skip
        sid = f"{org}-c{c}"
        class_ids.append((sid, year, c < registration))
        w["classes"].writerow([sid, "active", STAMP, title, f"{year:02d}", f"{org}-reg", title,
                               "homeroom" if c < registration else "scheduled", "", org, "y2026",
                               "", "", ""])  # fmt: skip
    by_year: dict[int, list[str]] = {}
    sets: dict[int, list[str]] = {}
    for sid, year, is_registration in class_ids:
        (by_year if is_registration else sets).setdefault(year, []).append(sid)
    enrolment = 0
    pupil_parents: dict[int, list[str]] = {}
    for p in range(parents):
        pupil_parents.setdefault(p % pupils, []).append(f"{org}-g{p}")
    for p in range(pupils):
        year = 1 + p % 11
        sid = f"{org}-p{p}"
        _user(w, org, sid, "student", p + s, f"{year:02d}", ",".join(pupil_parents.get(p, [])))
        mine = [by_year[year][p % len(by_year[year])]]
        if p % 2 and year in sets:
            mine.append(sets[year][p % len(sets[year])])
        for cls in mine:
            enrolment += 1
            w["enrollments"].writerow([f"{org}-e{enrolment}", "active", STAMP, cls, org, sid,
                                       "student", "false", "", ""])  # fmt: skip
    for p in range(parents):
        child = p % pupils
        _user(w, org, f"{org}-g{p}", "parent", p + 7 + s, agents=f"{org}-p{child}")
    for t in range(staff):
        sid = f"{org}-t{t}"
        _user(w, org, sid, "teacher", t + 3 + s)
        for cls in {class_ids[t % classes][0], class_ids[(t + 7) % classes][0]}:
            enrolment += 1
            w["enrollments"].writerow([f"{org}-e{enrolment}", "active", STAMP, cls, org, sid,
                                       "teacher", "true", "", ""])  # fmt: skip


def main() -> None:
    """Parse the arguments and write the export."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    for option, default in (("schools", 1), ("pupils", 1500), ("staff", 150),
                            ("parents", 2500), ("classes", 60)):  # fmt: skip
        parser.add_argument(f"--{option}", type=int, default=default)
    args = parser.parse_args()
    write(args.out, args.schools, args.pupils, args.staff, args.parents, args.classes)


if __name__ == "__main__":
    main()
