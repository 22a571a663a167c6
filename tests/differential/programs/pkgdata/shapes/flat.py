from .base import Shape
from ..shapes import base as base_again


class Square(Shape):
    sides = 4


same = base_again.Shape is Shape
