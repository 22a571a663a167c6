from .cube import Cube
from .. import base
