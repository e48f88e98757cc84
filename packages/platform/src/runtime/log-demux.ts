/**
 * Docker's multiplexed log stream (containers without a TTY): frames of an
 * 8-byte header [stream, 0, 0, 0, size(4, big-endian)] then `size` bytes.
 */

/** One decoded frame. */
export interface LogFrame {
  stream: 'stdout' | 'stderr';
  data: Buffer;
}

/** Splits a byte stream into frames; keeps partial frames until their rest arrives. */
export class LogDemuxer {
  private pending: Buffer = Buffer.alloc(0);

  /** Feeds bytes and returns the complete frames they finish. */
  push(chunk: Buffer): LogFrame[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: LogFrame[] = [];
    while (this.pending.length >= 8) {
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + size) break;
      const kind = this.pending[0];
      frames.push({ stream: kind === 2 ? 'stderr' : 'stdout', data: this.pending.subarray(8, 8 + size) });
      this.pending = this.pending.subarray(8 + size);
    }
    return frames;
  }
}

/** Splits frame data into lines per stream, keeping an unfinished last line until the next frame. */
export class LineSplitter {
  private readonly partial = { stdout: '', stderr: '' };

  /** Returns the complete lines in this frame. */
  push(frame: LogFrame): string[] {
    const text = this.partial[frame.stream] + frame.data.toString('utf8');
    const lines = text.split('\n');
    this.partial[frame.stream] = lines.pop() ?? '';
    return lines.map((l) => l.replace(/\r$/, ''));
  }

  /** The unfinished lines left at the end of the stream. */
  flush(): Array<{ stream: 'stdout' | 'stderr'; line: string }> {
    const out = (['stdout', 'stderr'] as const).filter((s) => this.partial[s]).map((s) => ({ stream: s, line: this.partial[s] }));
    this.partial.stdout = '';
    this.partial.stderr = '';
    return out;
  }
}

/** Splits Docker's `--timestamps` prefix ("2024-01-01T00:00:00.123456789Z line") from a line. */
export function splitTimestamp(line: string): { timestamp: string | null; line: string } {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?Z (.*)$/s.exec(line);
  if (!match) return { timestamp: null, line };
  const millis = (match[2] ?? '.000').slice(0, 4).padEnd(4, '0');
  return { timestamp: `${match[1]}${millis}Z`, line: match[3]! };
}
