"""Mapping points of a rotated image back onto the page it was rotated from."""

from __future__ import annotations

import math
from dataclasses import dataclass

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Rotation:
    """PIL's `image.rotate(degrees, expand=True)`: counter-clockwise about the centre."""

    degrees: float
    source_size: tuple[int, int]
    rotated_size: tuple[int, int]

    def to_source(self, x: float, y: float) -> tuple[float, float]:
        theta = math.radians(self.degrees)
        dx = x - self.rotated_size[0] / 2
        dy = y - self.rotated_size[1] / 2
        # Inverse of the counter-clockwise turn (y grows downwards in images).
        sx = dx * math.cos(theta) - dy * math.sin(theta)
        sy = dx * math.sin(theta) + dy * math.cos(theta)
        return sx + self.source_size[0] / 2, sy + self.source_size[1] / 2


def box_to_source(box: Box, rotations: list[Rotation]) -> Box:
    """The bounding box, in the original image, of a box found after `rotations` (in order)."""
    corners = [(box[0], box[1]), (box[2], box[1]), (box[0], box[3]), (box[2], box[3])]
    for rotation in reversed(rotations):
        corners = [rotation.to_source(x, y) for x, y in corners]
    xs = [x for x, _ in corners]
    ys = [y for _, y in corners]
    return min(xs), min(ys), max(xs), max(ys)
