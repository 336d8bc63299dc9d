import * as crypto from 'crypto';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import { DatabaseApplicationUser, DatabaseApplicationUserProps } from '../../src';
import { ROLE_SETUP_HANDLER_SOURCE } from '../../src/database/private/role-setup-handler';

function fixture(clusterProps: Partial<rds.DatabaseClusterProps> = {}) {
  const stack = new Stack(new App(), 'Db', { env: { account: '111122223333', region: 'us-east-2' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { availabilityZones: ['us-east-2a', 'us-east-2b'], natGateways: 0 });
  const cluster = new rds.DatabaseCluster(stack, 'Cluster', {
    engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_6 }),
    credentials: rds.Credentials.fromGeneratedSecret('admin_user'),
    writer: rds.ClusterInstance.provisioned('Writer'),
    defaultDatabaseName: 'orders',
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ...clusterProps,
  });
  return { stack, vpc, cluster };
}

function user(props: Partial<DatabaseApplicationUserProps> = {}, clusterProps: Partial<rds.DatabaseClusterProps> = {}) {
  const f = fixture(clusterProps);
  const app = new DatabaseApplicationUser(f.stack, 'AppUser', {
    cluster: f.cluster,
    databaseName: 'orders',
    userName: 'orders_app',
    masterUserName: 'admin_user',
    ...props,
  });
  return { ...f, app, template: () => Template.fromStack(f.stack) };
}

function logicalId(stack: Stack, construct: { node: { defaultChild?: any } }) {
  return stack.getLogicalId(construct.node.defaultChild);
}

describe('DatabaseApplicationUser', () => {
  describe('GIVEN the defaults (password rotation)', () => {
    test('THEN the role setup precedes the secret attachment and the multi-user rotation schedule', () => {
      const { stack, app, template } = user();
      const t = template();
      const setupId = stack.getLogicalId(app.roleSetup.node.defaultChild as any);
      const attachments = t.findResources('AWS::SecretsManager::SecretTargetAttachment', {
        DependsOn: Match.arrayWith([setupId]),
      });
      expect(Object.keys(attachments)).toHaveLength(1);
      const schedules = t.findResources('AWS::SecretsManager::RotationSchedule', {
        DependsOn: Match.arrayWith([setupId]),
      });
      expect(Object.values(schedules).map((s) => s.Properties.RotationRules)).toEqual([
        { ScheduleExpression: 'rate(30 days)' },
      ]);
      t.hasResourceProperties('AWS::Serverless::Application', {
        Parameters: Match.objectLike({ masterSecretArn: { Ref: Match.stringLikeRegexp('^ClusterSecretAttachment') } }),
      });
      expect(app.rotation).toBeDefined();
      expect(app.groupRoleName).toBe('orders_app_rw');
    });

    test('THEN the secret carries the user, the database and the master secret ARN, and the cluster gets the Data API', () => {
      const { template } = user();
      const t = template();
      t.hasResourceProperties('AWS::SecretsManager::Secret', {
        GenerateSecretString: Match.objectLike({
          SecretStringTemplate: {
            'Fn::Join': [
              '',
              [
                '{"username":"orders_app","dbname":"orders","masterarn":"',
                { Ref: Match.stringLikeRegexp('^ClusterSecretAttachment') },
                '"}',
              ],
            ],
          },
        }),
      });
      t.hasResourceProperties('AWS::RDS::DBCluster', { EnableHttpEndpoint: true });
      t.hasResourceProperties('Custom::PostgresApplicationRoles', {
        UserName: 'orders_app',
        GroupRoleName: 'orders_app_rw',
        DatabaseName: 'orders',
        PasswordSecretArn: { Ref: Match.stringLikeRegexp('^AppUserSecret') },
        Statements: Match.arrayWith([
          'ALTER DEFAULT PRIVILEGES IN SCHEMA "public" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "orders_app_rw"',
          'GRANT "orders_app_rw" TO "orders_app"',
        ]),
        DeleteStatements: [
          'DO $$ BEGIN IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = \'orders_app\') THEN ALTER ROLE "orders_app" WITH NOLOGIN; END IF; END $$',
          'DO $$ BEGIN IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = \'orders_app_clone\') THEN ALTER ROLE "orders_app_clone" WITH NOLOGIN; END IF; END $$',
        ],
      });
    });

    test('THEN grantConnect gives read access to the application secret, not the master secret', () => {
      const { stack, app, template } = user();
      const role = new iam.Role(stack, 'TaskRole', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
      app.grantConnect(role);
      template().hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: logicalId(stack, role) }],
        PolicyDocument: {
          Statement: [
            {
              Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
              Effect: 'Allow',
              Resource: { Ref: Match.stringLikeRegexp('^AppUserSecretAttachment') },
            },
          ],
        },
      });
    });

    test('THEN a migration role and schema name reach the default privileges', () => {
      const { template } = user({
        migrationRoleName: 'orders_owner',
        schemaName: 'catalog',
        groupRoleName: 'orders_rw',
      });
      template().hasResourceProperties('Custom::PostgresApplicationRoles', {
        Statements: Match.arrayWith([
          'ALTER DEFAULT PRIVILEGES FOR ROLE "orders_owner" IN SCHEMA "catalog" GRANT USAGE, SELECT ON SEQUENCES TO "orders_rw"',
        ]),
      });
    });

    test('THEN enableRotation: false keeps the secret, schedules nothing, and warns', () => {
      const { app, template, stack } = user({ enableRotation: false });
      template().resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
      expect(app.secret).toBeDefined();
      Annotations.fromStack(stack).hasWarning(
        '/Db/AppUser',
        Match.stringLikeRegexp('The password of orders_app never rotates'),
      );
    });
  });

  describe('GIVEN iamAuthentication', () => {
    test('THEN the user joins rds_iam, loses its password, and nothing rotates; grantConnect gives rds-db:connect', () => {
      const { stack, app, template } = user({ iamAuthentication: true }, { iamAuthentication: true });
      const role = new iam.Role(stack, 'TaskRole', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
      app.grantConnect(role);
      const t = template();
      t.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
      t.resourceCountIs('AWS::Serverless::Application', 0);
      expect(app.secret).toBeUndefined();
      const setup = Object.values(t.findResources('Custom::PostgresApplicationRoles'))[0].Properties;
      expect(setup.PasswordSecretArn).toBeUndefined();
      expect(setup.Statements.slice(-2)).toEqual([
        'GRANT "rds_iam" TO "orders_app"',
        'ALTER ROLE "orders_app" WITH PASSWORD NULL',
      ]);
      t.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: logicalId(stack, role) }],
        PolicyDocument: {
          Statement: [
            Match.objectLike({
              Action: 'rds-db:connect',
              Resource: Match.objectLike({
                'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':dbuser:'), '/orders_app'])],
              }),
            }),
          ],
        },
      });
    });
  });

  describe('GIVEN bad input', () => {
    test.each<[Partial<DatabaseApplicationUserProps>, string]>([
      [
        { iamAuthentication: true, enableRotation: true },
        '`iamAuthentication` and `enableRotation` are exclusive: an `rds_iam` user logs in with IAM tokens only, so a rotated password would never work. Set one of them.',
      ],
      [
        { iamAuthentication: true, rotateAfter: Duration.days(7) },
        '`iamAuthentication` and `rotateAfter` are exclusive: an `rds_iam` user logs in with IAM tokens only, so a rotated password would never work. Set one of them.',
      ],
      [
        { userName: 'Orders-App' },
        "`userName` must be 1 to 57 lowercase letters, digits and underscores, starting with a letter or an underscore (the rotation appends `_clone`), got: 'Orders-App'.",
      ],
      [
        { userName: 'a'.repeat(58) },
        `\`userName\` must be 1 to 57 lowercase letters, digits and underscores, starting with a letter or an underscore (the rotation appends \`_clone\`), got: '${'a'.repeat(58)}'.`,
      ],
      [
        { userName: '' },
        "`userName` must be 1 to 57 lowercase letters, digits and underscores, starting with a letter or an underscore (the rotation appends `_clone`), got: ''.",
      ],
      [
        { userName: 'pg_app' },
        "`userName` must not start with `pg_` (PostgreSQL reserves that prefix), got: 'pg_app'.",
      ],
      [
        { userName: 'rdsadmin' },
        "`userName` must not start with `rds` (Amazon RDS reserves its role names: rdsadmin, rds_superuser, rds_iam, …), got: 'rdsadmin'.",
      ],
      [{ userName: 'public' }, "`userName` must not be a name PostgreSQL reserves or predefines, got: 'public'."],
      [
        { userName: 'orders_clone' },
        "`userName` must not end with `_clone` (the rotation would alternate it with its base name), got: 'orders_clone'.",
      ],
      [
        { userName: 'admin_user' },
        "`userName` and `groupRoleName` must not name the master user (`masterUserName`: 'admin_user'), got: 'admin_user', 'admin_user_rw'.",
      ],
      [
        { groupRoleName: 'admin_user' },
        "`userName` and `groupRoleName` must not name the master user (`masterUserName`: 'admin_user'), got: 'orders_app', 'admin_user'.",
      ],
      [
        { groupRoleName: 'orders_app_clone' },
        "`groupRoleName` must differ from the login users 'orders_app' and 'orders_app_clone', got: 'orders_app_clone'.",
      ],
      [
        { groupRoleName: 'Orders RW' },
        "`groupRoleName` must be 1 to 63 lowercase letters, digits and underscores, starting with a letter or an underscore, got: 'Orders RW'.",
      ],
      [
        { migrationRoleName: 'orders_app_rw' },
        "`migrationRoleName` must not be the application user, its clone or its group role, got: 'orders_app_rw'.",
      ],
      [
        { migrationRoleName: 'owner;drop' },
        "`migrationRoleName` must be 1 to 63 lowercase letters, digits and underscores, starting with a letter or an underscore, got: 'owner;drop'.",
      ],
      [
        { schemaName: 'Catalog' },
        "`schemaName` must be 1 to 63 lowercase letters, digits and underscores, starting with a letter or an underscore, got: 'Catalog'.",
      ],
    ])('%j fails synth with a message naming the prop', (props, message) => {
      expect(() => user(props, { iamAuthentication: true })).toThrow(message);
    });

    test('iamAuthentication on a cluster without IAM database authentication fails', () => {
      expect(() => user({ iamAuthentication: true })).toThrow(
        '`iamAuthentication` needs IAM database authentication on the cluster (its `iamAuthentication: true`), got: false.',
      );
    });

    test('a cluster whose Data API is turned off fails (the role setup needs it)', () => {
      expect(() => user({}, { enableDataApi: false })).toThrow(
        'Cannot grant Data API access when the Data API is disabled',
      );
    });
  });
});

/** Loads the inline handler with fake AWS SDK clients that record what it sends. */
function loadHandler(secretString: string, failOn?: RegExp) {
  const sent: string[] = [];
  class ExecuteStatementCommand {
    constructor(public readonly input: any) {}
  }
  class GetSecretValueCommand {
    constructor(public readonly input: any) {}
  }
  const fakes: Record<string, any> = {
    crypto,
    '@aws-sdk/client-rds-data': {
      ExecuteStatementCommand,
      RDSDataClient: class {
        async send(cmd: ExecuteStatementCommand) {
          sent.push(cmd.input.sql);
          if (failOn?.test(cmd.input.sql)) {
            const err = new Error(`ERROR near "${cmd.input.sql}"`);
            err.name = 'BadRequestException';
            throw err;
          }
          return {};
        }
      },
    },
    '@aws-sdk/client-secrets-manager': {
      GetSecretValueCommand,
      SecretsManagerClient: class {
        async send(cmd: GetSecretValueCommand) {
          expect(cmd.input.SecretId).toBe('arn:app-secret');
          return { SecretString: secretString };
        }
      },
    },
  };
  const module = { exports: {} as any };
  new Function('require', 'module', 'exports', ROLE_SETUP_HANDLER_SOURCE)(
    (name: string) => fakes[name],
    module,
    module.exports,
  );
  return { handler: module.exports.handler, scramVerifier: module.exports.scramVerifier, sent };
}

const event = (requestType: string) => ({
  RequestType: requestType,
  PhysicalResourceId: 'orders_app@orders',
  ResourceProperties: {
    ClusterArn: 'arn:cluster',
    MasterSecretArn: 'arn:master-secret',
    DatabaseName: 'orders',
    UserName: 'orders_app',
    GroupRoleName: 'orders_app_rw',
    PasswordSecretArn: 'arn:app-secret',
    Statements: ['SELECT 1', 'SELECT 2'],
    DeleteStatements: ['ALTER ROLE x NOLOGIN'],
  },
});

describe('the role-setup handler', () => {
  const password = 'Zx9-correct.horse,battery=staple';

  test('runs the statements in order, then sets the password of the secret user as a SCRAM verifier', async () => {
    const { handler, sent } = loadHandler(JSON.stringify({ username: 'orders_app_clone', password }));
    const result = await handler(event('Create'), { getRemainingTimeInMillis: () => 60000 });
    expect(result).toEqual({
      PhysicalResourceId: 'orders_app@orders',
      Data: { UserName: 'orders_app', GroupRoleName: 'orders_app_rw' },
    });
    expect(sent.slice(0, 2)).toEqual(['SELECT 1', 'SELECT 2']);
    expect(sent[2]).toMatch(
      /^ALTER ROLE "orders_app_clone" WITH LOGIN PASSWORD 'SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}:[A-Za-z0-9+/=]{44}'$/,
    );
    expect(sent.join('\n')).not.toContain(password);
  });

  test('computes a SCRAM-SHA-256 verifier that checks out against the RFC 7677 exchange', () => {
    const { scramVerifier } = loadHandler('{}');
    const verifier: string = scramVerifier('pencil', Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64'));
    const match = /^SCRAM-SHA-256\$4096:W22ZaJ0SNY7soEsUEjb6gQ==\$([^:]+):(.+)$/.exec(verifier);
    expect(match).not.toBeNull();
    const storedKey = Buffer.from(match![1], 'base64');
    const serverKey = Buffer.from(match![2], 'base64');
    // RFC 7677 section 3: the server's signature and the client's proof of that exchange, from the stored keys.
    const authMessage =
      'n=user,r=rOprNGfwEbeRWgbNEkqO,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,' +
      'i=4096,c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0';
    expect(crypto.createHmac('sha256', serverKey).update(authMessage).digest('base64')).toBe(
      '6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=',
    );
    const clientProof = Buffer.from('dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=', 'base64');
    const clientKey = Buffer.from(
      crypto
        .createHmac('sha256', storedKey)
        .update(authMessage)
        .digest()
        // eslint-disable-next-line no-bitwise
        .map((byte, i) => byte ^ clientProof[i]),
    );
    // ClientKey = ClientSignature XOR ClientProof, and StoredKey must be H(ClientKey).
    expect(crypto.createHash('sha256').update(clientKey).digest().equals(storedKey)).toBe(true);
  });

  test('refuses a secret that names another user', async () => {
    const { handler, sent } = loadHandler(JSON.stringify({ username: 'admin_user', password }));
    await expect(handler(event('Update'), {})).rejects.toThrow(
      'The application secret names the user "admin_user", expected one of orders_app, orders_app_clone.',
    );
    expect(sent).toEqual(['SELECT 1', 'SELECT 2']);
  });

  test('reports a failed password statement without echoing it', async () => {
    const { handler } = loadHandler(JSON.stringify({ username: 'orders_app', password }), /PASSWORD/);
    const err = await handler(event('Create'), {}).catch((e: Error) => e);
    expect(err.message).toBe('Setting the password of orders_app failed (BadRequestException).');
    expect(err.message).not.toContain('SCRAM');
  });

  test('on delete, disables the login users and never fails the deletion', async () => {
    const { handler, sent } = loadHandler('{}', /NOLOGIN/);
    await expect(handler(event('Delete'), {})).resolves.toEqual({ PhysicalResourceId: 'orders_app@orders' });
    expect(sent).toEqual(['ALTER ROLE x NOLOGIN']);
  });
});
