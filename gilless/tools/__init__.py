"""Tools around gilless: benchmarks (`bench`, `scaling`) and CPython's test suite (`conformance`)."""
