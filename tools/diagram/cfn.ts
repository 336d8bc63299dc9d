/**
 * Reading synthesized CloudFormation: templates keyed by stack name, and a resolver for the
 * intrinsic functions CDK emits (Ref, Fn::GetAtt, Fn::ImportValue across stacks, Fn::Join, ...).
 */
import * as fs from 'fs';
import * as path from 'path';

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly [key: string]: unknown;
}

export interface CfnTemplate {
  readonly Resources?: Record<string, CfnResource>;
  readonly Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
  readonly Parameters?: Record<string, unknown>;
  readonly Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  readonly [key: string]: unknown;
}

/** Templates keyed by stack name (the file name without `.template.json`). */
export type Templates = Record<string, CfnTemplate>;

/** A reference to a resource (`stack/logicalId`), optionally to one of its attributes. */
export interface Ref {
  readonly $ref: string;
  readonly attr?: string;
}

/** A Fn::Join whose parts could not all be resolved to strings. */
export interface Join {
  readonly $join: Resolved[];
  readonly sep: string;
}

export type Resolved =
  string | number | boolean | null | undefined | Ref | Join | Resolved[] | { [key: string]: Resolved };

const PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::AccountId': '${AWS::AccountId}',
  'AWS::StackName': '${AWS::StackName}',
  'AWS::NoValue': '',
};

/** Reads every `*.template.json` of a cloud assembly directory (nested assemblies are not followed). */
export function readTemplates(cdkOut: string): Templates {
  const templates: Templates = {};
  for (const file of fs.readdirSync(cdkOut).sort()) {
    if (file.endsWith('.template.json')) {
      templates[file.slice(0, -'.template.json'.length)] = JSON.parse(fs.readFileSync(path.join(cdkOut, file), 'utf8'));
    }
  }
  return templates;
}

export function isRef(v: unknown): v is Ref {
  return typeof v === 'object' && v !== null && typeof (v as Ref).$ref === 'string';
}

export function isJoin(v: unknown): v is Join {
  return typeof v === 'object' && v !== null && Array.isArray((v as Join).$join);
}

/** Resolves intrinsics of every template; resources are addressed as `stack/logicalId`. */
export class Resolver {
  private readonly exports = new Map<string, { stack: string; value: unknown }>();
  private readonly cache = new Map<string, Record<string, Resolved>>();

  constructor(readonly templates: Templates) {
    for (const stack of Object.keys(templates).sort()) {
      for (const output of Object.values(templates[stack].Outputs ?? {})) {
        const name = output.Export?.Name;
        if (typeof name === 'string') {
          this.exports.set(name, { stack, value: output.Value });
        }
      }
    }
  }

  /** Every resource as [key, type], sorted by key. */
  resources(type?: string): Array<{ key: string; stack: string; id: string; type: string }> {
    const out: Array<{ key: string; stack: string; id: string; type: string }> = [];
    for (const stack of Object.keys(this.templates).sort()) {
      for (const id of Object.keys(this.templates[stack].Resources ?? {}).sort()) {
        const r = this.templates[stack].Resources![id];
        if (type === undefined || r.Type === type) {
          out.push({ key: `${stack}/${id}`, stack, id, type: r.Type });
        }
      }
    }
    return out;
  }

  resource(key: string): CfnResource | undefined {
    const [stack, id] = splitKey(key);
    return this.templates[stack]?.Resources?.[id];
  }

  type(key: string): string | undefined {
    return this.resource(key)?.Type;
  }

  /** The resolved Properties of a resource. */
  props(key: string): Record<string, Resolved> {
    let p = this.cache.get(key);
    if (!p) {
      const [stack] = splitKey(key);
      p = (this.resolve(stack, this.resource(key)?.Properties ?? {}) ?? {}) as Record<string, Resolved>;
      this.cache.set(key, p);
    }
    return p;
  }

  resolve(stack: string, value: unknown): Resolved {
    if (Array.isArray(value)) {
      return value.map((v) => this.resolve(stack, v));
    }
    if (value === null || typeof value !== 'object') {
      return value as Resolved;
    }
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1) {
      const [fn] = keys;
      const arg = obj[fn];
      switch (fn) {
        case 'Ref': {
          const name = String(arg);
          if (this.templates[stack]?.Resources?.[name]) {
            return { $ref: `${stack}/${name}` };
          }
          return PSEUDO[name] ?? (name === 'AWS::Region' ? regionOf(this.templates[stack]) : `\${${name}}`);
        }
        case 'Fn::GetAtt': {
          const [id, attr] = Array.isArray(arg) ? (arg as string[]) : String(arg).split(/\.(.*)/s);
          const key = `${stack}/${id}`;
          const res = this.templates[stack]?.Resources?.[id];
          if (res?.Type === 'AWS::RDS::DBCluster' && (attr === 'Endpoint.Port' || attr === 'ReadEndpoint.Port')) {
            return this.resolve(stack, res.Properties?.Port ?? 3306);
          }
          if (attr === 'GroupId' && res?.Type === 'AWS::EC2::SecurityGroup') {
            return { $ref: key };
          }
          return { $ref: key, attr };
        }
        case 'Fn::ImportValue': {
          const name = this.resolve(stack, arg);
          const exp = typeof name === 'string' ? this.exports.get(name) : undefined;
          if (!exp) {
            return `\${Import:${JSON.stringify(name)}}`;
          }
          return this.resolve(exp.stack, exp.value);
        }
        case 'Fn::Join': {
          const [sep, parts] = arg as [string, unknown[]];
          const resolved = (this.resolve(stack, parts) as Resolved[]).flat() as Resolved[];
          if (resolved.every((p) => typeof p === 'string' || typeof p === 'number')) {
            return resolved.join(sep);
          }
          return { $join: resolved, sep };
        }
        case 'Fn::Select': {
          const [index, list] = arg as [unknown, unknown];
          const l = this.resolve(stack, list);
          return Array.isArray(l) ? l[Number(this.resolve(stack, index))] : { [fn]: [index as Resolved, l] };
        }
        case 'Fn::FindInMap': {
          const [map, k1, k2] = (this.resolve(stack, arg) as Resolved[]).map(String);
          return this.resolve(stack, this.templates[stack]?.Mappings?.[map]?.[k1]?.[k2]);
        }
        case 'Fn::Sub': {
          const [template, vars] = Array.isArray(arg) ? (arg as [string, Record<string, unknown>]) : [String(arg), {}];
          return template.replace(/\$\{([^}!]+)\}/g, (m, name: string) => {
            const v = vars[name] !== undefined ? this.resolve(stack, vars[name]) : this.resolve(stack, { Ref: name });
            return typeof v === 'string' || typeof v === 'number' ? String(v) : isRef(v) ? `\${${v.$ref}}` : m;
          });
        }
        default:
          break;
      }
    }
    const out: Record<string, Resolved> = {};
    for (const k of keys) {
      out[k] = this.resolve(stack, obj[k]);
    }
    return out;
  }
}

function regionOf(t: CfnTemplate | undefined): string {
  // CDK stacks with an explicit env name their region in endpoint service names and ARNs; fall back to a token.
  const resourcesText = JSON.stringify(t?.Resources ?? {});
  const m =
    /com\.amazonaws\.([a-z]{2}-[a-z]+-\d)\./.exec(resourcesText) ?? /:([a-z]{2}-[a-z]+-\d):/.exec(resourcesText);
  return m ? m[1] : '${AWS::Region}';
}

export function splitKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}

/** Every resource reference inside a resolved value, in order of appearance, without duplicates. */
export function refsIn(v: Resolved, out: string[] = []): string[] {
  if (isRef(v)) {
    if (!out.includes(v.$ref)) {
      out.push(v.$ref);
    }
  } else if (isJoin(v)) {
    v.$join.forEach((p) => refsIn(p, out));
  } else if (Array.isArray(v)) {
    v.forEach((p) => refsIn(p, out));
  } else if (v !== null && typeof v === 'object') {
    Object.keys(v)
      .sort()
      .forEach((k) => refsIn((v as Record<string, Resolved>)[k], out));
  }
  return out;
}

/** The key a resolved value refers to, if it is a plain reference. */
export function refKey(v: Resolved): string | undefined {
  return isRef(v) ? (v.attr ? `${v.$ref}#${v.attr}` : v.$ref) : undefined;
}

/** A resolved value as text: references become `<stack/id>`. */
export function text(v: Resolved): string {
  if (v === undefined || v === null) {
    return '';
  }
  if (typeof v !== 'object') {
    return String(v);
  }
  if (isRef(v)) {
    return `<${v.$ref}${v.attr ? '.' + v.attr : ''}>`;
  }
  if (isJoin(v)) {
    return v.$join.map(text).join(v.sep);
  }
  return JSON.stringify(v);
}

/** The value of a tag (CloudFormation `Tags: [{Key, Value}]`). */
export function tag(props: Record<string, Resolved>, key: string): string | undefined {
  const tags = props.Tags;
  if (Array.isArray(tags)) {
    for (const t of tags) {
      if (t && typeof t === 'object' && !Array.isArray(t) && (t as Record<string, Resolved>).Key === key) {
        const v = (t as Record<string, Resolved>).Value;
        return typeof v === 'string' ? v : undefined;
      }
    }
  }
  return undefined;
}

export function asList(v: Resolved): Resolved[] {
  if (v === undefined || v === null) {
    return [];
  }
  if (isJoin(v)) {
    // A comma-separated list built with Fn::Join (either separator ',' or ',' parts).
    if (v.sep === ',') {
      return v.$join.filter((p) => p !== '');
    }
    if (v.sep === '' && v.$join.some((p) => p === ',')) {
      return v.$join.filter((p) => p !== ',' && p !== '');
    }
    return [v];
  }
  if (typeof v === 'string' && v.includes(',')) {
    return v.split(',');
  }
  return Array.isArray(v) ? v : [v];
}

export function str(v: Resolved): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

export function num(v: Resolved): number | undefined {
  if (typeof v === 'number') {
    return v;
  }
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) {
    return Number(v);
  }
  return undefined;
}
