"""The expression language of conditions (`trust >= 2 and not pact_signed`) and effects
(`trust += 1; pact_signed = true`).

Expressions are parsed once with Python's `ast`, checked against a whitelist and the declared
variable types, and compiled to closures. Nothing is ever passed to `eval` or `exec`.
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from moscow1941.story.diagnostics import did_you_mean

Value = int | bool | str
Vars = dict[str, Value]
Condition = Callable[[Mapping[str, Value]], bool]
Effect = Callable[[Vars], None]

TYPES = ("int", "bool", "text")
MAX_SOURCE = 1000
MAX_DEPTH = 40
LIMIT = 10**9
_CONSTANTS: dict[str, Value] = {"true": True, "false": False}


@dataclass(frozen=True, slots=True)
class VarInfo:
    """What an expression needs to know about a variable: its type and its bounds."""

    type: str
    min: int | None = None
    max: int | None = None


@dataclass(frozen=True, slots=True)
class Assignment:
    """What one effect does, for authoring tools: `target op value`.

    `reads` are the variables the right-hand side reads; `constant` is its value when it is a
    literal (`3`, `-1`, `true`, `'south'`), else None.
    """

    target: str
    op: str
    reads: frozenset[str]
    constant: Value | None


class ExprError(Exception):
    """A mistake in an expression; `col` is the 0-based offset inside the expression source."""

    def __init__(self, code: str, message: str, col: int = 0, hint: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.col = col
        self.hint = hint


_COMPARE: dict[type[ast.cmpop], Callable[[Value, Value], bool]] = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt,
    ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge,
}
_ORDERING = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)
_ARITH: dict[type[ast.operator], Callable[[int, int], int]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
}
_Compiled = tuple[str, Callable[[Mapping[str, Value]], Value]]


def _type_name(value: Value) -> str:
    if isinstance(value, bool):
        return "bool"
    return "int" if isinstance(value, int) else "text"


def _parse(source: str, mode: str) -> ast.AST:
    if len(source) > MAX_SOURCE:
        raise ExprError("E401", f"expression is longer than {MAX_SOURCE} characters")
    if not source.strip():
        raise ExprError("E401", "expression is empty")
    try:
        return ast.parse(source, mode=mode)
    except SyntaxError as exc:
        col = max((exc.offset or 1) - 1, 0)
        msg = (exc.msg or "invalid syntax").replace("invalid syntax. ", "")
        raise ExprError("E401", f"syntax error: {msg}", col, _syntax_hint(source, mode)) from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise ExprError("E401", f"expression cannot be read: {exc}") from None


_OTHER_LANGUAGES = ((("&&", "&"), "and"), (("||", "|"), "or"), (("!",), "not"))


def _syntax_hint(source: str, mode: str) -> str:
    """What the author probably meant, for the mistakes people make most."""
    bare = source.replace("!=", " ")
    found = [(next(t for t in theirs if t in bare), ours) for theirs, ours in _OTHER_LANGUAGES
             if any(t in bare for t in theirs)]
    if found:
        return ("conditions use words: " + ", ".join(f"'{ours}' for '{theirs}'"
                                                       for theirs, ours in found)
                + " (for example 'caution <= 1 and not alarm')")
    if mode == "exec" and "," in source:
        return "separate several effects with ';', as in 'intel += 1; caution -= 1'"
    if "=" in re.sub(r"[!<>]=", " ", source) and mode == "eval" and "==" not in source:
        return "to compare, write '==' (a single '=' sets a variable, in `set:`)"
    if mode == "exec":
        return "an effect is 'name = value', 'name += number' or 'name -= number'"
    return "a condition compares variables, for example 'trust >= 2 and not pact_signed'"


class _Compiler:
    def __init__(self, variables: Mapping[str, VarInfo]) -> None:
        self.variables = variables
        self.reads: set[str] = set()

    def expr(self, node: ast.AST, depth: int = 0) -> _Compiled:
        if depth > MAX_DEPTH:
            raise ExprError("E401", f"expression is nested more than {MAX_DEPTH} levels deep",
                            getattr(node, "col_offset", 0))
        d = depth + 1
        if isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) > LIMIT:
                raise ExprError("E402", f"numbers are limited to +-{LIMIT:,}", node.col_offset)
            if isinstance(value, bool | int | str):
                const: Value = value
                return _type_name(const), lambda v: const
            raise ExprError("E402", f"{type(value).__name__} values are not allowed "
                            "(only whole numbers, true/false and 'text')", node.col_offset)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.BoolOp):
            parts = [self.expect(v, "bool", d) for v in node.values]
            if isinstance(node.op, ast.And):
                return "bool", _all(parts)
            return "bool", _any(parts)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.Not):
                inner = self.expect(node.operand, "bool", d)
                return "bool", lambda v: not inner(v)
            if isinstance(node.op, ast.USub):
                inner = self.expect(node.operand, "int", d)
                return "int", lambda v: -inner(v)  # type: ignore[operator]
            if isinstance(node.op, ast.UAdd):
                return "int", self.expect(node.operand, "int", d)
        if isinstance(node, ast.BinOp):
            return self.binop(node, d)
        if isinstance(node, ast.Compare):
            return self.compare(node, d)
        raise ExprError("E402", f"{_describe(node)} is not allowed in an expression",
                        getattr(node, "col_offset", 0),
                        "use variables, numbers, 'text', true/false, and/or/not, "
                        "comparisons and + - *")

    def name(self, node: ast.Name) -> _Compiled:
        key = node.id
        if key in _CONSTANTS:
            const = _CONSTANTS[key]
            return "bool", lambda v: const
        info = self.variables.get(key)
        if info is None:
            raise ExprError("E403", f"unknown variable '{key}'", node.col_offset,
                            did_you_mean(key, [*self.variables, *_CONSTANTS])
                            or _UNKNOWN_HINT)
        self.reads.add(key)
        return info.type, lambda v: v[key]

    def expect(self, node: ast.AST, want: str, depth: int) -> Callable[[Mapping[str, Value]], Value]:
        got, fn = self.expr(node, depth)
        if got != want:
            raise ExprError("E404", f"expected {want} here, but this is {got}",
                            getattr(node, "col_offset", 0), _TYPE_HINTS.get((want, got), ""))
        return fn

    def binop(self, node: ast.BinOp, depth: int) -> _Compiled:
        op = _ARITH.get(type(node.op))
        if op is None:
            hint = "division is not supported; the story uses whole numbers" \
                if isinstance(node.op, ast.Div | ast.FloorDiv) else ""
            raise ExprError("E402", f"the operator {_describe(node.op)} is not allowed",
                            node.col_offset, hint)
        lt, left = self.expr(node.left, depth)
        rt, right = self.expr(node.right, depth)
        if isinstance(node.op, ast.Add) and lt == rt == "text":
            return "text", lambda v: left(v) + right(v)  # type: ignore[operator]
        for t, sub in ((lt, node.left), (rt, node.right)):
            if t != "int":
                raise ExprError("E404", f"arithmetic needs numbers, but this is {t}",
                                sub.col_offset, "+ - * work on int variables and whole numbers")
        return "int", lambda v: op(left(v), right(v))  # type: ignore[arg-type]

    def compare(self, node: ast.Compare, depth: int) -> _Compiled:
        operands = [node.left, *node.comparators]
        compiled = [self.expr(o, depth) for o in operands]
        steps: list[tuple[Callable[[Value, Value], bool], Callable[..., Value], Callable[..., Value]]] = []
        for i, cmp in enumerate(node.ops):
            fn = _COMPARE.get(type(cmp))
            if fn is None:
                raise ExprError("E402", f"the comparison {_describe(cmp)} is not allowed",
                                operands[i + 1].col_offset, "use == != < <= > >=")
            (lt, left), (rt, right) = compiled[i], compiled[i + 1]
            if lt != rt:
                raise ExprError("E404", f"cannot compare {lt} with {rt}",
                                operands[i + 1].col_offset,
                                "compare values of one type: a number with a number, text with "
                                "quoted text ('north'), true/false with true or false")
            if isinstance(cmp, _ORDERING) and lt != "int":
                raise ExprError("E404", f"only numbers can be ordered; this compares {lt}",
                                operands[i + 1].col_offset, "use == or != for text and true/false")
            steps.append((fn, left, right))
        if len(steps) == 1:
            f, a, b = steps[0]
            return "bool", lambda v: f(a(v), b(v))
        return "bool", lambda v: all(f(a(v), b(v)) for f, a, b in steps)


def _all(parts: list[Callable[[Mapping[str, Value]], Value]]) -> Callable[[Mapping[str, Value]], Value]:
    if len(parts) == 2:
        a, b = parts
        return lambda v: bool(a(v)) and bool(b(v))
    return lambda v: all(p(v) for p in parts)


def _any(parts: list[Callable[[Mapping[str, Value]], Value]]) -> Callable[[Mapping[str, Value]], Value]:
    if len(parts) == 2:
        a, b = parts
        return lambda v: bool(a(v)) or bool(b(v))
    return lambda v: any(p(v) for p in parts)


def _describe(node: ast.AST) -> str:
    names = {
        "Call": "a function call", "Attribute": "attribute access ('.')",
        "Subscript": "indexing ('[]')", "Lambda": "lambda", "Div": "'/'", "FloorDiv": "'//'",
        "Mod": "'%'", "Pow": "'**'", "In": "'in'", "NotIn": "'not in'", "Is": "'is'",
        "IsNot": "'is not'", "IfExp": "'x if y else z'", "List": "a list", "Dict": "a dict",
        "Tuple": "a tuple", "Set": "a set", "JoinedStr": "an f-string",
    }
    name = type(node).__name__
    return names.get(name, f"'{name}'")


def compile_condition(source: str, variables: Mapping[str, VarInfo]) -> Condition:
    """Compile a condition to a callable taking the variables and returning a bool."""
    return compile_condition_reads(source, variables)[0]


_UNKNOWN_HINT = "no declared variable is close to it: declare it under 'variables:'"
_TYPE_HINTS = {
    ("bool", "int"): "true or false is expected: give true or false, or compare the number "
                     "(for example 'trust > 0')",
    ("bool", "text"): "true or false is expected: give true or false, or compare the text "
                      "(for example \"side == 'north'\")",
    ("int", "bool"): "a number is expected: use a whole number, or an int variable",
    ("int", "text"): "a number is expected: use a whole number, or an int variable",
    ("text", "int"): "text is expected: put it in quotes, as in \"side = 'north'\"",
    ("text", "bool"): "text is expected: put it in quotes, as in \"side = 'north'\"",
}


def compile_condition_reads(source: str, variables: Mapping[str, VarInfo]
                            ) -> tuple[Condition, frozenset[str]]:
    """Compile a condition, and name the variables it reads."""
    tree = _parse(source, "eval")
    assert isinstance(tree, ast.Expression)
    compiler = _Compiler(variables)
    kind, fn = compiler.expr(tree.body)
    if kind != "bool":
        raise ExprError("E404", f"a condition must be true or false, but this is {kind}",
                        getattr(tree.body, "col_offset", 0),
                        "compare it, for example 'trust >= 2'")
    return fn, frozenset(compiler.reads)  # type: ignore[return-value]


def compile_effects(source: str, variables: Mapping[str, VarInfo]) -> list[Effect]:
    """Compile `name = expr`, `name += expr`, `name -= expr` statements (separated by ';' or
    new lines) to callables that update the variables in place, clamped to declared bounds."""
    return compile_effects_assignments(source, variables)[0]


def compile_effects_assignments(source: str, variables: Mapping[str, VarInfo]
                                ) -> tuple[list[Effect], list[Assignment]]:
    """Compile effects, and describe what each one does (see `Assignment`)."""
    tree = _parse(source, "exec")
    assert isinstance(tree, ast.Module)
    compiler = _Compiler(variables)
    effects: list[Effect] = []
    assignments: list[Assignment] = []
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target, op = stmt.targets[0], None
        elif isinstance(stmt, ast.AugAssign):
            target, op = stmt.target, stmt.op
        else:
            raise ExprError("E405", f"{_describe(stmt)} is not an effect", stmt.col_offset,
                            "write 'name = value', 'name += number' or 'name -= number'")
        if not isinstance(target, ast.Name):
            raise ExprError("E405", "only a variable name can be set", target.col_offset)
        name = target.id
        info = variables.get(name)
        if info is None:
            raise ExprError("E403", f"unknown variable '{name}'", target.col_offset,
                            did_you_mean(name, variables) or _UNKNOWN_HINT)
        compiler.reads = set()
        value = compiler.expect(stmt.value, info.type, 0) if op is None else None
        if op is not None:
            if not isinstance(op, ast.Add | ast.Sub) or info.type != "int":
                raise ExprError("E405", f"'{name}' is {info.type}; only numbers can be "
                                "changed with += and -=", stmt.col_offset)
            delta = compiler.expect(stmt.value, "int", 0)
            sign = 1 if isinstance(op, ast.Add) else -1
            effects.append(_adder(name, delta, sign, info))
        else:
            assert value is not None
            effects.append(_setter(name, value, info))
        symbol = "=" if op is None else "+=" if isinstance(op, ast.Add) else "-="
        assignments.append(Assignment(name, symbol, frozenset(compiler.reads),
                                      _literal(stmt.value)))
    return effects, assignments


def _literal(node: ast.expr) -> Value | None:
    """The value of a literal right-hand side (`3`, `-2`, `true`, `'x'`), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, bool | int | str):
        return node.value
    if isinstance(node, ast.Name) and node.id in _CONSTANTS:
        return _CONSTANTS[node.id]
    if (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub)
            and isinstance(node.operand, ast.Constant) and type(node.operand.value) is int):
        return -node.operand.value
    return None


def _clamp(info: VarInfo) -> Callable[[int], int]:
    # Ints without bounds still stop at +-LIMIT, so `x = x * x` cannot grow without end.
    low = info.min if info.min is not None else -LIMIT
    high = info.max if info.max is not None else LIMIT
    return lambda x: low if x < low else high if x > high else x


def _adder(name: str, delta: Callable[..., Value], sign: int, info: VarInfo) -> Effect:
    clamp = _clamp(info)

    def add(v: Vars) -> None:
        v[name] = clamp(v[name] + sign * delta(v))  # type: ignore[operator,arg-type]
    return add


def _setter(name: str, value: Callable[..., Value], info: VarInfo) -> Effect:
    if info.type == "int":
        clamp = _clamp(info)

        def set_int(v: Vars) -> None:
            v[name] = clamp(value(v))  # type: ignore[arg-type]
        return set_int

    def set_value(v: Vars) -> None:
        v[name] = value(v)
    return set_value
