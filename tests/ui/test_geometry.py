"""ui.geometry: boxes in PDF points turned with the page, and points turned back."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPointF, QRectF

from ui.geometry import rotate_box, rotated_size, unrotate_point

# A portrait page, 600 × 800 points, and a box near its top left corner.
WIDTH, HEIGHT = 600.0, 800.0
BOX = [10.0, 20.0, 110.0, 70.0]  # 100 wide, 50 high


def corners(rect: QRectF) -> tuple[float, float, float, float]:
    return (rect.left(), rect.top(), rect.right(), rect.bottom())


@pytest.mark.parametrize(
    ("rotation", "size"),
    [(0, (600, 800)), (90, (800, 600)), (180, (600, 800)), (270, (800, 600)),
     (360, (600, 800)), (-90, (800, 600)), (450, (800, 600))],
)  # fmt: skip
def test_a_quarter_turn_swaps_the_sides(rotation: int, size: tuple[float, float]) -> None:
    assert rotated_size(WIDTH, HEIGHT, rotation) == size


@pytest.mark.parametrize(
    ("rotation", "expected"),
    [
        (0, (10, 20, 110, 70)),
        # Clockwise: the top left corner goes to the top right, the box stands on its side.
        (90, (730, 10, 780, 110)),
        (180, (490, 730, 590, 780)),
        (270, (20, 490, 70, 590)),
    ],
)
def test_a_box_turns_clockwise_with_the_page(
    rotation: int, expected: tuple[float, float, float, float]
) -> None:
    turned = rotate_box(BOX, WIDTH, HEIGHT, rotation)
    assert corners(turned) == pytest.approx(expected)
    turned_width, turned_height = rotated_size(WIDTH, HEIGHT, rotation)
    assert QRectF(0, 0, turned_width, turned_height).contains(turned)


@pytest.mark.parametrize("rotation", [360, -270, 450, 720])
def test_rotations_are_taken_modulo_a_full_turn(rotation: int) -> None:
    assert rotate_box(BOX, WIDTH, HEIGHT, rotation) == rotate_box(
        BOX, WIDTH, HEIGHT, rotation % 360
    )


def test_a_box_keeps_its_area_and_swaps_its_sides_on_a_quarter_turn() -> None:
    for rotation in (0, 90, 180, 270):
        turned = rotate_box(BOX, WIDTH, HEIGHT, rotation)
        sides = (turned.width(), turned.height())
        assert sides == ((50, 100) if rotation % 180 else (100, 50))


def test_extra_fields_after_the_four_coordinates_are_ignored() -> None:
    word: list[Any] = [*BOX, "Nevesinje", 93]  # a word box as OCR stores it
    assert rotate_box(word, WIDTH, HEIGHT, 90) == rotate_box(BOX, WIDTH, HEIGHT, 90)


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
@pytest.mark.parametrize("point", [(0.0, 0.0), (10.0, 20.0), (599.0, 1.0), (300.0, 400.0)])
def test_unrotate_point_undoes_the_turn(rotation: int, point: tuple[float, float]) -> None:
    """A box's corner turned with rotate_box comes back where it was on the page."""
    x, y = point
    turned = rotate_box([x, y, x, y], WIDTH, HEIGHT, rotation)
    assert unrotate_point(turned.x(), turned.y(), WIDTH, HEIGHT, rotation) == pytest.approx(point)


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_a_click_inside_a_turned_box_lands_inside_the_box(rotation: int) -> None:
    turned = rotate_box(BOX, WIDTH, HEIGHT, rotation)
    click: QPointF = turned.center()
    x, y = unrotate_point(click.x(), click.y(), WIDTH, HEIGHT, rotation)
    assert (x, y) == pytest.approx((60.0, 45.0))  # the middle of BOX on the unturned page
