/**
 * Reads exact byte counts from a stream of pieces of any size, for the
 * record-by-record .catar parser: only the record being read is held, never
 * the stream.
 */
import { InvalidArgumentError } from '../../../core/errors.js';

/** A pull reader over an async stream of byte pieces. */
export class ByteReader {
  private readonly source: AsyncIterator<Uint8Array>;
  private buffered: Buffer = Buffer.alloc(0);
  private ended = false;
  /** Bytes consumed so far: where the next read starts in the stream. */
  offset = 0;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.source = source[Symbol.asyncIterator]();
  }

  /** Whether the stream has no byte left. */
  async atEnd(): Promise<boolean> {
    return !(await this.fill(1));
  }

  /** Exactly `n` bytes; InvalidArgumentError (field `archive`) when the stream ends first. */
  async exact(n: number): Promise<Buffer> {
    if (!(await this.fill(n))) throw new InvalidArgumentError('archive', `truncated: the stream ends inside a record at byte ${this.offset + this.buffered.length}`);
    const out = this.buffered.subarray(0, n);
    this.buffered = this.buffered.subarray(n);
    this.offset += n;
    return out;
  }

  /** The next `n` bytes in the pieces they arrive in (a file's payload, streamed). */
  async *pieces(n: number): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0) {
      if (this.buffered.length === 0 && !(await this.fill(1))) await this.exact(left); // throws: truncated
      const take = Math.min(left, this.buffered.length);
      const out = this.buffered.subarray(0, take);
      this.buffered = this.buffered.subarray(take);
      this.offset += take;
      left -= take;
      yield out;
    }
  }

  /** Reads pieces until `n` bytes are buffered; false when the stream ends before. */
  private async fill(n: number): Promise<boolean> {
    while (this.buffered.length < n && !this.ended) {
      const next = await this.source.next();
      if (next.done) { this.ended = true; break; }
      const piece = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
      this.buffered = this.buffered.length === 0 ? piece : Buffer.concat([this.buffered, piece]);
    }
    return this.buffered.length >= n;
  }
}
