/**
 * fast-check's side of the generator: a random case is a tape of choices
 * (tape.ts), so fast-check generates and shrinks plain arrays of naturals
 * and domain-builder.ts turns each into a domain and problem.
 */
import fc from 'fast-check';
import { buildCase, type RandomCase } from './domain-builder.js';
import { Tape } from './tape.js';

/** Enough choices for the largest domains the builder makes (it reads 0 past the end). */
const TAPE_LENGTH = 600;

/** Random cases; shrinking shortens and lowers the tape, which simplifies the domain. */
export function randomCase(): fc.Arbitrary<RandomCase> {
  return fc.array(fc.nat({ max: 9999 }), { minLength: TAPE_LENGTH / 2, maxLength: TAPE_LENGTH })
    .map((words) => buildCase(new Tape(words)));
}

/** The case a given tape builds (to replay a seed's counterexample). */
export function caseOf(words: number[]): RandomCase { return buildCase(new Tape(words)); }
