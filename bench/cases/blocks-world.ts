/**
 * Seeded random blocks-world problems (random towers for both the start and
 * the goal), for blocks_gtn, blocks_hgn, blocks_htn and blocks_goal_splitting.
 */
import type { JsonValue, Problem } from '../../server/src/planner/index.js';

/** mulberry32: a small, fast, seedable PRNG; returns floats in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random towers: pos[b] for blocks 1..n, each on the table or on top of a tower. */
export function randomTowers(n: number, rand: () => number): Map<number, number | 'table'> {
  const order = Array.from({ length: n }, (_, i) => i + 1);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const tops: number[] = [];
  const pos = new Map<number, number | 'table'>();
  for (const b of order) {
    // About sqrt(n) towers on average: start a new one with probability 1/sqrt(n).
    if (tops.length === 0 || rand() < 1 / Math.sqrt(n)) { pos.set(b, 'table'); tops.push(b); }
    else { const t = Math.floor(rand() * tops.length); pos.set(b, tops[t]); tops[t] = b; }
  }
  return pos;
}

const pairs = (m: Map<number, JsonValue>): JsonValue => ({ __intkeys__: [...m].map(([k, v]) => [k, v]) });

/** A random blocks-world problem of n blocks; the todo is one multigoal, or `achieve(mg)` for blocks_htn. */
export function blocksProblem(n: number, seed: number, domain = 'blocks_gtn'): Problem {
  const rand = rng(seed * 7919 + n);
  const start = randomTowers(n, rand);
  const goal = randomTowers(n, rand);
  const clear = new Map<number, JsonValue>();
  for (let b = 1; b <= n; b++) clear.set(b, true);
  for (const p of start.values()) if (p !== 'table') clear.set(p, false);
  const mg = { __multigoal__: `random-${n}-${seed}`, vars: { pos: pairs(goal as Map<number, JsonValue>) } };
  return {
    state: { pos: pairs(start as Map<number, JsonValue>), clear: pairs(clear), holding: { hand: false } },
    todo: domain === 'blocks_htn' ? [['achieve', mg as unknown as JsonValue]] : [mg],
    verify_goals: true,
  };
}
