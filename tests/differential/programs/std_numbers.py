# math, cmath, decimal, fractions, random (seeded), numbers, statistics.
import cmath
import decimal
import fractions
import math
import numbers
import random
import statistics
from decimal import Decimal
from fractions import Fraction

print(math.pi, math.sqrt(2), math.factorial(20), math.gcd(12, 18), math.lcm(4, 6), math.isclose(0.1 + 0.2, 0.3))
print(math.floor(-2.5), math.ceil(2.1), math.log(8, 2), math.comb(10, 3), math.perm(5, 2), math.prod([1, 2, 3]))
print(math.inf, math.isnan(math.nan), math.copysign(1, -0.0), math.fsum([0.1] * 10), math.hypot(3, 4), math.dist((0, 0), (1, 1)))
try:
    math.sqrt(-1)
except ValueError as e:
    print("ValueError:", e)
print(cmath.sqrt(-1), cmath.phase(-1), cmath.polar(1j), cmath.exp(1j * math.pi).real)
print(Decimal("0.1") + Decimal("0.2"), Decimal(1) / Decimal(7), Decimal("1.10").quantize(Decimal("0.1")))
with decimal.localcontext() as ctx:
    ctx.prec = 5
    print(Decimal(1) / Decimal(3), ctx.prec)
print(repr(Decimal("3.14")), Decimal("1e3").to_integral_value(), Decimal("NaN").is_nan(), Decimal(2).sqrt())
try:
    Decimal("abc")
except decimal.InvalidOperation as e:
    print("InvalidOperation:", type(e).__name__)
try:
    Decimal(1) / Decimal(0)
except decimal.DivisionByZero as e:
    print("DivisionByZero:", type(e).__mro__[1].__name__)
print(isinstance(Decimal(1), numbers.Number), isinstance(Decimal(1), numbers.Real), Decimal(1) == Fraction(1))
print(Decimal("1.5") < Fraction(7, 4), Decimal(2) == 2, Decimal("0.5") == 0.5, hash(Decimal(2)) == hash(2))
print(decimal.getcontext().prec, sorted(decimal.getcontext().flags.keys(), key=lambda c: c.__name__)[:2])
print(Fraction(3, 4) + Fraction(1, 4), Fraction("1/3") * 3, Fraction(0.5), Fraction(1, 3).limit_denominator(2))
print(repr(Fraction(2, 6)), Fraction(7, 2).__floor__(), isinstance(Fraction(1), numbers.Rational), float(Fraction(1, 8)))
print(isinstance(3, numbers.Integral), isinstance(3.0, numbers.Integral), isinstance(1j, numbers.Complex), issubclass(bool, numbers.Number))
random.seed(12345)
print(random.random(), random.randint(1, 100), random.choice("abcdef"), random.sample(range(100), 3))
deck = list(range(10))
random.shuffle(deck)
print(deck, random.uniform(1, 2), random.gauss(0, 1), random.choices("ab", weights=[1, 9], k=5))
r = random.Random(7)
print(r.getrandbits(64), r.randrange(0, 100, 5), random.Random(7).getrandbits(64) == Random_check if False else None)
print(statistics.mean([1, 2, 3, 4]), statistics.median([3, 1, 2]), statistics.stdev([1, 2, 3, 4]), statistics.mode("aabc"))
print(statistics.fmean([1, 2]), statistics.quantiles(range(1, 11), n=4))
