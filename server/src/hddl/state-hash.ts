/**
 * A hash of the whole state, kept up to date by the mapped actions, for the
 * `state` loop check: a recursive call is cut when an ancestor made the same
 * call (same knot, same terms) in the same state.
 *
 * Two independent hashes `__h1`, `__h2`, each the sum modulo a prime below
 * 2^25 of one number per true atom (an add adds the atom's number, a delete
 * subtracts it). An atom's number folds its arguments in with a square,
 * x = ((x + Z(arg) + C(pred, i)) mod p)^2 mod p starting from P(pred), so it
 * is not linear in the arguments: a linear one would give {on(a,b), on(c,d)}
 * and {on(a,d), on(c,b)} the same sum. Every intermediate value stays below
 * 2^53, so the engine's doubles compute it exactly. Z per object is in the
 * state (`z1__`, `z2__`); P and C are literals in the code. Two states
 * collide about once in 2^49 pairs, which would cut a branch wrongly: the
 * check is a pruning heuristic either way (see docs/hddl.md).
 */
import type { Expr, Stmt, JsonState } from '../planner/index.js';
import { assign, bin, idx, letS, nameE, num } from './map-context.js';

/** The two moduli: primes below 2^25. */
export const HASH_MODS = [33554393, 33554383] as const;

/** A number in [1, mod) derived from a string (FNV-1a, then a scramble). */
export function hashNumber(s: string, mod: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
  return 1 + ((h ^ (h >>> 12)) >>> 0) % (mod - 1);
}

/** The number of a ground atom under hash j (the host's twin of hashUpdate's fold). */
export function groundAtomHash(j: 0 | 1, pred: string, args: string[]): number {
  const p = HASH_MODS[j];
  let x = hashNumber(`${j}p:${pred}`, p);
  args.forEach((a, i) => {
    const y = (x + hashNumber(`${j}o:${a}`, p) + hashNumber(`${j}c:${pred}/${i}`, p)) % p;
    x = (y * y) % p;
  });
  return x;
}

/** The state variable holding hash j. */
export const hashVar = (j: 0 | 1): string => `__h${j + 1}`;

/**
 * Statements that add (or remove) an atom's number to both hashes, folding
 * in local `tmp` (statements, not one expression: each fold uses its value
 * twice).
 */
export function hashUpdate(pred: string, args: Expr[], add: boolean, tmp: string): Stmt[] {
  const out: Stmt[] = [];
  for (const j of [0, 1] as const) {
    const mod = HASH_MODS[j];
    const p = num(mod);
    const t = nameE(`${tmp}_${j}`);
    out.push(letS(`${tmp}_${j}`, num(hashNumber(`${j}p:${pred}`, mod))));
    args.forEach((a, i) => {
      const z = idx(nameE(`z${j + 1}__`), a);
      out.push(
        assign(t, bin('%', bin('+', bin('+', t, z), num(hashNumber(`${j}c:${pred}/${i}`, mod))), p)),
        assign(t, bin('%', bin('*', t, t), p)),
      );
    });
    const h = nameE(hashVar(j));
    out.push(assign(h, bin('%', bin('+', h, add ? t : bin('-', p, t)), p)));
  }
  return out;
}

/** The JSON state entries the hashes need: Z per object and the initial hashes. */
export function hashState(objects: Iterable<string>, atoms: { pred: string; args: string[] }[]): JsonState {
  const out: JsonState = {};
  const objs = [...objects];
  const seen = new Set<string>();
  const distinct = atoms.filter((a) => {
    const k = [a.pred, ...a.args].join(' ');
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  for (const j of [0, 1] as const) {
    const p = HASH_MODS[j];
    out[`z${j + 1}__`] = Object.fromEntries(objs.map((o) => [o, hashNumber(`${j}o:${o}`, p)]));
    out[hashVar(j)] = distinct.reduce((h, a) => (h + groundAtomHash(j, a.pred, a.args)) % p, 0);
  }
  return out;
}
