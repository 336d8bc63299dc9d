/**
 * The SQL that the role-setup custom resource runs as the master user, built at synth time from validated names
 * (so identifiers are safe to quote and the statements can be reviewed in the template). No statement carries a
 * password: the handler adds the password statement itself, with a SCRAM verifier rather than the password.
 */

/** PostgreSQL keeps role names to 63 bytes; the alternating-users rotation appends `_clone` to the user. */
export const CLONE_SUFFIX = '_clone';
export const MAX_ROLE_NAME = 63;
export const MAX_ROTATED_USER_NAME = MAX_ROLE_NAME - CLONE_SUFFIX.length;

/** Names PostgreSQL or Amazon RDS keep for themselves. */
const RESERVED_NAMES = new Set(['public', 'none', 'current_user', 'session_user', 'current_role', 'postgres']);

/** Privileges the application group gets on the schema's tables and sequences (DML only, never DDL). */
export const TABLE_PRIVILEGES = 'SELECT, INSERT, UPDATE, DELETE';
export const SEQUENCE_PRIVILEGES = 'USAGE, SELECT';

/** Why `name` is not a role name we accept, or undefined when it is one. */
export function roleNameProblem(name: string, maxLength: number): string | undefined {
  if (!/^[a-z_][a-z0-9_]*$/.test(name) || name.length > maxLength) {
    return `must be 1 to ${maxLength} lowercase letters, digits and underscores, starting with a letter or an underscore`;
  }
  if (name.startsWith('pg_')) {
    return 'must not start with `pg_` (PostgreSQL reserves that prefix)';
  }
  if (name.startsWith('rds')) {
    return 'must not start with `rds` (Amazon RDS reserves its role names: rdsadmin, rds_superuser, rds_iam, …)';
  }
  if (RESERVED_NAMES.has(name)) {
    return 'must not be a name PostgreSQL reserves or predefines';
  }
  return undefined;
}

/** The inputs of {@link applicationRoleSql}. */
export interface ApplicationRoleSqlInput {
  readonly userName: string;
  readonly groupRoleName: string;
  readonly databaseName: string;
  readonly schemaName: string;
  /** The role whose future tables get default privileges; undefined: the role running the statements. */
  readonly migrationRoleName?: string;
  /** true: the user logs in with IAM tokens only (`rds_iam`); false: with the rotated password. */
  readonly iamAuthentication: boolean;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** `CREATE ROLE` unless a role of that name exists (PostgreSQL has no `CREATE ROLE IF NOT EXISTS`). */
function createRoleIfMissing(name: string, options: string): string {
  return (
    `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = ${literal(name)}) ` +
    `THEN CREATE ROLE ${ident(name)} ${options}; END IF; END $$`
  );
}

/** Runs `statement` (with `%I` for the role) for each of `names` that exists and is a member of `group`. */
function forEachMember(group: string, names: string[], statement: string): string {
  const list = names.map(literal).join(', ');
  return (
    'DO $$ DECLARE r text; BEGIN FOR r IN SELECT u.rolname FROM pg_catalog.pg_auth_members m ' +
    'JOIN pg_catalog.pg_roles g ON g.oid = m.roleid JOIN pg_catalog.pg_roles u ON u.oid = m.member ' +
    `WHERE g.rolname = ${literal(group)} AND u.rolname IN (${list}) ` +
    `LOOP EXECUTE format(${literal(statement)}, r); END LOOP; END $$`
  );
}

/**
 * The idempotent statements that make the application roles what they must be: a NOLOGIN group holding DML on
 * the schema's tables (today's and, through default privileges, those the migration role creates later) and a
 * login user that is a member of the group and has nothing else. Run as the master user, in this order.
 */
export function applicationRoleSql(input: ApplicationRoleSqlInput): string[] {
  const group = ident(input.groupRoleName);
  const user = ident(input.userName);
  const schema = ident(input.schemaName);
  const forRole = input.migrationRoleName ? ` FOR ROLE ${ident(input.migrationRoleName)}` : '';
  const users = [input.userName, `${input.userName}${CLONE_SUFFIX}`];
  const statements = [
    createRoleIfMissing(input.groupRoleName, 'NOLOGIN'),
    `GRANT CONNECT ON DATABASE ${ident(input.databaseName)} TO ${group}`,
    `REVOKE CREATE ON SCHEMA ${schema} FROM PUBLIC`,
    `GRANT USAGE ON SCHEMA ${schema} TO ${group}`,
    `GRANT ${TABLE_PRIVILEGES} ON ALL TABLES IN SCHEMA ${schema} TO ${group}`,
    `GRANT ${SEQUENCE_PRIVILEGES} ON ALL SEQUENCES IN SCHEMA ${schema} TO ${group}`,
    `ALTER DEFAULT PRIVILEGES${forRole} IN SCHEMA ${schema} GRANT ${TABLE_PRIVILEGES} ON TABLES TO ${group}`,
    `ALTER DEFAULT PRIVILEGES${forRole} IN SCHEMA ${schema} GRANT ${SEQUENCE_PRIVILEGES} ON SEQUENCES TO ${group}`,
    createRoleIfMissing(input.userName, 'LOGIN'),
    `ALTER ROLE ${user} WITH LOGIN INHERIT NOCREATEDB NOCREATEROLE`,
    `GRANT ${group} TO ${user}`,
  ];
  if (input.iamAuthentication) {
    // IAM mode: token logins only. The password goes, so no password login survives a switch from rotation.
    statements.push(`GRANT "rds_iam" TO ${user}`, `ALTER ROLE ${user} WITH PASSWORD NULL`);
  } else {
    // Rotation mode: a user switched back from IAM mode must log in with its password again (rds_iam forbids it).
    statements.push(forEachMember('rds_iam', users, 'REVOKE "rds_iam" FROM %I'));
  }
  return statements;
}

/** Statements that disable the login users when the resource is deleted (roles and grants stay: objects may depend on them). */
export function disableLoginSql(userName: string): string[] {
  return [userName, `${userName}${CLONE_SUFFIX}`].map(
    (name) =>
      `DO $$ BEGIN IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = ${literal(name)}) ` +
      `THEN ALTER ROLE ${ident(name)} WITH NOLOGIN; END IF; END $$`,
  );
}
