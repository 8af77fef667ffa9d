"""A small Python layer over the generated clients of every Aria service.

AriaClient connects to one server and holds the generated stubs of the five
services (planner, queue, auth, secrets, data) on one channel. Every call
carries `authorization: Bearer <token>`: a fixed token (token=, or ARIA_TOKEN),
or a login session's (username= and password=, or login()), which the client
refreshes with RefreshToken before it expires. With auth off (`npm start`)
no token is needed.

Values travel in the planner's JSON encoding: str is a symbol, {"__set__": [...]}
a set, {"__intkeys__": {...}} a map with number keys, {"__multigoal__": name,
"vars": {...}} a multigoal, a list a list. The generated modules live in
./generated (run generate.py first).
"""
import collections
import os
import pathlib
import sys
import threading
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent / "generated"))

import grpc  # noqa: E402
from aria.auth.v1 import auth_pb2, auth_pb2_grpc  # noqa: E402
from aria.data.v1 import data_pb2, data_pb2_grpc  # noqa: E402
from aria.planner.v1 import planner_pb2, planner_pb2_grpc, value_pb2  # noqa: E402
from aria.queue.v1 import queue_pb2, queue_pb2_grpc  # noqa: E402
from aria.secrets.v1 import secrets_pb2, secrets_pb2_grpc  # noqa: E402

ROLES = {"viewer": auth_pb2.ROLE_VIEWER, "planner": auth_pb2.ROLE_PLANNER, "admin": auth_pb2.ROLE_ADMIN}
# Login and RefreshToken are open: they are how a session gets its token.
OPEN_METHODS = ("/aria.auth.v1.AuthService/Login", "/aria.auth.v1.AuthService/RefreshToken")
# How long a call waits for the login or refresh it needs first (a bound, not a tuning knob).
_TOKEN_TIMEOUT_S = 30


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


class _CallDetails(
        collections.namedtuple("_CallDetails", ("method", "timeout", "metadata", "credentials", "wait_for_ready", "compression")),
        grpc.ClientCallDetails):
    pass


class _TokenInterceptor(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor,
                        grpc.StreamUnaryClientInterceptor, grpc.StreamStreamClientInterceptor):
    """Adds `authorization: Bearer <token>` to every call but Login and RefreshToken."""

    def __init__(self, token):
        self._token = token

    def _details(self, d):
        if d.method in OPEN_METHODS:
            return d
        token = self._token()
        if not token:
            return d
        metadata = list(d.metadata or []) + [("authorization", "Bearer " + token)]
        return _CallDetails(d.method, d.timeout, metadata, d.credentials,
                            getattr(d, "wait_for_ready", None), getattr(d, "compression", None))

    def intercept_unary_unary(self, continuation, details, request):
        return continuation(self._details(details), request)

    def intercept_unary_stream(self, continuation, details, request):
        return continuation(self._details(details), request)

    def intercept_stream_unary(self, continuation, details, requests):
        return continuation(self._details(details), requests)

    def intercept_stream_stream(self, continuation, details, requests):
        return continuation(self._details(details), requests)


class AriaClient:
    """One server, every service. Failures raise grpc.RpcError (code(), details()).

    The generated stubs, with the token on every call: planner, queue, auth,
    secrets, data (and stub, the planner's, as before).
    """

    def __init__(self, address=None, token=None, username=None, password=None, refresh_margin_s=60):
        """address: host:port (default ARIA_SERVER, else 127.0.0.1:50051).
        token: a fixed bearer token (default ARIA_TOKEN).
        username, password: log in on the first call and keep the session fresh.
        """
        self.address = address or os.environ.get("ARIA_SERVER", "127.0.0.1:50051")
        self._fixed = token if token is not None else os.environ.get("ARIA_TOKEN")
        self._credentials = (username, password) if username else None
        self._tokens = None  # the session's TokenPair
        self._margin_ms = refresh_margin_s * 1000
        self._lock = threading.Lock()
        self._raw_channel = grpc.insecure_channel(self.address)
        # Login and RefreshToken go through the bare channel (no token needed).
        self._open_auth = auth_pb2_grpc.AuthServiceStub(self._raw_channel)
        self.channel = grpc.intercept_channel(self._raw_channel, _TokenInterceptor(self._token))
        self.planner = planner_pb2_grpc.PlannerServiceStub(self.channel)
        self.stub = self.planner
        self.queue = queue_pb2_grpc.QueueServiceStub(self.channel)
        self.auth = auth_pb2_grpc.AuthServiceStub(self.channel)
        self.secrets = secrets_pb2_grpc.SecretsServiceStub(self.channel)
        self.data = data_pb2_grpc.DataServiceStub(self.channel)

    # -- tokens --

    def login(self, username, password, timeout=None):
        """Logs in (AuthService.Login); later calls send the session's token. Returns the LoginResponse."""
        response = self._open_auth.Login(auth_pb2.LoginRequest(username=username, password=password), timeout=timeout)
        with self._lock:
            self._credentials = (username, password)
            self._tokens = response.tokens
        return response

    def refresh(self, timeout=None):
        """Exchanges the session's refresh token for a new pair now (calls do it on their own when needed)."""
        with self._lock:
            return self._refresh_locked(timeout)

    @property
    def tokens(self):
        """The session's current TokenPair, or None."""
        return self._tokens

    def _refresh_locked(self, timeout=None):
        if self._tokens is None:
            raise RuntimeError("not logged in: call login() first")
        request = auth_pb2.RefreshTokenRequest(refresh_token=self._tokens.refresh_token)
        self._tokens = self._open_auth.RefreshToken(request, timeout=timeout or _TOKEN_TIMEOUT_S).tokens
        return self._tokens

    def _token(self):
        """The token of the next call: the session's (refreshed or renewed first when needed), else the fixed one."""
        if self._credentials is None and self._tokens is None:
            return self._fixed
        # One thread at a time: a refresh token works once.
        with self._lock:
            now_ms = time.time() * 1000
            if self._tokens is not None and self._tokens.access_expires_unix_ms - now_ms > self._margin_ms:
                return self._tokens.access_token
            if self._tokens is not None:
                try:
                    return self._refresh_locked().access_token
                except grpc.RpcError:
                    if self._credentials is None:
                        raise
            username, password = self._credentials
            request = auth_pb2.LoginRequest(username=username, password=password)
            self._tokens = self._open_auth.Login(request, timeout=_TOKEN_TIMEOUT_S).tokens
            return self._tokens.access_token

    # -- auth --

    def whoami(self, timeout=None):
        """(username, role name, authenticated); ("", "", False) on a server with auth off."""
        response = self.auth.WhoAmI(auth_pb2.WhoAmIRequest(), timeout=timeout)
        role = next((k for k, v in ROLES.items() if v == response.user.role), "")
        return response.user.username, role, response.authenticated

    def create_user(self, username, password, role, timeout=None):
        """Admin: creates a user with role "viewer", "planner" or "admin"; returns the User message."""
        request = auth_pb2.CreateUserRequest(username=username, password=password, role=ROLES[role])
        return self.auth.CreateUser(request, timeout=timeout).user

    def update_user(self, user, role=None, password=None, disabled=None, timeout=None):
        """Admin: changes what is given (None leaves a field as it is); returns the User message."""
        request = auth_pb2.UpdateUserRequest(user=user)
        # Each field sits alone in a oneof: setting it, even to False or "", marks it as a change.
        if role is not None:
            request.role = ROLES[role]
        if password is not None:
            request.password = password
        if disabled is not None:
            request.disabled = disabled
        return self.auth.UpdateUser(request, timeout=timeout).user

    # -- planner --

    def plan(self, domain, state, todo, verify_goals=None, timeout=None):
        """Returns the plan as a list of [action, args...], or False when there is none."""
        request = planner_pb2.PlanRequest(domain=domain, state=to_state(state), todo=to_todo(todo), options=_options(verify_goals))
        response = self.planner.Plan(request, timeout=timeout)
        if response.status == planner_pb2.PLAN_STATUS_NO_PLAN:
            return False
        return [step_to_json(s) for s in response.plan]

    def list_domains(self, timeout=None):
        """The names of the registered domains."""
        return [d.name for d in self.planner.ListDomains(planner_pb2.ListDomainsRequest(), timeout=timeout).domains]

    # -- queue --

    def submit_job(self, domain, problems, verify_goals=None, job_id="", timeout=None):
        """Queues a job of problems ({"state": ..., "todo": ...}); returns the Job message at once."""
        request = queue_pb2.SubmitPlanJobRequest(
            domain=domain, job_id=job_id, options=_options(verify_goals),
            problems=[queue_pb2.JobProblem(state=to_state(p["state"]), todo=to_todo(p["todo"])) for p in problems])
        return self.queue.SubmitPlanJob(request, timeout=timeout).job

    def wait_job(self, job_id, timeout=None):
        """Watches a job until it ends (WatchJob); returns the finished Job message with its results."""
        for event in self.queue.WatchJob(queue_pb2.WatchJobRequest(job_id=job_id), timeout=timeout):
            if event.WhichOneof("event") == "finished":
                return event.finished
        raise RuntimeError("the server ended watching job %s without the finished job" % job_id)

    @staticmethod
    def job_state(job):
        """A Job message's state as a name: "queued", "running", "completed", "failed" or "cancelled"."""
        return queue_pb2.JobState.Name(job.state)[len("JOB_STATE_"):].lower()

    @staticmethod
    def job_plans(job):
        """A finished job's results in problem order: a plan ([action, args...] lists), False (no plan) or an error message."""
        out = []
        for r in sorted(job.results, key=lambda r: r.index):
            if r.WhichOneof("outcome") == "result":
                no_plan = r.result.status == planner_pb2.PLAN_STATUS_NO_PLAN
                out.append(False if no_plan else [step_to_json(s) for s in r.result.plan])
            else:
                out.append(r.error.message)
        return out

    # -- data --

    def plan_history(self, domain_name="", limit=0, timeout=None):
        """Recorded planning calls (PlanRecord messages), newest first."""
        request = data_pb2.ListPlanHistoryRequest(domain_name=domain_name, limit=limit)
        return list(self.data.ListPlanHistory(request, timeout=timeout).records)

    # -- secrets (admin) --

    def put_secret(self, path, value, cas=None, timeout=None):
        """Stores a new version (str as UTF-8); cas: only when the latest version is this one (0: a new secret)."""
        request = secrets_pb2.PutSecretRequest(path=path, value=value.encode() if isinstance(value, str) else value)
        if cas is not None:
            request.cas = cas  # a oneof of one field: 0 is a real check, not "unset"
        return self.secrets.PutSecret(request, timeout=timeout).metadata

    def get_secret(self, path, version=0, timeout=None):
        """(SecretMetadata, value bytes) of one version (0: the latest)."""
        response = self.secrets.GetSecret(secrets_pb2.GetSecretRequest(path=path, version=version), timeout=timeout)
        return response.metadata, response.value

    def delete_secret(self, path, timeout=None):
        """Removes a secret; False when there was none."""
        return self.secrets.DeleteSecret(secrets_pb2.DeleteSecretRequest(path=path), timeout=timeout).deleted

    def close(self):
        self._raw_channel.close()


def _options(verify_goals):
    options = planner_pb2.PlanOptions()
    if verify_goals is not None:
        options.verify_goals.value = verify_goals
    return options
