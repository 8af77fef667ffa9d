/** The face of context: everything other folders may use. */
export { ContextService, type Caller, type ContextLimits, type LogEntry, type Opened, type StateView } from './context-service.js';
export type { EntryKey, StateChange } from './context-state.js';
