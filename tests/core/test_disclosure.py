"""Small-cell suppression: nothing under the threshold is shown, and no total gives it away."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from nrm.core.disclosure import Table, suppress


def _rank(matrix: list[list[Fraction]]) -> int:
    rows = [row[:] for row in matrix]
    rank = 0
    width = len(rows[0]) if rows else 0
    for column in range(width):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][column] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for r in range(len(rows)):
            if r != rank and rows[r][column] != 0:
                factor = rows[r][column] / rows[rank][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank], strict=True)]
        rank += 1
    return rank


def revealed_cells(published: Table) -> list[tuple[int, int]]:
    """The hidden cells (in the grid with totals) that an attacker can compute from what is shown:
    exactly those whose unit vector lies in the span of the equations over hidden cells."""
    grid = [[*row, total] for row, total in zip(published.cells, published.row_totals,
                                                strict=True)]
    grid.append([*published.column_totals, published.total])
    hidden = [(i, j) for i, row in enumerate(grid) for j, value in enumerate(row)
              if value is None]
    if not hidden:
        return []
    index = {cell: k for k, cell in enumerate(hidden)}
    height, width = len(grid), len(grid[0])
    equations: list[list[Fraction]] = []
    for i in range(height):  # each row: inner cells sum to the row total
        equation = [Fraction(0)] * len(hidden)
        for j in range(width):
            if (i, j) in index:
                equation[index[(i, j)]] = Fraction(-1 if j == width - 1 else 1)
        equations.append(equation)
    for j in range(width):
        equation = [Fraction(0)] * len(hidden)
        for i in range(height):
            if (i, j) in index:
                equation[index[(i, j)]] = Fraction(-1 if i == height - 1 else 1)
        equations.append(equation)
    base = _rank(equations)
    revealed = []
    for cell, k in index.items():
        unit = [Fraction(1 if m == k else 0) for m in range(len(hidden))]
        if _rank([*equations, unit]) == base:
            revealed.append(cell)
    return revealed


def table(counts: list[list[int]]) -> Table:
    return Table.from_counts(unit="persons", rows=[f"r{i}" for i in range(len(counts))],
                             columns=[f"c{j}" for j in range(len(counts[0]))], counts=counts)


def test_large_cells_are_shown_as_they_are():
    published = suppress(table([[10, 20], [30, 40]]), threshold=5)
    assert published.cells == ((10, 20), (30, 40))
    assert published.row_totals == (30, 70)
    assert published.column_totals == (40, 60)
    assert published.total == 100
    assert not published.is_suppressed


def test_zero_is_shown_as_zero():
    published = suppress(table([[0, 20], [30, 40]]), threshold=5)
    assert published.value("r0", "c0") == 0
    assert not published.is_suppressed


def test_a_cell_of_three_is_hidden_and_the_row_total_cannot_reveal_it():
    # Row r0: 3 + 12 = 15. Hiding only the 3 would leave 15 − 12 = 3 for anyone to compute.
    published = suppress(table([[3, 12, 25], [20, 30, 40]]), threshold=5)
    assert published.value("r0", "c0") is None
    hidden_in_row = [value for value in published.cells[0] if value is None]
    assert len(hidden_in_row) >= 2 or published.row_totals[0] is None
    assert revealed_cells(published) == []
    # The next-smallest cell of the row is the one hidden with it.
    assert published.value("r0", "c1") is None
    assert published.value("r0", "c2") == 25


def test_the_smallest_other_cell_of_the_column_is_hidden_too():
    published = suppress(table([[2, 50, 60], [9, 70, 80], [30, 90, 99]]), threshold=5)
    assert published.value("r0", "c0") is None
    assert published.value("r1", "c0") is None
    assert published.value("r2", "c0") == 30
    assert revealed_cells(published) == []


def test_a_small_total_is_hidden_as_well():
    published = suppress(table([[1, 1], [40, 50]]), threshold=5)
    assert published.row_totals[0] is None
    assert published.value("r0", "c0") is None and published.value("r0", "c1") is None
    assert revealed_cells(published) == []


def test_a_single_column_table_hides_the_totals_that_repeat_the_cell():
    # With one column, each row total is the cell itself.
    published = suppress(table([[3], [40], [50]]), threshold=5)
    assert published.value("r0", "c0") is None
    assert published.row_totals[0] is None
    assert revealed_cells(published) == []


def test_threshold_comes_from_settings_by_default(settings):
    settings.NRM_DISCLOSURE_THRESHOLD = 11
    published = suppress(table([[10, 20], [30, 40]]))
    assert published.value("r0", "c0") is None
    assert revealed_cells(published) == []


def test_threshold_of_one_hides_nothing():
    assert not suppress(table([[1, 2], [3, 4]]), threshold=1).is_suppressed


def test_the_counting_unit_travels_with_the_table():
    assert suppress(table([[1, 2], [3, 4]]), threshold=5).unit == "persons"


def test_a_suppressed_table_is_not_suppressed_again():
    published = suppress(table([[3, 12], [20, 30]]), threshold=5)
    with pytest.raises(ValueError):
        suppress(published, threshold=5)


def test_counts_must_fit_the_labels():
    with pytest.raises(ValueError):
        Table.from_counts(unit="persons", rows=["a"], columns=["x", "y"], counts=[[1]])


def test_empty_table_is_published_empty():
    published = suppress(Table.from_counts(unit="persons", rows=[], columns=[], counts=[]),
                         threshold=5)
    assert published.total == 0


@pytest.mark.parametrize("seed", range(300))
def test_no_hidden_cell_can_ever_be_computed_from_what_is_shown(seed):
    generator = random.Random(seed)  # noqa: S311 - reproducible test tables, not secrets
    height, width = generator.randint(1, 5), generator.randint(1, 5)
    counts = [[generator.choice([0, 1, 2, 3, 4, 5, 7, 12, 30]) for _ in range(width)]
              for _ in range(height)]
    published = suppress(table(counts), threshold=5)
    assert revealed_cells(published) == []
    shown = [value for row in published.cells for value in row if value is not None]
    assert all(value == 0 or value >= 5 for value in shown)
    for row, published_row in zip(counts, published.cells, strict=True):
        for value, shown_value in zip(row, published_row, strict=True):
            assert shown_value in (None, value)
