/**
 * GTPyhop's acting step on an engine: a command (or, when the domain has
 * none of that name, the action) applied to a state, which is written in,
 * run and read back.
 */
import type { CompiledDomain } from '../compile/compiled-domain.js';
import type { JsonState, JsonValue } from '../types.js';
import { InvalidArgumentError } from '../../core/errors.js';
import type { EngineInstance } from './engine-instance.js';
import type { LayoutCache } from './layout-cache.js';
import { WordWriter, SpaceError, type SymbolTable } from './engine-memory.js';
import { encodeValue } from './value-encoder.js';
import { keepEmptyVars, readState } from './engine-state.js';
import { ST, isSpaceStatus } from './engine-status.js';
import { describeError } from './engine-messages.js';
import { writeProblem, InputSpaceError } from './problem-writer.js';
import { APPLY_DONE, APPLY_FAILED } from './engine-abi.js';

/** What an acting step works on: the engine's domain, symbols, instance and sizes. */
export interface ActingScope { domain: CompiledDomain; syms: SymbolTable; inst: EngineInstance; layouts: LayoutCache; maxMemory: number }

/**
 * Applies command to state; the new state, or false when the command is not
 * applicable. `actionsFirst` takes the action of that name before the
 * command (what planning applied, for the debugger's state view).
 */
export function applyCommand(s: ActingScope, command: JsonValue[], state: JsonState, actionsFirst = false): JsonState | false {
  const { domain, syms, inst, layouts } = s;
  const name = command[0];
  if (typeof name !== 'string') throw new InvalidArgumentError('command[0]', 'a command name must be a string');
  const fn = actionsFirst ? domain.actions.get(name) ?? domain.commands.get(name) : domain.commands.get(name) ?? domain.actions.get(name);
  if (fn === undefined) throw new InvalidArgumentError('command[0]', `'${name}' is neither a command nor an action of domain ${domain.name}`);
  const grow = (space: number, what: string): void => {
    if (!layouts.grow(space, s.maxMemory, syms.count)) throw new Error(what);
  };
  try {
    for (;;) {
      const h = layouts.hints;
      const symCap = layouts.symCap();
      const l = layouts.forCall();
      inst.ensureMemory(l.end);
      const buf = inst.ex.memory.buffer;
      const w = new WordWriter(buf, l.arena, l.end);
      const input = new WordWriter(buf, l.input, l.arena);
      try {
        let written;
        try {
          written = writeProblem(state, [], syms, input, w);
        } catch (e) {
          if (e instanceof InputSpaceError) { h.entries *= 2; syms.resetCall(); continue; }
          throw e;
        }
        const cell = w.alloc(1);
        encodeValue(w, syms, command, cell, 'command', 'tuple');
        if (syms.count > symCap) {
          layouts.fitSymbols(syms.count);
          syms.resetCall();
          continue;
        }
        inst.writeSymtab(l, syms.count);
        const ls = inst.load(l, layouts.caps, syms.count, w, written.entries, 0);
        if (ls !== 0) { grow(ls, 'state too large'); continue; }
        const u32 = new Uint32Array(buf);
        const item = (BigInt(u32[(cell >>> 2) + 1]) << 32n) | BigInt(u32[cell >>> 2]);
        const r = inst.ex.apply(fn, item);
        if (r === APPLY_FAILED) return false;
        if (r === APPLY_DONE) {
          const mem = inst.ex.memory.buffer;
          return keepEmptyVars(readState(new Uint32Array(mem), new Float64Array(mem), syms, layouts.lastSlots, inst.ex.getSlotCount()), state);
        }
        if (isSpaceStatus(r)) { grow(r, 'command needs too much memory'); continue; }
        throw new InvalidArgumentError('command', describeError(r, l.result, new Uint32Array(buf), new Float64Array(buf), syms, domain));
      } catch (e) {
        if (e instanceof SpaceError) { grow(ST.SPACE_ARENA, 'state too large'); continue; }
        throw e;
      }
    }
  } finally {
    syms.resetCall();
  }
}
