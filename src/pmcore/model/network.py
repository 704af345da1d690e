"""The precedence network behind a project, for finding dependency loops.

Scheduling needs the links and the outline together: a link to a summary task drives all of its
children, and the children's finishes drive the summary's. So a summary task is two nodes, its
start (which leads into every child) and its finish (which every child leads into); a leaf task
is one node. A link joins the predecessor's start or finish node to the successor's, by link
type. A loop in this graph is a loop Microsoft Project would refuse ("circular relationship"):
direct (A -> B -> A) or through the outline (A -> summary S, and a child of S -> A).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Mapping, Sequence

from pmcore.model.duration import Duration
from pmcore.model.task import Dependency, LinkType

__all__ = ["LINK_TYPE_CODES", "LinkTable", "Network"]

LINK_TYPE_CODES = {LinkType.FS: 0, LinkType.SS: 1, LinkType.FF: 2, LinkType.SF: 3}
"""A link type as the small integer :class:`LinkTable` stores."""
_TYPE_CODES = {id(kind): code for kind, code in LINK_TYPE_CODES.items()}  # (enum hash is slow)

# Node keys: (task id, end) where end is "" for a leaf, "start"/"finish" for a summary's halves.
Node = tuple[str, str]


class Network:
    """A mutable adjacency structure over start/finish nodes; cheap incremental cycle checks."""

    def __init__(self, children: Mapping[str | None, Sequence[str]]):
        self._children = children
        self._edges: dict[Node, set[Node]] = {}
        self._task_links: dict[str, list[Dependency]] = {}
        for parent, kids in children.items():
            if parent is None or not kids:
                continue
            for kid in kids:
                self._add((parent, "start"), self._entry(kid))
                self._add(self._exit(kid), (parent, "finish"))

    def _is_summary(self, task: str) -> bool:
        return bool(self._children.get(task))

    def _entry(self, task: str) -> Node:
        return (task, "start") if self._is_summary(task) else (task, "")

    def _exit(self, task: str) -> Node:
        return (task, "finish") if self._is_summary(task) else (task, "")

    def _add(self, source: Node, target: Node) -> None:
        self._edges.setdefault(source, set()).add(target)

    def add_child(self, parent: str, child: str, grandparent: str | None) -> None:
        """Record a new leaf ``child`` under ``parent`` (already added to ``children``).

        When ``parent`` was a leaf until now, its single node splits into start and finish
        nodes, and the edges of its links and of its own parent are redrawn.
        """
        if len(self._children.get(parent, ())) == 1:
            leaf = (parent, "")
            self._edges.pop(leaf, None)
            for targets in self._edges.values():
                targets.discard(leaf)
            if grandparent is not None:
                self._add((grandparent, "start"), (parent, "start"))
                self._add((parent, "finish"), (grandparent, "finish"))
            for link in self._task_links.get(parent, ()):
                self._add(*self.link_nodes(link))
        self._add((parent, "start"), (child, ""))
        self._add((child, ""), (parent, "finish"))

    def link_nodes(self, link: Dependency) -> tuple[Node, Node]:
        """The graph edge a link stands for."""
        pred_end = link.type in (LinkType.FS, LinkType.FF)
        succ_start = link.type in (LinkType.FS, LinkType.SS)
        source = self._exit(link.predecessor) if pred_end else self._entry(link.predecessor)
        target = self._entry(link.successor) if succ_start else self._exit(link.successor)
        return source, target

    def add_link(self, link: Dependency) -> None:
        """Record a link (no check; see :meth:`cycle_if_added`)."""
        self._add(*self.link_nodes(link))
        self._task_links.setdefault(link.predecessor, []).append(link)
        self._task_links.setdefault(link.successor, []).append(link)

    def cycle_if_added(self, link: Dependency) -> tuple[str, ...] | None:
        """The task loop that ``link`` would close, or ``None`` if it closes none."""
        source, target = self.link_nodes(link)
        path = self._path(target, source)
        if path is None:
            return None
        return _task_loop([source, *path])

    def _path(self, start: Node, goal: Node) -> list[Node] | None:
        if start == goal:
            return [start]
        came_from: dict[Node, Node | None] = {start: None}
        stack = [start]
        while stack:
            node = stack.pop()
            for nxt in self._edges.get(node, ()):
                if nxt in came_from:
                    continue
                came_from[nxt] = node
                if nxt == goal:
                    path: list[Node] = [nxt]
                    back = came_from[nxt]
                    while back is not None:
                        path.append(back)
                        back = came_from[back]
                    return path[::-1]
                stack.append(nxt)
        return None

    def cycles(self) -> list[tuple[str, ...]]:
        """One loop per strongly connected component that has one, as task ids."""
        index: dict[Node, int] = {}
        low: dict[Node, int] = {}
        on_stack: set[Node] = set()
        stack: list[Node] = []
        found: list[tuple[str, ...]] = []
        counter = 0
        nodes = list(self._edges)
        for root in nodes:
            if root in index:
                continue
            # Iterative Tarjan: (node, iterator over successors)
            work = [(root, iter(sorted(self._edges.get(root, ()))))]
            index[root] = low[root] = counter
            counter += 1
            stack.append(root)
            on_stack.add(root)
            while work:
                node, successors = work[-1]
                advanced = False
                for nxt in successors:
                    if nxt not in index:
                        index[nxt] = low[nxt] = counter
                        counter += 1
                        stack.append(nxt)
                        on_stack.add(nxt)
                        work.append((nxt, iter(sorted(self._edges.get(nxt, ())))))
                        advanced = True
                        break
                    if nxt in on_stack:
                        low[node] = min(low[node], index[nxt])
                if advanced:
                    continue
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component: set[Node] = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    if len(component) > 1 or node in self._edges.get(node, ()):
                        found.append(self._loop_in(component))
        return found

    def _loop_in(self, component: set[Node]) -> tuple[str, ...]:
        start = min(component)
        for nxt in sorted(self._edges.get(start, ())):
            if nxt in component:
                path = self._path_within(nxt, start, component)
                if path is not None:
                    return _task_loop([start, *path])
        return _task_loop([start, start])

    def _path_within(self, start: Node, goal: Node, allowed: set[Node]) -> list[Node] | None:
        came_from: dict[Node, Node | None] = {start: None}
        queue = [start]
        for node in queue:  # breadth first, so the loop shown is a short one
            if node == goal:
                path = [node]
                back = came_from[node]
                while back is not None:
                    path.append(back)
                    back = came_from[back]
                return path[::-1]
            for nxt in sorted(self._edges.get(node, ())):
                if nxt in allowed and nxt not in came_from:
                    came_from[nxt] = node
                    queue.append(nxt)
        return None


def _task_loop(nodes: Iterable[Node]) -> tuple[str, ...]:
    """Node path -> task ids, merging a summary's start and finish into one step."""
    tasks: list[str] = []
    for task, _end in nodes:
        if not tasks or tasks[-1] != task:
            tasks.append(task)
    if len(tasks) > 1 and tasks[0] != tasks[-1]:
        tasks.append(tasks[0])
    return tuple(tasks)


class LinkTable:
    """The project's links as columns of integers, kept as links are added.

    Scheduling a large plan reads every link; reading 200,000 link objects (and mapping their
    task ids to rows) costs more than both passes. The table holds, per link and in the order
    of :attr:`pmcore.Project.dependencies`, the *slots* of its two tasks (a number a task gets
    when it enters the project and keeps until it leaves), its type code
    (:data:`LINK_TYPE_CODES`) and the code of its lag among the project's distinct lags
    (:attr:`lags`), so that a schedule takes them as arrays.

    A slot of ``-1`` stands for a task id the project does not hold (a file restored with a
    dangling link); :attr:`dangling` counts them.
    """

    __slots__ = ("_lag_codes", "dangling", "lag", "lags", "predecessor", "successor", "type")

    def __init__(self) -> None:
        self.predecessor = array("q")
        self.successor = array("q")
        self.type = array("b")
        self.lag = array("q")
        self.lags: list[Duration] = []  # each distinct lag once, at its code
        self._lag_codes: dict[tuple[float, int], int] = {}
        self.dangling = 0

    def __len__(self) -> int:
        return len(self.predecessor)

    def append(self, link: Dependency, slots: Mapping[str, int]) -> None:
        """Add ``link`` at the end, its tasks looked up in ``slots`` (task id -> slot)."""
        predecessor = slots.get(link.predecessor, -1)
        successor = slots.get(link.successor, -1)
        if predecessor < 0 or successor < 0:
            self.dangling += (predecessor < 0) + (successor < 0)
        lag = link.lag
        # keyed by what a lag's effect depends on (not by the Duration, whose hash is slow)
        key = (lag.value, id(lag.unit))
        code = self._lag_codes.get(key)
        if code is None:
            code = self._lag_codes[key] = len(self.lags)
            self.lags.append(lag)
        self.predecessor.append(predecessor)
        self.successor.append(successor)
        self.type.append(_TYPE_CODES[id(link.type)])
        self.lag.append(code)

    @classmethod
    def of(cls, links: Iterable[Dependency], slots: Mapping[str, int]) -> LinkTable:
        """A table of ``links``, in their order."""
        table = cls()
        for link in links:
            table.append(link, slots)
        return table
