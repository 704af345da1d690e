"""Resources and assignments in MSPDI: read against what Microsoft Project saved, written back.

The expected values are copied from the sample files in ``../shared/samples/mspdi`` (quoted
beside each assertion), or worked out by hand from a file written in the test.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from pmcore.errors import FormatError
from pmcore.io.formats import ReadLimits
from pmcore.model import (
    Availability,
    CostAccrual,
    Duration,
    DurationUnit,
    Project,
    Rate,
    ResourceType,
    TaskType,
    WorkContour,
)
from pmcore_msproject import MspdiReader, MspdiWriter

SAMPLES = Path(__file__).resolve().parents[3] / ".." / "shared" / "samples" / "mspdi"
SCHEMA = SAMPLES / "schema" / "mspdi_pj15-correct.xsd"
NS = "{http://schemas.microsoft.com/project}"
needs_samples = pytest.mark.skipif(
    not SAMPLES.is_dir(), reason=f"MSPDI samples not found at {SAMPLES} (../shared/samples/mspdi)")


def read_bytes(data: bytes) -> Project:
    return MspdiReader().read(io.BytesIO(data), source="test.xml", limits=ReadLimits())


def read_sample(name: str) -> Project:
    with (SAMPLES / name).open("rb") as stream:
        return MspdiReader().read(stream, source=name, limits=ReadLimits())


def write(project: Project) -> bytes:
    buffer = io.BytesIO()
    MspdiWriter().write(project, buffer)
    return buffer.getvalue()


def hours(value: float) -> Duration:
    return Duration(value, DurationUnit.HOURS)


def mspdi(body: str) -> bytes:
    return (f'<?xml version="1.0"?>\n<Project xmlns="http://schemas.microsoft.com/project">'
            f"<Name>Test</Name>{body}</Project>").encode()


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    if not SCHEMA.is_file():
        pytest.skip(f"MSPDI schema not found at {SCHEMA}")
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


# ---------------------------------------------------------------------------- samples


@needs_samples
def test_rates_and_assignments_of_a_project_2003_file() -> None:
    project = read_sample("mspdiassignmentcustom.xml")
    one, two = project.resources
    # <UID>1</UID><Name>Resource One</Name> ... <StandardRate>26</StandardRate>
    # <OvertimeRate>35</OvertimeRate><CostPerUse>1700</CostPerUse><CalendarUID>3</CalendarUID>
    assert (one.id, one.name, one.initials, one.calendar) == ("R1", "Resource One", "R", "cal-3")
    assert one.external_refs == {"msproject": "1", "msproject_id": "1"}
    assert one.rate_on("2011-06-08") == Rate(standard_rate=Decimal(26),
                                             overtime_rate=Decimal(35),
                                             cost_per_use=Decimal(17))  # hundredths
    assert two.rate_on("2011-06-08").standard_rate == Decimal(18)
    assert project.calendars["cal-3"].base == "cal-1"  # a resource calendar is derived
    first, second = project.assignments
    # <UID>2</UID><TaskUID>1</TaskUID><ResourceUID>1</ResourceUID> ... <Units>1</Units>
    # <Work>PT344H0M0S</Work><RemainingWork>PT344H0M0S</RemainingWork>
    assert (first.id, first.task, first.resource, first.units) == ("A2", "T1", "R1", 1.0)
    assert (first.work, first.remaining_work, first.actual_work) == (
        hours(344), hours(344), hours(0))
    assert (first.start, first.finish) == (dt.datetime(2011, 6, 8, 8),
                                           dt.datetime(2011, 8, 5, 17))
    assert first.contour is WorkContour.FLAT
    assert first.rate_table == "A"
    # MS Project's <Cost>896100</Cost> is 8961.00 = 344 h x 26.00 + 17.00 per use: the rate
    # read is the one MS Project priced the work with (the cost itself is not entered data
    # for a work resource, so it is not kept)
    rate = one.rate_on(first.start)
    assert Decimal(repr(first.work.value)) * rate.standard_rate + rate.cost_per_use == \
        Decimal("8961")
    assert first.cost is None
    # <Units>0.63</Units><Work>PT216H43M0S</Work>: 216 h 43 min
    assert second.units == 0.63
    assert second.work is not None
    assert second.work.to_minutes(project.options) == \
        pytest.approx(216 * 60 + 43)


@needs_samples
def test_work_material_and_cost_resources() -> None:
    project = read_sample("resource-type-project2010-mspdi.xml")
    kinds = [r.type for r in project.resources]
    # UIDs 1-5 <IsCostResource>1</IsCostResource>, 6-10 <Type>0</Type> (material),
    # 11-15 <Type>1</Type> (work); UID 0, MS Project's unnamed resource, is not a resource
    assert kinds == ([ResourceType.COST] * 5 + [ResourceType.MATERIAL] * 5
                     + [ResourceType.WORK] * 5)
    cost, material, work = project.resources[0], project.resources[5], project.resources[10]
    assert (cost.name, cost.initials, cost.can_level) == ("Cost Resource 1", "C", False)
    assert (material.name, material.initials, material.can_level) == (
        "Material Resource 1", "M", False)
    assert (work.name, work.max_units, work.can_level, work.calendar) == (
        "Work Resource 1", 1.0, True, "cal-13")
    assert all(r.accrue_at is CostAccrual.PRORATED for r in project.resources)  # <AccrueAt>3
    assert all(r.rate_tables == {} for r in project.resources)  # every rate is 0


@needs_samples
def test_availability_periods() -> None:
    resource = read_sample("mspdiavailability.xml").resource("R2")
    # <AvailableFrom>2009-07-02T00:00:00</AvailableFrom><AvailableTo>2009-08-01T23:59:00
    # </AvailableTo><AvailableUnits>0.6</AvailableUnits>, and two more periods
    assert resource.availability == (
        Availability(dt.date(2009, 6, 1), dt.date(2009, 7, 1), 1.0),
        Availability(dt.date(2009, 7, 2), dt.date(2009, 8, 1), 0.6),
        Availability(dt.date(2009, 8, 20), dt.date(2009, 8, 30), 0.75))
    assert resource.max_units_on("2009-07-15") == 0.6
    assert resource.max_units_on("2009-08-10") == 1.0  # between periods: MaxUnits


@needs_samples
def test_progress_on_assignments() -> None:
    project = read_sample("assignment-assignments-project2010-mspdi.xml")
    # UID 5: <ActualWork>PT20H0M0S</ActualWork><RemainingWork>PT60H0M0S</RemainingWork>
    # <Work>PT80H0M0S</Work>; UID 6: 40 h done, 40 h to go
    progress = {a.id: (a.task, a.resource, a.work, a.actual_work, a.remaining_work)
                for a in project.assignments}
    assert progress == {
        "A4": ("T1", "R1", hours(80), hours(0), hours(80)),
        "A5": ("T2", "R2", hours(80), hours(20), hours(60)),
        "A6": ("T3", "R3", hours(80), hours(40), hours(40)),
    }
    assert project.assignment("A5").external_refs == {"msproject": "5"}
    assert [a.id for a in project.assignments_of("T2")] == ["A5"]
    project.validate().raise_for_errors()


@needs_samples
def test_work_of_tasks_without_resources_is_not_an_assignment() -> None:
    # all 16 <Assignment> elements have <ResourceUID>-65535</ResourceUID>: MS Project's
    # record of a task's work when no resource is assigned
    project = read_sample("task-links-project2007-mspdi.xml")
    assert project.assignments == ()
    assert project.resources == ()


# ---------------------------------------------------------------------------- hand-written


@pytest.mark.parametrize(("resource", "assignment", "path"), [
    ("<StandardRate>ten</StandardRate>", "", "Project/Resources/Resource[UID=1]/StandardRate"),
    ("<CostPerUse>Infinity</CostPerUse>", "", "Project/Resources/Resource[UID=1]/CostPerUse"),
    ("", "<Cost>NaN</Cost>", "Project/Assignments/Assignment[UID=1]/Cost"),
])
def test_costs_and_rates_that_are_not_numbers_name_the_element(resource: str, assignment: str,
                                                               path: str) -> None:
    data = (f"<Tasks><Task><UID>1</UID><ID>1</ID><Name>A</Name><OutlineLevel>1</OutlineLevel>"
            f"</Task></Tasks><Resources><Resource><UID>1</UID><ID>1</ID><Name>R</Name>"
            f"{resource}</Resource></Resources><Assignments><Assignment><UID>1</UID>"
            f"<TaskUID>1</TaskUID><ResourceUID>1</ResourceUID>{assignment}</Assignment>"
            f"</Assignments>")
    with pytest.raises(FormatError, match="not a") as raised:
        read_bytes(mspdi(data))
    assert raised.value.path == path

RATES = """
<Resources><Resource><UID>7</UID><ID>1</ID><Name>Dana Fox</Name><Type>1</Type>
  <Initials>DF</Initials><Group>IT</Group><EmailAddress>dana@example.com</EmailAddress>
  <MaxUnits>0.50</MaxUnits><CanLevel>0</CanLevel><AccrueAt>1</AccrueAt>
  <StandardRate>99</StandardRate><StandardRateFormat>3</StandardRateFormat>
  <IsGeneric>1</IsGeneric><Notes>part time</Notes>
  <Rates>
    <Rate><RatesFrom>1984-01-01T00:00:00</RatesFrom><RatesTo>2027-06-30T23:59:00</RatesTo>
      <RateTable>0</RateTable><StandardRate>80</StandardRate>
      <StandardRateFormat>3</StandardRateFormat>
      <OvertimeRate>120</OvertimeRate><CostPerUse>2550</CostPerUse></Rate>
    <Rate><RatesFrom>2027-07-01T00:00:00</RatesFrom><RatesTo>2049-12-31T23:59:00</RatesTo>
      <RateTable>0</RateTable><StandardRate>90.5</StandardRate></Rate>
    <Rate><RatesFrom>1984-01-01T00:00:00</RatesFrom><RatesTo>2049-12-31T23:59:00</RatesTo>
      <RateTable>1</RateTable><StandardRate>60</StandardRate></Rate>
    <Rate><RatesFrom>1984-01-01T00:00:00</RatesFrom><RatesTo>2049-12-31T23:59:00</RatesTo>
      <RateTable>2</RateTable><StandardRate>0</StandardRate></Rate>
  </Rates></Resource>
  <Resource><UID>8</UID><ID>2</ID><Name>Travel</Name><Type>1</Type>
    <IsCostResource>1</IsCostResource></Resource>
  <Resource><UID>9</UID><ID>3</ID><Name>Cable</Name><Type>0</Type>
    <MaterialLabel>m</MaterialLabel></Resource>
</Resources>
<Tasks><Task><UID>1</UID><ID>1</ID><Name>Build</Name><Type>2</Type>
  <OutlineLevel>1</OutlineLevel>
  <Duration>PT16H0M0S</Duration><EffortDriven>1</EffortDriven></Task></Tasks>
<Assignments>
  <Assignment><UID>3</UID><TaskUID>1</TaskUID><ResourceUID>7</ResourceUID><Units>0.5</Units>
    <Work>PT8H0M0S</Work><CostRateTable>1</CostRateTable><WorkContour>6</WorkContour>
    <Cost>48000</Cost><Notes>mornings</Notes></Assignment>
  <Assignment><UID>4</UID><TaskUID>1</TaskUID><ResourceUID>8</ResourceUID>
    <Cost>125050</Cost><ActualCost>10000</ActualCost></Assignment>
  <Assignment><UID>5</UID><TaskUID>1</TaskUID><ResourceUID>9</ResourceUID>
    <Units>40</Units></Assignment>
</Assignments>"""


def test_rate_tables_with_effective_dates() -> None:
    project = read_bytes(mspdi(RATES))
    dana = project.resource("R7")
    assert (dana.initials, dana.group, dana.email, dana.generic, dana.notes) == (
        "DF", "IT", "dana@example.com", True, "part time")
    assert (dana.max_units, dana.can_level, dana.accrue_at) == (0.5, False, CostAccrual.START)
    # Rates win over the resource's own StandardRate (99, "as of today"); a rate is per
    # hour whatever StandardRateFormat shows it in; CostPerUse 2550 is 25.50
    assert set(dana.rate_tables) == {"A", "B"}  # table C holds one zero row: no rates
    assert dana.rate_on("2027-06-30") == Rate(standard_rate=Decimal(80),
                                              overtime_rate=Decimal(120),
                                              cost_per_use=Decimal("25.5"))
    assert dana.rate_on("2027-07-01") == Rate(effective_from="2027-07-01",
                                              standard_rate=Decimal("90.5"))
    assert dana.rate_on("2030-01-01", "B").standard_rate == Decimal(60)
    travel, cable = project.resource("R8"), project.resource("R9")
    assert (travel.type, cable.type, cable.material_label) == (
        ResourceType.COST, ResourceType.MATERIAL, "m")
    build = project.task("T1")
    assert (build.task_type, build.effort_driven) == (TaskType.FIXED_WORK, True)
    on_dana, on_travel, on_cable = project.assignments
    assert (on_dana.units, on_dana.work, on_dana.rate_table, on_dana.contour,
            on_dana.notes) == (0.5, hours(8), "B", WorkContour.BELL, "mornings")
    assert on_dana.cost is None  # a work resource's cost comes from its rates
    assert (on_travel.cost, on_travel.actual_cost) == (Decimal("1250.5"), Decimal(100))
    assert on_cable.units == 40.0  # 40 m of cable


def test_resources_and_assignments_round_trip(schema: etree.XMLSchema) -> None:
    project = read_bytes(mspdi(RATES))
    data = write(project)
    root = etree.fromstring(data)
    assert schema.validate(root), [str(e) for e in schema.error_log][:5]
    again = read_bytes(data)
    assert again.resources == project.resources
    assert again.assignments == project.assignments
    assert again.tasks == project.tasks
    dana = root.find(f"{NS}Resources/{NS}Resource")
    assert dana is not None
    rates = [(r.findtext(f"{NS}RatesFrom"), r.findtext(f"{NS}RatesTo"),
              r.findtext(f"{NS}RateTable"), r.findtext(f"{NS}StandardRate"),
              r.findtext(f"{NS}CostPerUse")) for r in dana.iter(f"{NS}Rate")]
    assert rates == [
        ("1984-01-01T00:00:00", "2027-06-30T23:59:00", "0", "80", "2550"),
        ("2027-07-01T00:00:00", "2049-12-31T23:59:00", "0", "90.5", "0"),
        ("1984-01-01T00:00:00", "2049-12-31T23:59:00", "1", "60", "0"),
    ]
    travel = root.findall(f"{NS}Assignments/{NS}Assignment")[1]
    assert (travel.findtext(f"{NS}Cost"), travel.findtext(f"{NS}ActualCost")) == (
        "125050", "10000")


def test_a_project_built_in_pmcore_writes_its_resources(schema: etree.XMLSchema) -> None:
    plan = Project("Fit-out", start="2027-05-03")
    holidays = plan.add_calendar("Dana's hours", base="standard")
    dana = plan.add_resource("Dana Fox", calendar=holidays, max_units=0.8,
                             availability=[Availability("2027-06-01", None, 0.4)],
                             rate_tables={"A": [Rate(standard_rate="85.50",
                                                     cost_per_use="12")]})
    paint = plan.add_resource("Paint", "material", material_label="l")
    fit = plan.add_task("Fit", "3d")
    plan.assign(fit, dana, 0.8, "19.2h", contour="front_loaded")
    plan.assign(fit, paint, 12)
    data = write(plan)
    root = etree.fromstring(data)
    assert schema.validate(root), [str(e) for e in schema.error_log][:5]
    resource = root.find(f"{NS}Resources/{NS}Resource")
    assert resource is not None
    assert [resource.findtext(f"{NS}{tag}") for tag in (
        "UID", "Name", "Type", "MaxUnits", "StandardRate", "CostPerUse", "IsCostResource")] == \
        ["1", "Dana Fox", "1", "0.8", "85.5", "1200", "0"]
    period = resource.find(f"{NS}AvailabilityPeriods/{NS}AvailabilityPeriod")
    assert period is not None
    assert period.findtext(f"{NS}AvailableFrom") == "2027-06-01T00:00:00"
    assert period.findtext(f"{NS}AvailableTo") is None  # for ever
    first = root.find(f"{NS}Assignments/{NS}Assignment")
    assert first is not None
    # 19.2 h = 19 h 12 min; WorkContour 2 is front loaded
    assert [first.findtext(f"{NS}{tag}") for tag in ("TaskUID", "ResourceUID", "Units", "Work",
                                                      "WorkContour")] == \
        ["1", "1", "0.8", "PT19H12M0S", "2"]
    again = read_bytes(data)
    assert [(r.name, r.type, r.max_units, r.availability) for r in again.resources] == [
        (r.name, r.type, r.max_units, r.availability) for r in plan.resources]
    assert again.resource("R1").rate_tables == dana.rate_tables
    assert again.calendars[again.resource("R1").calendar or ""].name == "Dana's hours"
    assert [(a.task, a.resource, a.units, a.contour) for a in again.assignments] == [
        ("T1", "R1", 0.8, WorkContour.FRONT_LOADED), ("T1", "R2", 12.0, WorkContour.FLAT)]
    assert again.assignments[0].work == hours(19.2)


def test_leveling_delay(schema: etree.XMLSchema) -> None:
    # LevelingDelay is in tenths of a minute: 28800 = 2880 min = 2 elapsed days (format 8);
    # 9600 in working days (format 7) = 960 min = 2 days of 480 minutes
    project = read_bytes(mspdi(
        "<Tasks><Task><UID>1</UID><ID>1</ID><Name>A</Name><OutlineLevel>1</OutlineLevel>"
        "<LevelingDelay>28800</LevelingDelay><LevelingDelayFormat>8</LevelingDelayFormat></Task>"
        "<Task><UID>2</UID><ID>2</ID><Name>B</Name><OutlineLevel>1</OutlineLevel>"
        "<LevelingDelay>9600</LevelingDelay><LevelingDelayFormat>7</LevelingDelayFormat></Task>"
        "<Task><UID>3</UID><ID>3</ID><Name>C</Name><OutlineLevel>1</OutlineLevel>"
        "<LevelingDelay>0</LevelingDelay><LevelingDelayFormat>8</LevelingDelayFormat></Task>"
        "</Tasks>"))
    delays = [t.leveling_delay for t in project.tasks]
    assert delays == [Duration(2, DurationUnit.ELAPSED_DAYS), Duration(2, DurationUnit.DAYS),
                      None]
    data = write(project)
    assert schema.validate(etree.fromstring(data))
    assert b"<LevelingDelay>28800</LevelingDelay>" in data
    assert [t.leveling_delay for t in read_bytes(data).tasks] == delays


def test_more_rates_than_mspdi_holds_are_refused() -> None:
    plan = Project("Rates")
    plan.add_resource("Dana", rate_tables={
        letter: [Rate(standard_rate=n, effective_from=dt.date(2027, 1, 1) + dt.timedelta(n))
                 for n in range(6)] for letter in "ABCDE"})
    with pytest.raises(FormatError, match="25"):
        write(plan)


@pytest.mark.parametrize(("body", "path"), [
    ("<Resources><Resource><UID>1</UID><Type>5</Type></Resource></Resources>",
     "Project/Resources/Resource[UID=1]/Type"),
    ("<Resources><Resource><UID>1</UID><MaxUnits>lots</MaxUnits></Resource></Resources>",
     "Project/Resources/Resource[UID=1]/MaxUnits"),
    ("<Resources><Resource><UID>1</UID><Rates><Rate><RateTable>7</RateTable></Rate></Rates>"
     "</Resource></Resources>", "Project/Resources/Resource[UID=1]/Rates/Rate[1]/RateTable"),
    ("<Assignments><Assignment><UID>2</UID><TaskUID>1</TaskUID><ResourceUID>1</ResourceUID>"
     "<WorkContour>9</WorkContour></Assignment></Assignments>",
     "Project/Assignments/Assignment[UID=2]/WorkContour"),
    ("<Assignments><Assignment><UID>2</UID><TaskUID>1</TaskUID><ResourceUID>1</ResourceUID>"
     "<Work>PT-8H</Work></Assignment></Assignments>",
     "Project/Assignments/Assignment[UID=2]/Work"),
])
def test_bad_resource_and_assignment_values_name_the_element(body: str, path: str) -> None:
    with pytest.raises(FormatError) as caught:
        read_bytes(mspdi(body))
    assert caught.value.path == path


# ---------------------------------------------------------------------------- custom fields


@needs_samples
def test_custom_fields_of_assignments() -> None:
    # mspdiassignmentcustom.xml fills every assignment field of its first assignment with a
    # value that names it: <FieldID>255852632</FieldID><Value>t1</Value> is Text1, ...
    (first, _) = read_sample("mspdiassignmentcustom.xml").assignments
    values = first.custom_fields
    assert {k: v for k, v in values.items() if k.startswith("Assignment Text")} == {
        f"Assignment Text{n}": f"t{n}" for n in range(1, 31) if n != 20}  # Text20 is empty
    assert [values[f"Assignment Number{n}"] for n in range(1, 21)] == list(range(1, 21))
    assert [values[f"Assignment Finish{n}"] for n in range(1, 11)] == [
        dt.datetime(2011, 3, n, 17) for n in range(1, 11)]
    assert [values[f"Assignment Date{n}"] for n in range(1, 11)] == [
        dt.datetime(2011, 5, n, 8) for n in range(1, 11)]
    assert [values[f"Assignment Start{n}"] for n in range(6, 11)] == [
        dt.datetime(2011, 1, n, 8) for n in range(6, 11)]
    project = read_sample("mspdiassignmentcustom.xml")
    durations = [values[f"Assignment Duration{n}"] for n in range(1, 11)]
    assert [d.to_minutes(project.options) for d in durations] == [  # PT1H0M0S .. PT10H0M0S
        60 * n for n in range(1, 11)]
    # the odd flags are set: Flag1, Flag3, ... Flag19 (Flag10 is numbered before Flag1)
    assert sorted(int(k.removeprefix("Assignment Flag")) for k, v in values.items()
                  if k.startswith("Assignment Flag") and v) == list(range(1, 20, 2))
    assert values["Assignment Cost2"] == Decimal("0.2")  # 20 hundredths


def test_resource_and_assignment_fields_of_a_pmcore_project(schema: etree.XMLSchema) -> None:
    plan = Project("Fields")
    dana = plan.add_resource("Dana", custom_fields={"cost centre": "IT-7", "Number4": 2})
    task = plan.add_task("Do", "1d", custom_fields={"cost centre": "PMO"})
    plan.assign(task, dana, custom_fields={"billable": True})
    data = write(plan)
    root = etree.fromstring(data)
    assert schema.validate(root), [str(e) for e in schema.error_log][:5]
    definitions = {d.findtext(f"{NS}FieldID"): (d.findtext(f"{NS}FieldName"),
                                                d.findtext(f"{NS}Alias"))
                   for d in root.iter(f"{NS}ExtendedAttribute") if d.find(f"{NS}FieldName")
                   is not None}
    # the task's "cost centre" takes task Text1 (188743731), the resource's resource Text1
    # (205520904), Number4 keeps its number (205521011), "billable" assignment Flag1
    assert definitions == {"188743731": ("Text1", "cost centre"),
                           "205520904": ("Text1", "cost centre"),
                           "205521011": ("Number4", "Number4"),
                           "255852667": ("Flag1", "billable")}
    again = read_bytes(data)
    assert again.resource("R1").custom_fields == {"Resource Text1": "IT-7",
                                                  "Resource Number4": 2}
    assert again.field_definitions["Resource Text1"].label == "cost centre"
    assert again.assignments[0].custom_fields == {"Assignment Flag1": True}
    assert again.tasks[0].custom_fields == {"Text1": "PMO"}
