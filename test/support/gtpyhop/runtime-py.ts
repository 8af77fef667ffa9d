/**
 * The Python side of a translated domain (to-python.ts): the values and
 * operations of the domain language as the reference planner defines them
 * (test/support/reference-planner/evaluate.ts, values.ts, state.ts), written
 * for GTPyhop's state objects, and the driver that runs find_plan and prints
 * the answer as JSON.
 *
 * How Aria values are held in Python:
 * - symbols str, numbers int or float, booleans bool, nil None, tuples
 *   tuple, lists list; sets ASet (ordered, as Aria's are: a Python set's
 *   order of strings changes from run to run), constant maps AMap, a
 *   multigoal gtpyhop.Multigoal (one dict per variable), a state variable
 *   named as a value VarRef, `mg.v` MgVar;
 * - a state variable is a dict in vars(state), keyed by Aria's keys; a
 *   scalar variable (`cnt = 1` in the problem) is the dict {None: value}, as
 *   the reference holds it under the key nil. Python's dict cannot tell
 *   True from 1 (Aria's keys can): a boolean key raises Unsupported, and the
 *   case is skipped.
 *
 * Where Python and Aria differ (True == 1, '' falsy, 'a' < 'b', `in` on a
 * string, a dict changing size under iteration), the helpers below follow
 * Aria. GTPyhop's own code is left as it is: its comparisons of goals with
 * the state are Python's (the generator's goals never mix booleans with
 * numbers, so the two agree there).
 */

export const RUNTIME_PY = String.raw`
import sys, json, threading
_OUT = sys.stdout
sys.stdout = sys.stderr
sys.path.insert(0, GTPYHOP_DIR)
import gtpyhop
gtpyhop.verbose = 0

class Unsupported(Exception):
    """A construct this translation cannot run as Aria would: the case is skipped."""

class AriaBug(Exception):
    """A domain bug the reference planner reports (a type error, a bad key...)."""

class ASet:
    __slots__ = ('items',)
    def __init__(self, items): self.items = items
    def __deepcopy__(self, memo): return self
    def __repr__(self): return '{' + ', '.join(repr(x) for x in self.items) + '}'

class AMap:
    __slots__ = ('entries',)
    def __init__(self, entries): self.entries = entries
    def __deepcopy__(self, memo): return self

class VarRef:
    __slots__ = ('state', 'name')
    def __init__(self, state, name): self.state = state; self.name = name
    def dict(self): return sdict(self.state, self.name)

class MgVar:
    __slots__ = ('mg', 'name')
    def __init__(self, mg, name): self.mg = mg; self.name = name
    def dict(self): return vars(self.mg).get(self.name) or {}

_NOKEY = object()
_NOPE = object()

def isnum(v):
    t = type(v)
    return t is int or t is float

def show(v):
    return repr(v)

def type_error(op, a, b):
    raise AriaBug(f'{op} cannot take {show(a)} and {show(b)}')

def iter_error(x):
    raise AriaBug(f'cannot iterate over {show(x)}')

def key(k):
    """The dict key of an Aria state key, or _NOKEY when k cannot be a key."""
    t = type(k)
    if t is str or t is int or t is float or k is None:
        return k
    if t is bool:
        raise Unsupported('a boolean state key (a Python dict cannot tell True from 1)')
    if t is tuple:
        for e in k:
            te = type(e)
            if te is bool:
                raise Unsupported('a boolean in a tuple key (a Python dict cannot tell True from 1)')
            if not (te is str or te is int or te is float or e is None):
                return _NOKEY
        return k
    return _NOKEY

def sdict(state, v):
    d = vars(state).get(v)
    if d is None:
        d = {}
        vars(state)[v] = d
    return d

def sget(state, v, k):
    k = key(k)
    if k is _NOKEY:
        return None
    d = vars(state).get(v)
    return None if d is None else d.get(k)

def shas(state, v, k):
    k = key(k)
    if k is _NOKEY:
        return False
    d = vars(state).get(v)
    return d is not None and k in d

def sname(state, v):
    """A bare state-variable name: a scalar variable's value, else the variable itself."""
    d = vars(state).get(v)
    if d is not None and None in d:
        return d[None]
    return VarRef(state, v)

def sset(state, v, k, x):
    kk = key(k)
    if kk is _NOKEY:
        raise AriaBug(f'{show(k)} cannot be a state key or value')
    if isinstance(x, (VarRef, MgVar)):
        raise AriaBug(f'{show(x)} cannot be a state key or value')
    sdict(state, v)[kk] = x

def sin(state, v, a):
    """a in v, v a state variable: membership in a scalar variable's value, else among v's keys."""
    d = vars(state).get(v)
    if d is not None and None in d:
        return member('in', a, d[None])
    return shas(state, v, a)

def truthy(v):
    if v is None or v is False:
        return False
    if v is True:
        return True
    if isnum(v):
        return v != 0
    if type(v) is str:
        return True
    if type(v) is tuple or type(v) is list:
        return len(v) != 0
    if type(v) is ASet:
        return len(v.items) != 0
    if type(v) is AMap:
        return len(v.entries) != 0
    return True

def _and(a, fb):
    return fb() if truthy(a) else a

def _or(a, fb):
    return a if truthy(a) else fb()

def eq(a, b):
    if isnum(a) or isnum(b):
        return isnum(a) and isnum(b) and a == b
    if a is b:
        return True
    ta, tb = type(a), type(b)
    if a is None or b is None or ta is not tb:
        return False
    if ta is str or ta is bool:
        return a == b
    if ta is tuple or ta is list:
        return len(a) == len(b) and all(eq(x, y) for x, y in zip(a, b))
    if ta is ASet:
        return len(a.items) == len(b.items) and all(any(eq(x, y) for y in b.items) for x in a.items)
    if ta is VarRef:
        return a.name == b.name
    if ta is gtpyhop.Multigoal:
        n = 0
        for v, d in vars(a).items():
            if v == '__name__':
                continue
            od = vars(b).get(v) or {}
            for k, x in d.items():
                if k not in od or not eq(x, od[k]):
                    return False
                n += 1
        m = sum(len(d) for v, d in vars(b).items() if v != '__name__')
        return n == m
    return False

def is_mg(v):
    return type(v) is gtpyhop.Multigoal

def mgfield(mg, name):
    if not is_mg(mg):
        type_error('.', mg, None)
    return MgVar(mg, name)

def mgget(mg, name, k):
    if not is_mg(mg):
        type_error('.', mg, k)
    kk = key(k)
    if kk is _NOKEY:
        return None
    return (vars(mg).get(name) or {}).get(kk)

def mgin(mg, a, name):
    if not is_mg(mg):
        type_error('an operator', mg, a)
    kk = key(a)
    return kk is not _NOKEY and kk in (vars(mg).get(name) or {})

def index(b, k):
    if b is None:
        return None
    tb = type(b)
    if tb is VarRef:
        return sget(b.state, b.name, k)
    if tb is MgVar:
        kk = key(k)
        return None if kk is _NOKEY else b.dict().get(kk)
    if tb is AMap:
        for x, y in b.entries:
            if eq(x, k):
                return y
        return None
    if tb is tuple or tb is list:
        if not isnum(k):
            type_error('[]', b, k)
        i = int(k)
        if i < 0:
            i += len(b)
        return b[i] if 0 <= i < len(b) else None
    type_error('[]', b, k)

def member(op, a, b):
    tb = type(b)
    if tb is VarRef:
        return shas(b.state, b.name, a)
    if tb is MgVar:
        kk = key(a)
        return kk is not _NOKEY and kk in b.dict()
    if tb is tuple or tb is list:
        return any(eq(x, a) for x in b)
    if tb is ASet:
        return any(eq(x, a) for x in b.items)
    if tb is AMap:
        return any(eq(x, a) for x, _ in b.entries)
    if tb is gtpyhop.Multigoal:
        return False
    type_error(op, a, b)

def arith(op, a, b):
    if not isnum(a) or not isnum(b):
        if op == '+' and a is not None and b is not None and type(a) is type(b) and type(a) in (list, tuple):
            return a + b
        type_error(op, a, b)
    if op == '+': return a + b
    if op == '-': return a - b
    if op == '*': return a * b
    if b == 0:
        type_error(op, a, b)
    if op == '/': return a / b
    if op == '//': return a // b
    if op == '%': return a % b
    raise Exception('unknown operator ' + op)

def cmp(op, a, b):
    if not isnum(a) or not isnum(b):
        type_error(op, a, b)
    if op == '<': return a < b
    if op == '<=': return a <= b
    if op == '>': return a > b
    return a >= b

def neg(a):
    if not isnum(a):
        type_error('unary -', a, None)
    return -a

def size(v):
    t = type(v)
    if t is tuple or t is list:
        return len(v)
    if t is ASet:
        return len(v.items)
    if t is AMap:
        return len(v.entries)
    if t is VarRef or t is MgVar:
        return len(v.dict())
    return -1

def alen(v):
    n = size(v)
    if n < 0:
        type_error('len', v, None)
    return n

def aabs(v):
    if not isnum(v):
        type_error('abs', v, None)
    return abs(v)

def amin(a, b):
    if not isnum(a) or not isnum(b):
        type_error('min', a, b)
    return b if b < a else a

def amax(a, b):
    if not isnum(a) or not isnum(b):
        type_error('max', a, b)
    return b if b > a else a

def mkset(elems):
    items = []
    for e in elems:
        if not any(eq(x, e) for x in items):
            items.append(e)
    return ASet(items)

def mkmg(name, triples):
    for v, k, x in triples:
        if key(k) is _NOKEY:
            raise AriaBug(f'{show(k)} cannot be a state key or value')
    mg = gtpyhop.Multigoal(name)
    for v, k, x in triples:
        d = vars(mg).get(v)
        if d is None:
            d = {}
            vars(mg)[v] = d
        d[key(k)] = x
    return mg

def mkdict(pairs):
    d = {}
    for k, x in pairs:
        kk = key(k)
        if kk is _NOKEY:
            raise Unsupported(f'state key {show(k)}')
        d[kk] = x
    return d

def iterate(it, pairs):
    """Aria's for: a variable's (or mg.v's) keys and values, live (keys added meanwhile are visited),
    a map's entries, a sequence's elements (split into pairs for two names)."""
    t = type(it)
    if t is VarRef or t is MgVar:
        d = it.dict()
        ks = list(d)
        i = 0
        while True:
            if len(ks) != len(d):
                ks = list(d)
            if i >= len(ks):
                return
            k = ks[i]
            i += 1
            yield k, d[k]
    elif t is AMap:
        for k, x in it.entries:
            yield k, x
    elif t is tuple or t is list or t is ASet:
        for x in (it.items if t is ASet else it):
            if not pairs:
                yield x, None
            else:
                if not (type(x) is tuple or type(x) is list) or len(x) != 2:
                    iter_error(x)
                yield x[0], x[1]
    else:
        iter_error(it)

def element_at(it, i):
    j = 0
    for k, _ in iterate(it, False):
        if j == i:
            return k
        j += 1
    return None

class ChooseRun:
    """The bindings of a method's choose statements for one run (reference-planner/frame.ts)."""
    __slots__ = ('preset', 'taken', 'sizes')
    def __init__(self, preset):
        self.preset = preset; self.taken = []; self.sizes = []
    def choose(self, it):
        n = size(it)
        if n < 0:
            iter_error(it)
        k = len(self.sizes)
        i = self.preset[k] if k < len(self.preset) else 0
        self.sizes.append(n)
        self.taken.append(i)
        if i >= n:
            return _NOPE
        return element_at(it, i)

def decomposition(name, v):
    if v is None or v is False:
        return False
    if type(v) is list:
        return v
    if type(v) is tuple:
        return list(v)
    raise AriaBug(f'method {name} returned {show(v)}, not a list of todo items')

def binding_run(body, name, state, args, i):
    """The result of the i-th binding of a method's choose statements (False when there is none)."""
    preset = []
    j = 0
    while True:
        run = ChooseRun(preset)
        r = body(state, run, *args)
        if j == i:
            return decomposition(name, r)
        preset = _next_preset(run)
        if preset is None:
            return False
        j += 1

def _next_preset(run):
    """The choices of the binding after run's (an odometer over the choose statements), None after the last."""
    k = len(run.sizes) - 1
    while k >= 0 and run.taken[k] + 1 >= run.sizes[k]:
        k -= 1
    return None if k < 0 else run.taken[:k] + [run.taken[k] + 1]

CHOOSE_COPIES = 12

def method_functions(body, name, nparams, has_choose):
    """GTPyhop method functions for one Aria method: one, or one per binding of its choose
    statements (GTPyhop tries each with the same state and arguments, in order, as the reference
    tries the bindings), and a last one that reports more bindings than that as unsupported."""
    def check(args):
        if len(args) != nparams:
            raise TypeError(f'{name}() takes {nparams} argument(s) but {len(args)} were given')
    if not has_choose:
        def m(state, *args):
            check(args)
            return decomposition(name, body(state, None, *args))
        m.__name__ = name
        return [m]
    fs = []
    for i in range(CHOOSE_COPIES):
        def m(state, *args, _i=i):
            check(args)
            return binding_run(body, name, state, args, _i)
        m.__name__ = name if i == 0 else f'{name}#{i}'
        fs.append(m)
    def last(state, *args):
        check(args)
        if _more(body, state, args):
            raise Unsupported(f'method {name} has more than {CHOOSE_COPIES} choose bindings')
        return False
    last.__name__ = f'{name}#more'
    fs.append(last)
    return fs

def _more(body, state, args):
    """Whether a binding with index CHOOSE_COPIES exists (binding_run says False for a non-applicable one too)."""
    preset = []
    for j in range(CHOOSE_COPIES):
        run = ChooseRun(preset)
        body(state, run, *args)
        preset = _next_preset(run)
        if preset is None:
            return False
    return True

_helper_depth = 0
MAX_HELPER_DEPTH = 150

def helper_enter(name):
    global _helper_depth
    _helper_depth += 1
    if _helper_depth > MAX_HELPER_DEPTH:
        raise Unsupported(f'helper recursion deeper than {MAX_HELPER_DEPTH} ({name})')

def helper_leave():
    global _helper_depth
    _helper_depth -= 1

def to_json(v):
    if v is None or type(v) in (bool, int, str):
        return v
    if type(v) is float:
        if v != v or v in (float('inf'), float('-inf')):
            raise Unsupported('a non-finite number in a plan')
        return v
    if type(v) in (tuple, list):
        return [to_json(x) for x in v]
    if type(v) is ASet:
        return {'__set__': [to_json(x) for x in v.items]}
    if type(v) is AMap:
        return {str(to_json(k)): to_json(x) for k, x in v.entries}
    if type(v) is gtpyhop.Multigoal:
        out = {}
        for name, d in vars(v).items():
            if name == '__name__':
                continue
            m = {str(to_json(k)): to_json(x) for k, x in d.items()}
            out[name] = {'__intkeys__': m} if any(isnum(k) for k in d) else m
        return {'__multigoal__': v.__name__, 'vars': out}
    return None

# GTPyhop 1.1 with its goal-method loop fixed: every method of a unigoal or multigoal is tried with
# the todo list the goal came with (GTPyhop's loop rebinds todo_list, so a failed method's subgoals
# leak into the next method's list). Written here from the documented algorithm, for marking the
# cases where the leak changes GTPyhop's answer; GTPyhop's own functions are used otherwise.
_ORIG_UNIGOAL = gtpyhop._refine_unigoal_and_continue
_ORIG_MULTIGOAL = gtpyhop._refine_multigoal_and_continue

def _fixed_unigoal(state, goal1, todo_list, plan, depth):
    (var, arg, val) = goal1
    if vars(state).get(var).get(arg) == val:
        return gtpyhop.seek_plan(state, todo_list, plan, depth + 1)
    for method in gtpyhop.current_domain._unigoal_method_dict[var]:
        subgoals = method(state, arg, val)
        if subgoals is False or subgoals is None:
            continue
        check = [('_verify_g', method.__name__, var, arg, val, depth)] if gtpyhop.verify_goals else []
        result = gtpyhop.seek_plan(state, subgoals + check + todo_list, plan, depth + 1)
        if result is not False and result is not None:
            return result
    return False

def _fixed_multigoal(state, goal1, todo_list, plan, depth):
    for method in gtpyhop.current_domain._multigoal_method_list:
        subgoals = method(state, goal1)
        if subgoals is False or subgoals is None:
            continue
        check = [('_verify_mg', method.__name__, goal1, depth)] if gtpyhop.verify_goals else []
        result = gtpyhop.seek_plan(state, subgoals + check + todo_list, plan, depth + 1)
        if result is not False and result is not None:
            return result
    return False

def _answer(fixed):
    gtpyhop._refine_unigoal_and_continue = _fixed_unigoal if fixed else _ORIG_UNIGOAL
    gtpyhop._refine_multigoal_and_continue = _fixed_multigoal if fixed else _ORIG_MULTIGOAL
    global _helper_depth
    _helper_depth = 0
    try:
        state, todo = make_problem()
        result = gtpyhop.find_plan(state, todo)
    except Unsupported as e:
        return {'unsupported': str(e)}
    except RecursionError as e:
        return {'recursion': str(e)}
    except Exception as e:
        return {'error': f'{type(e).__name__}: {e}'}
    if result is False or result is None:
        return {'no_plan': repr(result)}
    try:
        return {'plan': to_json(result)}
    except Unsupported as e:
        return {'unsupported': str(e)}

def _deep(fixed):
    """The answer with Python's recursion limit raised (GTPyhop recurses once per todo item)."""
    box = {}
    def run():
        sys.setrecursionlimit(200000)
        box['a'] = _answer(fixed)
    threading.stack_size(512 * 1024 * 1024)
    t = threading.Thread(target=run)
    t.start()
    t.join()
    return box['a']

def main():
    out = {}
    for fixed in (False, True):
        a = _answer(fixed)
        if 'recursion' in a:
            out['recursion_limit' if not fixed else 'recursion_limit_fixed'] = True
            a = _deep(fixed)
            if 'recursion' in a:
                a = {'unsupported': 'recursion deeper than 200000 frames'}
        out['fixed' if fixed else 'gtpyhop'] = a
    _OUT.write(json.dumps(out))
    _OUT.write('\n')
    _OUT.flush()
`;
