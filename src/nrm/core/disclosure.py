"""Small-cell suppression for published tables, so that no figure can identify a person.

Primary suppression hides every count from 1 to threshold − 1 (zero stays zero: "nobody" names
no one). Secondary suppression then hides further cells until no hidden cell can be worked out
from the row and column totals.

Why the rule below is enough: a table with its totals is a set of equations (each row and each
column sums to its total). Think of rows and columns as the two sides of a graph and of each
hidden cell as an edge between its row and its column. A hidden cell can be computed exactly
when its edge is a bridge of that graph (removing it cuts the graph); when it lies on a cycle,
adding 1 and subtracting 1 alternately around the cycle keeps every total, so the cell's value
is not determined. Secondary suppression hides cells until no hidden cell is a bridge.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings

Cell = tuple[int, int]


@dataclass(frozen=True)
class Table:
    """A two-way table of counts with its totals; a suppressed value is None.

    ``unit`` names what is counted ("screenings", "decisions", "persons"), so that nobody adds
    screenings to persons.
    """

    unit: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: tuple[tuple[int | None, ...], ...]
    row_totals: tuple[int | None, ...]
    column_totals: tuple[int | None, ...]
    total: int | None

    @classmethod
    def from_counts(
        cls, *, unit: str, rows: Sequence[str], columns: Sequence[str],
        counts: Sequence[Sequence[int]],
    ) -> Table:
        """The table of ``counts`` (one list per row), with its totals computed."""
        if len(counts) != len(rows) or any(len(row) != len(columns) for row in counts):
            raise ValueError("counts must have one value per row and column")
        cells = tuple(tuple(int(value) for value in row) for row in counts)
        return cls(
            unit=unit, rows=tuple(rows), columns=tuple(columns), cells=cells,
            row_totals=tuple(sum(row) for row in cells),
            column_totals=tuple(sum(row[j] for row in cells) for j in range(len(columns))),
            total=sum(sum(row) for row in cells),
        )

    @property
    def is_suppressed(self) -> bool:
        """Whether anything in the table is hidden."""
        return (self.total is None or None in self.row_totals or None in self.column_totals
                or any(None in row for row in self.cells))

    def value(self, row: str, column: str) -> int | None:
        """The published value of one cell, by its labels."""
        return self.cells[self.rows.index(row)][self.columns.index(column)]


def _count(value: int | None) -> int:
    if value is None:
        raise ValueError("suppress() takes a table of counts, not one already suppressed")
    return int(value)


def _grid(table: Table) -> list[list[int]]:
    # The table with its totals as one grid: the last column holds the row totals, the last row
    # the column totals and the grand total. Every line of the grid is then one equation.
    grid = [[*(_count(value) for value in row), _count(total)]
            for row, total in zip(table.cells, table.row_totals, strict=True)]
    grid.append([*(_count(value) for value in table.column_totals), _count(table.total)])
    return grid


def _connected(hidden: set[Cell], start: tuple[str, int], goal: tuple[str, int]) -> bool:
    # Rows are ("r", i) and columns ("c", j); each hidden cell joins its row and its column.
    neighbours: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for i, j in hidden:
        neighbours.setdefault(("r", i), []).append(("c", j))
        neighbours.setdefault(("c", j), []).append(("r", i))
    seen = {start}
    frontier = [start]
    while frontier:
        node = frontier.pop()
        if node == goal:
            return True
        for other in neighbours.get(node, []):
            if other not in seen:
                seen.add(other)
                frontier.append(other)
    return False


def _side(hidden: set[Cell], start: tuple[str, int]) -> set[tuple[str, int]]:
    # Every row and column reachable from ``start`` through hidden cells.
    reached = {start}
    changed = True
    while changed:
        changed = False
        for i, j in hidden:
            row, column = ("r", i), ("c", j)
            if (row in reached) != (column in reached):
                reached |= {row, column}
                changed = True
    return reached


def _bridge(hidden: set[Cell]) -> Cell | None:
    """A hidden cell that the totals would reveal, if there is one."""
    for cell in sorted(hidden):
        others = hidden - {cell}
        if not _connected(others, ("r", cell[0]), ("c", cell[1])):
            return cell
    return None


# Hiding a zero or a total costs more than hiding a small inner cell: a zero tells no one
# anything worth protecting, and a hidden total hides a whole row or column.
_TOTAL_COST = 10**6
_ZERO_COST = 10**9


def _protecting_cells(grid: list[list[int]], hidden: set[Cell], bridge: Cell) -> list[Cell]:
    """The cheapest cells to hide so that ``bridge`` lies on a cycle of hidden cells.

    A shortest path from the cell's row to its column, where hidden cells cost nothing and
    others cost their value, closes such a cycle with the least information lost.
    """
    height, width = len(grid), len(grid[0])

    def cost(i: int, j: int) -> int:
        if (i, j) in hidden:
            return 0
        value = grid[i][j]
        is_total = i == height - 1 or j == width - 1
        return 1 + value + (_TOTAL_COST if is_total else 0) + (_ZERO_COST if value == 0 else 0)

    start, goal = ("r", bridge[0]), ("c", bridge[1])
    best: dict[tuple[str, int], int] = {start: 0}
    came_from: dict[tuple[str, int], tuple[tuple[str, int], Cell]] = {}
    queue: list[tuple[int, tuple[str, int]]] = [(0, start)]
    while queue:
        distance, node = heapq.heappop(queue)
        if node == goal:
            break
        if distance > best.get(node, distance):
            continue
        kind, index = node
        if kind == "r":
            steps = [(("c", j), (index, j)) for j in range(width)]
        else:
            steps = [(("r", i), (i, index)) for i in range(height)]
        for other, cell in steps:
            if cell == bridge:
                continue
            candidate = distance + cost(*cell)
            if candidate < best.get(other, candidate + 1):
                best[other] = candidate
                came_from[other] = (node, cell)
                heapq.heappush(queue, (candidate, other))
    path: list[Cell] = []
    node = goal
    while node != start:
        node, cell = came_from[node]
        path.append(cell)
    return [cell for cell in path if cell not in hidden]


def suppress(table: Table, *, threshold: int | None = None) -> Table:
    """The table as it may be published: small cells hidden, and enough others that the totals
    cannot reveal them."""
    limit = settings.NRM_DISCLOSURE_THRESHOLD if threshold is None else threshold
    grid = _grid(table)
    height, width = len(grid), len(grid[0])
    hidden: set[Cell] = {(i, j) for i in range(height) for j in range(width)
                         if 0 < grid[i][j] < limit}
    while (bridge := _bridge(hidden)) is not None:
        hidden.update(_protecting_cells(grid, hidden, bridge))

    def shown(i: int, j: int) -> int | None:
        return None if (i, j) in hidden else grid[i][j]

    inner_rows, inner_columns = height - 1, width - 1
    return Table(
        unit=table.unit, rows=table.rows, columns=table.columns,
        cells=tuple(tuple(shown(i, j) for j in range(inner_columns))
                    for i in range(inner_rows)),
        row_totals=tuple(shown(i, inner_columns) for i in range(inner_rows)),
        column_totals=tuple(shown(inner_rows, j) for j in range(inner_columns)),
        total=shown(inner_rows, inner_columns),
    )
