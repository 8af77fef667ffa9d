#!/usr/bin/env python3
"""Plans the bench's problems with GTPyhop, for side-by-side figures.

Usage: gtpyhop-driver.py GTPYHOP_DIR < job.json > result.json

GTPYHOP_DIR is a checkout of github.com/dananau/GTPyhop (gtpyhop.py and
Examples/). The job is JSON:
  {"domain": "blocks_gtn", "problems": [{"state": ..., "todo": [...]}...],
   "warmup_s": 0.25, "run_s": 0.33, "runs": 3, "min_ops": 3}
with states and todo lists in the conformance suite's JSON encoding. The
answer is JSON: per run the plans made, wall and CPU seconds and per-plan
percentiles; the mean plan length per problem; the Python heap peak of one
plan (tracemalloc, over as many problems as fit in run_s); the process's
peak RSS. GTPyhop's own output goes to stderr.
"""
import contextlib
import importlib
import json
import resource
import statistics
import sys
import threading
import time
import tracemalloc


def convert(v):
    """Conformance JSON to GTPyhop's Python values."""
    if isinstance(v, dict):
        if '__set__' in v:
            # An ordered dict as a set: `in` is O(1) as with a set, and
            # iteration follows the JSON order, as Aria's engine does, so
            # that helper functions scanning a set pick the same object.
            return dict.fromkeys(convert(x) for x in v['__set__'])
        if '__intkeys__' in v:
            pairs = v['__intkeys__']
            items = pairs.items() if isinstance(pairs, dict) else pairs
            return {int(k): convert(x) for k, x in items}
        if '__multigoal__' in v:
            return gtpyhop.Multigoal(v['__multigoal__'], **{k: convert(x) for k, x in v['vars'].items()})
        return {k: convert(x) for k, x in v.items()}
    if isinstance(v, list):
        return [convert(x) for x in v]
    return v


def make_problem(p):
    state = gtpyhop.State('bench')
    for var, value in p['state'].items():
        setattr(state, var, convert(value))
    todo = [tuple(convert(x) for x in item) if isinstance(item, list) else convert(item) for item in p['todo']]
    return state, todo


def percentile(xs, q):
    """Linear interpolation between closest ranks, as bench/stats.ts does."""
    s = sorted(xs)
    if not s:
        return None
    pos = (len(s) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def one_run(problems, seconds, min_ops, lengths):
    """Plans the problems in turn for `seconds` (and at least min_ops plans); records plan lengths by problem."""
    wall, cpu = [], []
    t_end = time.perf_counter() + seconds
    i = 0
    while time.perf_counter() < t_end or len(wall) < min_ops:
        k = i % len(problems)
        state, todo = problems[k]
        i += 1
        w0, c0 = time.perf_counter(), time.process_time()
        plan = gtpyhop.find_plan(state, todo)
        c1, w1 = time.process_time(), time.perf_counter()
        wall.append((w1 - w0) * 1000)
        cpu.append((c1 - c0) * 1000)
        if isinstance(plan, list):
            lengths[k] = len(plan)
    total = sum(wall) / 1000
    return {
        'ops': len(wall), 'wall_s': total, 'cpu_s': sum(cpu) / 1000,
        'plans_per_s': len(wall) / total if total > 0 else None,
        'p50_ms': percentile(wall, 0.5), 'p99_ms': percentile(wall, 0.99),
        'cpu_p50_ms': percentile(cpu, 0.5),
    }


def traced_peak(problems, budget_s):
    """The most Python heap one plan needs, over the problems traced within budget_s (at least one).

    tracemalloc slows planning several times over, so it runs outside the
    timed runs and stops once the budget is spent."""
    peak, traced = 0, 0
    t_end = time.perf_counter() + budget_s
    for state, todo in problems:
        tracemalloc.start()
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        gtpyhop.find_plan(state, todo)
        peak = max(peak, tracemalloc.get_traced_memory()[1] - base)
        tracemalloc.stop()
        traced += 1
        if time.perf_counter() > t_end:
            break
    return peak, traced


def main():
    global gtpyhop
    root = sys.argv[1]
    job = json.load(sys.stdin)
    sys.path[:0] = [root, root + '/Examples']
    out = sys.stdout
    with contextlib.redirect_stdout(sys.stderr):
        import gtpyhop as g
        gtpyhop = g
        importlib.import_module(job['domain'])
        gtpyhop.current_domain = next(d for d in gtpyhop._domains if d.__name__ == job['domain'])
        gtpyhop.verbose = 0
        problems = [make_problem(p) for p in job['problems']]
        lengths = {}
        # The warm-up plans every problem once, so that the plan lengths cover them all.
        one_run(problems, job.get('warmup_s', 0.25), len(problems), lengths)
        runs = [one_run(problems, job['run_s'], job.get('min_ops', 1), lengths) for _ in range(job.get('runs', 3))]
        peak, traced = traced_peak(problems, job['run_s'])
    result = {
        'runs': runs,
        'plan_length': statistics.mean(lengths.values()) if lengths else None,
        'traced_peak_bytes': peak,
        'traced_problems': traced,
        'max_rss_bytes': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        'python': sys.version.split()[0],
    }
    json.dump(result, out)
    out.write('\n')


gtpyhop = None
if __name__ == '__main__':
    # GTPyhop recurses once per todo item; big problems need far more than
    # Python's default limit and a thread stack larger than the main one.
    sys.setrecursionlimit(1_000_000)
    threading.stack_size(512 * 1024 * 1024)
    failure = []

    def guarded():
        try:
            main()
        except BaseException as e:  # reported as JSON so the bench can print it per case
            failure.append(f'{type(e).__name__}: {e}')

    t = threading.Thread(target=guarded)
    t.start()
    t.join()
    if failure:
        json.dump({'error': failure[0]}, sys.stdout)
        sys.stdout.write('\n')
        sys.exit(1)
