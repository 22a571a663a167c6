import sys, json, collections, dataclasses, re
print("hello", sys.argv[1:])
@dataclasses.dataclass
class P:
    x: int
    y: int = 2
print(P(1), json.dumps({"a": [1, 2]}), re.findall(r"\d+", "a1b22"))
print(collections.Counter("abracadabra").most_common(2))
