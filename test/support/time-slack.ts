/**
 * Bounds on how long something may take, for the tests that check that a
 * deadline or a cancel stops work that would otherwise run for minutes or
 * forever. A loaded 2-core machine runs everything several times slower,
 * so each bound is multiplied by ARIA_TEST_TIME_SLACK (default 4): the
 * checks keep catching "never stops" without failing on a slow machine.
 */

/** The factor every time bound in the tests is multiplied by. */
export const TIME_SLACK = Math.max(1, Number(process.env.ARIA_TEST_TIME_SLACK ?? 4) || 4);

/** `ms` times TIME_SLACK. */
export function within(ms: number): number {
  return ms * TIME_SLACK;
}
