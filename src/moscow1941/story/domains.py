"""Which values each variable can take, and whether a condition can ever hold.

Used by `lint` to find conditions that can never be true. The analysis is *sound*: it may say
"can hold" when in truth no play reaches such a state, but "never holds" is always right for the
declared bounds and the effects the story contains.

A variable's domain comes from its declaration and every effect that writes it: a variable no
effect writes keeps its default; one only ever set to constants takes those values (and its
default); `+=` / `-=` by constants move it only one way, up to its bound. A condition over
small finite domains is decided exactly, by evaluating the compiled condition on every
combination; otherwise by interval reasoning over its syntax.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import product

from moscow1941.story.expr import LIMIT, Assignment, Condition, Value
from moscow1941.story.model import Story, Variable

MAX_FINITE = 64          # an int range up to this many values is enumerated
MAX_COMBINATIONS = 4096  # conditions over more combinations use interval reasoning


@dataclass(frozen=True, slots=True)
class Domain:
    """The values a variable can take: `values` when finite, else (ints) `lo..hi`; text
    built from other text is unknown (`values` None, `lo` > `hi`)."""

    type: str
    values: frozenset[Value] | None
    lo: int = 0
    hi: int = -1


def assignments(story: Story) -> Iterator[Assignment]:
    """Every effect in the story: on entering nodes and on taking choices."""
    for node in story.nodes.values():
        yield from node.assignments
        for choice in node.choices:
            yield from choice.assignments


def variable_domains(story: Story) -> dict[str, Domain]:
    """The domain of every declared variable (see the module docstring)."""
    by_target: dict[str, list[Assignment]] = {name: [] for name in story.variables}
    for a in assignments(story):
        by_target.setdefault(a.target, []).append(a)
    return {name: _domain(var, by_target[name]) for name, var in story.variables.items()}


def _domain(var: Variable, writes: list[Assignment]) -> Domain:
    values: set[Value] = {var.default}
    if var.type != "int":
        for a in writes:
            if a.constant is None:
                return Domain(var.type, frozenset((True, False)) if var.type == "bool" else None)
            values.add(a.constant)
        return Domain(var.type, frozenset(values))
    low = var.min if var.min is not None else -LIMIT
    high = var.max if var.max is not None else LIMIT
    up = down = False
    points = [int(var.default)]
    for a in writes:
        c = a.constant
        if not isinstance(c, int) or isinstance(c, bool):
            up = down = True
        elif a.op == "=":
            points.append(min(max(c, low), high))
        elif (a.op == "+=") == (c >= 0):
            up = up or c != 0
        else:
            down = True
    lo = low if down else min(points)
    hi = high if up else max(points)
    if not up and not down:
        return Domain("int", frozenset(points), lo, hi)
    if hi - lo < MAX_FINITE:
        return Domain("int", frozenset(range(lo, hi + 1)), lo, hi)
    return Domain("int", None, lo, hi)


def can_hold(condition: Condition, source: str, reads: Iterable[str],
             domains: Mapping[str, Domain], defaults: Mapping[str, Value]) -> bool:
    """False when no values the variables can take make the condition true."""
    return _possible(condition, source, reads, domains, defaults, True)


def can_fail(condition: Condition, source: str, reads: Iterable[str],
             domains: Mapping[str, Domain], defaults: Mapping[str, Value]) -> bool:
    """False when every value the variables can take makes the condition true."""
    return _possible(condition, source, reads, domains, defaults, False)


def _possible(condition: Condition, source: str, reads: Iterable[str],
              domains: Mapping[str, Domain], defaults: Mapping[str, Value], want: bool) -> bool:
    names = sorted(reads)
    finite = [domains[n].values for n in names]
    size = 1
    for values in finite:
        size = size * len(values) if values is not None else MAX_COMBINATIONS + 1
    if size <= MAX_COMBINATIONS:
        env = dict(defaults)
        for combo in product(*(sorted(v, key=repr) for v in finite if v is not None)):
            env.update(zip(names, combo, strict=True))
            if bool(condition(env)) is want:
                return True
        return False
    try:
        tree = ast.parse(source, mode="eval")
    except (SyntaxError, ValueError, RecursionError):
        return True
    return want in _Intervals(domains).truth(tree.body)


_Abstract = tuple[int, int] | frozenset[Value] | None
_BOTH: frozenset[Value] = frozenset((True, False))


class _Intervals:
    """Abstract evaluation: ints as intervals, bools and text as sets of possible values
    (None: any text). Only the syntax `expr.py` accepts reaches here."""

    def __init__(self, domains: Mapping[str, Domain]) -> None:
        self.domains = domains

    def truth(self, node: ast.AST) -> frozenset[Value]:
        value = self.eval(node)
        return value if isinstance(value, frozenset) else _BOTH

    def eval(self, node: ast.AST) -> _Abstract:
        if isinstance(node, ast.Constant):
            v = node.value
            if type(v) is int:
                return (v, v)
            return frozenset((v,)) if isinstance(v, bool | str) else None
        if isinstance(node, ast.Name):
            if node.id in ("true", "false"):
                return frozenset((node.id == "true",))
            d = self.domains[node.id]
            if d.type == "int":
                if d.values is not None:
                    ints = [int(x) for x in d.values]
                    return (min(ints), max(ints))
                return (d.lo, d.hi)
            return d.values
        if isinstance(node, ast.BoolOp):
            parts = [self.truth(v) for v in node.values]
            if isinstance(node.op, ast.And):
                t = all(True in p for p in parts)
                f = any(False in p for p in parts)
            else:
                t = any(True in p for p in parts)
                f = all(False in p for p in parts)
            return frozenset(x for x, ok in ((True, t), (False, f)) if ok)
        if isinstance(node, ast.UnaryOp):
            inner = self.eval(node.operand)
            if isinstance(node.op, ast.Not):
                return frozenset(not x for x in self.truth(node.operand))
            if isinstance(inner, tuple):
                return (-inner[1], -inner[0]) if isinstance(node.op, ast.USub) else inner
            return None
        if isinstance(node, ast.BinOp):
            return self.binop(node)
        if isinstance(node, ast.Compare):
            operands = [self.eval(o) for o in (node.left, *node.comparators)]
            parts = [_compare(op, operands[i], operands[i + 1]) for i, op in enumerate(node.ops)]
            t = all(True in p for p in parts)
            f = any(False in p for p in parts)
            return frozenset(x for x, ok in ((True, t), (False, f)) if ok)
        return _BOTH

    def binop(self, node: ast.BinOp) -> _Abstract:
        a, b = self.eval(node.left), self.eval(node.right)
        if isinstance(a, tuple) and isinstance(b, tuple):
            if isinstance(node.op, ast.Add):
                return (a[0] + b[0], a[1] + b[1])
            if isinstance(node.op, ast.Sub):
                return (a[0] - b[1], a[1] - b[0])
            corners = [x * y for x in a for y in b]
            return (min(corners), max(corners))
        if isinstance(a, frozenset) and isinstance(b, frozenset) and len(a) * len(b) <= 64:
            return frozenset(str(x) + str(y) for x in a for y in b)
        return None


def _compare(op: ast.cmpop, a: _Abstract, b: _Abstract) -> frozenset[Value]:
    if isinstance(a, tuple) and isinstance(b, tuple):
        (alo, ahi), (blo, bhi) = a, b
        overlap = alo <= bhi and blo <= ahi
        same = alo == ahi == blo == bhi
        t, f = {
            ast.Eq: (overlap, not same), ast.NotEq: (not same, overlap),
            ast.Lt: (alo < bhi, ahi >= blo), ast.LtE: (alo <= bhi, ahi > blo),
            ast.Gt: (ahi > blo, alo <= bhi), ast.GtE: (ahi >= blo, alo < bhi),
        }.get(type(op), (True, True))
    elif isinstance(a, frozenset) and isinstance(b, frozenset):
        overlap = bool(a & b)
        same = len(a) == len(b) == 1 and a == b
        t, f = (overlap, not same) if isinstance(op, ast.Eq) else (not same, overlap)
    else:
        t = f = True
    return frozenset(x for x, ok in ((True, t), (False, f)) if ok)
