"""The MSPDI reader, checked against files saved by Microsoft Project.

The samples live beside the checkout, in ``../shared/samples/mspdi`` (see its SOURCES.md);
they are LGPL test data from MPXJ and are never copied into this repository.
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
from pmcore.io.formats import Reader, ReadLimits
from pmcore.model import Duration, DurationUnit, FieldType, LinkType, Project
from pmcore.plugins import Plugins, make_plugin_manager
from pmcore_msproject import MspdiReader, _fields

SAMPLES = Path(__file__).resolve().parents[3] / ".." / "shared" / "samples" / "mspdi"
NS = "{http://schemas.microsoft.com/project}"
needs_samples = pytest.mark.skipif(
    not SAMPLES.is_dir(), reason=f"MSPDI samples not found at {SAMPLES} (../shared/samples/mspdi)")
SAMPLE_FILES = sorted(p.name for p in SAMPLES.glob("*.xml")) if SAMPLES.is_dir() else []


def read_bytes(data: bytes, source: str = "test.xml") -> Project:
    return MspdiReader().read(io.BytesIO(data), source=source, limits=ReadLimits())


def read_sample(name: str) -> Project:
    with (SAMPLES / name).open("rb") as stream:
        return MspdiReader().read(stream, source=name, limits=ReadLimits())


def mspdi(body: str) -> bytes:
    return (f'<?xml version="1.0"?>\n<Project xmlns="http://schemas.microsoft.com/project">'
            f"<Name>Test</Name>{body}</Project>").encode()


# ---------------------------------------------------------------------------- registration


def test_registers_the_mspdi_reader() -> None:
    pm = make_plugin_manager(plugins=[pmcore_msproject], entry_points=False)
    reader = Plugins(pm).reader("mspdi")
    assert isinstance(reader, Reader)
    assert reader.extensions == (".xml",)


def test_sniffs_the_mspdi_namespace() -> None:
    reader = MspdiReader()
    assert reader.sniff(mspdi(""))
    assert reader.sniff(b'<Project xmlns="http://schemas.microsoft.com/project"/>')
    assert not reader.sniff(b'<?xml version="1.0"?><Project/>')
    assert not reader.sniff(b'<?xml version="1.0"?><Other xmlns="http://schemas.microsoft.com/'
                            b'project"/>')
    assert not reader.sniff(b'{"format": "pmcore"}')


@needs_samples
def test_reads_through_pmcore_read() -> None:
    pm = make_plugin_manager(plugins=[pmcore_msproject], entry_points=False)
    project = pmcore.read(SAMPLES / "mspdirelations.xml", format="mspdi", plugins=pm)
    assert len(project) == 5


# ---------------------------------------------------------------------------- every sample


@needs_samples
@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_every_sample_reads_and_validates(name: str) -> None:
    assert MspdiReader().sniff((SAMPLES / name).read_bytes()[:4096])
    project = read_sample(name)
    report = pmcore.validate(project)
    assert report.ok, [str(p) for p in report.errors]
    root = etree.parse(str(SAMPLES / name)).getroot()
    rows = [t for t in root.iter(f"{NS}Task")
            if t.findtext(f"{NS}UID") != "0" and t.findtext(f"{NS}IsNull") != "1"]
    assert len(project) == len(rows)
    assert {t.external_refs["msproject"] for t in project.tasks} == {
        t.findtext(f"{NS}UID") for t in rows}


@needs_samples
def test_task_names_and_outline_of_mspdipriority() -> None:
    project = read_sample("mspdipriority.xml")
    assert [(t.name, t.priority) for t in project.tasks] == [
        ("Do Not Level", 1000), ("Highest", 900), ("Very High", 800), ("Higher", 700),
        ("High", 600), ("Medium", 500), ("Low", 400), ("Lower", 300), ("Very Low", 200),
        ("Lowest", 100)]
    assert all(t.parent is None for t in project.tasks)


@needs_samples
def test_properties_and_tasks_of_mspdirelations() -> None:
    project = read_sample("mspdirelations.xml")
    assert project.name == "mspdirelations.xml"
    assert project.start == dt.datetime(2006, 9, 21, 8, 0)
    assert project.finish == dt.datetime(2006, 9, 25, 17, 0)
    assert project.calendar == "cal-1"
    assert project.options.minutes_per_day == 480
    assert [t.name for t in project.tasks] == ["Task 1", "Task 2", "Task 3", "Task 4", "Task 5"]
    first = project.tasks[0]
    assert first.id == "T1"
    assert first.external_refs["msproject"] == "1"
    assert first.duration == Duration(1, DurationUnit.DAYS, estimated=True)  # format 39 = d?
    assert first.start == dt.datetime(2006, 9, 21, 8, 0)
    assert first.finish == dt.datetime(2006, 9, 21, 17, 0)


@needs_samples
def test_link_types_and_lags_of_mspdirelations() -> None:
    project = read_sample("mspdirelations.xml")
    assert [(d.predecessor, d.successor, d.type, d.lag) for d in project.dependencies] == [
        ("T1", "T2", LinkType.FS, Duration(0, DurationUnit.DAYS)),
        ("T2", "T3", LinkType.SS, Duration(1, DurationUnit.DAYS)),  # LinkLag 4800
        ("T3", "T4", LinkType.FF, Duration(0, DurationUnit.DAYS)),
        ("T4", "T5", LinkType.SF, Duration(0, DurationUnit.DAYS)),
    ]


@needs_samples
def test_link_types_and_lags_of_task_links() -> None:
    project = read_sample("task-links-project2007-mspdi.xml")
    assert [(d.predecessor, d.successor, d.type, str(d.lag)) for d in project.dependencies] == [
        ("T1", "T2", LinkType.FS, "0d"),
        ("T3", "T4", LinkType.FS, "1d"),
        ("T5", "T6", LinkType.FS, "2d"),
        ("T7", "T8", LinkType.FS, "1w"),  # LagFormat 9: weeks
        ("T9", "T10", LinkType.FS, "2w"),
        ("T11", "T12", LinkType.SF, "2d"),
        ("T13", "T14", LinkType.SS, "2d"),
        ("T15", "T16", LinkType.FF, "2d"),
    ]


@needs_samples
def test_default_duration_format_falls_back_to_weeks() -> None:
    project = read_sample("DefaultDurationFormat.xml")
    (task,) = project.tasks
    assert task.name == "Task One"
    assert task.duration == Duration(2, DurationUnit.WEEKS)  # PT80H0M0S, DurationFormat 21


@needs_samples
def test_base_and_derived_calendars() -> None:
    project = read_sample("calendar-calendars-project2010-mspdi.xml")
    calendars = project.calendars
    assert calendars["cal-1"].name == "Standard"
    assert calendars["cal-1"].base is None
    assert calendars["cal-1"].week.is_complete
    derived = calendars["cal-5"]
    assert (derived.name, derived.base) == ("Resource One", "cal-1")
    assert derived.week.days == (None,) * 7  # not defined per weekday: inherits


@needs_samples
def test_recurring_calendar_exceptions() -> None:
    project = read_sample("calendar-recurring-exceptions-project2010-mspdi.xml")
    (calendar,) = project.calendars.values()
    exceptions = {e.name: e for e in calendar.exceptions}
    assert len(exceptions) == 27  # the flattened DayType=0 copies are skipped

    def days(name: str) -> list[dt.date]:
        exception = exceptions[name]
        return list(exception.occurrences(exception.start, dt.date(2030, 1, 1)))

    # Each one's last occurrence is the ToDate MS Project saved; the others checked by hand.
    assert days("Daily 2") == [dt.date(2000, 2, d) for d in (1, 4, 7, 10)]
    assert days("Weekly 2 Tuesday") == [dt.date(2001, 1, 2), dt.date(2001, 1, 16),
                                        dt.date(2001, 1, 30), dt.date(2001, 2, 13)]
    assert days("Monthly Relative 1") == [dt.date(2002, 1, 7), dt.date(2002, 3, 4),
                                          dt.date(2002, 5, 6)]  # every 2 months, 1st Monday
    assert days("Monthly Relative 5")[-1] == dt.date(2005, 1, 28)  # last Friday
    assert days("Monthly Absolute 1") == [dt.date(2003, 1, 1), dt.date(2003, 3, 1),
                                          dt.date(2003, 5, 1)]
    assert days("Yearly Relative 1") == [dt.date(2004, 3, 2), dt.date(2005, 3, 1),
                                         dt.date(2006, 3, 7), dt.date(2007, 3, 6)]
    assert days("Yearly Absolute 1") == [dt.date(2005, 2, 1), dt.date(2006, 2, 1),
                                         dt.date(2007, 2, 1)]
    assert exceptions["Weekly 1 Monday"].recurrence == (
        "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;WKST=SU;COUNT=3")
    for exception in exceptions.values():
        assert days(exception.name)[-1] == exception.finish
    working = exceptions["Recurring Working"]
    assert str(working.working_times[0]) == "09:00-13:00"
    assert days("Recurring Working") == [dt.date(2010, 1, 2), dt.date(2010, 2, 6),
                                         dt.date(2010, 3, 6)]  # first Saturday, monthly
    assert all(e.nonworking for name, e in exceptions.items() if name != "Recurring Working")


# ---------------------------------------------------------------------------- small documents


CALENDAR = """<Calendars><Calendar><UID>1</UID><Name>Std</Name><IsBaseCalendar>1</IsBaseCalendar>
<BaseCalendarUID>-1</BaseCalendarUID><WeekDays>
<WeekDay><DayType>1</DayType><DayWorking>0</DayWorking></WeekDay>
<WeekDay><DayType>2</DayType><DayWorking>1</DayWorking><WorkingTimes><WorkingTime>
<FromTime>00:00:00</FromTime><ToTime>00:00:00</ToTime></WorkingTime></WorkingTimes></WeekDay>
<WeekDay><DayType>0</DayType><DayWorking>0</DayWorking><TimePeriod>
<FromDate>2027-12-24T00:00:00</FromDate><ToDate>2027-12-26T23:59:00</ToDate></TimePeriod>
</WeekDay></WeekDays></Calendar></Calendars><CalendarUID>1</CalendarUID>"""


def test_reads_weekdays_24_hours_and_old_style_exceptions() -> None:
    project = read_bytes(mspdi(CALENDAR))
    calendar = project.calendars["cal-1"]
    assert project.calendar == "cal-1"
    assert str(calendar.week.days[0][0]) == "00:00-24:00"  # type: ignore[index]
    assert calendar.week.days[6] == ()  # Sunday off
    (holiday,) = calendar.exceptions
    assert (holiday.start, holiday.finish, holiday.recurrence) == (
        dt.date(2027, 12, 24), dt.date(2027, 12, 26), None)


def test_outline_levels_become_parents_and_summary_task_zero_is_skipped() -> None:
    tasks = """<Tasks>
    <Task><UID>0</UID><ID>0</ID><Name>Project</Name><OutlineLevel>0</OutlineLevel>
      <Summary>1</Summary></Task>
    <Task><UID>10</UID><ID>1</ID><Name>Phase</Name><OutlineLevel>1</OutlineLevel>
      <OutlineNumber>1</OutlineNumber><WBS>1</WBS><Summary>1</Summary></Task>
    <Task><UID>11</UID><ID>2</ID><Name>Work</Name><OutlineLevel>2</OutlineLevel>
      <OutlineNumber>1.1</OutlineNumber><WBS>A-1</WBS><Duration>PT4H0M0S</Duration>
      <DurationFormat>5</DurationFormat><ConstraintType>4</ConstraintType>
      <ConstraintDate>2027-01-05T08:00:00</ConstraintDate><CalendarUID>-1</CalendarUID>
      <Notes>hello</Notes><PercentComplete>50</PercentComplete></Task>
    <Task><UID>12</UID><ID>3</ID><IsNull>1</IsNull></Task>
    <Task><UID>13</UID><ID>4</ID><Name>Done</Name><OutlineLevel>1</OutlineLevel>
      <Milestone>1</Milestone><Duration>PT0H0M0S</Duration>
      <PredecessorLink><PredecessorUID>11</PredecessorUID><Type>3</Type>
      <LinkLag>-2400</LinkLag><LagFormat>5</LagFormat></PredecessorLink></Task>
    </Tasks>"""
    project = read_bytes(mspdi(tasks))
    assert [(t.id, t.name, t.parent) for t in project.tasks] == [
        ("T10", "Phase", None), ("T11", "Work", "T10"), ("T13", "Done", None)]
    phase, work, done = project.tasks
    assert phase.wbs is None
    assert phase.duration is None
    assert work.wbs == "A-1"
    assert work.duration == Duration(4, DurationUnit.HOURS)
    assert str(work.constraint) == "SNET 2027-01-05 08:00"
    assert (work.calendar, work.notes, work.percent_complete) == (None, "hello", 50)
    assert done.milestone
    (link,) = project.dependencies
    assert (link.type, link.lag) == (LinkType.SS, Duration(-4, DurationUnit.HOURS))


def test_percent_lag_is_linklag_itself() -> None:
    # LinkLag holds the percentage for LagFormat 19/20 (as MPXJ reads it), not tenths.
    tasks = """<Tasks><Task><UID>1</UID><Name>A</Name><OutlineLevel>1</OutlineLevel></Task>
    <Task><UID>2</UID><Name>B</Name><OutlineLevel>1</OutlineLevel><PredecessorLink>
    <PredecessorUID>1</PredecessorUID><Type>1</Type><LinkLag>50</LinkLag>
    <LagFormat>19</LagFormat></PredecessorLink></Task></Tasks>"""
    (link,) = read_bytes(mspdi(tasks)).dependencies
    assert link.lag == Duration(50, DurationUnit.PERCENT)


def test_accepts_any_order_and_unknown_elements() -> None:
    body = ("<Tasks><Task><Whatever><Deep/></Whatever><OutlineLevel>1</OutlineLevel>"
            "<Name>A</Name><UID>4</UID></Task></Tasks><Unknown>1</Unknown>"
            "<MinutesPerDay>450</MinutesPerDay>")
    project = read_bytes(mspdi(body))
    assert project.options.minutes_per_day == 450
    assert [t.name for t in project.tasks] == ["A"]


# ---------------------------------------------------------------------------- hostile and bad input


def test_refuses_xxe_without_reading_the_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    data = (f'<?xml version="1.0"?>\n<!DOCTYPE Project [<!ENTITY x SYSTEM "{secret.as_uri()}">'
            f'<!ENTITY net SYSTEM "http://127.0.0.1:9/x">]>\n'
            '<Project xmlns="http://schemas.microsoft.com/project"><Name>&x;&net;</Name>'
            "</Project>").encode()
    with pytest.raises(FormatError, match="DOCTYPE") as caught:
        read_bytes(data)
    assert "TOP-SECRET" not in str(caught.value)


def test_refuses_billion_laughs() -> None:
    entities = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    data = (f'<?xml version="1.0"?>\n<!DOCTYPE Project [<!ENTITY l0 "lol">{entities}]>\n'
            '<Project xmlns="http://schemas.microsoft.com/project"><Name>&l9;</Name>'
            "</Project>").encode()
    with pytest.raises(FormatError, match="DOCTYPE") as caught:
        read_bytes(data)
    assert "lollol" not in str(caught.value)


def test_malformed_xml_names_the_line() -> None:
    data = b'<?xml version="1.0"?>\n<Project xmlns="http://schemas.microsoft.com/project">\n' \
           b"<Name>x</Name>\n<Tasks>\n</Project>\n"
    with pytest.raises(FormatError) as caught:
        read_bytes(data, source="bad.xml")
    assert caught.value.line == 5
    assert caught.value.source == "bad.xml"


def test_invalid_value_names_the_element_path() -> None:
    tasks = ("<Tasks><Task><UID>7</UID><Name>A</Name><OutlineLevel>1</OutlineLevel>"
             "<Duration>eight hours</Duration></Task></Tasks>")
    with pytest.raises(FormatError) as caught:
        read_bytes(mspdi(tasks))
    assert caught.value.path == "Project/Tasks/Task[UID=7]/Duration"


def task(uid: int, fields: str, links: str = "") -> str:
    return (f"<Task><UID>{uid}</UID><ID>{uid}</ID><Name>T{uid}</Name>"
            f"<OutlineLevel>1</OutlineLevel>{fields}{links}</Task>")


def link(predecessor: str, lag: str = "0") -> str:
    return (f"<PredecessorLink><PredecessorUID>{predecessor}</PredecessorUID><Type>1</Type>"
            f"<LinkLag>{lag}</LinkLag><LagFormat>7</LagFormat></PredecessorLink>")


@pytest.mark.parametrize(("second", "path", "message"), [
    (task(2, "<Duration>eight hours</Duration>"), "Project/Tasks/Task[UID=2]/Duration",
     "invalid value 'eight hours'"),
    (task(2, "<Priority>x</Priority>"), "Project/Tasks/Task[UID=2]/Priority",
     "invalid value 'x'"),
    (task(2, "<Priority>1001</Priority>"), "Project/Tasks/Task[UID=2]", "priority"),
    (task(2, "", link("y")), "Project/Tasks/Task[UID=2]/PredecessorLink[1]/PredecessorUID",
     "invalid value 'y'"),
    (task(2, "", link("1", "z")), "Project/Tasks/Task[UID=2]/PredecessorLink[1]/LinkLag",
     "invalid value 'z'"),
    (task(2, "", link("2")), "Project/Tasks/Task[UID=2]/PredecessorLink[1]", "itself"),
])
def test_each_record_is_checked_after_records_with_the_same_fields(
        second: str, path: str, message: str) -> None:
    """Texts met before are converted once; a record whose text is new or wrong is still
    checked field by field, with its path."""
    first = task(1, "<Duration>PT8H0M0S</Duration><Priority>500</Priority>")
    third = task(3, "<Duration>PT8H0M0S</Duration><Priority>500</Priority>", link("1"))
    with pytest.raises(FormatError, match=message) as caught:
        read_bytes(mspdi(f"<Tasks>{third}{first}{second}</Tasks>"))
    assert caught.value.path == path


def test_values_the_reader_does_not_use_are_not_checked() -> None:
    """A constraint date of an ASAP task, the format of a summary's duration and the fields
    of a blank row are not read, so their values are not refused."""
    tasks = (task(1, "<ConstraintType>0</ConstraintType><ConstraintDate>soon</ConstraintDate>")
             + task(2, "<Summary>1</Summary><Duration>PT8H0M0S</Duration>"
                       "<DurationFormat>x</DurationFormat>")
             + "<Task><UID>3</UID><IsNull>1</IsNull><Duration>x</Duration></Task>"
             + task(4, "<ConstraintType>0</ConstraintType><ConstraintDate>soon</ConstraintDate>"))
    project = read_bytes(mspdi(f"<Tasks>{tasks}</Tasks>"))
    assert [t.id for t in project.tasks] == ["T1", "T2", "T4"]


def test_refuses_other_root_and_oversized_input() -> None:
    with pytest.raises(FormatError, match="not MSPDI"):
        read_bytes(b"<Project><Name>x</Name></Project>")
    with pytest.raises(FormatError, match="larger"):
        MspdiReader().read(io.BytesIO(mspdi("")), source="x", limits=ReadLimits(max_bytes=10))
    deep = mspdi("<a>" * 40 + "</a>" * 40)
    with pytest.raises(FormatError, match="deeper"):
        read_bytes(deep)


def test_refuses_a_doctype_in_utf16() -> None:
    text = ('<?xml version="1.0" encoding="UTF-16"?>\n<!-- c -->\n<!DOCTYPE Project [\n'
            '<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
            '<Project xmlns="http://schemas.microsoft.com/project"><Name>&x;</Name></Project>')
    with pytest.raises(FormatError, match="DOCTYPE"):
        read_bytes(b"\xff\xfe" + text.encode("utf-16-le"))


def test_installed_entry_point_registers_the_reader() -> None:
    from importlib.metadata import entry_points

    if not any(ep.name == "msproject" for ep in entry_points(group="pmcore")):
        pytest.skip("pmcore-msproject is not installed (pip install -e plugins/pmcore-msproject)")
    plugins = Plugins(make_plugin_manager())
    assert plugins.reader_for("plan.xml", mspdi("")).name == "mspdi"
    info = {i.name: i for i in plugins.describe()}["msproject"]
    assert info.registrations["pmcore_register_readers"] == ("mspdi", "mpp")


def test_exceptions_form_work_weeks_and_positions() -> None:
    calendar = """<Calendars><Calendar><UID>2</UID><Name>Derived</Name>
    <IsBaseCalendar>0</IsBaseCalendar><BaseCalendarUID>1</BaseCalendarUID>
    <WeekDays><WeekDay><DayType>7</DayType><DayWorking>1</DayWorking><WorkingTimes>
    <WorkingTime><FromTime>09:00:00</FromTime><ToTime>12:00:00</ToTime></WorkingTime>
    </WorkingTimes></WeekDay>
    <WeekDay><DayType>0</DayType><DayWorking>0</DayWorking><TimePeriod>
    <FromDate>2027-01-29T00:00:00</FromDate><ToDate>2027-01-29T23:59:00</ToDate></TimePeriod>
    </WeekDay></WeekDays>
    <Exceptions>
      <Exception><EnteredByOccurrences>0</EnteredByOccurrences><TimePeriod>
      <FromDate>2027-01-01T00:00:00</FromDate><ToDate>2027-03-31T23:59:00</ToDate></TimePeriod>
      <Name>Last weekday</Name><Type>5</Type><Period>1</Period><MonthItem>1</MonthItem>
      <MonthPosition>4</MonthPosition><DayWorking>0</DayWorking></Exception>
      <Exception><EnteredByOccurrences>1</EnteredByOccurrences><Occurrences>2</Occurrences>
      <TimePeriod><FromDate>2027-02-01T00:00:00</FromDate>
      <ToDate>2027-02-03T23:59:00</ToDate></TimePeriod><Name>Mon and Wed</Name>
      <Type>6</Type><Period>1</Period><DaysOfWeek>10</DaysOfWeek><DayWorking>0</DayWorking>
      </Exception>
    </Exceptions>
    <WorkWeeks><WorkWeek><TimePeriod><FromDate>2027-06-01T00:00:00</FromDate>
    <ToDate>2027-08-31T23:59:00</ToDate></TimePeriod><Name>Summer</Name><WeekDays>
    <WeekDay><DayType>6</DayType><DayWorking>1</DayWorking><WorkingTimes><WorkingTime>
    <FromTime>08:00:00</FromTime><ToTime>12:00:00</ToTime></WorkingTime></WorkingTimes>
    </WeekDay></WeekDays></WorkWeek></WorkWeeks></Calendar></Calendars>"""
    body = CALENDAR.replace("</Calendars>", "") + calendar.replace("<Calendars>", "")
    derived = read_bytes(mspdi(body)).calendars["cal-2"]
    assert derived.base == "cal-1"
    assert derived.week.days[:5] == (None,) * 5  # inherited from the base
    assert str(derived.week.days[5][0]) == "09:00-12:00"  # type: ignore[index]
    last, pair = derived.exceptions  # the flattened DayType=0 copy is skipped
    assert last.recurrence == "FREQ=MONTHLY;INTERVAL=1;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1"
    assert list(last.occurrences(last.start, dt.date(2027, 12, 31))) == [
        dt.date(2027, 1, 29), dt.date(2027, 2, 26), dt.date(2027, 3, 31)]
    assert list(pair.occurrences(pair.start, dt.date(2027, 12, 31))) == [
        dt.date(2027, 2, 1), dt.date(2027, 2, 3)]
    (summer,) = derived.work_weeks
    assert (summer.name, summer.start, summer.finish) == (
        "Summer", dt.date(2027, 6, 1), dt.date(2027, 8, 31))
    assert str(summer.week.days[4][0]) == "08:00-12:00"  # type: ignore[index]
    assert summer.week.days[0] is None


# ---------------------------------------------------------------------------- custom fields


@needs_samples
def test_custom_field_values_of_mspextattr() -> None:
    project = read_sample("mspextattr.xml")
    (task,) = project.tasks
    assert task.custom_fields == {
        "Text1": "Task Text One",
        "Start1": dt.datetime(2004, 1, 1, 8, 0),
        "Finish1": dt.datetime(2004, 12, 31, 17, 0),
        "Cost1": Decimal("99.95"),  # MS Project saved 9995: hundredths of the currency
        "Date1": dt.datetime(2004, 7, 18, 8, 0),
        "Flag1": True,
        "Number1": 55.56,
        "Duration1": Duration(13, DurationUnit.DAYS),  # PT104H0M0S, DurationFormat 7
    }
    (resource,) = project.resources
    assert resource.custom_fields == {
        "Resource Text1": "Resource Text One",
        "Resource Start1": dt.datetime(2003, 1, 1, 8, 0),
        "Resource Finish1": dt.datetime(2003, 12, 31, 17, 0),
        "Resource Cost1": Decimal("29.99"),  # 2999
        "Resource Date1": dt.datetime(2003, 7, 18, 8, 0),
        "Resource Flag1": True,
        "Resource Number1": 5.99,
        "Resource Duration1": Duration(22, DurationUnit.DAYS),  # PT176H0M0S, format 7
    }
    definitions = project.field_definitions
    # task and resource fields; outline codes have no place in pmcore
    assert sorted(definitions) == sorted([*task.custom_fields, *resource.custom_fields])
    assert definitions["Resource Text1"].applies_to == "resource"
    assert definitions["Resource Text1"].external_refs == {"msproject": "205520904"}
    assert definitions["Cost1"].type is FieldType.COST
    assert definitions["Cost1"].external_refs == {"msproject": "188743786"}
    assert definitions["Start1"].type is FieldType.DATETIME
    assert pmcore.validate(project).ok


@needs_samples
def test_custom_text_and_duration_fields() -> None:
    text = read_sample("task-text-project2013-mspdi.xml")
    assert list(text.field_definitions) == [f"Text{n}" for n in range(1, 31)]
    values = {k: v for t in text.tasks for k, v in t.custom_fields.items()}
    assert values["Text1"] == "1"
    assert all(text.field_definitions[k].type is FieldType.TEXT for k in values)
    durations = read_sample("task-durations-project2010-mspdi.xml")
    assert list(durations.field_definitions) == [f"Duration{n}" for n in range(1, 11)]
    first = next(t for t in durations.tasks if t.custom_fields)
    assert first.custom_fields == {"Duration1": Duration(1, DurationUnit.DAYS)}  # PT8H0M0S


@needs_samples
def test_field_numbers_match_the_names_ms_project_saved() -> None:
    # An independent check of the FieldID table: every task field definition MS Project
    # wrote in the samples names the field the table gives for its number.
    checked = 0
    for name in SAMPLE_FILES:
        root = etree.parse(str(SAMPLES / name)).getroot()
        for definition in root.iter(f"{NS}ExtendedAttributes"):
            for item in definition:
                field_id = int(item.findtext(f"{NS}FieldID") or 0)
                saved = item.findtext(f"{NS}FieldName") or ""
                found = _fields.by_id(field_id)
                if saved.startswith("Outline"):
                    assert found is None, (name, field_id)
                    continue
                assert found is not None, (name, field_id)
                assert found.name == saved, (name, field_id)
                # the high bits name the entity: 0x0B40 task, 0x0C40 resource, 0x0F40 assignment
                assert found.entity == {0x0B40: "task", 0x0C40: "resource",
                                        0x0F40: "assignment"}[field_id >> 16]
                checked += 1
    assert checked >= 56  # Text1-30, Duration1-10 and the 8 + 8 of mspextattr
    every = _fields.TASK_FIELDS + _fields.RESOURCE_FIELDS + _fields.ASSIGNMENT_FIELDS
    assert len({f.field_id for f in every}) == len(every) == 360


def test_aliases_value_lists_and_fields_without_definitions() -> None:
    body = """<ExtendedAttributes><ExtendedAttribute><FieldID>188743734</FieldID>
    <FieldName>Text2</FieldName><Alias>Risk</Alias><ValueList>
    <Value><ID>1</ID><Value>low</Value></Value><Value><ID>2</ID><Value>high</Value></Value>
    </ValueList></ExtendedAttribute>
    <ExtendedAttribute><FieldID>205520904</FieldID><FieldName>Text1</FieldName>
    </ExtendedAttribute></ExtendedAttributes>
    <Tasks><Task><UID>1</UID><Name>A</Name><OutlineLevel>1</OutlineLevel>
    <ExtendedAttribute><FieldID>188743734</FieldID><Value>high</Value></ExtendedAttribute>
    <ExtendedAttribute><FieldID>188743767</FieldID><Value>7</Value></ExtendedAttribute>
    <ExtendedAttribute><FieldID>188744096</FieldID><Value>x</Value></ExtendedAttribute>
    </Task></Tasks>"""
    project = read_bytes(mspdi(body))
    (task,) = project.tasks
    assert task.custom_fields == {"Text2": "high", "Number1": 7}
    risk = project.field_definitions["Text2"]
    assert (risk.alias, risk.label, risk.choices) == ("Risk", "Risk", ("low", "high"))
    # Number1 has a value but no definition in the file: it gets one; the resource field
    # (2055...) is keyed apart from the task's Text1; the outline code (188744096) is not read
    assert sorted(project.field_definitions) == ["Number1", "Resource Text1", "Text2"]
    assert project.field_definitions["Resource Text1"].applies_to == "resource"
    assert project.field_definitions["Number1"].type is FieldType.NUMBER


def test_bad_custom_field_value_names_the_element() -> None:
    body = ("<Tasks><Task><UID>3</UID><Name>A</Name><OutlineLevel>1</OutlineLevel>"
            "<ExtendedAttribute><FieldID>188743752</FieldID><Value>maybe</Value>"
            "</ExtendedAttribute></Task></Tasks>")
    with pytest.raises(FormatError, match="Flag1") as caught:
        read_bytes(mspdi(body))
    assert caught.value.path == "Project/Tasks/Task[UID=3]/ExtendedAttribute[1]/Value"


# ---------------------------------------------------------------------------- baselines


@needs_samples
def test_partial_baselines_are_skipped() -> None:
    # Each task of this file has one baseline value only (a cost, a start, ...); a pmcore
    # Baseline holds start, finish and duration together, so none is complete.
    project = read_sample("task-baselines-project2007-mspdi.xml")
    assert len(project) == 55
    assert all(not t.baselines for t in project.tasks)


def test_complete_baselines_are_read() -> None:
    body = """<Tasks><Task><UID>5</UID><Name>A</Name><OutlineLevel>1</OutlineLevel>
    <Duration>PT16H0M0S</Duration><DurationFormat>7</DurationFormat>
    <Baseline><Number>0</Number><Start>2027-01-04T08:00:00</Start>
    <Finish>2027-01-05T17:00:00</Finish><Duration>PT16H0M0S</Duration>
    <DurationFormat>7</DurationFormat><Cost>100</Cost></Baseline>
    <Baseline><Number>3</Number><Start>2027-01-04T08:00:00</Start>
    <Finish>2027-01-04T12:00:00</Finish><Duration>PT4H0M0S</Duration>
    <DurationFormat>37</DurationFormat></Baseline>
    <Baseline><Number>1</Number><Interim>1</Interim><Start>2027-01-04T08:00:00</Start>
    </Baseline>
    <Baseline><Number>2</Number><Cost>100</Cost></Baseline></Task></Tasks>"""
    (task,) = read_bytes(mspdi(body)).tasks
    assert sorted(task.baselines) == [0, 3]
    assert task.baselines[0].finish == dt.datetime(2027, 1, 5, 17, 0)
    assert task.baselines[0].duration == Duration(2, DurationUnit.DAYS)
    assert task.baselines[3].duration == Duration(4, DurationUnit.HOURS, estimated=True)  # 37
    assert task.baselines[0].saved_at is None  # MSPDI does not say when


def test_baseline_number_out_of_range_is_refused() -> None:
    body = ("<Tasks><Task><UID>5</UID><Name>A</Name><OutlineLevel>1</OutlineLevel>"
            "<Baseline><Number>11</Number></Baseline></Task></Tasks>")
    with pytest.raises(FormatError) as caught:
        read_bytes(mspdi(body))
    assert caught.value.path == "Project/Tasks/Task[UID=5]/Baseline[1]/Number"


# ---------------------------------------------------------------------------- project fields


def test_guid_manager_and_project_notes() -> None:
    body = ("<GUID>5B4F5C3E-0E8A-4A4B-9C47-1A2B3C4D5E6F</GUID><Manager>Ada</Manager>"
            "<Tasks><Task><UID>0</UID><ID>0</ID><Name>P</Name><OutlineLevel>0</OutlineLevel>"
            "<Notes>Kick-off on Monday</Notes></Task></Tasks>")
    project = read_bytes(mspdi(body))
    assert project.id == "5b4f5c3e0e8a4a4b9c471a2b3c4d5e6f"
    assert (project.manager, project.notes, len(project)) == ("Ada", "Kick-off on Monday", 0)
