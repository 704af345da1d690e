"""The inner loops of leveling, written once for two back ends.

Every function here works on flat, integer, indexable sequences and plain ints: Python lists
(the pure back end) or numpy ``int64`` arrays compiled by numba (the optional fast back end).
:func:`build` takes a decorator and returns the functions wrapped by it, so that the very same
source runs in both; results are bit-for-bit identical because every number is an integer and
the random numbers come from a small integer generator in :func:`_rand` rather than from
Python's or numpy's, whose streams differ.

Conventions: ``n`` jobs, ``R`` renewable resources, a time horizon of ``H`` periods; a
resource profile is flat, resource ``r`` at period ``t`` being ``r * H + t``. Jobs' resource
needs, predecessors and successors are compressed rows (``ptr[j]:ptr[j + 1]`` into an index
array). Work arrays are allocated by the caller, once per search.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

__all__ = ["Kernels", "build"]

_MASK31 = 2147483647


@attrs.frozen
class Kernels:
    """The leveling loops compiled by one decorator (see :func:`build`)."""

    sgs: Callable[..., int]
    fbi: Callable[..., int]
    sample_list: Callable[..., None]
    evolve: Callable[..., int]


def build(jit: Callable[[Any], Any]) -> Kernels:
    """The kernels wrapped by ``jit`` (the identity for pure Python, ``numba.njit`` for speed)."""

    @jit
    def _rand(rng: Any, m: Any) -> Any:
        # A 31-bit linear congruential generator (glibc's constants): products stay below
        # 2**62, so numba's int64 and Python's ints agree. Its low bits are weak; use the high.
        s = (rng[0] * 1103515245 + 12345) & _MASK31
        high = s >> 7
        if m > 16777216:  # more than 24 bits: draw 24 more
            s = (s * 1103515245 + 12345) & _MASK31
            high = (high << 24) | (s >> 7)
        rng[0] = s
        return high % m

    @jit
    def sgs(order: Any, n: Any, dur: Any, rp: Any, ri: Any, ra: Any, bp: Any, bi: Any,
            bl: Any, release: Any, fixed: Any, latest: Any, cap: Any, size: Any, horizon: Any,
            avail: Any, start: Any, unresolved: Any) -> Any:
        """Serial schedule-generation scheme: place the jobs of ``order`` one by one, each at
        the earliest period from its ``release`` and at least ``bl[q]`` periods after the start
        of each predecessor ``bi[q]`` (``q`` in ``bp[j]:bp[j + 1]``; the predecessor's duration
        for a finish-to-start link) from which it finds its resources for its whole duration.
        A ``fixed`` job is placed after its predecessors whatever the resources; a job that
        cannot start by ``latest`` is placed there too and marked ``unresolved``. Returns the
        makespan plus ``horizon`` for each unresolved job that is not fixed, so that fewer
        unresolved conflicts always rank first."""
        avail[:size] = cap[:size]  # a C-level copy for lists and arrays alike
        makespan = 0
        penalty = 0
        for pos in range(n):
            j = order[pos]
            es = release[j]
            for q in range(bp[j], bp[j + 1]):
                f = start[bi[q]] + bl[q]
                if f > es:
                    es = f
            d = dur[j]
            t = es
            unresolved[j] = 0
            if d > 0 and fixed[j] == 0 and rp[j] < rp[j + 1]:
                while True:
                    if t + d > horizon:
                        t = -1
                        break
                    # Check the window from its end: a shortage at period tau rules out every
                    # start up to tau, so the next candidate is tau + 1.
                    tau = t + d - 1
                    while tau >= t:
                        short = False
                        for q in range(rp[j], rp[j + 1]):
                            if avail[ri[q] * horizon + tau] < ra[q]:
                                short = True
                                break
                        if short:
                            break
                        tau -= 1
                    if tau < t:
                        break
                    t = tau + 1
                if t < 0 or t > latest[j]:
                    t = es
                    unresolved[j] = 1
                    penalty += horizon
            start[j] = t
            if d > 0:
                for q in range(rp[j], rp[j + 1]):
                    base = ri[q] * horizon
                    amount = ra[q]
                    for tau in range(t, t + d):
                        avail[base + tau] -= amount
            if t + d > makespan:
                makespan = t + d
        return makespan + penalty

    @jit
    def _list_by(keys: Any, rank: Any, walk: Any, n: Any, cp: Any, ci: Any, np_: Any,
                 heap: Any, missing: Any, out: Any) -> None:
        # A job list in precedence order (``cp``/``ci`` lead from a job to the jobs after it,
        # ``np_`` counts the jobs before it) that takes, among the jobs whose predecessors are
        # listed, the one of smallest key, ties to the smaller rank: a binary heap of
        # key * (n + 1) + rank, where job ``walk[r]`` has rank ``r``.
        size = 0
        for j in range(n):
            missing[j] = np_[j + 1] - np_[j]
            if missing[j] == 0:
                value = keys[j] * (n + 1) + rank[j]
                heap[size] = value
                pos = size
                size += 1
                while pos > 0 and heap[(pos - 1) // 2] > heap[pos]:
                    parent = (pos - 1) // 2
                    heap[pos], heap[parent] = heap[parent], heap[pos]
                    pos = parent
        for k in range(n):
            top = heap[0]
            size -= 1
            heap[0] = heap[size]
            pos = 0
            while True:
                left = 2 * pos + 1
                if left >= size:
                    break
                small = left
                if left + 1 < size and heap[left + 1] < heap[left]:
                    small = left + 1
                if heap[small] >= heap[pos]:
                    break
                heap[pos], heap[small] = heap[small], heap[pos]
                pos = small
            j = walk[top % (n + 1)]
            out[k] = j
            for q in range(cp[j], cp[j + 1]):
                s = ci[q]
                missing[s] -= 1
                if missing[s] == 0:
                    value = keys[s] * (n + 1) + rank[s]
                    heap[size] = value
                    pos = size
                    size += 1
                    while pos > 0 and heap[(pos - 1) // 2] > heap[pos]:
                        parent = (pos - 1) // 2
                        heap[pos], heap[parent] = heap[parent], heap[pos]
                        pos = parent

    @jit
    def fbi(order: Any, start: Any, makespan: Any, n: Any, dur: Any, rp: Any, ri: Any,
            ra: Any, pp: Any, pi: Any, pl: Any, sp: Any, si: Any, sl: Any, release: Any,
            zero: Any, fixed: Any, latest: Any, nolimit: Any, cap: Any, constant: Any,
            resources: Any, horizon: Any, avail: Any, rcap: Any, rstart: Any, keys: Any,
            count: Any, topo: Any, rtopo: Any, trank: Any, rtrank: Any,
            unresolved: Any) -> Any:
        """Forward-backward improvement (Valls, Ballestin and Quintanilla, 2005): schedule
        the jobs as late as possible in decreasing order of finish (a serial pass on the
        reversed network), then as early as possible in increasing order of those starts.
        ``order`` and ``start`` receive the new list and schedule; returns its value as
        :func:`sgs` does (``makespan`` is not used: the makespan is taken from ``start``).
        The backward pass ignores release dates and latest starts (``zero``, ``nolimit``):
        it only orders the jobs, and the forward pass enforces them."""
        size = resources * horizon
        makespan = 0
        for j in range(n):
            if start[j] + dur[j] > makespan:
                makespan = start[j] + dur[j]
        for j in range(n):
            keys[j] = makespan - start[j] - dur[j]
        _list_by(keys, rtrank, rtopo, n, pp, pi, sp, count, rstart, order)
        if constant == 1:
            rcap[:size] = cap[:size]
        else:
            # Period t of the reversed pass is period makespan - 1 - t of the forward one;
            # what lies before the project start is given its first capacity.
            for r in range(resources):
                base = r * horizon
                for t in range(horizon):
                    source = makespan - 1 - t
                    if source < 0:
                        source = 0
                    rcap[base + t] = cap[base + source]
        sgs(order, n, dur, rp, ri, ra, sp, si, sl, zero, fixed, nolimit, rcap, size, horizon,
            avail, rstart, unresolved)
        back = 0
        for j in range(n):
            if rstart[j] + dur[j] > back:
                back = rstart[j] + dur[j]
        for j in range(n):
            keys[j] = back - rstart[j] - dur[j]
        _list_by(keys, trank, topo, n, sp, si, pp, count, start, order)
        return sgs(order, n, dur, rp, ri, ra, pp, pi, pl, release, fixed, latest, cap, size,
                   horizon, avail, start, unresolved)

    @jit
    def sample_list(out: Any, n: Any, weight: Any, pp: Any, sp: Any, si: Any, rng: Any,
                    missing: Any, eligible: Any) -> None:
        """A precedence-feasible job list by regret-based biased random sampling: among the
        jobs whose predecessors are all listed, pick ``j`` with probability proportional to
        ``max(weight) - weight[j] + 1`` over them (weights such as latest finish times)."""
        count = 0
        for j in range(n):
            missing[j] = pp[j + 1] - pp[j]
            if missing[j] == 0:
                eligible[count] = j
                count += 1
        for pos in range(n):
            worst = weight[eligible[0]]
            for e in range(1, count):
                if weight[eligible[e]] > worst:
                    worst = weight[eligible[e]]
            total = 0
            for e in range(count):
                total += worst - weight[eligible[e]] + 1
            pick = _rand(rng, total)
            chosen = count - 1
            for e in range(count):
                pick -= worst - weight[eligible[e]] + 1
                if pick < 0:
                    chosen = e
                    break
            j = eligible[chosen]
            out[pos] = j
            count -= 1
            eligible[chosen] = eligible[count]
            for q in range(sp[j], sp[j + 1]):
                s = si[q]
                missing[s] -= 1
                if missing[s] == 0:
                    eligible[count] = s
                    count += 1

    @jit
    def _is_successor(a: Any, b: Any, sp: Any, si: Any) -> Any:
        # an explicit loop: numba compiles it, and it stops at the first match
        found = False
        for q in range(sp[a], sp[a + 1]):
            if si[q] == b:
                found = True
                break
        return found

    @jit
    def _cross(mother: Any, father: Any, child: Any, cut1: Any, cut2: Any, n: Any,
               used: Any) -> None:
        # Hartmann's two-point crossover: the mother's first jobs, then the father's in his
        # order up to the second cut, then the mother's rest; precedence feasible by design.
        for j in range(n):
            used[j] = 0
        pos = 0
        for i in range(cut1):
            j = mother[i]
            child[pos] = j
            used[j] = 1
            pos += 1
        i = 0
        while pos < cut2:
            j = father[i]
            if used[j] == 0:
                child[pos] = j
                used[j] = 1
                pos += 1
            i += 1
        i = 0
        while pos < n:
            j = mother[i]
            if used[j] == 0:
                child[pos] = j
                used[j] = 1
                pos += 1
            i += 1

    @jit
    def evolve(pop: Any, fitness: Any, size: Any, generations: Any, budget: Any, n: Any,
               dur: Any, rp: Any, ri: Any, ra: Any, pp: Any, pi: Any, pl: Any, sp: Any,
               si: Any, sl: Any, release: Any, zero: Any, fixed: Any, latest: Any,
               nolimit: Any, cap: Any, constant: Any, resources: Any,
               horizon: Any, rng: Any, mutation: Any, best: Any, best_start: Any,
               best_flags: Any,
               kids: Any, kid_fitness: Any, pool: Any, rank: Any, pairs: Any, child: Any,
               used: Any, avail: Any, rcap: Any, start: Any, rstart: Any, keys: Any,
               count: Any, topo: Any, rtopo: Any, trank: Any, rtrank: Any,
            unresolved: Any) -> Any:
        """Hartmann's activity-list genetic algorithm with forward-backward improvement of
        every child: ``generations`` rounds over the population ``pop`` (``size`` lists of
        ``n`` jobs, flat, with their makespans in ``fitness``), each breeding ``size``
        children by two-point crossover and swap mutation (``mutation`` per million per
        position), improving and decoding them, and keeping the best ``size`` of parents and
        children. Stops early once ``budget`` schedules have been generated. ``best`` holds
        the best makespan found, ``best_start`` its schedule and ``best_flags`` its unresolved
        jobs. Returns the number of
        schedules generated (three per child: decode, backward and forward pass)."""
        spent = 0
        cells = resources * horizon
        for _ in range(generations):
            if spent >= budget:
                break
            for i in range(size):
                pairs[i] = i
            for i in range(size - 1, 0, -1):
                k = _rand(rng, i + 1)
                pairs[i], pairs[k] = pairs[k], pairs[i]
            made = 0
            for pair in range(0, size - 1, 2):
                if spent >= budget:
                    break
                for side in range(2):
                    mother = pairs[pair + side] * n
                    father = pairs[pair + 1 - side] * n
                    cut1 = _rand(rng, n)
                    cut2 = cut1 + _rand(rng, n - cut1 + 1)
                    _cross(pop[mother:mother + n], pop[father:father + n], child, cut1, cut2,
                           n, used)
                    for i in range(n - 1):
                        if _rand(rng, 1000000) < mutation:
                            a = child[i]
                            b = child[i + 1]
                            if not _is_successor(a, b, sp, si):
                                child[i] = b
                                child[i + 1] = a
                    span = sgs(child, n, dur, rp, ri, ra, pp, pi, pl, release, fixed, latest,
                               cap, cells, horizon, avail, start, unresolved)
                    span = fbi(child, start, span, n, dur, rp, ri, ra, pp, pi, pl, sp, si, sl,
                               release, zero, fixed, latest, nolimit, cap, constant, resources,
                               horizon, avail, rcap, rstart, keys, count, topo, rtopo, trank,
                               rtrank, unresolved)
                    spent += 3
                    if span < best[0]:
                        best[0] = span
                        for j in range(n):
                            best_start[j] = start[j]
                            best_flags[j] = unresolved[j]
                    base = made * n
                    for j in range(n):
                        kids[base + j] = child[j]
                    kid_fitness[made] = span
                    made += 1
            # Survivors: the best of parents and children, parents first among equals
            # (insertion sort: the pool is a few dozen lists).
            total = size + made
            for i in range(total):
                rank[i] = i
                pool[i] = fitness[i] if i < size else kid_fitness[i - size]
            for i in range(1, total):
                k = rank[i]
                value = pool[k]
                m = i - 1
                while m >= 0 and pool[rank[m]] > value:
                    rank[m + 1] = rank[m]
                    m -= 1
                rank[m + 1] = k
            # Parents that survive stay in their slots; children take the slots of those that
            # do not (the lists to overwrite are the parents ranked out).
            for i in range(size):
                used[i] = 0
            for i in range(size):
                if rank[i] < size:
                    used[rank[i]] = 1
            slot = 0
            for i in range(size):
                k = rank[i]
                if k >= size:
                    while used[slot] == 1:
                        slot += 1
                    used[slot] = 1
                    src = (k - size) * n
                    dst = slot * n
                    for j in range(n):
                        pop[dst + j] = kids[src + j]
                    fitness[slot] = kid_fitness[k - size]
        return spent

    return Kernels(sgs=sgs, fbi=fbi, sample_list=sample_list, evolve=evolve)
