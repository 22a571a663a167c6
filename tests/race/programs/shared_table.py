# A module the corpus programs import (not a program of its own): its body writes a table.
TABLE = {}
for _n in range(10):
    TABLE[_n] = _n * _n
