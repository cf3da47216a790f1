"""The expression tree and the limits of the language: node types, functions and their arities, operator
families, and helpers that read a tree (no evaluation here)."""

from __future__ import annotations

from attrs import frozen

from ..numeric import MAX_NUMBER

__all__ = [
    "COMPARISONS",
    "FUNCTIONS",
    "KEYWORDS",
    "LOGIC",
    "MAX_CONSTANT",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_NODES",
    "MEMORY_FUNCTIONS",
    "RESULT_LIMIT",
    "SINCE_NEVER",
    "Binary",
    "Call",
    "Memory",
    "Name",
    "Node",
    "Num",
    "Unary",
    "is_logic",
    "memory_in",
    "memory_key",
    "names_in",
]

MAX_LENGTH = 1000
MAX_DEPTH = 32
MAX_NODES = 200
MAX_CONSTANT = MAX_NUMBER  # the largest number a scenario may write
RESULT_LIMIT = 1e12

# name -> (min args, max args)
FUNCTIONS: dict[str, tuple[int, int]] = {
    "min": (2, 8),
    "max": (2, 8),
    "clamp": (3, 3),
    "abs": (1, 1),
    "floor": (1, 1),
    "round": (1, 1),
    "if": (3, 3),
}
# format 2: how often an event fired / an option was chosen, and turns since it last happened
MEMORY_FUNCTIONS = ("fired", "chosen", "since")
SINCE_NEVER = 1000.0  # since() of something that never happened: more turns than any game has (600)
COMPARISONS = ("<", "<=", ">", ">=", "==", "!=")
LOGIC = ("and", "or")
KEYWORDS = ("and", "or", "not")


@frozen
class Node:
    """Base of the expression tree; ``pos``/``end`` locate the node in the source text."""

    pos: int
    end: int


@frozen
class Num(Node):
    value: float


@frozen
class Name(Node):
    id: str


@frozen
class Unary(Node):
    op: str  # "-" or "not"
    operand: Node


@frozen
class Binary(Node):
    op: str
    left: Node
    right: Node


@frozen
class Call(Node):
    fn: str
    args: tuple[Node, ...]


@frozen
class Memory(Node):
    """``fired(event)``, ``chosen(event.option)``, ``since(event)`` or ``since(event.option)``."""

    fn: str
    event: str
    option: str = ""  # "" when the call names an event

    @property
    def ref(self) -> str:
        return f"{self.event}.{self.option}" if self.option else self.event


def memory_key(node: Memory) -> str:
    """The name under which engines supply a memory call's value (no scenario name can contain ':')."""
    return f"{node.fn}:{node.ref}"


def _nodes(node: Node):
    """Every node of the tree, depth first (an explicit stack: trees are bounded, but no recursion needed)."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        if isinstance(n, Unary):
            stack.append(n.operand)
        elif isinstance(n, Binary):
            stack.extend((n.right, n.left))
        elif isinstance(n, Call):
            stack.extend(reversed(n.args))


def memory_in(node: Node) -> list[Memory]:
    """Every memory call in the tree, in source order."""
    return sorted((n for n in _nodes(node) if isinstance(n, Memory)), key=lambda x: x.pos)


def names_in(node: Node) -> list[Name]:
    """Every ``Name`` node in the tree, in source order."""
    return sorted((n for n in _nodes(node) if isinstance(n, Name)), key=lambda x: x.pos)


def is_logic(node: Node) -> bool:
    """Whether a node evaluates to a boolean (a comparison, ``and``/``or``, ``not``) rather than a number."""
    return (isinstance(node, Binary) and (node.op in COMPARISONS or node.op in LOGIC)) or (
        isinstance(node, Unary) and node.op == "not"
    )
