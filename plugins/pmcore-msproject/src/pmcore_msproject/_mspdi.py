"""The MSPDI reader: Microsoft Project's XML ("Save as XML") to a :class:`pmcore.Project`.

Units, as MS Project writes them:

- ``Duration`` is ISO 8601 (``PT8H0M0S``); ``LinkLag`` is in tenths of a minute (4800 = 1d).
- ``DurationFormat`` and ``LagFormat`` codes (:data:`DURATION_FORMATS`): 3 m, 4 em, 5 h, 6 eh,
  7 d, 8 ed, 9 w, 10 ew, 11 mo, 12 emo, 19 %, 20 e%, 21 null (the project's default format);
  35-53 are the same codes plus 32, flagged as estimated (``39`` = ``d?``, ``53`` = ``null?``).
- A percentage lag (19/20) is stored in ``LinkLag`` as the percentage itself (50 = 50 %), not
  in tenths of a minute: MPXJ's MSPDIReader reads it so, and Aspose.Tasks documents
  ``LinkLag`` as "the lag in tenths of a minute or percent".
- ``ConstraintType``: 0 ASAP, 1 ALAP, 2 MSO, 3 MFO, 4 SNET, 5 SNLT, 6 FNET, 7 FNLT.
- Link ``Type``: 0 FF, 1 FS, 2 SF, 3 SS.
- ``WeekDay/DayType``: 1 Sunday .. 7 Saturday; 0 an exception over a ``TimePeriod``.
- Custom fields (``ExtendedAttribute``) of tasks, resources and assignments are named by
  ``FieldID`` (:mod:`._fields`); a cost value is in hundredths of the currency unit (``9995`` =
  99.95), as MPXJ reads it.
- A ``Baseline`` becomes a :class:`~pmcore.Baseline` only when it has a start, a finish and a
  duration, which pmcore's baselines need together.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple, TypeVar

import attrs

from pmcore.errors import FormatError, PMCoreError, ValidationError
from pmcore.io.formats import ReadLimits
from pmcore.model import (
    Assignment,
    Availability,
    Baseline,
    Calendar,
    CalendarException,
    CalendarOptions,
    Constraint,
    CostAccrual,
    CustomFieldDefinition,
    CustomValue,
    Dependency,
    Duration,
    DurationUnit,
    EarnedValueMethod,
    FieldType,
    LinkType,
    Project,
    Rate,
    RateTable,
    Resource,
    ResourceType,
    ScheduleFrom,
    Task,
    TaskType,
    WorkContour,
    WorkingTime,
    WorkWeek,
    WorkWeekPeriod,
)
from pmcore.model.base import collector_paused
from pmcore.model.resource import RATE_TABLES, check_currency
from pmcore_msproject import _fields
from pmcore_msproject._timephased import _parse_value

if TYPE_CHECKING:
    from lxml import etree

__all__ = ["DURATION_FORMATS", "MspdiReader"]

logger = logging.getLogger(__name__)

NS = "http://schemas.microsoft.com/project"
_Q = "{" + NS + "}"
T = TypeVar("T")

DURATION_FORMATS: dict[int, DurationUnit | None] = {
    3: DurationUnit.MINUTES,
    4: DurationUnit.ELAPSED_MINUTES,
    5: DurationUnit.HOURS,
    6: DurationUnit.ELAPSED_HOURS,
    7: DurationUnit.DAYS,
    8: DurationUnit.ELAPSED_DAYS,
    9: DurationUnit.WEEKS,
    10: DurationUnit.ELAPSED_WEEKS,
    11: DurationUnit.MONTHS,
    12: DurationUnit.ELAPSED_MONTHS,
    19: DurationUnit.PERCENT,
    20: DurationUnit.ELAPSED_PERCENT,
    21: None,
}
"""MS Project's duration format codes; ``code + 32`` is the estimated variant."""

CONSTRAINTS = ("ASAP", "ALAP", "MSO", "MFO", "SNET", "SNLT", "FNET", "FNLT")
_DATELESS = (Constraint("ASAP"), Constraint("ALAP"))
"""The constraints of codes 0 and 1, which take no date (a Constraint is immutable)."""
LINK_TYPES = (LinkType.FF, LinkType.FS, LinkType.SF, LinkType.SS)
_RRULE_DAYS = ("SU", "MO", "TU", "WE", "TH", "FR", "SA")  # DaysOfWeek bit order, 1 = Sunday
_GUID = re.compile(r"^[0-9A-Fa-f]{8}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?"
                   r"[0-9A-Fa-f]{12}$")
_ISO = re.compile(r"^(-)?P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)D)?"
                  r"(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$")


class _PathError(Exception):
    """An invalid value at an element path; turned into a FormatError by the reader."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


class MspdiReader:
    """Reads MSPDI XML, safely: no DTD, no entities, no network, bounded size and depth."""

    name = "mspdi"
    extensions = (".xml",)
    description = "Microsoft Project XML (MSPDI, File > Save As > XML)"

    def sniff(self, head: bytes) -> bool:
        """An XML document whose root is ``Project`` in the MSPDI namespace."""
        text = head[:4096]
        for bom, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
            if text.startswith(bom):
                text = text[2:].decode(codec, "ignore").encode()
        match = re.search(rb"<(?![?!])(?:[\w.-]+:)?([\w.-]+)([^>]*)", text)
        return bool(match and match[1] == b"Project" and NS.encode() in match[2])

    def read(self, stream: BinaryIO, *, source: str, limits: ReadLimits) -> Project:
        """Read a project; every problem is a :class:`~pmcore.errors.FormatError`.

        The file is streamed: each task, resource and assignment is turned into pmcore
        values as soon as its element ends, and the element is then dropped, so memory
        follows the project, not the XML (a 50 MB file peaks at about its own size).
        """
        start = stream.tell() if stream.seekable() else None
        with collector_paused():
            return self._read(stream, start, source=source, limits=limits)

    def _read(self, stream: BinaryIO, start: int | None, *, source: str,
              limits: ReadLimits) -> Project:
        try:
            items = _scan(stream, source=source, limits=limits, header=None)
            if items.header_changed:
                # Project-wide units (minutes per day, the default duration format) came
                # after the tasks in this file: read it again, knowing them from the start.
                if start is None:
                    raise FormatError("sets MinutesPerDay/DurationFormat after its tasks, "
                                      "which needs a seekable stream", source=source)
                stream.seek(start)
                items = _scan(stream, source=source, limits=limits,
                              header=(items.builder.options, items.builder.default_unit))
            return items.builder.project(items)
        except _PathError as exc:
            raise FormatError(exc.message, source=source, path=exc.path) from None
        except PMCoreError as exc:
            if isinstance(exc, FormatError):
                raise
            raise FormatError(str(exc), source=source) from None


_ITEM_TAGS = {"Task": "Tasks", "Resource": "Resources", "Assignment": "Assignments"}
_ITEM_LISTS = {_Q + item: _Q + items for item, items in _ITEM_TAGS.items()}
"""The qualified tag of each item's list, by the item's qualified tag."""
_MISSING = object()
_MAX_CONVERTED = 100_000  # distinct values remembered per file
_HEAD_BYTES = 1 << 16


class _Counted:
    """A file-like view of ``head`` then ``stream`` that refuses more than ``limit`` bytes."""

    def __init__(self, head: bytes, stream: BinaryIO, limit: int, source: str) -> None:
        self.head, self.stream, self.limit, self.source = head, stream, limit, source
        self.count = len(head)

    def read(self, size: int = -1) -> bytes:
        if self.head:
            chunk, self.head = self.head, b""
            return chunk
        chunk = self.stream.read(size if size and size > 0 else _HEAD_BYTES)
        self.count += len(chunk)
        if self.count > self.limit:
            raise FormatError(f"is larger than {self.limit} bytes", source=self.source)
        return chunk


@attrs.define
class _Items:
    """What one pass over the file found: the builder (with the header) and the items."""

    builder: _Builder
    tasks: list[_TaskItem] = attrs.Factory(list)
    resources: list[Resource] = attrs.Factory(list)
    assignments: list[dict[str, Any]] = attrs.Factory(list)
    summary_notes: str | None = None
    header_changed: bool = False


def _iterparse(stream: BinaryIO, *, source: str, limits: ReadLimits,
               tags: tuple[str, ...]) -> etree.iterparse[tuple[str, etree._Element]]:
    """The "end" events of the elements ``tags`` of an MSPDI stream, parsed safely: no DTD,
    no entities, no network, at most ``limits.max_bytes`` read (the file's head checked for a
    DOCTYPE first)."""
    from lxml import etree

    head = stream.read(_HEAD_BYTES)
    if len(head) > limits.max_bytes:
        raise FormatError(f"is larger than {limits.max_bytes} bytes", source=source)
    if _declares_doctype(head):
        raise FormatError("has a DOCTYPE/ENTITY declaration, which MSPDI never uses; refused",
                          source=source, line=1)
    return etree.iterparse(
        _Counted(head, stream, limits.max_bytes, source), events=("end",), tag=tags,
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
        remove_comments=True, remove_pis=True)


def _scan(stream: BinaryIO, *, source: str, limits: ReadLimits,
          header: tuple[CalendarOptions, DurationUnit] | None) -> _Items:
    """One streaming pass: items are converted as their elements end, then dropped."""
    from lxml import etree

    context = _iterparse(stream, source=source, limits=limits,
                         tags=tuple(_Q + tag for tag in _ITEM_TAGS))
    # an element this many levels below an item is deeper than the limit allows
    too_deep = etree.XPath("boolean(" + "/".join(["*"] * max(1, limits.max_depth - 2)) + ")")
    items: _Items | None = None
    order = 0
    # the list each kind of item was found in, once checked to be the project's own: the
    # items that follow in the same list need no check (lxml keeps one proxy per node)
    lists: dict[str, etree._Element] = {}
    try:
        for _, element in context:
            tag = str(element.tag)  # one of the item tags the parse stops at
            container = element.getparent()
            if container is None:
                continue
            if lists.get(tag) is not container:
                if container.tag != _ITEM_LISTS[tag]:
                    continue  # not an item of the project's own lists
                root = container.getparent()
                if root is None or root.getparent() is not None:
                    continue
                if root.tag != _Q + "Project":
                    break  # reported below
                lists[tag] = container
                if items is None:
                    items = _Items(_Builder(root, source, header))
            if items is None:
                continue  # (never: the first item's list is checked above)
            if too_deep(element):
                raise FormatError(f"is nested deeper than {limits.max_depth} elements",
                                  source=source, line=element.sourceline)
            items.builder.item(tag, element, order, items)
            order += 1
            element.clear()
            while element.getprevious() is not None:
                del container[0]
        parsed = context.root
    except PMCoreError:
        raise
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        column = exc.position[1] if exc.position else None
        raise FormatError(f"is not well-formed XML: {exc.msg}", source=source, line=line,
                          column=column) from None
    except (ValueError, etree.LxmlError) as exc:
        raise FormatError(f"cannot be parsed as XML: {exc}", source=source) from None
    if parsed is None:
        raise FormatError("is empty", source=source)
    root = parsed
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise FormatError("has a DOCTYPE/ENTITY declaration, which MSPDI never uses; refused",
                          source=source, line=1)
    if root.tag != _Q + "Project":
        raise FormatError(f"is not MSPDI: the root element is {root.tag!r}, expected "
                          f"'Project' in {NS}", source=source, line=root.sourceline)
    stack: list[tuple[etree._Element, int]] = [(root, 1)]
    while stack:  # what is left: the header, calendars and definitions
        element, depth = stack.pop()
        if depth > limits.max_depth:
            raise FormatError(f"is nested deeper than {limits.max_depth} elements",
                              source=source, line=element.sourceline)
        stack.extend((child, depth + 1) for child in element)
    if items is None:
        items = _Items(_Builder(root, source, header))
    elif header is None:
        assumed = (items.builder.options, items.builder.default_unit)
        items.builder.read_header()
        items.header_changed = assumed != (items.builder.options, items.builder.default_unit)
    return items


_PROLOG_ITEM = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)


def _declares_doctype(raw: bytes) -> bool:
    """True when the prolog holds a ``<!DOCTYPE`` (and so possibly entity declarations).

    Checked before lxml sees the document, so that no internal subset is ever processed:
    libxml2 would otherwise still count entity amplification before refusing it.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = raw.decode("utf-16", "replace")
    elif raw[:4] in (b"<\x00?\x00", b"\x00<\x00?"):
        text = raw.decode("utf-16-le" if raw[0] == 0x3C else "utf-16-be", "replace")
    else:  # UTF-8 and the other ASCII-compatible encodings
        text = raw.decode("latin-1").removeprefix("\xef\xbb\xbf")
    position = 0
    while match := _PROLOG_ITEM.match(text, position):
        position = match.end()
    return text.startswith("<!DOCTYPE", position)


# ---------------------------------------------------------------------------- value parsers


def _local(element: etree._Element) -> str:
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _children(element: etree._Element, name: str) -> Iterator[etree._Element]:
    # lxml's C search: a task has some 80 fields, looked up by name one by one
    return element.iterchildren(_Q + name)


def _child(element: etree._Element, name: str) -> etree._Element | None:
    return element.find(_Q + name)


def _int(text: str) -> int:
    return int(text.strip())


def _units(text: str) -> float:
    """Units as MSPDI writes them: ``1`` or ``1.00`` is 100 %."""
    value = float(text.strip())
    if value != value or value < 0:
        raise ValueError("units must be a number of at least 0")
    return value


def _bool(text: str) -> bool:
    value = text.strip().lower()
    if value in ("1", "true"):
        return True
    if value in ("0", "false"):
        return False
    raise ValueError(f"expected 0 or 1, got {text!r}")


def _datetime(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.strip()).replace(tzinfo=None)


def _time(text: str) -> int:
    """``HH:MM:SS`` as minutes after midnight."""
    hours, minutes, *_ = text.strip().split(":")
    return int(hours) * 60 + int(minutes)


def _iso_minutes(text: str) -> float:
    match = _ISO.match(text.strip())
    if match is None or text.strip() in ("P", "PT"):
        raise ValueError(f"{text!r} is not an ISO 8601 duration such as 'PT8H0M0S'")
    sign, years, months, days, hours, minutes, seconds = match.groups()
    if years or months:
        raise ValueError(f"{text!r} uses years or months, which MSPDI durations never do")
    total = (float(days or 0) * 1440 + float(hours or 0) * 60 + float(minutes or 0)
             + float(seconds or 0) / 60)
    return -total if sign else total


def _decimal(text: str) -> Decimal:
    """A cost or a rate: a finite decimal number (``Decimal`` alone raises an
    ``ArithmeticError`` for a text that is not one, and reads ``NaN``)."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise ValueError("not a number") from None
    if not value.is_finite():
        raise ValueError("not a finite number")
    return value


def _plain(value: Decimal) -> Decimal:
    """``value`` without trailing zeros or an exponent (``99.9500`` -> ``99.95``)."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return Decimal(text)


_LISTED_TYPES = frozenset({FieldType.TEXT, FieldType.NUMBER, FieldType.COST})
"""Custom field types whose value lists (``ValueList``) are read and written."""


def _text(element: etree._Element | None) -> str | None:
    if element is None or element.text is None or not element.text.strip():
        return None
    return element.text


class _Builder:
    """Turns the parsed tree into a Project; raises :class:`_PathError` naming the element path.

    The header (units, options) is read from the root when the first item arrives, or given
    when a second pass knows it; items are converted one at a time by :meth:`item`; the
    rest (properties, calendars, definitions) is read from what stays of the tree at the end.
    """

    def __init__(self, root: etree._Element, source: str,
                 header: tuple[CalendarOptions, DurationUnit] | None = None) -> None:
        self.root = root
        self.source = source
        self.options = CalendarOptions()
        self.default_unit = DurationUnit.DAYS
        self.seen_fields: dict[str, CustomFieldDefinition] = {}
        self.indexed: etree._Element | None = None
        self.index: dict[Any, str | None] = {}
        # per converter, the value of each text met
        self.converted: dict[Callable[[str], Any], dict[str, Any]] = {}
        self.durations: dict[tuple[float, DurationUnit, bool], Duration] = {}
        # a task's duration by its Duration (in minutes) and DurationFormat
        self.task_durations: dict[tuple[float, int | None], Duration] = {}
        # a link's type and lag by the texts of its CrossProject, Type, LinkLag and LagFormat
        self.link_kinds: dict[tuple[str | None, ...], tuple[LinkType, Duration]] = {}
        # the task id of each PredecessorUID text met
        self.predecessors: dict[str | None, str] = {}
        self.task_fields = _Fields(_TASK_FIELDS, (_UID, _ID, _NAME, _NOTES, _WBS,
                                                  _OUTLINE_NUMBER))
        self.assignment_fields = _Fields(_ASSIGNMENT_FIELDS, (_UID, _TASK_UID, _NOTES))
        # per task UID, the work periods of its first assignment that has any (splits)
        self.work_periods: dict[int, tuple[int, list[_WorkPeriod]]] = {}
        if header is None:
            self.read_header()
        else:
            self.options, self.default_unit = header

    def value(self, parent: etree._Element, name: str, path: str,
              convert: Callable[[str], T]) -> T | None:
        """The field ``name`` of ``parent`` converted, ``None`` when absent or blank."""
        if parent is not self.indexed:
            # a record's field texts by tag, built once: a calendar day is looked up several
            # times (a repeated element such as WorkingTime is read with _children instead)
            self.indexed = parent
            self.index = {child.tag: child.text for child in parent}
        return self.field(self.index, name, path, convert)

    def field(self, texts: dict[str, str | None], name: str, path: str,
              convert: Callable[[str], T]) -> T | None:
        """The field ``name`` of a record's texts (:func:`_texts`) converted, ``None`` when
        absent or blank; a bad value is a :class:`_PathError` naming ``path/name``."""
        text = texts.get(_QUALIFIED[name])
        if text is None:
            return None
        if convert is str:
            return text if text.strip() else None  # type: ignore[return-value]  # T is str
        # plans repeat the same dates, numbers and flags: convert each text once
        cache = self.converted.get(convert)
        if cache is None:
            cache = self.converted[convert] = {}
        found = cache.get(text, _MISSING)
        if found is not _MISSING:
            return found  # type: ignore[no-any-return]
        if not text.strip():
            return None
        try:
            result = convert(text)
        except (ValueError, TypeError, OverflowError, PMCoreError) as exc:
            raise _PathError(f"{path}/{name}", f"invalid value {text.strip()!r}: {exc}") from None
        if len(cache) < _MAX_CONVERTED:
            cache[text] = result
        return result

    # ------------------------------------------------------------------ project

    def read_header(self) -> None:
        """The units every duration needs: minutes per day/week, days per month, the
        default duration format."""
        root, path, get = self.root, "Project", self.value
        self.indexed = None  # the root grows while the file is read
        try:
            self.options = CalendarOptions(
                minutes_per_day=get(root, "MinutesPerDay", path, _int) or 480,
                minutes_per_week=get(root, "MinutesPerWeek", path, _int) or 2400,
                days_per_month=get(root, "DaysPerMonth", path, _int) or 20,
            )
        except PMCoreError as exc:
            raise _PathError(path, f"invalid calendar options: {exc}") from None
        code = get(root, "DurationFormat", path, _int)
        unit = DURATION_FORMATS.get(code % 32 if code and code > 32 else code or 7)
        self.default_unit = unit if unit is not None and not unit.percent else DurationUnit.DAYS

    def item(self, tag: str, element: etree._Element, order: int, items: _Items) -> None:
        """Convert one ``Task``, ``Resource`` or ``Assignment`` element (``tag`` qualified)."""
        if tag == _QUALIFIED["Task"]:
            task = self.task_item(element, order, items)
            if task is not None:
                items.tasks.append(task)
        elif tag == _QUALIFIED["Resource"]:
            resource = self.resource(element, order)
            if resource is not None:
                items.resources.append(resource)
        else:
            assignment = self.assignment(element, order)
            if assignment is not None:
                items.assignments.append(assignment)

    def project(self, items: _Items) -> Project:
        root, path = self.root, "Project"
        self.indexed = None
        get = self.value
        name = (get(root, "Title", path, str) or get(root, "Name", path, str)
                or self.source.replace("\\", "/").rsplit("/", 1)[-1] or "MS Project file")
        fields: dict[str, Any] = {"name": name.strip(), "options": self.options}
        guid = get(root, "GUID", path, str)
        if guid is not None and _GUID.match(guid.strip()):
            # pmcore's own ids are uuid4().hex; the writer stores a hex id as the GUID
            fields["id"] = guid.strip().replace("-", "").lower()
        manager = get(root, "Manager", path, str)
        if manager is not None:
            fields["manager"] = manager
        currency = (get(root, "CurrencyCode", path, str) or "").strip().upper()
        if currency:
            try:
                fields["currency"] = check_currency(currency, entity=path)
            except ValidationError as exc:
                raise _PathError(f"{path}/CurrencyCode", exc.reason) from None
        for tag, key in (("StartDate", "start"), ("FinishDate", "finish"),
                         ("StatusDate", "status_date")):
            fields[key] = get(root, tag, path, _datetime)
        start, finish = fields["start"], fields["finish"]
        if isinstance(start, dt.datetime) and isinstance(finish, dt.datetime) and finish < start:
            fields["finish"] = None  # MS Project leaves a stale FinishDate with manual tasks
        from_start = get(root, "ScheduleFromStart", path, _bool)
        fields["schedule_from"] = ScheduleFrom.FINISH if from_start is False else ScheduleFrom.START
        for tag, key in (("DefaultStartTime", "default_start_time"),
                         ("DefaultFinishTime", "default_finish_time")):
            minute = get(root, tag, path, _time)
            if minute is not None:
                fields[key] = dt.time(minute // 60 % 24, minute % 60)
        calendars = self.calendars()
        if calendars:
            fields["calendars"] = calendars
        calendar_uid = get(root, "CalendarUID", path, _int)
        if calendar_uid is not None and calendar_uid >= 0:
            fields["calendar"] = f"cal-{calendar_uid}"
        elif calendars:
            fields["calendar"] = next(iter(calendars))
        definitions = self.field_definitions()
        for key, definition in self.seen_fields.items():
            definitions.setdefault(key, definition)  # a value without a definition gets one
        if definitions:
            fields["field_definitions"] = definitions
        if items.summary_notes is not None:
            fields["notes"] = items.summary_notes
        tasks, links = self.tasks(items.tasks)
        resources = {r.external_refs["msproject"]: r for r in items.resources}
        assignments = [a for a in (self.finish_assignment(a, resources)
                                   for a in items.assignments) if a is not None]
        project = Project.restore(tasks=tasks, dependencies=links,
                                  resources=resources.values(), assignments=assignments, **fields)
        for uid, (resource, periods) in self.work_periods.items():
            _read_splits(project, f"T{uid}", f"R{resource}", periods)
        return project

    # ------------------------------------------------------------------ custom fields

    def field_definitions(self) -> dict[str, CustomFieldDefinition]:
        """Custom field definitions by key: ``Text1`` for a task field, ``Resource Text1``
        and ``Assignment Text1`` for the others.

        Outline codes and enterprise fields are left out: they are not in ``_fields``.
        """
        result: dict[str, CustomFieldDefinition] = {}
        container = _child(self.root, "ExtendedAttributes")
        for number, element in enumerate(() if container is None else
                                         _children(container, "ExtendedAttribute")):
            path = f"Project/ExtendedAttributes/ExtendedAttribute[{number + 1}]"
            field_id = self.value(element, "FieldID", path, _int)
            field = None if field_id is None else _fields.by_id(field_id)
            if field is None:
                continue
            alias = (self.value(element, "Alias", path, str) or "").strip() or None
            choices: list[CustomValue] = []
            values = _child(element, "ValueList")
            for item_number, item in enumerate(() if values is None else
                                               _children(values, "Value")):
                where = f"{path}/ValueList/Value[{item_number + 1}]"
                text = _text(_child(item, "Value"))
                if text is None or field.type not in _LISTED_TYPES:
                    continue  # MS Project codes listed dates and durations its own way
                choices.append(self.custom_value(field, text, None, where))
            # passed by keyword through a dict: mypy cannot type attrs' tuple converter
            listed: dict[str, Any] = {"choices": tuple(choices)}
            try:
                result[field.key] = CustomFieldDefinition(
                    key=field.key, type=field.type, applies_to=field.entity, alias=alias,
                    external_refs={"msproject": str(field.field_id)}, **listed)
            except PMCoreError as exc:
                raise _PathError(path, str(exc)) from None
        return result

    def custom_value(self, field: _fields.TaskField, text: str, code: int | None,
                     path: str) -> CustomValue:
        """A custom field's ``Value`` text as a typed pmcore value."""
        try:
            match field.type:
                case FieldType.TEXT:
                    return text
                case FieldType.NUMBER:
                    stripped = text.strip()
                    whole = re.fullmatch(r"[+-]?\d+", stripped)
                    return int(stripped) if whole else float(stripped)
                case FieldType.FLAG:
                    return _bool(text)
                case FieldType.COST:
                    # MS Project writes custom costs in hundredths of the currency unit
                    return _plain(Decimal(text.strip()) / 100)
                case FieldType.DURATION:
                    minutes = _iso_minutes(text)
                    unit, estimated = self.unit(code, f"{path}/DurationFormat")
                    if unit.percent:
                        raise ValueError("a duration field cannot hold a percentage")
                    return self.duration(minutes, unit, estimated)
                case _:
                    return _datetime(text)
        except (ValueError, ArithmeticError, InvalidOperation, PMCoreError) as exc:
            raise _PathError(f"{path}/Value", f"invalid {field.name} value {text.strip()!r}: "
                             f"{exc}") from None

    def custom_fields(self, element: etree._Element, path: str,
                      entity: str = "task") -> dict[str, CustomValue]:
        """The ``ExtendedAttribute`` values of a task, resource or assignment; a field used
        without a definition gets one."""
        result: dict[str, CustomValue] = {}
        for number, item in enumerate(_children(element, "ExtendedAttribute")):
            where = f"{path}/ExtendedAttribute[{number + 1}]"
            field_id = self.value(item, "FieldID", where, _int)
            field = None if field_id is None else _fields.by_id(field_id)
            text = _text(_child(item, "Value"))
            if field is None or field.entity != entity:
                continue  # an outline code or an enterprise field: not read
            if text is None:
                if field.type is not FieldType.TEXT or _child(item, "Value") is None:
                    continue
                text = ""
            code = self.value(item, "DurationFormat", where, _int)
            result[field.key] = self.custom_value(field, text, code, where)
            if field.key not in self.seen_fields:
                self.seen_fields[field.key] = CustomFieldDefinition(
                    key=field.key, type=field.type, applies_to=field.entity,
                    external_refs={"msproject": str(field.field_id)})
        return result

    # ------------------------------------------------------------------ baselines

    def baselines(self, element: etree._Element, path: str) -> dict[int, Baseline]:
        """Baselines 0-10 that have a start, a finish and a duration.

        pmcore's :class:`Baseline` needs all three; MS Project may save only some of them
        (a baseline cost alone, or a start set by hand), and those are skipped.
        """
        result: dict[int, Baseline] = {}
        for number, item in enumerate(_children(element, "Baseline")):
            where = f"{path}/Baseline[{number + 1}]"
            if self.value(item, "Interim", where, _bool):
                continue  # Start1-10/Finish1-10 interim plans, not baselines
            index = self.value(item, "Number", where, _int)
            if index is None or not 0 <= index <= 10:
                raise _PathError(f"{where}/Number", f"expected 0 to 10, got {index}")
            start = self.value(item, "Start", where, _datetime)
            finish = self.value(item, "Finish", where, _datetime)
            minutes = self.value(item, "Duration", where, _iso_minutes)
            if start is None or finish is None or minutes is None:
                logger.debug("%s: baseline %d has no start, finish and duration; skipped",
                             where, index)
                continue
            unit, estimated = self.unit(self.value(item, "DurationFormat", where, _int),
                                        f"{where}/DurationFormat")
            if unit.percent or minutes < 0:
                raise _PathError(f"{where}/Duration", "must be a non-negative length of time")
            estimated = estimated or bool(self.value(item, "EstimatedDuration", where, _bool))
            try:
                result[index] = Baseline(start=start, finish=finish,
                                         duration=self.duration(minutes, unit, estimated))
            except PMCoreError as exc:
                raise _PathError(where, str(exc)) from None
        return dict(sorted(result.items()))

    # ------------------------------------------------------------------ calendars

    def calendars(self) -> dict[str, Calendar]:
        result: dict[str, Calendar] = {}
        container = _child(self.root, "Calendars")
        if container is None:
            return result
        for element in _children(container, "Calendar"):
            uid = self.value(element, "UID", "Project/Calendars/Calendar", _int)
            path = f"Project/Calendars/Calendar[UID={uid}]"
            if uid is None:
                raise _PathError(path, "has no UID")
            base_uid = self.value(element, "BaseCalendarUID", path, _int)
            is_base = self.value(element, "IsBaseCalendar", path, _bool)
            # a base calendar's BaseCalendarUID is -1, or 0 in files from Project 2013 on
            base = (f"cal-{base_uid}" if not is_base and base_uid is not None and base_uid >= 0
                    else None)
            exceptions_element = _child(element, "Exceptions")
            days: list[tuple[WorkingTime, ...] | None] = [None] * 7
            exceptions: list[CalendarException] = []
            weekdays = _child(element, "WeekDays")
            for weekday in () if weekdays is None else _children(weekdays, "WeekDay"):
                day_type = self.value(weekday, "DayType", f"{path}/WeekDays/WeekDay", _int)
                where = f"{path}/WeekDays/WeekDay[DayType={day_type}]"
                times = self.day_times(weekday, where)
                if day_type is not None and 1 <= day_type <= 7:
                    days[(day_type + 5) % 7] = times
                elif day_type == 0 and exceptions_element is None:
                    exceptions.append(self.period_exception(weekday, where, times))
            if exceptions_element is not None:
                for number, exception in enumerate(_children(exceptions_element, "Exception")):
                    exceptions.append(
                        self.exception(exception, f"{path}/Exceptions/Exception[{number + 1}]"))
            if base is None:  # a base calendar defines every day: MS Project's defaults
                standard = WorkWeek.standard().days
                days = [standard[i] if d is None else d for i, d in enumerate(days)]
            name = self.value(element, "Name", path, str) or f"Calendar {uid}"
            try:
                calendar = Calendar(id=f"cal-{uid}", name=name.strip(), base=base,
                                    week=WorkWeek(tuple(days)), exceptions=exceptions,
                                    work_weeks=self.work_weeks(element, path),
                                    external_refs={"msproject": str(uid)})
            except PMCoreError as exc:
                raise _PathError(path, str(exc)) from None
            result[calendar.id] = calendar
        return result

    def day_times(self, element: etree._Element, path: str) -> tuple[WorkingTime, ...] | None:
        """A day's working times; ``None`` when DayWorking is absent (inherit)."""
        working = self.value(element, "DayWorking", path, _bool)
        if working is None:
            return None
        if not working:
            return ()
        container = _child(element, "WorkingTimes")
        times: list[WorkingTime] = []
        for number, item in enumerate(() if container is None else
                                      _children(container, "WorkingTime")):
            where = f"{path}/WorkingTimes/WorkingTime[{number + 1}]"
            start = self.value(item, "FromTime", where, _time)
            end = self.value(item, "ToTime", where, _time)
            if start is None or end is None:
                continue
            try:
                times.append(WorkingTime(start, 1440 if end == 0 else end))
            except PMCoreError as exc:
                raise _PathError(where, str(exc)) from None
        if not times:  # working with no times given: MS Project's default day
            return WorkWeek.standard().days[0]
        return tuple(times)

    def period(self, element: etree._Element, path: str) -> tuple[dt.date, dt.date]:
        period = _child(element, "TimePeriod")
        where = f"{path}/TimePeriod"
        start = None if period is None else self.value(period, "FromDate", where, _datetime)
        finish = None if period is None else self.value(period, "ToDate", where, _datetime)
        if start is None or finish is None:
            raise _PathError(where, "needs FromDate and ToDate")
        return start.date(), finish.date()

    def period_exception(self, element: etree._Element, path: str,
                         times: tuple[WorkingTime, ...] | None) -> CalendarException:
        start, finish = self.period(element, path)
        try:
            return CalendarException(start=start, finish=finish, working_times=times or ())
        except PMCoreError as exc:
            raise _PathError(path, str(exc)) from None

    def exception(self, element: etree._Element, path: str) -> CalendarException:
        get = self.value
        start, finish = self.period(element, path)
        times = self.day_times(element, path) or ()
        name = (get(element, "Name", path, str) or "").strip()
        kind = get(element, "Type", path, _int) or 1
        interval = get(element, "Period", path, _int) or 1
        parts: list[str]
        if kind in (1, 7):
            parts = ["FREQ=DAILY", f"INTERVAL={interval}"]
        elif kind == 6:
            mask = get(element, "DaysOfWeek", path, _int) or 0
            days = [code for bit, code in enumerate(_RRULE_DAYS) if mask & (1 << bit)]
            if not days:
                raise _PathError(f"{path}/DaysOfWeek", "a weekly exception needs at least one day")
            parts = ["FREQ=WEEKLY", f"INTERVAL={interval}", f"BYDAY={','.join(days)}",
                     "WKST=SU"]
        elif kind in (2, 4):
            day = get(element, "MonthDay", path, _int)
            if day is None:
                raise _PathError(f"{path}/MonthDay", "is missing")
            if kind == 2:
                parts = ["FREQ=YEARLY", f"BYMONTH={self.month(element, path)}",
                         f"BYMONTHDAY={day}"]
            else:
                parts = ["FREQ=MONTHLY", f"INTERVAL={interval}", f"BYMONTHDAY={day}"]
        elif kind in (3, 5):
            where = self.position(element, path)
            if kind == 3:
                parts = ["FREQ=YEARLY", f"BYMONTH={self.month(element, path)}", *where]
            else:
                parts = ["FREQ=MONTHLY", f"INTERVAL={interval}", *where]
        else:
            raise _PathError(f"{path}/Type", f"unknown recurrence type {kind}")
        by_count = get(element, "EnteredByOccurrences", path, _bool)
        count = get(element, "Occurrences", path, _int)
        if by_count and count:
            parts.append(f"COUNT={count}")
        try:
            if kind == 1 and interval == 1 and not by_count:  # a plain date range
                return CalendarException(name=name, start=start, finish=finish,
                                         working_times=times)
            return CalendarException(name=name, start=start, finish=finish,
                                     recurrence=";".join(parts), working_times=times)
        except PMCoreError as exc:
            raise _PathError(path, str(exc)) from None

    def month(self, element: etree._Element, path: str) -> int:
        month = self.value(element, "Month", path, _int)
        if month is None or not 0 <= month <= 11:
            raise _PathError(f"{path}/Month", f"expected 0 (January) to 11, got {month}")
        return month + 1

    def position(self, element: etree._Element, path: str) -> list[str]:
        """MonthItem (0 day, 1 weekday, 2 weekend day, 3 Sunday .. 9 Saturday) and
        MonthPosition (0 first .. 3 fourth, 4 last) as BYDAY/BYSETPOS."""
        item = self.value(element, "MonthItem", path, _int)
        position = self.value(element, "MonthPosition", path, _int)
        if item is None or not 0 <= item <= 9:
            raise _PathError(f"{path}/MonthItem", f"expected 0 to 9, got {item}")
        if position is None or not 0 <= position <= 4:
            raise _PathError(f"{path}/MonthPosition", f"expected 0 to 4, got {position}")
        setpos = -1 if position == 4 else position + 1
        if item >= 3:
            return [f"BYDAY={setpos}{_RRULE_DAYS[item - 3]}"]
        days = {0: _RRULE_DAYS, 1: _RRULE_DAYS[1:6], 2: ("SA", "SU")}[item]
        return [f"BYDAY={','.join(days)}", f"BYSETPOS={setpos}"]

    def work_weeks(self, element: etree._Element, path: str) -> list[WorkWeekPeriod]:
        container = _child(element, "WorkWeeks")
        result: list[WorkWeekPeriod] = []
        for number, week in enumerate(() if container is None else
                                      _children(container, "WorkWeek")):
            where = f"{path}/WorkWeeks/WorkWeek[{number + 1}]"
            start, finish = self.period(week, where)
            days: list[tuple[WorkingTime, ...] | None] = [None] * 7
            weekdays = _child(week, "WeekDays")
            for weekday in () if weekdays is None else _children(weekdays, "WeekDay"):
                day_type = self.value(weekday, "DayType", f"{where}/WeekDays/WeekDay", _int)
                if day_type is not None and 1 <= day_type <= 7:
                    days[(day_type + 5) % 7] = self.day_times(
                        weekday, f"{where}/WeekDays/WeekDay[DayType={day_type}]")
            name = (self.value(week, "Name", where, str) or f"Work week {number + 1}").strip()
            try:
                result.append(WorkWeekPeriod(name=name, start=start, finish=finish,
                                             week=WorkWeek(tuple(days))))
            except PMCoreError as exc:
                raise _PathError(where, str(exc)) from None
        return result

    # ------------------------------------------------------------------ tasks and links

    def unit(self, code: int | None, path: str) -> tuple[DurationUnit, bool]:
        """A DurationFormat/LagFormat code as a unit and an estimated flag."""
        if code is None:
            return self.default_unit, False
        estimated = code >= 35
        base = code - 32 if estimated else code
        if base not in DURATION_FORMATS:
            raise _PathError(path, f"unknown duration format {code}")
        return DURATION_FORMATS[base] or self.default_unit, estimated

    def duration(self, minutes: float, unit: DurationUnit, estimated: bool) -> Duration:
        key = (minutes, unit, estimated)
        found = self.durations.get(key)
        if found is None:  # Duration is immutable: one object per distinct value
            per_unit = Duration(1, unit).to_minutes(self.options)
            found = Duration(round(minutes / per_unit, 9), unit, estimated=estimated)
            if len(self.durations) < _MAX_CONVERTED:
                self.durations[key] = found
        return found

    def tasks(self, items: list[_TaskItem]) -> tuple[list[Task], list[Dependency]]:
        """Tasks in row (``ID``) order, their parents from the outline levels."""
        items.sort()  # by row, then order in the file (each item's order is its own)
        tasks: list[Task] = []
        links: list[Dependency] = []
        outline: list[tuple[int, str]] = []
        for item in items:
            task_id = item.fields["id"]
            while outline and outline[-1][0] >= item.level:
                outline.pop()
            parent = outline[-1][1] if outline else None
            outline.append((item.level, task_id))
            try:
                tasks.append(Task(parent=parent, **item.fields))
            except PMCoreError as exc:
                raise _PathError(item.path, str(exc)) from None
            links.extend(item.links)
        return tasks, links

    def task_item(self, element: etree._Element, order: int, items: _Items) -> _TaskItem | None:
        """One ``Task`` element as the values of a pmcore task (its parent comes later)."""
        texts, get, checked = self.task_fields.read(element, self, "Project/Tasks/Task")
        uid = get(_UID)
        if uid is None:
            raise _PathError(f"Project/Tasks/Task[{order + 1}]", "has no UID")
        path = f"Project/Tasks/Task[UID={uid}]"
        if checked is not None:
            checked.path = path
        if uid == 0:  # the project summary task: it holds the project's notes
            items.summary_notes = get(_NOTES)
            return None
        if get(_IS_NULL):
            return None  # a blank row
        level = get(_OUTLINE_LEVEL)
        name = get(_NAME)
        if name is None and level in (None, 0):
            return None
        row = get(_ID)
        task_id = f"T{uid}"
        summary = get(_SUMMARY)
        duration = None
        minutes = get(_DURATION)
        if minutes is not None and not summary:
            code = get(_DURATION_FORMAT)
            duration = self.task_durations.get((minutes, code))
            if duration is None:
                duration = self.task_duration(minutes, code, path)
        constraint = _DATELESS[0]
        kind = get(_CONSTRAINT_TYPE)
        if kind is not None:
            if not 0 <= kind < len(CONSTRAINTS):
                raise _PathError(f"{path}/ConstraintType", f"unknown constraint type {kind}")
            if kind < len(_DATELESS):
                constraint = _DATELESS[kind]
            else:
                date = get(_CONSTRAINT_DATE)
                if date is None:
                    raise _PathError(f"{path}/ConstraintDate", f"{CONSTRAINTS[kind]} needs a date")
                constraint = Constraint(CONSTRAINTS[kind], date)
        task_type = get(_TYPE)
        if task_type is not None and not 0 <= task_type < len(_TASK_TYPES):
            raise _PathError(f"{path}/Type", f"unknown task type {task_type} (0 fixed units, "
                             "1 fixed duration, 2 fixed work)")
        leveling_delay = None
        tenths = get(_LEVELING_DELAY)
        if tenths:  # MS Project writes 0 on every task it did not delay
            code = get(_LEVELING_DELAY_FORMAT)
            unit, estimated = self.unit(8 if code is None else code,
                                        f"{path}/LevelingDelayFormat")
            if unit.percent or tenths < 0:
                raise _PathError(f"{path}/LevelingDelay", "must be a length of time of at least 0")
            leveling_delay = self.duration(tenths / 10, unit, estimated)
        calendar_uid = get(_CALENDAR_UID)
        costs = self.task_costs(get, path) if not texts.keys().isdisjoint(_COSTS) else {}
        wbs = get(_WBS)
        outline_number = get(_OUTLINE_NUMBER)
        refs = {"msproject": str(uid)}
        priority = get(_PRIORITY)
        if row is not None:
            refs["msproject_id"] = str(row)
        fields: dict[str, Any] = {
            "id": task_id,
            "name": (name or "").strip(),
            "duration": duration,
            "milestone": bool(get(_MILESTONE)),
            "manual": bool(get(_MANUAL)),
            "start": get(_START),
            "finish": get(_FINISH),
            "constraint": constraint,
            "deadline": get(_DEADLINE),
            "priority": 500 if priority is None else priority,
            "percent_complete": get(_PERCENT_COMPLETE) or 0.0,
            "actual_start": get(_ACTUAL_START),
            "actual_finish": get(_ACTUAL_FINISH),
            "calendar": f"cal-{calendar_uid}" if calendar_uid is not None and calendar_uid >= 0
            else None,
            "wbs": wbs.strip() if wbs and wbs.strip() != (outline_number or "").strip()
            else None,
            "notes": get(_NOTES) or "",
            # the repeated elements are looked for only when the task has them
            "baselines": self.baselines(element, path) if _BASELINE in texts else {},
            "custom_fields": (self.custom_fields(element, path) if _EXTENDED in texts
                              else {}),
            "task_type": _TASK_TYPES[task_type or 0],
            "effort_driven": bool(get(_EFFORT_DRIVEN)),
            "leveling_delay": leveling_delay,
            "external_refs": refs,
            **costs,
        }
        return _TaskItem(row if row is not None else order, order, level or 1, path, fields,
                         self.links(element, task_id) if _LINK in texts else [])

    def task_duration(self, minutes: float, code: int | None, path: str) -> Duration:
        """A task's ``Duration`` (in minutes) in the unit of its ``DurationFormat``."""
        unit, estimated = self.unit(code, f"{path}/DurationFormat")
        if unit.percent:
            raise _PathError(f"{path}/DurationFormat", "a task duration cannot be a percentage")
        if minutes < 0:
            raise _PathError(f"{path}/Duration", "must not be negative")
        duration = self.duration(minutes, unit, estimated)
        if len(self.task_durations) < _MAX_CONVERTED:
            self.task_durations[minutes, code] = duration
        return duration

    def task_costs(self, get: Callable[[str], Any], path: str) -> dict[str, Any]:
        """A task's fixed cost (in hundredths, as every MSPDI cost) and its accrual, and how it
        earns value (0 percent complete, 1 physical percent complete): only what differs from
        pmcore's defaults."""
        fields: dict[str, Any] = {}
        amount = get(_FIXED_COST)
        if amount:
            if amount < 0:
                raise _PathError(f"{path}/FixedCost", "must not be negative")
            fields["fixed_cost"] = _plain(amount / 100)
        accrual = get(_FIXED_COST_ACCRUAL)
        if accrual is not None and accrual != 3:
            if accrual not in _ACCRUALS:
                raise _PathError(f"{path}/FixedCostAccrual",
                                 f"expected 1 (start), 2 (end) or 3 (prorated), got {accrual}")
            fields["fixed_cost_accrual"] = _ACCRUALS[accrual]
        method = get(_EARNED_VALUE_METHOD)
        if method == 1:
            fields["ev_method"] = EarnedValueMethod.PHYSICAL_PERCENT_COMPLETE
        elif method not in (None, 0):
            raise _PathError(f"{path}/EarnedValueMethod",
                             f"expected 0 (% complete) or 1 (physical % complete), got {method}")
        physical = get(_PHYSICAL_PERCENT_COMPLETE)
        if physical:
            fields["physical_percent_complete"] = physical
        return fields

    def links(self, element: etree._Element, successor: str) -> list[Dependency]:
        """A task's ``PredecessorLink`` elements, but those to another project's tasks."""
        links: list[Dependency] = []
        predecessors, kinds = self.predecessors, self.link_kinds
        for number, link in enumerate(element.iterchildren(_LINK)):
            # (a link has a handful of children: read whole)
            texts = {child.tag: child.text for child in link}
            get = texts.get
            # the task id of each PredecessorUID text met, and of each combination of the
            # link's type and lag texts, the link's type and lag (a plan has a few)
            predecessor = predecessors.get(get(_PREDECESSOR_UID))
            kind = kinds.get((get(_CROSS), get(_TYPE), get(_LAG), get(_LAG_FORMAT)))
            if predecessor is None or kind is None:
                predecessor, kind = self.new_link(texts, successor, number)  # type: ignore[arg-type]
            if kind is _CROSS_PROJECT:
                continue  # a link to another project file: not part of this plan
            try:
                links.append(Dependency(predecessor=predecessor, successor=successor,
                                        type=kind[0], lag=kind[1]))
            except PMCoreError as exc:
                raise _PathError(self.link_path(successor, number), str(exc)) from None
        return links

    def link_path(self, successor: str, number: int) -> str:
        return f"Project/Tasks/Task[UID={successor[1:]}]/PredecessorLink[{number + 1}]"

    def new_link(self, texts: dict[str, str | None], successor: str,
                 number: int) -> tuple[str, tuple[LinkType, Duration]]:
        """The predecessor's task id and the type and lag of a link whose texts were not
        all met before, each checked, with the link's element path in an error."""
        text = texts.get(_PREDECESSOR_UID)
        predecessor = self.predecessors.get(text)
        if predecessor is None:
            try:
                predecessor = f"T{_int(text)}" if text and text.strip() else None
            except ValueError:
                predecessor = None
            if predecessor is None:  # reported as every field is
                path = self.link_path(successor, number)
                uid = self.field(texts, "PredecessorUID", path, _int)
                if uid is None:
                    raise _PathError(f"{path}/PredecessorUID", "is missing")
                predecessor = f"T{uid}"
            if len(self.predecessors) < _MAX_CONVERTED:
                self.predecessors[text] = predecessor
        key = (texts.get(_CROSS), texts.get(_TYPE), texts.get(_LAG), texts.get(_LAG_FORMAT))
        kind = self.link_kinds.get(key)
        if kind is None:
            kind = self.link_kind(texts, self.link_path(successor, number))
            if len(self.link_kinds) < _MAX_CONVERTED:
                self.link_kinds[key] = kind
        return predecessor, kind

    def link_kind(self, texts: dict[str, str | None], path: str) -> tuple[LinkType, Duration]:
        """A link's type and lag, or :data:`_CROSS_PROJECT` for a link to another project."""
        get = self.field
        if get(texts, "CrossProject", path, _bool):
            return _CROSS_PROJECT
        kind = get(texts, "Type", path, _int)
        kind = 1 if kind is None else kind
        if not 0 <= kind <= 3:
            raise _PathError(f"{path}/Type", f"unknown link type {kind}")
        tenths = get(texts, "LinkLag", path, float) or 0.0
        unit, estimated = self.unit(get(texts, "LagFormat", path, _int), f"{path}/LagFormat")
        if unit.percent:
            return LINK_TYPES[kind], Duration(tenths, unit, estimated=estimated)  # the percentage
        return LINK_TYPES[kind], self.duration(tenths / 10, unit, estimated)

    # ------------------------------------------------------------------ resources

    def resource(self, element: etree._Element, order: int) -> Resource | None:
        """One ``Resource`` element; ``None`` for MS Project's unnamed resource UID 0 and
        blank rows."""
        get = self.value
        uid = get(element, "UID", "Project/Resources/Resource", _int)
        if uid is None:
            raise _PathError(f"Project/Resources/Resource[{order + 1}]", "has no UID")
        path = f"Project/Resources/Resource[UID={uid}]"
        if uid <= 0 or get(element, "IsNull", path, _bool):
            return None
        kind = get(element, "Type", path, _int)
        if get(element, "IsCostResource", path, _bool) or kind == 2:
            resource_type = ResourceType.COST
        elif kind == 0:
            resource_type = ResourceType.MATERIAL
        elif kind in (None, 1):
            resource_type = ResourceType.WORK
        else:
            raise _PathError(f"{path}/Type", f"unknown resource type {kind} (0 material, 1 work)")
        accrue = get(element, "AccrueAt", path, _int)
        if accrue is not None and accrue not in _ACCRUALS:
            raise _PathError(f"{path}/AccrueAt", f"unknown accrual {accrue} (1 start, 2 end, "
                             "3 prorated)")
        calendar_uid = get(element, "CalendarUID", path, _int)
        refs = {"msproject": str(uid)}
        row = get(element, "ID", path, _int)
        if row is not None:
            refs["msproject_id"] = str(row)
        max_units = get(element, "MaxUnits", path, _units)
        try:
            return Resource(
                id=f"R{uid}",
                name=(get(element, "Name", path, str) or "").strip(),
                type=resource_type,
                material_label=(get(element, "MaterialLabel", path, str) or "").strip(),
                generic=bool(get(element, "IsGeneric", path, _bool)),
                initials=(get(element, "Initials", path, str) or "").strip(),
                group=(get(element, "Group", path, str) or "").strip(),
                email=(get(element, "EmailAddress", path, str) or "").strip(),
                max_units=1.0 if max_units is None else max_units,
                availability=self.availability(element, path),
                calendar=f"cal-{calendar_uid}" if calendar_uid is not None and calendar_uid >= 0
                else None,
                rate_tables=self.rate_tables(element, path),
                accrue_at=_ACCRUALS[accrue or 3],
                can_level=get(element, "CanLevel", path, _bool) is not False,
                notes=get(element, "Notes", path, str) or "",
                custom_fields=self.custom_fields(element, path, "resource"),
                external_refs=refs,
            )
        except PMCoreError as exc:
            raise _PathError(path, str(exc)) from None

    def availability(self, element: etree._Element, path: str) -> list[Availability]:
        container = _child(element, "AvailabilityPeriods")
        result: list[Availability] = []
        for number, period in enumerate(() if container is None else
                                        _children(container, "AvailabilityPeriod")):
            where = f"{path}/AvailabilityPeriods/AvailabilityPeriod[{number + 1}]"
            start = self.value(period, "AvailableFrom", where, _datetime)
            finish = self.value(period, "AvailableTo", where, _datetime)
            units = self.value(period, "AvailableUnits", where, _units)
            try:
                result.append(Availability(
                    None if start is None or start.date() <= FIRST_DAY else start.date(),
                    None if finish is None or finish.date() >= LAST_DAY else finish.date(),
                    1.0 if units is None else units))
            except PMCoreError as exc:
                raise _PathError(where, str(exc)) from None
        return result

    def rate_tables(self, element: etree._Element, path: str) -> dict[str, RateTable]:
        """Cost rate tables A-E from ``Rates`` (Project 2007 on), else table A from the
        resource's ``StandardRate``, ``OvertimeRate`` and ``CostPerUse`` (older files).

        Rates are per hour (per unit of a material), whatever ``StandardRateFormat`` shows
        them in; ``CostPerUse`` is in hundredths of the currency unit. A table holding one
        row of zeros since ever is what a new resource has, the same as no table.
        """
        get = self.value
        container = _child(element, "Rates")
        rows: dict[str, list[tuple[dt.date, Rate]]] = {}
        if container is None:
            rows["A"] = [(FIRST_DAY, self.rate(element, path, None))]
        else:
            for number, item in enumerate(_children(container, "Rate")):
                where = f"{path}/Rates/Rate[{number + 1}]"
                table = get(item, "RateTable", where, _int) or 0
                if not 0 <= table < len(RATE_TABLES):
                    raise _PathError(f"{where}/RateTable", f"expected 0 (A) to 4 (E), got {table}")
                start = get(item, "RatesFrom", where, _datetime)
                day = FIRST_DAY if start is None else max(start.date(), FIRST_DAY)
                rows.setdefault(RATE_TABLES[table], []).append(
                    (day, self.rate(item, where, None if day <= FIRST_DAY else day)))
        result: dict[str, RateTable] = {}
        for letter, entries in sorted(rows.items()):
            rates = [rate for _, rate in sorted(entries, key=lambda entry: entry[0])]
            if rates != [Rate()]:
                result[letter] = RateTable(rates)
        return result

    def rate(self, element: etree._Element, path: str, start: dt.date | None) -> Rate:
        get = self.value
        try:
            return Rate(effective_from=start,
                        standard_rate=_plain(get(element, "StandardRate", path, _decimal)
                                             or Decimal(0)),
                        overtime_rate=_plain(get(element, "OvertimeRate", path, _decimal)
                                             or Decimal(0)),
                        cost_per_use=_plain((get(element, "CostPerUse", path, _decimal)
                                             or Decimal(0)) / 100))
        except PMCoreError as exc:
            raise _PathError(path, str(exc)) from None

    # ------------------------------------------------------------------ assignments

    def assignment(self, element: etree._Element, order: int) -> dict[str, Any] | None:
        """One ``Assignment`` element as the values of a pmcore assignment.

        An assignment of no resource (``ResourceUID`` -65535, which MS Project keeps for the
        work of a task without resources) is not an assignment in pmcore and is left out.
        Its cost is kept once the resource is known to be a cost resource
        (:meth:`finish_assignment`): for the others MS Project computes it from the rates.
        """
        texts, get, checked = self.assignment_fields.read(element, self,
                                                          "Project/Assignments/Assignment")
        uid = get(_UID)
        if uid is None:
            raise _PathError(f"Project/Assignments/Assignment[{order + 1}]", "has no UID")
        path = f"Project/Assignments/Assignment[UID={uid}]"
        if checked is not None:
            checked.path = path
        task = get(_TASK_UID)
        resource = get(_RESOURCE_UID)
        if task is None or resource is None:
            raise _PathError(path, "needs a TaskUID and a ResourceUID")
        if task not in self.work_periods and _TIMEPHASED in texts:
            periods = _work_periods(element)
            if periods:
                self.work_periods[task] = (resource, periods)
        if resource <= 0:
            return None
        contour = get(_WORK_CONTOUR) or 0
        if not 0 <= contour < len(_CONTOURS):
            raise _PathError(f"{path}/WorkContour", f"expected 0 (flat) to 8, got {contour}")
        table = get(_COST_RATE_TABLE) or 0
        if not 0 <= table < len(RATE_TABLES):
            raise _PathError(f"{path}/CostRateTable", f"expected 0 (A) to 4 (E), got {table}")
        units = get(_UNITS)
        fields: dict[str, Any] = {
            "id": f"A{uid}",
            "task": f"T{task}",
            "resource": f"R{resource}",
            "units": 1.0 if units is None else units,
            "rate_table": RATE_TABLES[table],
            "contour": _CONTOURS[contour],
            "start": get(_START),
            "finish": get(_FINISH),
            "notes": get(_NOTES) or "",
            "custom_fields": (self.custom_fields(element, path, "assignment")
                              if _EXTENDED in texts else {}),
            "external_refs": {"msproject": str(uid)},
            "_path": path,
        }
        for tag, key in (("Work", "work"), ("ActualWork", "actual_work"),
                         ("RemainingWork", "remaining_work")):
            minutes = get(_QUALIFIED[tag])
            if minutes is not None:
                if minutes < 0:
                    raise _PathError(f"{path}/{tag}", "must not be negative")
                # MS Project shows work in hours unless told otherwise
                fields[key] = Duration(round(minutes / 60, 9), DurationUnit.HOURS)
        for tag, key in (("Cost", "cost"), ("ActualCost", "actual_cost")):
            amount = get(_QUALIFIED[tag])
            if amount is not None:
                fields[key] = _plain(amount / 100)  # hundredths, as every MSPDI cost
        return fields

    def finish_assignment(self, fields: dict[str, Any],
                          resources: dict[str, Resource]) -> Assignment | None:
        fields = dict(fields)
        path = fields.pop("_path")
        resource = resources.get(fields["resource"][1:])
        if resource is None or resource.type is not ResourceType.COST:
            fields.pop("cost", None)  # computed from rates by MS Project, not entered
            fields.pop("actual_cost", None)
        try:
            return Assignment(**fields)
        except PMCoreError as exc:
            raise _PathError(path, str(exc)) from None


@attrs.frozen
class _WorkPeriod:
    """A ``TimephasedData`` period of assignment work: remaining (type 1) or actual (2)."""

    actual: bool
    start: dt.datetime
    finish: dt.datetime
    worked: bool


def _work_periods(element: etree._Element) -> list[_WorkPeriod]:
    """The remaining and actual work periods of an assignment, as MS Project saved them."""
    periods: list[_WorkPeriod] = []
    for data in _children(element, "TimephasedData"):
        kind = data.findtext(_Q + "Type")
        if kind is None or kind.strip() not in ("1", "2"):
            continue
        try:
            period = _parse_value(data, "A")
            if period.start is None or period.finish is None:
                raise ValueError("a period without a start or a finish")
            worked = period.value is not None and _iso_minutes(period.value) > 0
        except ValueError:
            return []  # a malformed period: no splits are read from this assignment
        if period.finish > period.start:
            periods.append(_WorkPeriod(period.type == 2, period.start, period.finish, worked))
    return periods


def _read_splits(project: Project, task_id: str, resource_id: str,
                 periods: list[_WorkPeriod]) -> None:
    """A task's splits, from the gaps in its assignment's work periods.

    MS Project keeps no split element: a split task's assignment has periods of no work on
    working days between periods of work. The periods of work are merged into pieces; a gap
    of working time between two pieces is a split, except the one between the actual work
    and the remaining work of a task in progress, which the scheduler makes again from the
    status date. Gaps are measured on the resource's calendar, or the task's without one.
    """
    from pmcore.model import Split
    from pmcore.schedule.timeline import Timeline

    if task_id not in project:
        return
    task = project.task(task_id)
    if project.is_summary(task) or task.duration is None or task.duration.elapsed:
        return
    pieces: list[list[Any]] = []  # [start, finish, has actual work, has remaining work]
    for period in sorted((p for p in periods if p.worked), key=lambda p: p.start):
        if pieces and period.start <= pieces[-1][1]:
            last = pieces[-1]
            last[1] = max(last[1], period.finish)
            last[2] |= period.actual
            last[3] |= not period.actual
        else:
            pieces.append([period.start, period.finish, period.actual, not period.actual])
    if len(pieces) < 2:
        return
    calendar = (project.resource_calendar(resource_id)
                if resource_id in {r.id for r in project.resources}
                else project.task_calendar(task))
    axis = Timeline(calendar, pieces[0][0].date())

    def work(moment: dt.datetime) -> int:
        return axis.work_at(axis.instant(moment))

    in_progress = task.actual_start is not None and task.actual_finish is None
    per_day = project.options.minutes_per_day
    splits: list[Split] = []
    worked = 0
    for before, after in itertools.pairwise(pieces):
        worked += work(before[1]) - work(before[0])
        gap = work(after[0]) - work(before[1])
        resumes = in_progress and before[2] and not after[2]
        if gap > 0 and worked > 0 and not resumes:
            splits.append(Split(Duration(round(worked / per_day, 9), DurationUnit.DAYS),
                                Duration(round(gap / per_day, 9), DurationUnit.DAYS)))
    if splits:
        task.splits = tuple(splits)


class _Qualified(dict[str, str]):
    """Element names in the MSPDI namespace, each built once: ``"UID"`` -> ``"{...}UID"``."""

    def __missing__(self, name: str) -> str:
        self[name] = qualified = _Q + name
        return qualified


_QUALIFIED = _Qualified()


def _record_children(element: etree._Element,
                     tags: tuple[str, ...]) -> Iterable[etree._Element]:
    """The children of a record to read: at least those named ``tags``.

    A file saved by MS Project has some 90 fields per task, of which the reader wants about
    35: lxml then picks those out in C. Setting that match up costs as much as reading some
    25 children, so a leaner record is read whole.
    """
    return element.iterchildren(*tags) if len(element) > len(tags) + 25 else element


def _texts(element: etree._Element, tags: tuple[str, ...]) -> dict[str, str | None]:
    """The text of each child of a record by qualified tag, at least of the children named
    ``tags``; a repeated element's entry (the last one's text) only says that there are some."""
    # (comments and processing instructions are removed: every child has a str tag)
    return {child.tag: child.text  # type: ignore[misc]
            for child in _record_children(element, tags)}


def _tags(*names: str) -> tuple[str, ...]:
    return tuple(_QUALIFIED[name] for name in names)


_BASELINE, _EXTENDED, _LINK, _TIMEPHASED = _tags(
    "Baseline", "ExtendedAttribute", "PredecessorLink", "TimephasedData")
_CONVERTER_NAMES: dict[str, Callable[[str], Any]] = {
    "UID": _int, "ID": _int, "Name": str, "IsNull": _bool, "Notes": str, "OutlineLevel": _int,
    "OutlineNumber": str, "WBS": str, "Summary": _bool, "Duration": _iso_minutes,
    "DurationFormat": _int, "ConstraintType": _int, "ConstraintDate": _datetime, "Type": _int,
    "LevelingDelay": float, "LevelingDelayFormat": _int, "CalendarUID": _int, "Priority": _int,
    "Milestone": _bool, "Manual": _bool, "Start": _datetime, "Finish": _datetime,
    "Deadline": _datetime, "PercentComplete": float, "ActualStart": _datetime,
    "ActualFinish": _datetime, "EffortDriven": _bool, "FixedCost": _decimal,
    "FixedCostAccrual": _int, "EarnedValueMethod": _int, "PhysicalPercentComplete": float,
    "TaskUID": _int, "ResourceUID": _int, "WorkContour": _int, "CostRateTable": _int,
    "Units": _units, "Work": _iso_minutes, "ActualWork": _iso_minutes,
    "RemainingWork": _iso_minutes, "Cost": _decimal, "ActualCost": _decimal,
}
_CONVERTERS = {_QUALIFIED[name]: convert for name, convert in _CONVERTER_NAMES.items()}
"""How the reader converts each field of a task or an assignment it reads, by qualified tag."""
(_UID, _ID, _NAME, _IS_NULL, _NOTES, _OUTLINE_LEVEL, _OUTLINE_NUMBER, _WBS, _SUMMARY, _DURATION,
 _DURATION_FORMAT, _CONSTRAINT_TYPE, _CONSTRAINT_DATE, _TYPE, _LEVELING_DELAY,
 _LEVELING_DELAY_FORMAT, _CALENDAR_UID, _PRIORITY, _MILESTONE, _MANUAL, _START, _FINISH,
 _DEADLINE, _PERCENT_COMPLETE, _ACTUAL_START, _ACTUAL_FINISH, _EFFORT_DRIVEN, _FIXED_COST,
 _FIXED_COST_ACCRUAL, _EARNED_VALUE_METHOD, _PHYSICAL_PERCENT_COMPLETE, _TASK_UID,
 _RESOURCE_UID, _WORK_CONTOUR, _COST_RATE_TABLE, _UNITS) = _tags(
    "UID", "ID", "Name", "IsNull", "Notes", "OutlineLevel", "OutlineNumber", "WBS", "Summary",
    "Duration", "DurationFormat", "ConstraintType", "ConstraintDate", "Type", "LevelingDelay",
    "LevelingDelayFormat", "CalendarUID", "Priority", "Milestone", "Manual", "Start", "Finish",
    "Deadline", "PercentComplete", "ActualStart", "ActualFinish", "EffortDriven", "FixedCost",
    "FixedCostAccrual", "EarnedValueMethod", "PhysicalPercentComplete", "TaskUID",
    "ResourceUID", "WorkContour", "CostRateTable", "Units")
_TASK_FIELDS = (_UID, _ID, _NAME, _IS_NULL, _NOTES, _OUTLINE_LEVEL, _OUTLINE_NUMBER, _WBS,
                _SUMMARY, _DURATION, _DURATION_FORMAT, _CONSTRAINT_TYPE, _CONSTRAINT_DATE,
                _TYPE, _LEVELING_DELAY, _LEVELING_DELAY_FORMAT, _CALENDAR_UID, _PRIORITY,
                _MILESTONE, _MANUAL, _START, _FINISH, _DEADLINE, _PERCENT_COMPLETE,
                _ACTUAL_START, _ACTUAL_FINISH, _EFFORT_DRIVEN, _FIXED_COST, _FIXED_COST_ACCRUAL,
                _EARNED_VALUE_METHOD, _PHYSICAL_PERCENT_COMPLETE, _BASELINE, _EXTENDED, _LINK)
"""What the reader reads of a ``Task``: only these are taken from the file."""
_ASSIGNMENT_FIELDS = (_UID, _TASK_UID, _RESOURCE_UID, _WORK_CONTOUR, _COST_RATE_TABLE, _UNITS,
                      *_tags("Work", "ActualWork", "RemainingWork", "Cost", "ActualCost"),
                      _START, _FINISH, _NOTES, _EXTENDED, _TIMEPHASED)
"""What the reader reads of an ``Assignment``."""
_COSTS = frozenset((_FIXED_COST, _FIXED_COST_ACCRUAL, _EARNED_VALUE_METHOD,
                    _PHYSICAL_PERCENT_COMPLETE))
"""A task's fields of costs and earned value (:meth:`_Builder.task_costs`)."""
_LINK_FIELDS = _tags("PredecessorUID", "CrossProject", "Type", "LinkLag", "LagFormat")
_PREDECESSOR_UID, _CROSS, _TYPE, _LAG, _LAG_FORMAT = _LINK_FIELDS
_CROSS_PROJECT = (LinkType.FS, Duration.ZERO)
"""Stands for a link to another project's task, which is not read (compared by identity)."""


class _Ignored(dict[Any, None]):
    """The values of a field the reader does not convert: ``None`` whatever the text; the
    first ``limit`` texts met are kept, to be found in C next time."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def __missing__(self, text: str | None) -> None:  # the value: None
        if len(self) < self.limit:
            self[text] = None


class _Unkept(dict[Any, Any]):
    """The values of a field whose texts are seldom met twice (ids, names, notes): converted
    each time, never kept; a text that does not convert is missing (``KeyError``), as a text
    not met before."""

    def __init__(self, convert: Callable[[str], Any]) -> None:
        super().__init__()
        self.convert = convert

    def __missing__(self, text: str | None) -> Any:
        if text is None or not text.strip():
            return None
        try:
            return self.convert(text)
        except (ValueError, TypeError, ArithmeticError, PMCoreError):
            raise KeyError(text) from None


_IGNORED = _Ignored(0)
_MAX_IGNORED = (200, 256)  # fields not converted with texts of their own, texts kept of each


class _Known(dict[str, dict[Any, Any]]):
    """By qualified tag, the value of each text of the field met so far; a tag the reader
    does not convert has values of :class:`_Ignored`."""

    def __init__(self) -> None:
        super().__init__()
        self.ignored = 0

    def __missing__(self, tag: str) -> dict[Any, Any]:
        if self.ignored >= _MAX_IGNORED[0]:
            return _IGNORED
        self.ignored += 1
        self[tag] = ignored = _Ignored(_MAX_IGNORED[1])
        return ignored


class _Fields:
    """The fields of one kind of record (a task, an assignment) and the value of each text of
    them met so far in the file.

    A plan repeats its dates, durations, numbers and flags: a record whose texts were all met
    before is converted by one dict comprehension of C lookups over its children. A text met
    for the first time is converted and remembered; a record holding a text that does not
    convert is read field by field (:class:`_Checked`), which reports the value where the
    reader reads it, as :meth:`_Builder.field` does.
    """

    def __init__(self, tags: tuple[str, ...], unkept: tuple[str, ...]) -> None:
        self.tags = tags
        self.known = _Known()
        for tag in tags:
            if tag in _CONVERTERS:
                self.known[tag] = (_Unkept(_CONVERTERS[tag]) if tag in unkept else
                                   {None: None})
        self.size = 0

    def read(self, element: etree._Element, builder: _Builder,
             path: str) -> tuple[dict[str, Any], Callable[[str], Any], _Checked | None]:
        """A record's fields: by tag, the value of each (or its text, when the record is read
        field by field), and a function giving a field's value by tag (``None`` when absent
        or blank); the :class:`_Checked` reading field by field, if so, to give the path."""
        known = self.known
        try:
            # (comments and processing instructions are removed: every tag is a str)
            values = {(tag := child.tag): known[tag][child.text]  # type: ignore[index]
                      for child in _record_children(element, self.tags)}
            return values, values.get, None  # type: ignore[return-value]
        except KeyError:  # a text met for the first time
            pass
        texts = _texts(element, self.tags)
        values = {}
        for tag, text in texts.items():
            cache = known[tag]
            try:
                value = cache[text]
            except KeyError:
                try:
                    value = _CONVERTERS[tag](text) if text.strip() else None  # type: ignore[union-attr,arg-type]
                except (ValueError, TypeError, ArithmeticError, PMCoreError):
                    checked = _Checked(builder, texts, path)
                    return texts, checked, checked
                if self.size < _MAX_CONVERTED:
                    cache[text] = value
                    self.size += 1
            values[tag] = value
        return values, values.get, None  # type: ignore[return-value]


class _Checked:
    """A record's fields converted one at a time as they are read, an invalid value a
    :class:`_PathError` naming ``path/name`` (:meth:`_Builder.field`)."""

    def __init__(self, builder: _Builder, texts: dict[str, str | None], path: str) -> None:
        self.builder, self.texts, self.path = builder, texts, path

    def __call__(self, tag: str) -> Any:
        return self.builder.field(self.texts, tag.rpartition("}")[2], self.path,
                                  _CONVERTERS[tag])


class _TaskItem(NamedTuple):
    """A task read from its element, waiting for the outline to give it a parent. Items sort
    as tuples: by row, then by order in the file (which no two items share)."""

    row: int  # its ID
    order: int
    level: int  # its outline level
    path: str  # of its element, for messages
    fields: dict[str, Any]  # of the task, but its parent
    links: list[Dependency]


_TASK_TYPES = (TaskType.FIXED_UNITS, TaskType.FIXED_DURATION, TaskType.FIXED_WORK)
"""Task ``Type``: 0 fixed units, 1 fixed duration, 2 fixed work."""
_ACCRUALS = {1: CostAccrual.START, 2: CostAccrual.END, 3: CostAccrual.PRORATED}
"""Resource ``AccrueAt``."""
_CONTOURS = tuple(WorkContour)
"""``WorkContour`` 0 flat .. 8 contoured, in the order of pmcore's enum."""
FIRST_DAY = dt.date(1984, 1, 1)
"""Microsoft Project's first date: a rate or an availability from it holds since ever."""
LAST_DAY = dt.date(2049, 12, 31)
"""Microsoft Project's last date: an availability to it holds for ever."""
