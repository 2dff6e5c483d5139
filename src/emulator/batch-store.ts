/**
 * The emulator's files and batches. A batch's lines are checked and answered when it is created
 * (so fault counts are used in input order); its status then follows the clock over `delayMs`:
 * validating (first fifth) → in_progress (request_counts climbing) → finalizing (last fifth) →
 * completed, or failed after validating when the input was invalid. Its output and error files are
 * written when it is first seen finished. Nothing runs on a timer, so closing the emulator leaves
 * nothing behind.
 */
import { randomBytes } from 'node:crypto';
import { answerBatchLine, checkBatchFile, type BatchLineError, type LineContext, type LineResponse } from './batch-lines.js';
import { requestId } from './completion.js';
import { hashParts, seededRandom } from './random.js';

/** An uploaded or generated file. */
export interface StoredFile {
  id: string;
  filename: string;
  purpose: string;
  bytes: Buffer;
  /** Unix seconds. */
  createdAt: number;
}

/** What the emulator's Batch API has done since it started; tests check uploads and polls with it. */
export interface BatchStats {
  /** Files received by `POST /v1/files`. */
  filesUploaded: number;
  /** Batches created by `POST /v1/batches`. */
  batchesCreated: number;
  /** `GET /v1/batches/:id` answered. */
  retrieves: number;
  /** `GET /v1/files/:id/content` answered. */
  contentDownloads: number;
  /** Batch request lines answered. */
  linesAnswered: number;
  cancels: number;
}

interface AnsweredLine {
  customId: string;
  response: LineResponse;
}

interface StoredBatch {
  id: string;
  ordinal: number;
  inputFileId: string;
  endpoint: string;
  completionWindow: string;
  metadata: Record<string, string> | null;
  createdAtMs: number;
  /** The lines in the (shuffled) order they are processed and written, or why the input is invalid. */
  work: { ok: true; model: string; lines: AnsweredLine[] } | { ok: false; errors: BatchLineError[] };
  cancelledAtMs?: number;
  /** Set once the batch is seen finished: its files exist from then on. */
  finished?: { status: BatchStatus; atMs: number; outputFileId: string | null; errorFileId: string | null };
}

type BatchStatus = 'validating' | 'failed' | 'in_progress' | 'finalizing' | 'completed' | 'expired' | 'cancelling' | 'cancelled';

/** Share of the delay spent validating, and (from the end) finalizing. */
const phase = 0.2;

/** Files and batches of one emulator. */
export class BatchStore {
  private readonly files = new Map<string, StoredFile>();
  private readonly batches = new Map<string, StoredBatch>();
  private readonly counters: BatchStats = { filesUploaded: 0, batchesCreated: 0, retrieves: 0, contentDownloads: 0, linesAnswered: 0, cancels: 0 };

  constructor(
    private readonly options: { delayMs: number; seed: number; now?: () => number },
  ) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** A copy of the counters. */
  stats(): BatchStats {
    return { ...this.counters };
  }

  /** Stores an uploaded file. */
  addFile(filename: string, purpose: string, bytes: Buffer): StoredFile {
    const file = { id: newId('file-'), filename, purpose, bytes, createdAt: Math.floor(this.now() / 1000) };
    this.files.set(file.id, file);
    if (purpose === 'batch') this.counters.filesUploaded++;
    return file;
  }

  file(id: string): StoredFile | undefined {
    return this.files.get(id);
  }

  /** Counts a download of a file's content and returns the file. */
  download(id: string): StoredFile | undefined {
    const file = this.files.get(id);
    if (file) this.counters.contentDownloads++;
    return file;
  }

  /** Creates a batch over an input file: checks its lines and answers them now, in input order. */
  createBatch(input: StoredFile, request: { endpoint: string; completionWindow: string; metadata: Record<string, string> | null }, line: LineContext): Record<string, unknown> {
    const ordinal = this.batches.size + 1;
    const checked = checkBatchFile(input.bytes, request.endpoint);
    let work: StoredBatch['work'];
    if (checked.ok) {
      const answered = checked.lines.map((entry) => ({ customId: entry.customId, response: answerBatchLine(entry.body, line) }));
      this.counters.linesAnswered += answered.length;
      work = { ok: true, model: checked.model, lines: shuffle(answered, hashParts('batch-order', this.options.seed, ordinal)) };
    } else {
      work = checked;
    }
    const batch: StoredBatch = { id: newId('batch_'), ordinal, inputFileId: input.id, ...request, createdAtMs: this.now(), work };
    this.batches.set(batch.id, batch);
    this.counters.batchesCreated++;
    // The object create returns is always still validating, as OpenAI's is.
    return this.view(batch, { status: 'validating', done: 0 });
  }

  /** The batch object as `GET /v1/batches/:id` returns it now; undefined for an unknown id. */
  retrieve(id: string): Record<string, unknown> | undefined {
    const batch = this.batches.get(id);
    if (!batch) return undefined;
    this.counters.retrieves++;
    return this.view(batch, this.progress(batch));
  }

  /** Every batch, newest first, as `GET /v1/batches` pages through them. */
  list(): Record<string, unknown>[] {
    return [...this.batches.values()].reverse().map((batch) => this.view(batch, this.progress(batch)));
  }

  /** Asks a batch to stop: cancelling, then cancelled with the lines done so far; an error text when it cannot. */
  cancel(id: string): Record<string, unknown> | string | undefined {
    const batch = this.batches.get(id);
    if (!batch) return undefined;
    const now = this.progress(batch);
    if (!['validating', 'in_progress', 'finalizing'].includes(now.status)) return `Cannot cancel a batch with status ${now.status}.`;
    batch.cancelledAtMs = this.now();
    this.counters.cancels++;
    return this.view(batch, { status: 'cancelling', done: now.done });
  }

  /** Where a batch stands on the clock: its status and how many of its lines are done. */
  private progress(batch: StoredBatch): { status: BatchStatus; done: number } {
    if (batch.finished) return { status: batch.finished.status, done: this.doneAt(batch, batch.finished.atMs) };
    const now = this.now();
    const total = batch.work.ok ? batch.work.lines.length : 0;
    if (batch.cancelledAtMs !== undefined) {
      const done = this.doneAt(batch, batch.cancelledAtMs);
      if (now < batch.cancelledAtMs + phase * this.options.delayMs) return { status: 'cancelling', done };
      return this.finish(batch, 'cancelled', batch.cancelledAtMs);
    }
    const elapsed = now - batch.createdAtMs;
    const delay = this.options.delayMs;
    if (elapsed < phase * delay) return { status: 'validating', done: 0 };
    if (!batch.work.ok) return this.finish(batch, 'failed', batch.createdAtMs + phase * delay);
    if (elapsed < (1 - phase) * delay) return { status: 'in_progress', done: this.doneAt(batch, now) };
    if (elapsed < delay) return { status: 'finalizing', done: total };
    return this.finish(batch, 'completed', batch.createdAtMs + delay);
  }

  /** Lines done at a moment: none while validating, all from finalizing on, linearly between. */
  private doneAt(batch: StoredBatch, atMs: number): number {
    if (!batch.work.ok) return 0;
    const total = batch.work.lines.length;
    const delay = this.options.delayMs;
    if (delay === 0) return total;
    const share = (atMs - batch.createdAtMs - phase * delay) / ((1 - 2 * phase) * delay);
    return Math.max(0, Math.min(total, Math.floor(share * total)));
  }

  /** Ends a batch: writes its output file (200 answers) and error file (the others) from the lines done. */
  private finish(batch: StoredBatch, status: BatchStatus, atMs: number): { status: BatchStatus; done: number } {
    const done = this.doneAt(batch, atMs);
    let outputFileId: string | null = null;
    let errorFileId: string | null = null;
    if (batch.work.ok) {
      const lines = batch.work.lines.slice(0, done);
      const write = (kind: string, chosen: AnsweredLine[]) =>
        chosen.length === 0 ? null : this.addFile(`${batch.id}_${kind}.jsonl`, 'batch_output', Buffer.from(chosen.map(outputLine).join(''))).id;
      outputFileId = write('output', lines.filter((l) => l.response.statusCode === 200));
      errorFileId = write('error', lines.filter((l) => l.response.statusCode !== 200));
    }
    batch.finished = { status, atMs, outputFileId, errorFileId };
    return { status, done };
  }

  private view(batch: StoredBatch, at: { status: BatchStatus; done: number }): Record<string, unknown> {
    const seconds = (ms: number) => Math.floor(ms / 1000);
    const delay = this.options.delayMs;
    const created = batch.createdAtMs;
    const lines = batch.work.ok ? batch.work.lines : [];
    const doneLines = lines.slice(0, at.done);
    const failed = doneLines.filter((l) => l.response.statusCode !== 200).length;
    const reached = (fraction: number) => (at.status !== 'validating' && batch.work.ok ? seconds(created + fraction * delay) : null);
    const finished = batch.finished;
    return {
      id: batch.id,
      object: 'batch',
      endpoint: batch.endpoint,
      model: batch.work.ok ? batch.work.model : null,
      errors: batch.work.ok ? null : { object: 'list', data: batch.work.errors },
      input_file_id: batch.inputFileId,
      completion_window: batch.completionWindow,
      status: at.status,
      output_file_id: finished?.outputFileId ?? null,
      error_file_id: finished?.errorFileId ?? null,
      created_at: seconds(created),
      in_progress_at: reached(phase),
      expires_at: seconds(created) + 24 * 3600,
      finalizing_at: at.status === 'finalizing' || at.status === 'completed' ? seconds(created + (1 - phase) * delay) : null,
      completed_at: at.status === 'completed' && finished ? seconds(finished.atMs) : null,
      failed_at: at.status === 'failed' && finished ? seconds(finished.atMs) : null,
      expired_at: null,
      cancelling_at: batch.cancelledAtMs !== undefined ? seconds(batch.cancelledAtMs) : null,
      cancelled_at: at.status === 'cancelled' && finished ? seconds(finished.atMs) : null,
      request_counts: { total: at.status === 'validating' ? 0 : lines.length, completed: doneLines.length - failed, failed },
      usage: usageOf(doneLines),
      metadata: batch.metadata,
    };
  }
}

/** One line of an output or error file, in OpenAI's `BatchRequestOutput` shape. */
function outputLine(line: AnsweredLine): string {
  const id = `batch_req_${randomBytes(12).toString('hex')}`;
  const response = { status_code: line.response.statusCode, request_id: requestId(), body: line.response.body };
  return `${JSON.stringify({ id, custom_id: line.customId, response, error: null })}\n`;
}

function usageOf(lines: AnsweredLine[]): Record<string, unknown> {
  let input = 0;
  let output = 0;
  for (const line of lines) {
    const usage = (line.response.body as { usage?: { prompt_tokens?: number; completion_tokens?: number } } | null)?.usage;
    input += usage?.prompt_tokens ?? 0;
    output += usage?.completion_tokens ?? 0;
  }
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: input + output,
  };
}

/** A Fisher-Yates shuffle from a seeded stream: OpenAI does not keep input order, and neither do we. */
function shuffle<T>(items: T[], seed: number): T[] {
  const random = seededRandom(seed);
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

function newId(prefix: string): string {
  return `${prefix}${randomBytes(12).toString('hex')}`;
}
