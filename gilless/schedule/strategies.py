"""Who runs next: the strategies of a controlled run.

A strategy is asked at each point (`choose`: the running thread may go on)
and whenever the running thread cannot go on (`choose_forced`). Every
choice depends only on the strategy's parameters and on what the run did
so far, so a strategy with its seed gives one interleaving, every time.

random:SEED          a random walk: at each point any runnable thread, alike.
pct:SEED[:DEPTH[:STEPS]]
                     Probabilistic Concurrency Testing (Burckhardt et al., 2010):
                     threads get random priorities and the highest runnable one
                     runs; at DEPTH-1 random points among the first STEPS the
                     running thread drops below all others. A bug of depth d
                     shows with probability at least 1/(n * STEPS^(d-1)).
dfs[:BOUND]          one schedule of a depth-first search that allows at most
                     BOUND preemptions (context bounding, as CHESS): exploration
                     runs the next schedule each time, until none is left.
"""

import random


class StrategyError(ValueError):
    pass


def parse(text, run_index=0):
    """The strategy named by `text` (its seed moved on by `run_index`)."""
    name, _, rest = text.partition(":")
    arguments = rest.split(":") if rest else []
    try:
        numbers = [int(argument) for argument in arguments]
    except ValueError:
        raise StrategyError(f"schedule strategy {text!r}: its parameters are whole "
                            "numbers") from None
    if name == "random":
        if len(numbers) > 1:
            raise StrategyError("random takes one parameter: random:SEED")
        return RandomWalk((numbers or [0])[0] + run_index)
    if name == "pct":
        if len(numbers) > 3:
            raise StrategyError("pct takes up to three parameters: pct:SEED:DEPTH:STEPS")
        seed, depth, steps = (numbers + [0, 3, 0][len(numbers):])[:3]
        if depth < 1:
            raise StrategyError("pct: the depth is at least 1")
        return PCT(seed + run_index, depth, steps)
    if name == "dfs":
        if len(numbers) > 1:
            raise StrategyError("dfs takes one parameter: dfs:BOUND")
        bound = (numbers or [2])[0]
        if bound < 0:
            raise StrategyError("dfs: the bound is at least 0")
        return DepthFirst(bound, [])
    raise StrategyError(f"unknown schedule strategy {name!r} (known: random:SEED, "
                        "pct:SEED[:DEPTH[:STEPS]], dfs[:BOUND])")


# A thread that goes on for this many points in a row while others could run gives way,
# as a busy wait must (`while not ready: pass`): PCT and a depth-first search past its
# preemptions would otherwise run the spinning thread for ever (CHESS's fairness, in
# a form that depends on the run's points alone, so that a strategy stays one
# interleaving). Some tens of milliseconds of spinning.
FAIR_SHARE = 10_000


class Strategy:
    name = "?"
    # The thread that went on at the last point, and for how many points in a row.
    _last = None
    _run = 0

    def _spinning(self, me, runnable):
        """Whether `me` has gone on for FAIR_SHARE points in a row while another thread
        could run (then the count starts again)."""
        if me is not self._last:
            self._last, self._run = me, 0
        if len(runnable) < 2:
            self._run = 0
            return False
        self._run += 1
        if self._run < FAIR_SHARE:
            return False
        self._run = 0
        return True

    def thread_created(self, thread):
        pass

    def choose(self, me, runnable, step, frame, describe):
        return me

    def choose_forced(self, me, runnable):
        return runnable[0]

    def spec(self):
        return self.name

    def result(self):
        """What the explorer needs back from a run of this strategy."""
        return None


class RandomWalk(Strategy):
    name = "random"

    def __init__(self, seed):
        self.seed = seed
        self.random = random.Random(seed)

    def choose(self, me, runnable, step, frame, describe):
        if len(runnable) == 1:
            return runnable[0]
        return runnable[self.random.randrange(len(runnable))]

    def choose_forced(self, me, runnable):
        return runnable[self.random.randrange(len(runnable))]

    def spec(self):
        return f"random:{self.seed}"


# The run length PCT assumes when not told (a small program's points, about).
PCT_STEPS = 200


class PCT(Strategy):
    name = "pct"

    def __init__(self, seed, depth, steps):
        self.seed = seed
        self.depth = depth
        self.steps = steps
        self.random = random.Random(seed)
        span = steps or PCT_STEPS
        points = sorted(self.random.randint(1, span) for _ in range(depth - 1))
        # step -> the priority the running thread drops to there (below every initial one).
        self.change_points = {step: float(rank) for rank, step in enumerate(points, 1)}

    def thread_created(self, thread):
        thread.priority = self.depth + self.random.random()

    def choose(self, me, runnable, step, frame, describe):
        drop = self.change_points.get(step)
        if drop is not None:
            me.priority = drop - 1.0 / (1 + step)
        elif self._spinning(me, runnable):
            me.priority = min(thread.priority for thread in runnable) - 1.0
        return max(runnable, key=_priority)

    def choose_forced(self, me, runnable):
        return max(runnable, key=_priority)

    def spec(self):
        return f"pct:{self.seed}:{self.depth}" + (f":{self.steps}" if self.steps else "")


def _priority(thread):
    return thread.priority


class DepthFirst(Strategy):
    """One path of a depth-first search: the choices of `prefix` first, then always the
    first option. `decisions` records (options, chosen) for the explorer to backtrack."""

    name = "dfs"

    def __init__(self, bound, prefix):
        self.bound = bound
        self.prefix = prefix
        self.decisions = []
        self.preemptions = 0

    def _pick(self, options, preempting):
        index = len(self.decisions)
        chosen = self.prefix[index] if index < len(self.prefix) else 0
        chosen = min(chosen, len(options) - 1)
        self.decisions.append((len(options), chosen))
        if preempting and chosen:
            self.preemptions += 1
        return options[chosen]

    def choose(self, me, runnable, step, frame, describe):
        if len(runnable) == 1:
            return me
        if self._spinning(me, runnable):
            # A busy wait gives way, to the next thread: no choice of the search.
            return runnable[(runnable.index(me) + 1) % len(runnable)]
        if self.preemptions >= self.bound:
            return me
        others = [thread for thread in runnable if thread is not me]
        return self._pick([me] + others, preempting=True)

    def choose_forced(self, me, runnable):
        if len(runnable) == 1:
            return runnable[0]
        return self._pick(runnable, preempting=False)

    def spec(self):
        return f"dfs:{self.bound}"

    def result(self):
        return self.decisions


def next_prefix(decisions):
    """The depth-first search's next path after one that made `decisions`, or None when
    the search is over."""
    for index in range(len(decisions) - 1, -1, -1):
        options, chosen = decisions[index]
        if chosen + 1 < options:
            return [c for _, c in decisions[:index]] + [chosen + 1]
    return None


class Replay(Strategy):
    """The recorded segments again; each stop checked against the program."""

    name = "replay"

    def __init__(self, segments, mismatch):
        self.segments = segments
        self.index = 0
        self.points = 0
        self.mismatch = mismatch

    def _segment(self):
        if self.index < len(self.segments):
            return self.segments[self.index]
        return None

    def choose(self, me, runnable, step, frame, describe):
        segment = self._segment()
        if segment is None:
            return me
        self.points += 1
        name, points, stop = segment
        if self.points < points or stop is None:
            return me
        if stop.get("forced"):
            # The turn ends when the thread waits or ends, not at a point.
            if self.points > points:
                self.mismatch(f"{me.name} goes on past the {points} point(s) of its turn, "
                              f"where the recording has it {stop.get('operation')} at "
                              f"{_where(stop)}")
            return me
        self._check(me, name, stop, describe(), frame)
        return self._next(runnable)

    def choose_forced(self, me, runnable):
        segment = self._segment()
        if segment is None:
            return runnable[0]
        name, points, stop = segment
        if stop is not None and (self.points != points or not stop.get("forced")):
            self.mismatch(f"{me.name} stopped after {self.points} point(s) of its turn, "
                          f"where the recording ran {points} and then "
                          f"{stop.get('operation')!r} at {_where(stop)}")
        return self._next(runnable)

    def _check(self, me, name, stop, operation, frame):
        function = None if frame is None else frame.f_code.co_qualname
        if (me.name, function, operation) != (name, stop.get("function"),
                                              stop.get("operation")):
            self.mismatch(f"{me.name} reached {operation!r} where the recording has "
                          f"{name} at {_where(stop)}, {stop.get('operation')!r} (now in "
                          f"{function}, line {frame and frame.f_lineno})")

    def _next(self, runnable):
        self.index += 1
        self.points = 0
        segment = self._segment()
        if segment is None:
            return runnable[0]
        for thread in runnable:
            if thread.name == segment[0]:
                return thread
        self.mismatch(f"the recording runs {segment[0]} next, which cannot run now "
                      f"(runnable: {', '.join(t.name for t in runnable)})")
        return runnable[0]


def _where(stop):
    return f"{stop.get('file')}:{stop.get('line')} in {stop.get('function')}"
