# A module the corpus programs import (not a program of its own).
retries = 0
