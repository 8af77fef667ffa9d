/**
 * Records plan history by watching the planner's calls go by, so that the
 * planner service itself knows nothing about history: the answers of Plan,
 * PlanStream and Trace (a plan or no plan), and their failures that are
 * planning outcomes (FAILED_PRECONDITION: a domain bug; RESOURCE_EXHAUSTED
 * or DEADLINE_EXCEEDED: a limit). Bad requests are not planning calls and
 * are not recorded. Recording only queues (PlanHistory batches the writes).
 */
import { ServerInterceptingCall, status, type Metadata, type ServerInterceptor } from '@grpc/grpc-js';
import { principalOf } from '../auth/principal.js';
import type { PlanHistory } from './plan-history.js';

/** Finds a domain's id and name from a reference (id, name, name@version); undefined when unknown. */
export type DomainResolver = (ref: string) => { id: string; name: string } | undefined;

const TRACKED: Record<string, string> = {
  '/aria.planner.v1.PlannerService/Plan': 'Plan',
  '/aria.planner.v1.PlannerService/PlanStream': 'PlanStream',
  '/aria.planner.v1.PlannerService/Trace': 'Trace',
};

interface Answer {
  status?: number;
  plan?: unknown[];
  domainId?: string;
}
type Outgoing = Answer & {
  outcome?: { $case: 'result'; result: Answer } | { $case: 'error'; error: { code: number } };
  kind?: { $case: string; result?: Answer };
};
type Incoming = { domain?: string; problem?: { domain?: string } } | undefined;

/** The interceptor; `resolve` names domains (the server's registry). */
export function planHistoryInterceptor(history: PlanHistory, resolve: DomainResolver): ServerInterceptor {
  return (method, call) => {
    const rpc = TRACKED[method.path];
    if (!rpc) return new ServerInterceptingCall(call);
    let metadata: Metadata | undefined;
    let domainRef = '';
    let answered = false;
    // Stream answers come in request order: each takes the oldest waiting start time.
    const started: number[] = [];
    const record = (statusName: string, answer: Answer | undefined, at: number) => {
      const ref = answer?.domainId || domainRef;
      const known = ref ? resolve(ref) : undefined;
      history.record({
        username: metadata ? principalOf({ metadata })?.username ?? '' : '',
        method: rpc, domainId: known?.id ?? answer?.domainId ?? '', domainName: known?.name ?? ref,
        status: statusName, planLength: answer?.plan?.length ?? 0, durationMs: performance.now() - at,
      });
    };
    const recordAnswer = (answer: Answer) => record(answer.status === 1 ? 'plan' : 'no_plan', answer, started.shift() ?? performance.now());
    return new ServerInterceptingCall(call, {
      start(next) {
        next({
          onReceiveMetadata(md, pass) {
            metadata = md;
            pass(md);
          },
          onReceiveMessage(message: Incoming, pass) {
            domainRef ||= message?.domain || message?.problem?.domain || '';
            started.push(performance.now());
            pass(message);
          },
        });
      },
      sendMessage(message: Outgoing, pass) {
        try {
          if (rpc === 'Plan') recordAnswer(message);
          else if (rpc === 'Trace' && message.kind?.$case === 'result' && message.kind.result) recordAnswer(message.kind.result);
          else if (rpc === 'PlanStream' && message.outcome?.$case === 'result') recordAnswer(message.outcome.result);
          else if (rpc === 'PlanStream' && message.outcome?.$case === 'error') {
            const outcome = outcomeOf(message.outcome.error.code);
            const at = started.shift() ?? performance.now();
            if (outcome) record(outcome, undefined, at);
          }
          answered ||= rpc === 'Plan';
        } catch {
          // History must never break a call.
        }
        pass(message);
      },
      sendStatus(st, pass) {
        const outcome = outcomeOf(st.code);
        if (!answered && rpc !== 'PlanStream' && outcome) {
          try {
            record(outcome, undefined, started[0] ?? performance.now());
          } catch {
            // As above.
          }
        }
        pass(st);
      },
    });
  };
}

/** The history status of a failed planning call; undefined for failures that are not planning outcomes. */
function outcomeOf(code: number): string | undefined {
  if (code === status.FAILED_PRECONDITION) return 'error';
  if (code === status.RESOURCE_EXHAUSTED || code === status.DEADLINE_EXCEEDED) return 'limit';
  return undefined;
}
