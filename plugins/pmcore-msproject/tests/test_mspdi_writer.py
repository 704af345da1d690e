"""The MSPDI writer, checked against Microsoft's MSPDI schema and the files MS Project saved.

The schema and the samples live beside the checkout, in ``../shared/samples/mspdi`` (see its
SOURCES.md); they are never copied into this repository, and the tests that need them are
skipped when they are absent.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

import pmcore
import pmcore_msproject
from pmcore.errors import FormatError
from pmcore.io.formats import ReadLimits, Writer
from pmcore.model import Calendar, Duration, DurationUnit, Project, WorkWeek
from pmcore.plugins import Plugins, make_plugin_manager
from pmcore_msproject import MspdiReader, MspdiWriter

SAMPLES = Path(__file__).resolve().parents[3] / ".." / "shared" / "samples" / "mspdi"
SCHEMA = SAMPLES / "schema" / "mspdi_pj15-correct.xsd"
NS = "{http://schemas.microsoft.com/project}"
SAMPLE_FILES = sorted(p.name for p in SAMPLES.glob("*.xml")) if SAMPLES.is_dir() else []
needs_samples = pytest.mark.skipif(
    not SAMPLES.is_dir(), reason=f"MSPDI samples not found at {SAMPLES} (../shared/samples/mspdi)")
needs_schema = pytest.mark.skipif(
    not SCHEMA.is_file(), reason=f"MSPDI schema not found at {SCHEMA}")


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    if not SCHEMA.is_file():
        pytest.skip(f"MSPDI schema not found at {SCHEMA}")
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def write(project: Project) -> bytes:
    buffer = io.BytesIO()
    MspdiWriter().write(project, buffer)
    return buffer.getvalue()


def read(data: bytes, source: str = "written.xml") -> Project:
    return MspdiReader().read(io.BytesIO(data), source=source, limits=ReadLimits())


def check_valid(schema: etree.XMLSchema, data: bytes) -> etree._Element:
    root = etree.fromstring(data)
    assert schema.validate(root), [str(e) for e in schema.error_log][:5]
    return root


def find(root: etree._Element, path: str) -> str:
    """The text at a path of local names, e.g. ``Tasks/Task[2]/Duration``."""
    element = root.find("/".join(NS + part for part in path.split("/")))
    assert element is not None, path
    return element.text or ""


def task_element(root: etree._Element, name: str) -> etree._Element:
    for task in root.iter(f"{NS}Task"):
        if task.findtext(f"{NS}Name") == name:
            return task
    raise AssertionError(f"no task {name!r}")


# ---------------------------------------------------------------------------- registration


def test_registers_the_mspdi_writer() -> None:
    pm = make_plugin_manager(plugins=[pmcore_msproject], entry_points=False)
    writer = Plugins(pm).writer("mspdi")
    assert isinstance(writer, Writer)
    assert writer.extensions == (".xml",)


def test_write_and_read_through_pmcore(tmp_path: Path) -> None:
    pm = make_plugin_manager(plugins=[pmcore_msproject], entry_points=False)
    project = Project("Refresh", start="2027-03-01")
    order = project.add_task("Order servers", "1d")
    project.add_task("Rack", "2d", after=order)
    target = tmp_path / "refresh.xml"
    pmcore.write(project, target, plugins=pm)  # chosen by the .xml suffix
    again = pmcore.read(target, plugins=pm)
    assert [(t.name, str(t.duration)) for t in again.tasks] == [("Order servers", "1d"),
                                                                 ("Rack", "2d")]
    assert pmcore.dumps(project, format="mspdi", plugins=pm) == target.read_text("utf-8")


# ---------------------------------------------------------------------------- every sample


@needs_samples
@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_every_sample_round_trips(name: str, schema: etree.XMLSchema) -> None:
    first = read((SAMPLES / name).read_bytes(), name)
    data = write(first)
    check_valid(schema, data)
    second = read(data, name)
    assert second == first
    assert pmcore.dumps(second) == pmcore.dumps(first)
    assert write(second) == data  # deterministic: the same project gives the same bytes
    outline = [(t.external_refs["msproject"], first.outline_number(t)) for t in first.tasks]
    assert [(t.external_refs["msproject"], second.outline_number(t))
            for t in second.tasks] == outline
    assert [t.custom_fields for t in second.tasks] == [t.custom_fields for t in first.tasks]


@needs_samples
def test_written_custom_fields_keep_ms_project_numbers(schema: etree.XMLSchema) -> None:
    root = check_valid(schema, write(read((SAMPLES / "mspextattr.xml").read_bytes())))
    task = task_element(root, "Task One")
    values = {e.findtext(f"{NS}FieldID"): e.findtext(f"{NS}Value")
              for e in task.iter(f"{NS}ExtendedAttribute")}
    # as Microsoft Project saved them in mspextattr.xml
    assert values == {"188743731": "Task Text One", "188743732": "2004-01-01T08:00:00",
                      "188743733": "2004-12-31T17:00:00", "188743786": "9995",
                      "188743945": "2004-07-18T08:00:00", "188743752": "1",
                      "188743767": "55.56", "188743783": "PT104H0M0S"}


@needs_samples
def test_recurring_exceptions_are_written_as_ms_project_saved_them() -> None:
    name = "calendar-recurring-exceptions-project2010-mspdi.xml"
    saved = etree.parse(str(SAMPLES / name)).getroot()
    written = etree.fromstring(write(read((SAMPLES / name).read_bytes())))
    fields = ("EnteredByOccurrences", "Occurrences", "Name", "Type", "DaysOfWeek", "MonthItem",
              "MonthPosition", "Month", "MonthDay", "DayWorking")

    def exceptions(root: etree._Element) -> list[dict[str, str | None]]:
        return [{f: e.findtext(f"{NS}{f}") for f in fields}
                | {"From": e.findtext(f"{NS}TimePeriod/{NS}FromDate"),
                   "To": e.findtext(f"{NS}TimePeriod/{NS}ToDate"),
                   "Period": e.findtext(f"{NS}Period") or "1"}
                for e in root.iter(f"{NS}Exception")]

    assert exceptions(written) == exceptions(saved)


# ---------------------------------------------------------------------------- hand-worked


@pytest.fixture
def plan() -> Project:
    project = Project("Plant upgrade", start="2027-01-04", status_date="2027-01-08",
                      manager="Ada", notes="Budget agreed")
    phase = project.add_task("Phase 1", wbs="P-1")
    design = project.add_task("Design", "3d", parent=phase, priority=700,
                              percent_complete=50, notes="see spec",
                              custom_fields={"risk": "high", "budget": Decimal("12.5")})
    review = project.add_task("Review", "1d?", parent=phase,
                              constraint=("SNET", "2027-01-11"), deadline="2027-01-20")
    cure = project.add_task("Cure", "2ed", parent=phase)
    build = project.add_task("Build", "2w", after=design)
    done = project.add_milestone("Done")
    project.link(review, build, type="SS")
    project.link(cure, done, lag="1ed")
    project.link(build, done, lag="50%")
    project.unlink(design, build)
    project.link(design, build, lag="2d")
    project.define_field("risk", "text", alias="Risk level", choices=("low", "high"))
    return project


def test_link_types_and_lags(plan: Project, schema: etree.XMLSchema) -> None:
    root = check_valid(schema, write(plan))
    build, done = task_element(root, "Build"), task_element(root, "Done")
    links = {(link.findtext(f"{NS}PredecessorUID"), link.findtext(f"{NS}Type"),
              link.findtext(f"{NS}LinkLag"), link.findtext(f"{NS}LagFormat"))
             for task in (build, done) for link in task.iter(f"{NS}PredecessorLink")}
    assert links == {
        ("2", "1", "9600", "7"),    # Design FS +2d: 2 x 480 min x 10
        ("3", "3", "0", "7"),       # Review SS
        ("4", "1", "14400", "8"),   # Cure FS +1ed: 1440 min x 10, elapsed days
        ("5", "1", "50", "19"),     # Build FS +50%: the percentage itself
    }


def test_task_values(plan: Project, schema: etree.XMLSchema) -> None:
    root = check_valid(schema, write(plan))
    phase, design, review = (task_element(root, n) for n in ("Phase 1", "Design", "Review"))
    cure = task_element(root, "Cure")

    def get(element: etree._Element, tag: str) -> str | None:
        return element.findtext(f"{NS}{tag}")

    assert [get(phase, t) for t in ("UID", "ID", "WBS", "OutlineNumber", "OutlineLevel",
                                    "Summary")] == ["1", "1", "P-1", "1", "1", "1"]
    assert [get(design, t) for t in ("OutlineNumber", "OutlineLevel", "Duration",
                                     "DurationFormat", "Priority", "PercentComplete",
                                     "ActualDuration", "RemainingDuration", "Notes",
                                     "ConstraintType", "CalendarUID")] == [
        "1.1", "2", "PT24H0M0S", "7", "700", "50", "PT12H0M0S", "PT12H0M0S", "see spec", "0",
        "-1"]
    assert [get(review, t) for t in ("Duration", "DurationFormat", "Estimated",
                                     "ConstraintType", "ConstraintDate", "Deadline")] == [
        "PT8H0M0S", "39", "1", "4", "2027-01-11T08:00:00", "2027-01-20T17:00:00"]
    assert (get(cure, "Duration"), get(cure, "DurationFormat")) == ("PT48H0M0S", "8")
    assert get(task_element(root, "Done"), "Milestone") == "1"
    summary = root.find(f"{NS}Tasks/{NS}Task")
    assert summary is not None
    assert [get(summary, t) for t in ("UID", "OutlineLevel", "Notes")] == ["0", "0",
                                                                           "Budget agreed"]
    assert [find(root, t) for t in ("Title", "Manager", "StartDate", "StatusDate",
                                    "MinutesPerDay", "CalendarUID")] == [
        "Plant upgrade", "Ada", "2027-01-04T08:00:00", "2027-01-08T17:00:00", "480", "1"]


def test_custom_fields_take_free_ms_project_fields(plan: Project,
                                                   schema: etree.XMLSchema) -> None:
    root = check_valid(schema, write(plan))
    definitions = {e.findtext(f"{NS}FieldName"): (e.findtext(f"{NS}FieldID"),
                                                 e.findtext(f"{NS}CFType"),
                                                 e.findtext(f"{NS}Alias"))
                   for e in root.iter(f"{NS}ExtendedAttribute") if e.getparent().tag.endswith(
                       "ExtendedAttributes")}
    assert definitions == {"Text1": ("188743731", "7", "Risk level"),
                           "Cost1": ("188743786", "0", "budget")}
    values = {e.findtext(f"{NS}FieldID"): e.findtext(f"{NS}Value")
              for e in task_element(root, "Design").iter(f"{NS}ExtendedAttribute")}
    assert values == {"188743731": "high", "188743786": "1250"}  # cost in hundredths
    again = read(write(plan))
    assert again.find("Design").custom_fields == {"Text1": "high", "Cost1": Decimal("12.5")}
    assert again.field_definitions["Text1"].label == "Risk level"
    assert again.field_definitions["Text1"].choices == ("low", "high")
    assert again.field_definitions["Cost1"].label == "budget"  # the key became the alias


def test_baselines_round_trip(plan: Project, schema: etree.XMLSchema) -> None:
    plan.save_baseline(plan.schedule(), saved_at="2027-01-01T09:00")
    plan.save_baseline(plan.schedule(), number=10, tasks=plan.find("Design"),
                       saved_at="2027-01-02")
    root = check_valid(schema, write(plan))
    baselines = task_element(root, "Design").findall(f"{NS}Baseline")
    saved = plan.find("Design").baselines[0]
    start, finish = saved.start.isoformat(), saved.finish.isoformat()
    assert [[b.findtext(f"{NS}{t}") for t in ("Number", "Start", "Finish", "Duration",
                                             "DurationFormat")] for b in baselines] == [
        ["0", start, finish, "PT24H0M0S", "7"], ["10", start, finish, "PT24H0M0S", "7"]]
    again = read(write(plan))
    for task in plan.tasks:
        kept = again.find(task.name).baselines
        assert {n: (b.start, b.finish, b.duration) for n, b in kept.items()} == {
            n: (b.start, b.finish, b.duration) for n, b in task.baselines.items()}


def test_everything_else_reads_back(plan: Project) -> None:
    again = read(write(plan))
    assert (again.name, again.manager, again.notes, again.id) == (
        plan.name, plan.manager, plan.notes, plan.id)
    assert (again.start, again.status_date) == (plan.start, plan.status_date)
    fields = ("name", "duration", "milestone", "constraint", "deadline", "priority",
              "percent_complete", "notes", "wbs")
    assert [tuple(getattr(t, f) for f in fields) for t in again.tasks] == [
        tuple(getattr(t, f) for f in fields) for t in plan.tasks]
    assert [(again.task(d.predecessor).name, again.task(d.successor).name, d.type, d.lag)
            for d in again.dependencies] == [
        (plan.task(d.predecessor).name, plan.task(d.successor).name, d.type, d.lag)
        for d in sorted(plan.dependencies, key=lambda d: [t.id for t in plan.tasks].index(
            d.successor))]
    assert again.schedule().finish == plan.schedule().finish


# ---------------------------------------------------------------------------- calendars


def test_calendars_and_recurring_exceptions(schema: etree.XMLSchema) -> None:
    project = Project("Calendars", start="2027-01-04")
    standard = project.calendars["standard"]
    standard.add_holiday("Christmas", "2027-12-25", recurrence="FREQ=YEARLY;BYMONTH=12;"
                         "BYMONTHDAY=25", until="2030-12-31")
    standard.add_holiday("Patch day", "2027-01-01", recurrence="FREQ=MONTHLY;BYDAY=2TU")
    standard.add_exception("Odd days", "2027-02-01", "2027-03-31",
                           recurrence="FREQ=DAILY;BYMONTHDAY=3,5")  # no MS Project pattern
    standard.add_exception("Saturday shift", "2027-05-01", "2027-05-29",
                           recurrence="FREQ=WEEKLY;BYDAY=SA", working_times=["09:00-13:00"])
    night = project.add_calendar("Night", base="standard")
    night.week = WorkWeek({"mon": ["22:00-24:00"]})
    night.add_work_week("Summer", "2027-06-01", "2027-08-31", {"fri": []})
    project.calendars["24h"] = Calendar.twenty_four_hours(id="24h")
    root = check_valid(schema, write(project))
    exceptions = {e.findtext(f"{NS}Name"): e for e in root.iter(f"{NS}Exception")}

    def fields(name: str, *tags: str) -> list[str | None]:
        return [exceptions[name].findtext(f"{NS}{t}") for t in tags]

    assert fields("Christmas", "Type", "Month", "MonthDay") == ["2", "11", "25"]
    assert fields("Patch day", "Type", "Period", "MonthItem", "MonthPosition") == [
        "5", "1", "5", "1"]  # Tuesday, second
    assert fields("Saturday shift", "Type", "DaysOfWeek", "DayWorking") == ["6", "64", "1"]
    # the unbounded patch day stops on MS Project's last date
    assert exceptions["Patch day"].findtext(f"{NS}TimePeriod/{NS}ToDate") == \
        "2049-12-31T23:59:00"
    again = read(write(project))
    for calendar_id, read_id in (("standard", "cal-1"), ("night", "cal-2"), ("24h", "cal-3")):
        before = project.effective_calendar(calendar_id)
        after = again.effective_calendar(read_id)
        first, last = dt.date(2027, 1, 1), dt.date(2031, 12, 31)
        assert after.working_times_between(first, last) == \
            before.working_times_between(first, last), calendar_id
    assert again.calendars["cal-2"].base == "cal-1"
    assert [str(t) for t in again.calendars["cal-3"].week.days[0] or ()] == ["00:00-24:00"]


# ---------------------------------------------------------------------------- refused


def test_refuses_what_mspdi_cannot_hold() -> None:
    long_name = Project("x" * 513)
    with pytest.raises(FormatError, match="512"):
        write(long_name)
    control = Project("Demo")
    control.add_task("Bell\x07")
    with pytest.raises(FormatError, match="control characters"):
        write(control)
    busy = Project("Demo")
    busy.calendars["standard"].week = WorkWeek.standard()
    busy.calendars["standard"].add_exception(
        "Shifts", "2027-01-04", working_times=[f"{h:02d}:00-{h:02d}:30" for h in range(6)])
    with pytest.raises(FormatError, match="at most 5"):
        write(busy)
    crowded = Project("Demo")
    crowded.add_task("A", custom_fields={f"note {n}": "x" for n in range(31)})
    with pytest.raises(FormatError, match="only 30 task fields for text"):
        write(crowded)


def test_durations_in_every_unit_read_back() -> None:
    project = Project("Units", start="2027-01-04", options={"minutes_per_day": 450})
    texts = ["90m", "1.5h", "2.25d", "3w", "1mo", "45em", "5eh", "1.5ed", "2ew", "1emo",
             "0.333333333d", "7d?"]
    for number, text in enumerate(texts):
        project.add_task(f"T{number}", text)
    again = read(write(project))
    assert [t.duration for t in again.tasks] == [Duration.parse(t) for t in texts]
    assert again.options.minutes_per_day == 450
    assert again.tasks[3].duration == Duration(3, DurationUnit.WEEKS)
