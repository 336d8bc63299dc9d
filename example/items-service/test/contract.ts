import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { buildOpenApi } from '../src/openapi.js';

/**
 * Checks a response the tests received against the OpenAPI document the service serves:
 * the path and method are documented (else 404 / 405 problem), the status is documented for
 * the operation, the content type is the documented one and the body validates against its
 * schema (JSON Schema 2020-12, OpenAPI 3.1's dialect); documented body-less answers are empty.
 */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const doc = JSON.parse(JSON.stringify(buildOpenApi()).replaceAll('"#/components/', '"oas#/components/')) as Json;
const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
const ajv = new Ajv2020({ strict: false, allErrors: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
ajv.addSchema({ $id: 'oas', components: doc.components });

const templates = Object.keys(doc.paths as Json).map((p) => ({ p, re: new RegExp('^' + p.replace(/\{[^}]+\}/g, '[^/]+') + '$') }));
const cache = new Map<string, ValidateFunction>();
const validatorFor = (key: string, schema: Json) => {
  let v = cache.get(key);
  if (!v) {
    v = ajv.compile(schema);
    cache.set(key, v);
  }
  return v;
};

export let validatedResponses = 0;

export function assertMatchesContract(method: string, url: string, status: number, contentType: string | null, text: string): void {
  // Matched on the encoded path, as Express routes it (%2F is not a separator).
  // The path as fetch sends it (WHATWG URL normalisation).
  const path = new URL(/^https?:/.test(url) ? url : 'http://x' + url).pathname;
  const m = method.toLowerCase();
  const where = `${method} ${url} -> ${status}`;
  const tpl = templates.find((t) => t.re.test(path));
  let resp: Json | undefined;
  let key: string;
  if (!tpl) {
    if (status !== 404) throw new Error(`${where}: undocumented path answered ${status}`);
    resp = { content: doc.components.schemas.Problem ? { 'application/problem+json': { schema: { $ref: 'oas#/components/schemas/Problem' } } } : undefined };
    key = 'notfound';
  } else {
    const op = doc.paths[tpl.p][m] as Json | undefined;
    if (!op) {
      // 400: a malformed request (bad percent-encoding) is rejected before method matching.
      if (status !== 405 && status !== 400) throw new Error(`${where}: undocumented method answered ${status}`);
      resp = doc.components.responses.MethodNotAllowed;
      key = 'method-not-allowed';
    } else {
      resp = op.responses[String(status)] as Json | undefined;
      key = `${m} ${tpl.p} ${status}`;
      if (!resp) throw new Error(`${where}: status ${status} is not documented for ${m.toUpperCase()} ${tpl.p} (documented: ${Object.keys(op.responses).join(', ')})`);
    }
  }
  const content = resp!.content as Json | undefined;
  if (!content) {
    if (text !== '') throw new Error(`${where}: documented without a body, got ${text.slice(0, 200)}`);
    validatedResponses++;
    return;
  }
  const media = (contentType ?? '').split(';')[0]!.trim();
  const entry = content[media];
  if (!entry) throw new Error(`${where}: content type ${contentType} is not documented (${Object.keys(content).join(', ')})`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${where}: body is not JSON: ${text.slice(0, 200)}`);
  }
  const validate = validatorFor(`${key} ${media}`, entry.schema);
  if (!validate(body)) throw new Error(`${where}: body does not match the OpenAPI schema: ${ajv.errorsText(validate.errors)}\n${text.slice(0, 400)}`);
  validatedResponses++;
}
