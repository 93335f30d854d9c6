import { isUtf8 } from 'node:buffer';
import type { Request, RequestHandler } from 'express';

import { assert, DomainError, parseStrictJson } from '@paygate/domain';

const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * JSON bodies only, read and parsed by us rather than express.json, so that every way a body can be wrong
 * is a 4xx that names it, before anything is written:
 * - Content-Encoding other than identity: 415 unsupported_content_encoding (we never inflate: a small
 *   compressed body can expand to gigabytes, and a junk one made the decompressor throw a 500);
 * - a content type other than JSON, or a charset other than UTF-8: 415 unsupported_media_type;
 * - more than bodyBytesMax bytes (declared or sent): 413 payload_too_large, reading no further;
 * - bytes that are not well-formed UTF-8, and JSON that is malformed, has a duplicate key or a lone
 *   surrogate: 400 invalid_json; nesting deeper than JSON_NESTING_DEPTH_MAX: 400 json_nesting_too_deep;
 * - a top level that is not an object or an array: 400 invalid_json.
 * An empty body leaves req.body undefined, for the route's schema to name the missing fields. Numbers a
 * double would change reach the route as JsonDecimal (see @paygate/domain's strict-json).
 */
export function jsonBody(bodyBytesMax: number): RequestHandler[] {
  const readJsonBody: RequestHandler = async (req, _res, next) => {
    refuseContentEncoding(req);
    if (!hasBody(req)) {
      next();
      return;
    }
    refuseNonJson(req);
    const declaredByteCount = Number(req.headers['content-length'] ?? 0);
    if (declaredByteCount > bodyBytesMax) throw tooLarge(bodyBytesMax);
    const bytes = await readBody(req, bodyBytesMax);
    if (bytes.length > 0) req.body = decodeJson(bytes);
    next();
  };
  return [readJsonBody];
}

function refuseContentEncoding(req: Request): void {
  const header = req.headers['content-encoding'];
  if (header === undefined) return;
  const codings = header
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding.length > 0);
  if (codings.every((coding) => coding === 'identity')) return;
  throw new DomainError(
    'unsupported_content_encoding',
    `Request bodies must not be compressed: Content-Encoding ${quoted(header)} is not supported. Send the JSON as is (identity).`,
  );
}

function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

function refuseNonJson(req: Request): void {
  if (!req.is(JSON_TYPES)) {
    throw new DomainError('unsupported_media_type', 'Send the body as JSON with Content-Type: application/json.');
  }
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(req.headers['content-type'] ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new DomainError('unsupported_media_type', `The JSON body must be UTF-8, not ${quoted(charset)}.`);
  }
}

/**
 * Collects the body up to the limit. Past it, the rest is left to drain unread (Node discards it, within
 * REQUEST_TIMEOUT_MS), so the 413 reaches a client that is still sending.
 */
function readBody(req: Request, bytesMax: number): Promise<Buffer> {
  // A body read twice would wait forever for an 'end' that already came.
  assert(!req.readableEnded, 'the request body was already read');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let byteCount = 0;
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      byteCount += chunk.length;
      if (byteCount > bytesMax) {
        stop();
        req.resume();
        reject(tooLarge(bytesMax));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve(chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks, byteCount));
    };
    const onError = (error: Error) => {
      stop();
      reject(
        new DomainError('invalid_json', 'The request body could not be read to its end.', undefined, { cause: error }),
      );
    };
    const onClose = () => onError(new Error('the client closed the connection before the body ended'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

function decodeJson(bytes: Buffer): unknown {
  if (!isUtf8(bytes)) throw new DomainError('invalid_json', 'The request body is not valid UTF-8 text.');
  const value = parseStrictJson(bytes.toString('utf8'));
  if (typeof value !== 'object' || value === null) {
    throw new DomainError(
      'invalid_json',
      'The JSON body must be an object (or an array), not a bare string, number, boolean or null.',
    );
  }
  return value;
}

function tooLarge(bytesMax: number): DomainError {
  return new DomainError('payload_too_large', `The request body is larger than the limit of ${bytesMax} bytes.`);
}

/** Header values are the caller's: shown cut short and JSON-quoted. */
function quoted(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}
