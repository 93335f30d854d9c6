/**
 * Request samples for the API reference, in curl, JavaScript (fetch, Node 20+ or a browser) and Python
 * (requests), as OpenAPI `x-codeSamples`. Each runs as printed once PAYGATE_API_KEY is set, and each create
 * sends a fresh Idempotency-Key, the way a client should.
 */

export interface CodeSample {
  lang: string;
  label: string;
  source: string;
}

export interface SampleRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** A concrete path, e.g. /api/v1/deposits/42. */
  path: string;
  query?: Record<string, string | number>;
  /** Sends X-API-Key from PAYGATE_API_KEY. */
  apiKey?: boolean;
  /** Sends a fresh Idempotency-Key. */
  idempotent?: boolean;
  /** Sends the operator session cookie from PAYGATE_OPERATOR_SESSION (the operator API). */
  operatorSession?: boolean;
  body?: Record<string, SampleValue>;
}

type SampleValue = string | number | null | string[];

export const SAMPLE_BASE_URL = 'http://localhost:8000';
/** The operator API's session cookie (admin.ts's OPERATOR_SESSION_COOKIE; this module imports no schema). */
const OPERATOR_COOKIE = 'paygate_operator_session';
/** A fresh UUID in a POSIX shell, on Linux and macOS alike. */
export const SHELL_NEW_KEY = '$(uuidgen 2>/dev/null || cat /proc/sys/kernel/random/uuid)';

export function codeSamples(request: SampleRequest): CodeSample[] {
  return [
    { lang: 'shell', label: 'curl', source: curlSample(request) },
    { lang: 'javascript', label: 'JavaScript', source: javascriptSample(request) },
    { lang: 'python', label: 'Python', source: pythonSample(request) },
  ];
}

function urlOf(request: SampleRequest): string {
  const query = new URLSearchParams(
    Object.entries(request.query ?? {}).map(([key, value]): [string, string] => [key, String(value)]),
  ).toString();
  return `${SAMPLE_BASE_URL}${request.path}${query ? `?${query}` : ''}`;
}

function curlSample(request: SampleRequest): string {
  const lines = [`curl -sS${request.method === 'GET' ? '' : ` -X ${request.method}`} '${urlOf(request)}'`];
  if (request.apiKey) lines.push(`-H "X-API-Key: $PAYGATE_API_KEY"`);
  if (request.operatorSession) lines.push(`-b "${OPERATOR_COOKIE}=$PAYGATE_OPERATOR_SESSION"`);
  if (request.idempotent) lines.push(`-H "Idempotency-Key: ${SHELL_NEW_KEY}"`);
  if (request.body) lines.push(`-H 'Content-Type: application/json'`, `-d '${JSON.stringify(request.body)}'`);
  return lines.join(' \\\n  ');
}

function javascriptSample(request: SampleRequest): string {
  const headers: string[] = [];
  if (request.apiKey) headers.push(`'X-API-Key': process.env.PAYGATE_API_KEY,`);
  if (request.operatorSession) headers.push(`Cookie: \`${OPERATOR_COOKIE}=\${process.env.PAYGATE_OPERATOR_SESSION}\`,`);
  if (request.idempotent) headers.push(`'Idempotency-Key': crypto.randomUUID(), // keep it to retry this same request`);
  if (request.body) headers.push(`'Content-Type': 'application/json',`);
  const options: string[] = [];
  if (request.method !== 'GET') options.push(`method: '${request.method}',`);
  if (headers.length > 0) options.push('headers: {', ...headers.map((line) => `  ${line}`), '},');
  if (request.body) options.push(`body: JSON.stringify(${javascriptLiteral(request.body)}),`);
  const call =
    options.length === 0
      ? `const response = await fetch('${urlOf(request)}');`
      : [`const response = await fetch('${urlOf(request)}', {`, ...options.map((line) => `  ${line}`), '});'].join(
          '\n',
        );
  return `${call}\nconsole.log(response.status, await response.json());`;
}

function pythonSample(request: SampleRequest): string {
  const standard = [
    ...(request.apiKey || request.operatorSession ? ['import os'] : []),
    ...(request.idempotent ? ['import uuid'] : []),
  ];
  const imports = [...standard, ...(standard.length > 0 ? [''] : []), 'import requests', ''];
  const headers: string[] = [];
  if (request.apiKey) headers.push(`"X-API-Key": os.environ["PAYGATE_API_KEY"],`);
  if (request.idempotent) headers.push(`"Idempotency-Key": str(uuid.uuid4()),  # keep it to retry this same request`);
  const args = [`"${SAMPLE_BASE_URL}${request.path}",`];
  if (headers.length > 0) args.push('headers={', ...headers.map((line) => `    ${line}`), '},');
  if (request.operatorSession) args.push(`cookies={"${OPERATOR_COOKIE}": os.environ["PAYGATE_OPERATOR_SESSION"]},`);
  if (request.query) args.push(`params=${pythonLiteral(request.query)},`);
  if (request.body) args.push(`json=${pythonLiteral(request.body)},`);
  args.push('timeout=10,');
  const call = [`response = requests.${request.method.toLowerCase()}(`, ...args.map((line) => `    ${line}`), ')'];
  return [...imports, ...call, 'print(response.status_code, response.json())'].join('\n');
}

function javascriptLiteral(value: Record<string, SampleValue>): string {
  const literal = (item: SampleValue): string =>
    Array.isArray(item) ? `[${item.map(literal).join(', ')}]` : typeof item === 'string' ? `'${item}'` : String(item);
  const entries = Object.entries(value).map(([key, item]) => `${key}: ${literal(item)}`);
  return `{ ${entries.join(', ')} }`;
}

function pythonLiteral(value: Record<string, SampleValue>): string {
  const entries = Object.entries(value).map(
    ([key, item]) => `"${key}": ${item === null ? 'None' : JSON.stringify(item)}`,
  );
  return `{${entries.join(', ')}}`;
}
