"""The base layer: what every other layer of gilless may use, and which uses none of them.

`frames` tells gilless's own frames from the guest's and unlinks them from
tracebacks (every layer that guest code calls into hides its frames with
it, and a tool that reports guest stacks filters them with it); `state`
holds the active guest world's per-process state, installed once.
"""
