"""A package with subpackages and relative imports."""
from .base import Shape
from . import flat
from .solid import Cube

__all__ = ["Shape", "Cube", "flat"]
loaded = [__name__, __package__]
