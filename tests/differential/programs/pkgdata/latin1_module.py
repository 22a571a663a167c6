# -*- coding: latin-1 -*-
# Source in latin-1, declared.
TEXT = "café"
