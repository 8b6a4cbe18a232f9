import type { FastifyRequest } from 'fastify';

/** The errors a module answers for a missing or oversized upload, in its own words. */
export interface UploadErrors {
  missing: () => Error;
  tooLarge: () => Error;
}

/**
 * The bytes of the one file in a multipart request's field `file` (the route's plugin registered
 * @fastify/multipart with its size limit). A body declared larger than the limit is refused before it is read.
 */
export async function readSingleUpload(request: FastifyRequest, maxBytes: number, errors: UploadErrors): Promise<{ filename: string; bytes: Buffer }> {
  if (Number(request.headers['content-length'] ?? 0) > maxBytes + 64 * 1024) throw errors.tooLarge();
  let part;
  try {
    part = await request.file();
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') throw errors.missing();
    throw error;
  }
  if (!part || part.fieldname !== 'file') throw errors.missing();
  try {
    return { filename: part.filename, bytes: await part.toBuffer() };
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw errors.tooLarge();
    throw error;
  }
}
