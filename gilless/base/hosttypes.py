"""The host's types of modules, functions, methods, code, generators, tracebacks and
simple namespaces, as `types` defines them, without importing `types`: it is not
frozen, and finding, reading and running it cost every start-up about 0.35 ms
where gilless's own start-up needs these names only."""

import sys


def _function():
    pass


def _generator():
    yield


class _Class:
    def _method(self):
        pass


ModuleType = type(sys)
FunctionType = type(_function)
MethodType = type(_Class()._method)
CodeType = type(_function.__code__)
GeneratorType = type(_generator())
SimpleNamespace = type(sys.implementation)


def _traceback_type():
    try:
        raise TypeError
    except TypeError as error:
        return type(error.__traceback__)


TracebackType = _traceback_type()
