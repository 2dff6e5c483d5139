/**
 * Frees a view's memory at once by detaching its ArrayBuffer (transfer to a zero-length copy),
 * instead of when the GC next collects it; only when the view is the whole buffer, so that a view
 * into a shared one (Buffer's pool) is left to the GC. The view reads as empty afterwards.
 *
 * Why: memory outside the V8 heap (Buffers, typed arrays) is freed only when the GC collects the
 * small object that owns it, and an object that outlived two young collections waits for a full
 * one. Meanwhile glibc holds the memory, and what its main heap grew to stays resident for the
 * rest of the run (bench/memory).
 */
export function freeNow(view: ArrayBufferView): void {
  const buffer = view.buffer;
  if (buffer instanceof ArrayBuffer && !buffer.detached && view.byteOffset === 0 && view.byteLength === buffer.byteLength) buffer.transfer(0);
}
