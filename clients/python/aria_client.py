"""A small Python layer over the generated aria.planner.v1 client.

Values travel in the planner's JSON encoding: str is a symbol, {"__set__": [...]}
a set, {"__intkeys__": {...}} a map with number keys, {"__multigoal__": name,
"vars": {...}} a multigoal, a list a list. The generated modules live in
./generated (run generate.py first).
"""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent / "generated"))

import grpc  # noqa: E402
from aria.planner.v1 import planner_pb2, planner_pb2_grpc, value_pb2  # noqa: E402


def to_value(j):
    """A JSON-encoded value as a Value message."""
    if isinstance(j, bool):
        return value_pb2.Value(boolean=j)
    if isinstance(j, str):
        return value_pb2.Value(symbol=j)
    if isinstance(j, (int, float)):
        return value_pb2.Value(number=j)
    if j is None:
        return value_pb2.Value(nil=True)
    if isinstance(j, (list, tuple)):
        return value_pb2.Value(list=value_pb2.ValueList(items=[to_value(x) for x in j]))
    if "__set__" in j:
        return value_pb2.Value(set=value_pb2.ValueList(items=[to_value(x) for x in j["__set__"]]))
    if "__multigoal__" in j:
        return value_pb2.Value(multigoal=to_multigoal(j))
    if "__intkeys__" in j:
        entries = [value_pb2.MapEntry(key=to_value(float(k)), value=to_value(v)) for k, v in j["__intkeys__"].items()]
        return value_pb2.Value(map=value_pb2.MapValue(entries=entries))
    return value_pb2.Value(map=value_pb2.MapValue(entries=[value_pb2.MapEntry(key=to_value(k), value=to_value(v)) for k, v in j.items()]))


def from_value(v):
    """A Value message as JSON (numbers that are whole come back as int)."""
    kind = v.WhichOneof("kind")
    if kind == "symbol":
        return v.symbol
    if kind == "number":
        return int(v.number) if v.number.is_integer() else v.number
    if kind == "boolean":
        return v.boolean
    if kind in ("set",):
        return {"__set__": [from_value(x) for x in v.set.items]}
    if kind in ("list", "tuple"):
        return [from_value(x) for x in getattr(v, kind).items]
    if kind == "multigoal":
        return {"__multigoal__": v.multigoal.name, "vars": {sv.name: from_value(sv.value) for sv in v.multigoal.vars}}
    if kind == "map":
        return {from_value(e.key): from_value(e.value) for e in v.map.entries}
    return None


def to_multigoal(j):
    """{"__multigoal__": name, "vars": {...}} as a Multigoal message."""
    return value_pb2.Multigoal(name=j["__multigoal__"], vars=[value_pb2.StateVar(name=k, value=to_value(v)) for k, v in j["vars"].items()])


def to_state(state):
    """A JSON state (var -> key -> value) as a State message."""
    return value_pb2.State(vars=[value_pb2.StateVar(name=k, value=to_value(v)) for k, v in state.items()])


def to_todo(todo):
    """A JSON todo list as TodoItem messages."""
    items = []
    for item in todo:
        if isinstance(item, dict):
            items.append(value_pb2.TodoItem(multigoal=to_multigoal(item)))
        else:
            items.append(value_pb2.TodoItem(step=value_pb2.Step(name=item[0], args=[to_value(a) for a in item[1:]])))
    return items


def step_to_json(step):
    """A Step message as [name, args...]."""
    return [step.name] + [from_value(a) for a in step.args]


class AriaClient:
    """Plans over the network. Failures raise grpc.RpcError (code(), details())."""

    def __init__(self, address="127.0.0.1:50051"):
        self.channel = grpc.insecure_channel(address)
        self.stub = planner_pb2_grpc.PlannerServiceStub(self.channel)

    def plan(self, domain, state, todo, verify_goals=None, timeout=None):
        """Returns the plan as a list of [action, args...], or False when there is none."""
        options = planner_pb2.PlanOptions()
        if verify_goals is not None:
            options.verify_goals.value = verify_goals
        request = planner_pb2.PlanRequest(domain=domain, state=to_state(state), todo=to_todo(todo), options=options)
        response = self.stub.Plan(request, timeout=timeout)
        if response.status == planner_pb2.PLAN_STATUS_NO_PLAN:
            return False
        return [step_to_json(s) for s in response.plan]

    def list_domains(self):
        """The names of the registered domains."""
        return [d.name for d in self.stub.ListDomains(planner_pb2.ListDomainsRequest()).domains]

    def close(self):
        self.channel.close()
