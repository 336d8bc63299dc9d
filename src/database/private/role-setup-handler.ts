/**
 * Source of the role-setup function (Node.js, CommonJS), shipped inline so that synthesis needs no bundler and
 * no Docker: it uses only Node's `crypto` and the AWS SDK v3 clients that the Lambda Node.js runtime provides.
 *
 * It runs the statements of its resource properties through the RDS Data API as the master user (the Data API
 * reads the master secret itself), then reads the application secret and sets the password of the user that the
 * secret's AWSCURRENT version names. The statement carries a SCRAM-SHA-256 verifier computed here, never the
 * password, so no log, trace or Performance Insights sample of the statement can leak it; nothing logged names a
 * secret value.
 */
export const ROLE_SETUP_HANDLER_SOURCE = String.raw`'use strict';
const crypto = require('crypto');
const { RDSDataClient, ExecuteStatementCommand } = require('@aws-sdk/client-rds-data');
const { SecretsManagerClient, GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager');

const rdsData = new RDSDataClient({});
const secrets = new SecretsManagerClient({});
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The SCRAM-SHA-256 verifier PostgreSQL stores for a password (RFC 5802 / 7677, the form pg_authid keeps).
 * Secrets Manager generates printable ASCII passwords, for which PostgreSQL's SASLprep is the identity.
 */
function scramVerifier(password, salt = crypto.randomBytes(16), iterations = 4096) {
  const salted = crypto.pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, 32, 'sha256');
  const clientKey = crypto.createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = crypto.createHash('sha256').update(clientKey).digest();
  const serverKey = crypto.createHmac('sha256', salted).update('Server Key').digest();
  return 'SCRAM-SHA-256$' + iterations + ':' + salt.toString('base64') + '$' + storedKey.toString('base64') + ':' + serverKey.toString('base64');
}

/** Errors the Data API returns while the cluster or its HTTP endpoint is still coming up: worth retrying. */
function retryable(err) {
  const text = String((err && err.name) || '') + ' ' + String((err && err.message) || '');
  return /DatabaseResumingException|DatabaseNotFoundException|ServiceUnavailable|ThrottlingException|HttpEndpoint|Communications link failure|is not available|is resuming/i.test(text);
}

async function execute(props, sql, deadline) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await rdsData.send(new ExecuteStatementCommand({
        resourceArn: props.ClusterArn,
        secretArn: props.MasterSecretArn,
        database: props.DatabaseName,
        sql,
      }));
    } catch (err) {
      if (!retryable(err) || Date.now() + 15000 > deadline) throw err;
      console.log(JSON.stringify({ message: 'Data API not ready, retrying', attempt, error: err.name }));
      await sleep(Math.min(2000 * attempt, 15000));
    }
  }
}

async function setPassword(props, deadline) {
  const value = await secrets.send(new GetSecretValueCommand({ SecretId: props.PasswordSecretArn }));
  const secret = JSON.parse(value.SecretString);
  const allowed = [props.UserName, props.UserName + '_clone'];
  if (!allowed.includes(secret.username)) {
    throw new Error('The application secret names the user ' + JSON.stringify(secret.username) + ', expected one of ' + allowed.join(', ') + '.');
  }
  if (typeof secret.password !== 'string' || secret.password.length === 0) {
    throw new Error('The application secret has no password.');
  }
  const sql = 'ALTER ROLE "' + secret.username + '" WITH LOGIN PASSWORD \'' + scramVerifier(secret.password) + '\'';
  try {
    await execute(props, sql, deadline);
  } catch (err) {
    // The Data API may echo the statement in its message: report the error's name only.
    throw new Error('Setting the password of ' + secret.username + ' failed (' + err.name + ').');
  }
  return secret.username;
}

exports.scramVerifier = scramVerifier;
exports.handler = async (event, context) => {
  const props = event.ResourceProperties;
  const deadline = Date.now() + (context && context.getRemainingTimeInMillis ? context.getRemainingTimeInMillis() : 300000);
  const physicalResourceId = props.UserName + '@' + props.DatabaseName;
  if (event.RequestType === 'Delete') {
    // Best effort: the login users stop logging in; roles and grants stay (objects and memberships may depend on them).
    try {
      for (const sql of props.DeleteStatements || []) await execute(props, sql, deadline);
    } catch (err) {
      console.log(JSON.stringify({ message: 'Could not disable the login users', error: err.name }));
    }
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const statements = props.Statements || [];
  for (const sql of statements) await execute(props, sql, deadline);
  const passwordSetFor = props.PasswordSecretArn ? await setPassword(props, deadline) : undefined;
  console.log(JSON.stringify({ message: 'Application roles ready', statements: statements.length, passwordSetFor }));
  return { PhysicalResourceId: physicalResourceId, Data: { UserName: props.UserName, GroupRoleName: props.GroupRoleName } };
};
`;
