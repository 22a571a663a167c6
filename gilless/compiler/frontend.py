"""Parsing guest source into a host `ast` tree."""

import ast


def parse(source, filename, mode="exec", flags=0):
    """Parse guest source; a SyntaxError carries the guest file, line and offset."""
    return compile(source, filename, mode, flags | ast.PyCF_ONLY_AST, dont_inherit=True)
