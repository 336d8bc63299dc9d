import { Token } from 'aws-cdk-lib';

/**
 * Fargate's task sizes: for each task CPU value (CPU units), the memory values (MiB) it takes, as a range with a
 * step. 8192 and 16384 need Linux platform version 1.4.0 or later (the default LATEST is). Windows tasks take 1024,
 * 2048 and 4096 CPU units only, which aws-cdk-lib checks itself.
 */
const FARGATE_TASK_SIZES: ReadonlyArray<{
  cpu: number;
  min: number;
  max: number;
  step: number;
  values?: number[];
}> = [
  { cpu: 256, min: 512, max: 2048, step: 512, values: [512, 1024, 2048] },
  { cpu: 512, min: 1024, max: 4096, step: 1024 },
  { cpu: 1024, min: 2048, max: 8192, step: 1024 },
  { cpu: 2048, min: 4096, max: 16384, step: 1024 },
  { cpu: 4096, min: 8192, max: 30720, step: 1024 },
  { cpu: 8192, min: 16384, max: 61440, step: 4096 },
  { cpu: 16384, min: 32768, max: 122880, step: 8192 },
];

/** A list written out for a message: `a, b or c`. */
function either(values: ReadonlyArray<number | string>): string {
  return values.length === 1 ? `${values[0]}` : `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
}

/**
 * Rejects a task CPU / memory pair that Fargate doesn't offer (RegisterTaskDefinition would fail at deploy time).
 * Tokens are skipped.
 *
 * @param cpu the task's CPU units
 * @param memoryMiB the task's memory in MiB
 * @param names how the message names the two values, e.g. `` `cpu` `` and `` `memoryLimitMiB` ``
 */
export function validateFargateTaskSize(cpu: number, memoryMiB: number, names: { cpu: string; memory: string }) {
  if (Token.isUnresolved(cpu)) {
    return;
  }
  const size = FARGATE_TASK_SIZES.find((s) => s.cpu === cpu);
  if (!size) {
    throw new Error(
      `${names.cpu} must be one of Fargate's task CPU values (${either(FARGATE_TASK_SIZES.map((s) => s.cpu))}), got: ${cpu}.`,
    );
  }
  if (Token.isUnresolved(memoryMiB)) {
    return;
  }
  const valid = size.values
    ? size.values.includes(memoryMiB)
    : memoryMiB >= size.min && memoryMiB <= size.max && memoryMiB % size.step === 0;
  if (!valid) {
    const allowed = size.values ? either(size.values) : `${size.min} to ${size.max} in steps of ${size.step}`;
    throw new Error(
      `${names.memory} must be a Fargate memory size for ${names.cpu} ${cpu} (${allowed} MiB), got: ${memoryMiB}.`,
    );
  }
}

/**
 * A task definition's `Cpu` or `Memory` string as a number: plain units, `N vCPU` (1024 units each) or `N GB`
 * (1024 MiB each), the forms RegisterTaskDefinition converts; undefined for a token or another form.
 */
export function parseTaskSize(value: string | undefined, unit: 'vCPU' | 'GB'): number | undefined {
  if (value === undefined || Token.isUnresolved(value)) {
    return undefined;
  }
  const plain = /^\s*(\d+)\s*$/.exec(value);
  if (plain) {
    return Number(plain[1]);
  }
  const scaled = new RegExp(`^\\s*(\\d+(?:\\.\\d+)?)\\s*${unit}\\s*$`, 'i').exec(value);
  return scaled ? Math.round(Number(scaled[1]) * 1024) : undefined;
}

/** An ECS cluster or service name: 1-255 letters, digits, hyphens and underscores. */
const ECS_NAME_PATTERN = /^[A-Za-z0-9_-]{1,255}$/;

/** Rejects an ECS cluster or service name that ECS would refuse. */
export function validateEcsName(propertyName: string, name: string | undefined) {
  if (name !== undefined && !Token.isUnresolved(name) && !ECS_NAME_PATTERN.test(name)) {
    throw new Error(`\`${propertyName}\` must be 1 to 255 letters, digits, hyphens or underscores, got: '${name}'.`);
  }
}

/** A CloudWatch Logs log group name: 1-512 letters, digits and `.`, `-`, `_`, `/`, `#`. */
const LOG_GROUP_NAME_PATTERN = /^[A-Za-z0-9._/#-]{1,512}$/;

/** Rejects a log group name that CloudWatch Logs would refuse. */
export function validateLogGroupName(propertyName: string, name: string | undefined) {
  if (name !== undefined && !Token.isUnresolved(name) && !LOG_GROUP_NAME_PATTERN.test(name)) {
    throw new Error(`\`${propertyName}\` must be 1 to 512 letters, digits, '.', '-', '_', '/' or '#', got: '${name}'.`);
  }
}

/** An EC2 security group name: 1-255 of a-z, A-Z, 0-9, spaces and `._-:/()#,@[]+=&;{}!$*`, not starting with `sg-`. */
const SECURITY_GROUP_NAME_PATTERN = /^(?!sg-)[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]{1,255}$/;

/** Rejects a security group name that EC2 would refuse. */
export function validateSecurityGroupName(propertyName: string, name: string | undefined) {
  if (name !== undefined && !Token.isUnresolved(name) && !SECURITY_GROUP_NAME_PATTERN.test(name)) {
    throw new Error(
      `\`${propertyName}\` must be 1 to 255 letters, digits, spaces or ._-:/()#,@[]+=&;{}!$* and not start with 'sg-', got: '${name}'.`,
    );
  }
}
