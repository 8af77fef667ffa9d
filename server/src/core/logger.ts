/** The server's logger (pino, JSON lines on stderr so that stdout stays for command output). */
import { pino, type Logger } from 'pino';

/** A logger at `level` (default: ARIA_LOG_LEVEL, else info). */
export function createLogger(level: string = process.env.ARIA_LOG_LEVEL || 'info'): Logger {
  return pino({ name: 'aria', level }, pino.destination({ fd: 2, sync: false }));
}
