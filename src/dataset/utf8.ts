import { isUtf8 } from 'node:buffer';
import { InputError, type InputLocation } from '../errors.js';

/**
 * Datasets are read as UTF-8. Bytes that are not valid UTF-8 (a file saved as Latin-1 or
 * Windows-1252, a truncated download) would otherwise be decoded to U+FFFD and sent to the judge
 * as if the row said so; they are an input error instead, found before anything is sent.
 */
export function invalidUtf8(location: InputLocation): InputError {
  return new InputError(
    location,
    'not valid UTF-8: verdict reads datasets as UTF-8, and would send U+FFFD (�) in place of these bytes',
    'convert the file to UTF-8 (for example: iconv -f WINDOWS-1252 -t UTF-8 in > out)',
  );
}

/** The bytes as text, or undefined when they are not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  if (!isUtf8(bytes)) return undefined;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/** The 1-based line of the first invalid UTF-8 in bytes known to hold some ("\n" never occurs inside a character). */
export function firstInvalidLine(bytes: Buffer): number {
  let line = 1;
  for (let start = 0; ; line++) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline === -1 ? bytes.length : newline;
    if (newline === -1 || !isUtf8(bytes.subarray(start, end))) return line;
    start = newline + 1;
  }
}

/**
 * Whether every U+FFFD in `bytes`, decoded leniently, stands for invalid bytes: none is genuine
 * (encoded as UTF-8, or a JSON \ufffd escape). Only then can the U+FFFD tell where the bad bytes are.
 */
export function replacementsAreInvalidBytes(bytes: Buffer): boolean {
  return !bytes.includes(GENUINE_REPLACEMENT) && !/\\u[fF]{3}[dD]/.test(bytes.toString('latin1'));
}

/** The top-level field of a leniently decoded object whose value holds a U+FFFD; none when a key holds one. */
export function fieldHoldingReplacement(object: Record<string, unknown>): string | undefined {
  const keys = Object.keys(object);
  if (keys.some((key) => key.includes('\uFFFD'))) return undefined;
  return keys.find((key) => JSON.stringify(object[key])?.includes('\uFFFD'));
}

/** U+FFFD encoded as UTF-8. */
const GENUINE_REPLACEMENT = Buffer.from('\uFFFD', 'utf8');
