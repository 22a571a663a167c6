from ..base import Shape
from ...shapes.flat import Square


class Cube(Shape):
    faces = [Square] * 6
