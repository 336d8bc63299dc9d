import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Throws unless `value` is a percentage between 0 and 100 (both inclusive).
 *
 * Unresolved tokens and `undefined` are skipped.
 */
export function validatePercentage(name: string, value: number | undefined): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  if (!Number.isFinite(value) || value < 0 || value > 100) {
    throw new Error(`\`${name}\` must be between 0 and 100, got: ${value}.`);
  }
}

/**
 * Throws unless `value` is a finite number of 0 or more.
 *
 * Unresolved tokens and `undefined` are skipped.
 */
export function validateNonNegative(name: string, value: number | undefined): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  if (!Number.isFinite(value) || value < 0) {
    throw new Error(`\`${name}\` must be 0 or greater, got: ${value}.`);
  }
}

/**
 * Throws unless `value` is a whole number of at least `min`.
 *
 * Unresolved tokens and `undefined` are skipped.
 */
export function validateWholeNumberAtLeast(name: string, value: number | undefined, min: number): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`\`${name}\` must be a whole number of at least ${min}, got: ${value}.`);
  }
}

/**
 * A deliberately loose e-mail check: something, an `@`, a domain with a dot, no spaces.
 */
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Throws unless `value` looks like an e-mail address.
 *
 * Unresolved tokens and `undefined` are skipped.
 */
export function validateEmail(name: string, value: string | undefined): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  if (!EMAIL_PATTERN.test(value)) {
    throw new Error(`\`${name}\` must be an e-mail address such as oncall@example.com, got: '${value}'.`);
  }
}

/** The range a threshold must lie in: a percentage (0 to 100) or any number of 0 or more. */
export enum ThresholdRange {
  PERCENTAGE = 'percentage',
  NON_NEGATIVE = 'non-negative',
}

function validateFiniteInRange(name: string, value: number | undefined, range: ThresholdRange): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  if (!Number.isFinite(value)) {
    throw new Error(`\`${name}\` must be a finite number, got: ${value}.`);
  }
  if (range === ThresholdRange.PERCENTAGE) {
    validatePercentage(name, value);
  } else {
    validateNonNegative(name, value);
  }
}

/**
 * Throws unless the threshold record's numbers are finite and in range, its evaluation periods a whole number of at
 * least 1 and its datapoints to alarm between 1 and the evaluation periods.
 */
export function validateThreshold(
  prop: string,
  record: { critical?: number; warning?: number; evaluationPeriods?: number; datapointsToAlarm?: number },
  range: ThresholdRange,
  evaluationPeriods: number,
): void {
  validateFiniteInRange(`${prop}.critical`, record.critical, range);
  validateFiniteInRange(`${prop}.warning`, record.warning, range);
  validateWholeNumberAtLeast(`${prop}.evaluationPeriods`, record.evaluationPeriods, 1);
  const datapoints = record.datapointsToAlarm;
  if (datapoints === undefined || Token.isUnresolved(datapoints) || Token.isUnresolved(evaluationPeriods)) {
    return;
  }
  if (!Number.isInteger(datapoints) || datapoints < 1 || datapoints > evaluationPeriods) {
    throw new Error(
      `\`${prop}.datapointsToAlarm\` must be a whole number between 1 and the evaluation periods (${evaluationPeriods}), got: ${datapoints}.`,
    );
  }
}

/** Throws unless `value` is an absolute `https://` URL without a fragment (the alarm's anchor is appended). */
export function validateRunbookUrl(name: string, value: string | undefined): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  if (!/^https:\/\/[^\s/?#]+\.[^\s/?#]+(\/[^\s#]*)?$/.test(value)) {
    throw new Error(
      `\`${name}\` must be an absolute https:// URL without a #fragment (the alarm's anchor is appended), got: '${value}'.`,
    );
  }
}

/** Throws if a name in `disabled` is not one of `known`. */
export function validateDisabledAlarms(name: string, disabled: string[] | undefined, known: readonly string[]): void {
  for (const alarm of disabled ?? []) {
    if (!known.includes(alarm)) {
      throw new Error(`\`${name}\` must name alarms among ${known.join(', ')}, got: '${alarm}'.`);
    }
  }
}

/** Throws unless the alarm-name prefix is 1 to 200 letters, digits, dots, dashes or underscores. */
export function validateAlarmNamePrefix(prefix: string): void {
  if (!Token.isUnresolved(prefix) && !/^[A-Za-z0-9._-]{1,200}$/.test(prefix)) {
    throw new Error(
      `\`alarmNamePrefix\` must be 1 to 200 letters, digits, dots, dashes or underscores, got: '${prefix}'.`,
    );
  }
}

/** Throws unless the dashboard name is 1 to 255 letters, digits, dashes or underscores. */
export function validateDashboardName(dashboardName: string): void {
  if (!Token.isUnresolved(dashboardName) && !/^[A-Za-z0-9_-]{1,255}$/.test(dashboardName)) {
    throw new Error(
      `\`dashboardName\` must be 1 to 255 letters, digits, dashes or underscores, got: '${dashboardName}'.`,
    );
  }
}

/**
 * Throws if `part` lives in another region than `scope`'s stack: CloudWatch alarms only watch metrics of their own
 * region. Unresolved (environment-agnostic) regions are skipped.
 */
export function validateSameRegion(scope: IConstruct, name: string, part: IConstruct): void {
  const here = Stack.of(scope).region;
  const env = (part as { env?: { region?: string } }).env;
  const there = env?.region ?? Stack.of(part).region;
  if (Token.isUnresolved(here) || Token.isUnresolved(there) || here === there) {
    return;
  }
  throw new Error(`\`${name}\` must be in the region of the monitoring stack (${here}), got: ${there}.`);
}
