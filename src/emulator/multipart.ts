/**
 * Parses a `multipart/form-data` body (what `client.files.create` sends) with the Web platform's
 * own parser; undefined when the content type is not multipart or the body does not parse.
 */
export async function parseFormData(contentType: string | undefined, body: Buffer): Promise<FormData | undefined> {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) return undefined;
  try {
    return await new Request('http://emulator/upload', { method: 'POST', headers: { 'content-type': contentType }, body }).formData();
  } catch {
    return undefined;
  }
}
