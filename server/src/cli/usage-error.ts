/**
 * The error of a command line that cannot run. Kept in a file of its own so
 * that `aria` can tell it apart without loading any command's module.
 */

/** Thrown for a command line that cannot run; main prints it and exits 2. */
export class UsageError extends Error {}
