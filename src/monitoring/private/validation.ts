import { Token } from 'aws-cdk-lib';

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
