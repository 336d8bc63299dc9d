import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildGtucApp, GtucStacks } from '../../example/app';

type Resource = { Type: string; Properties?: any; DependsOn?: string[] };

function byType(template: Template, type: string): Array<[string, Resource]> {
  return Object.entries(template.toJSON().Resources as Record<string, Resource>).filter(([, r]) => r.Type === type);
}

function only(template: Template, type: string, idPart: string): [string, Resource] {
  const found = byType(template, type).filter(([id]) => id.includes(idPart));
  expect(found.map(([id]) => id)).toHaveLength(1);
  return found[0];
}

/** Every IAM statement of a template, with the role(s) its policy is attached to. */
function statements(template: Template) {
  return byType(template, 'AWS::IAM::Policy').flatMap(([id, p]) =>
    (p.Properties.PolicyDocument.Statement as any[]).map((s) => ({ policy: id, roles: p.Properties.Roles, ...s })),
  );
}

describe('database access of the GTUC example', () => {
  let stacks: GtucStacks;
  let db: Template;
  let migrations: Template;
  let services: Record<string, Template>;
  let outdir: string;
  let masterAttachment: string;

  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gtuc-db-'));
    const app = new App({ outdir, context: { nag: 'false' } });
    stacks = buildGtucApp(app);
    const assembly = app.synth();
    const t = (name: string) => Template.fromJSON(assembly.getStackByName(name).template);
    db = t('items-database');
    migrations = t('items-migrations');
    services = { awsvpc: t('items-service-awsvpc'), bridge: t('items-service-bridge') };
    masterAttachment = only(db, 'AWS::SecretsManager::SecretTargetAttachment', 'ClusterSecretAttachment')[0];
  });
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  describe('GIVEN the database stack', () => {
    test('THEN the role setup runs after the writer and reader instances, as the master user, through the Data API', () => {
      db.hasResourceProperties('AWS::RDS::DBCluster', { EnableHttpEndpoint: true });
      const [, setup] = only(db, 'Custom::PostgresApplicationRoles', 'AppUserRoleSetup');
      expect(setup.DependsOn).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^ClusterWriter/),
          expect.stringMatching(/^ClusterReader/),
          expect.stringMatching(/^Cluster[A-F0-9]{8}$/),
        ]),
      );
      expect(setup.Properties).toMatchObject({
        MasterSecretArn: { Ref: masterAttachment },
        DatabaseName: 'items',
        UserName: 'items_app',
        GroupRoleName: 'items_app_rw',
        PasswordSecretArn: { Ref: only(db, 'AWS::SecretsManager::Secret', 'AppUserSecret')[0] },
      });
    });

    test('THEN the group role gets DML only, default privileges follow the migration user, the login user only joins the group', () => {
      const [, setup] = only(db, 'Custom::PostgresApplicationRoles', 'AppUserRoleSetup');
      expect(setup.Properties.Statements).toEqual([
        'DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = \'items_app_rw\') THEN CREATE ROLE "items_app_rw" NOLOGIN; END IF; END $$',
        'GRANT CONNECT ON DATABASE "items" TO "items_app_rw"',
        'REVOKE CREATE ON SCHEMA "public" FROM PUBLIC',
        'GRANT USAGE ON SCHEMA "public" TO "items_app_rw"',
        'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "public" TO "items_app_rw"',
        'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "public" TO "items_app_rw"',
        'ALTER DEFAULT PRIVILEGES FOR ROLE "items_admin" IN SCHEMA "public" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "items_app_rw"',
        'ALTER DEFAULT PRIVILEGES FOR ROLE "items_admin" IN SCHEMA "public" GRANT USAGE, SELECT ON SEQUENCES TO "items_app_rw"',
        'DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = \'items_app\') THEN CREATE ROLE "items_app" LOGIN; END IF; END $$',
        'ALTER ROLE "items_app" WITH LOGIN INHERIT NOCREATEDB NOCREATEROLE',
        'GRANT "items_app_rw" TO "items_app"',
        expect.stringContaining('REVOKE "rds_iam" FROM %I'),
      ]);
      // No password anywhere in the template: the function reads it from the secret at deploy time.
      expect(JSON.stringify(db.toJSON())).not.toMatch(/PASSWORD '/);
    });

    test('THEN the application secret is attached and scheduled only after the role setup (DependsOn)', () => {
      const [setupId] = only(db, 'Custom::PostgresApplicationRoles', 'AppUserRoleSetup');
      const [attachmentId, attachment] = only(
        db,
        'AWS::SecretsManager::SecretTargetAttachment',
        'AppUserSecretAttachment',
      );
      expect(attachment.DependsOn).toContain(setupId);
      const [, schedule] = only(db, 'AWS::SecretsManager::RotationSchedule', 'AppUserSecretAttachmentRotationSchedule');
      expect(schedule.DependsOn).toContain(setupId);
      expect(schedule.Properties).toMatchObject({
        SecretId: { Ref: attachmentId },
        RotationRules: { ScheduleExpression: 'rate(30 days)' },
      });
      // rotateImmediatelyOnUpdate is on (the CloudFormation default): the first rotation runs at deploy.
      expect(schedule.Properties.RotateImmediatelyOnUpdate ?? true).toBe(true);
      const [, rotationApp] = only(db, 'AWS::Serverless::Application', 'AppUserRotation');
      expect(rotationApp.DependsOn).toContain(setupId);
    });

    test('THEN the rotation is the alternating-users one, with the master secret as the rotating credential', () => {
      const [rotationId, rotationApp] = only(db, 'AWS::Serverless::Application', 'AppUserRotation');
      expect(rotationApp.Properties.Parameters).toMatchObject({
        masterSecretArn: { Ref: masterAttachment },
        excludeCharacters: '"@/\\\'',
        vpcSecurityGroupIds: {
          'Fn::GetAtt': [expect.stringMatching(/^ClusterAppUserRotationSecurityGroup/), 'GroupId'],
        },
      });
      const mapping = db.toJSON().Mappings[rotationApp.Properties.Location.ApplicationId['Fn::FindInMap'][0]];
      expect(mapping.aws.applicationId).toMatch(/SecretsManagerRDSPostgreSQLRotationMultiUser$/);
      expect(rotationId).toMatch(/^ClusterAppUserRotation/);
      // The secret names the master secret (the rotation function reads `masterarn`) and the database.
      db.hasResourceProperties('AWS::SecretsManager::Secret', {
        Name: 'items-rds-db-app-credentials',
        GenerateSecretString: {
          SecretStringTemplate: {
            'Fn::Join': [
              '',
              ['{"username":"items_app","dbname":"items","masterarn":"', { Ref: masterAttachment }, '"}'],
            ],
          },
          GenerateStringKey: 'password',
          ExcludeCharacters: '"@/\\\'',
        },
      });
      // The master keeps its own single-user rotation.
      const [, master] = only(db, 'AWS::Serverless::Application', 'ClusterRotationSingleUser');
      const masterMapping = db.toJSON().Mappings[master.Properties.Location.ApplicationId['Fn::FindInMap'][0]];
      expect(masterMapping.aws.applicationId).toMatch(/SecretsManagerRDSPostgreSQLRotationSingleUser$/);
    });

    test('THEN the role-setup function may run SQL on this cluster and read the two secrets, nothing else', () => {
      const setup = statements(db).filter((s) => s.policy.startsWith('AppUserRoleSetupRoleDefaultPolicy'));
      expect(setup.map((s) => [s.Action, s.Resource])).toEqual([
        [
          ['logs:CreateLogStream', 'logs:PutLogEvents'],
          { 'Fn::GetAtt': [expect.stringMatching(/^AppUserRoleSetupLogs/), 'Arn'] },
        ],
        [
          [
            'rds-data:BatchExecuteStatement',
            'rds-data:BeginTransaction',
            'rds-data:CommitTransaction',
            'rds-data:ExecuteStatement',
            'rds-data:RollbackTransaction',
          ],
          {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':rds:us-east-2:',
                { Ref: 'AWS::AccountId' },
                ':cluster:',
                { Ref: expect.stringMatching(/^Cluster/) },
              ],
            ],
          },
        ],
        [['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], { Ref: masterAttachment }],
        [
          ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          { Ref: expect.stringMatching(/^AppUserSecret[A-F0-9]{8}$/) },
        ],
      ]);
      db.hasResourceProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs24.x',
        Handler: 'index.handler',
        Code: { ZipFile: Match.stringLikeRegexp('SCRAM-SHA-256') },
      });
    });
  });

  describe('GIVEN the service stacks', () => {
    test('THEN their task and execution roles can read the application secret only, and only the task role reads it', () => {
      for (const [mode, template] of Object.entries(services)) {
        const secretStatements = statements(template).filter((s) =>
          [s.Action].flat().some((a: string) => a.startsWith('secretsmanager:')),
        );
        expect({ mode, found: secretStatements.map((s) => [s.policy, s.Resource]) }).toEqual({
          mode,
          found: [
            [
              expect.stringMatching(/^ItemsServiceTaskDefinitionTaskRoleDefaultPolicy/),
              { 'Fn::ImportValue': expect.stringMatching(/^items-database:ExportsOutputRefAppUserSecretAttachment/) },
            ],
          ],
        });
        expect(secretStatements[0].Action).toEqual(['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret']);
        // Nothing broader elsewhere either: no role in the stack has secretsmanager or rds-data on '*'.
        const wide = statements(template).filter(
          (s) => s.Resource === '*' && [s.Action].flat().some((a: string) => /^(secretsmanager|rds-data|kms):/.test(a)),
        );
        expect(wide).toEqual([]);
      }
    });

    test('THEN nothing in a service stack references the master secret', () => {
      const masterExport = `items-database:ExportsOutputRef${masterAttachment}`;
      for (const template of Object.values(services)) {
        const text = JSON.stringify(template.toJSON());
        expect(text).not.toContain(masterAttachment);
        expect(text).not.toContain('items-rds-db-credentials');
        expect(text).not.toContain('ClusterSecret');
        expect(text).toContain('ExportsOutputRefAppUserSecretAttachment');
        expect(text.includes(masterExport)).toBe(false);
      }
    });

    test('THEN each service stack deploys after the migrations stack', () => {
      for (const service of stacks.services) {
        expect(service.dependencies.map((d) => d.stackName)).toContain('items-migrations');
      }
      expect(stacks.migrations.dependencies.map((d) => d.stackName)).toEqual(
        expect.arrayContaining(['items-database', 'items-network']),
      );
    });
  });

  describe('GIVEN the migrations stack', () => {
    test('THEN a one-off Fargate task runs `node dist/cli/migrate.js` with the master secret, read by its task role', () => {
      migrations.hasResourceProperties('AWS::ECS::TaskDefinition', {
        Family: 'items-migrate',
        RequiresCompatibilities: ['FARGATE'],
        NetworkMode: 'awsvpc',
        ContainerDefinitions: [
          Match.objectLike({
            Name: 'migrate',
            Command: ['node', 'dist/cli/migrate.js'],
            ReadonlyRootFilesystem: true,
            Environment: [
              {
                Name: 'DB_SECRET_ARN',
                Value: {
                  'Fn::ImportValue': Match.stringLikeRegexp(`^items-database:ExportsOutputRef${masterAttachment}`),
                },
              },
              { Name: 'DB_NAME', Value: 'items' },
              { Name: 'DB_SSL', Value: 'true' },
              { Name: 'DB_APP_GROUP_ROLE', Value: 'items_app_rw' },
              { Name: 'LOG_LEVEL', Value: 'info' },
            ],
          }),
        ],
      });
      const reads = statements(migrations).filter((s) =>
        [s.Action].flat().some((a: string) => a.startsWith('secretsmanager:')),
      );
      expect(reads.map((s) => [s.policy, s.Resource])).toEqual([
        [
          expect.stringMatching(/^TaskDefinitionTaskRoleDefaultPolicy/),
          {
            'Fn::ImportValue': expect.stringMatching(new RegExp(`^items-database:ExportsOutputRef${masterAttachment}`)),
          },
        ],
      ]);
    });

    test('THEN a custom resource runs that task once per task definition revision and waits for exit code 0', () => {
      const [, run] = only(migrations, 'Custom::EcsOneOffTask', 'Run');
      expect(run.Properties).toMatchObject({
        ClusterArn: { 'Fn::GetAtt': [expect.stringMatching(/^Cluster/), 'Arn'] },
        TaskDefinitionArn: { Ref: expect.stringMatching(/^TaskDefinition/) },
        ContainerName: 'migrate',
        LogGroupName: { Ref: expect.stringMatching(/^Logs/) },
        LogStreamPrefix: 'migrate',
        SecurityGroups: [{ 'Fn::GetAtt': [expect.stringMatching(/^SecurityGroup/), 'GroupId'] }],
      });
      expect(run.Properties.Subnets).toHaveLength(3);
      const runTask = statements(migrations).find((s) => s.Action === 'ecs:RunTask');
      expect(runTask).toMatchObject({
        Resource: { Ref: expect.stringMatching(/^TaskDefinition/) },
        Condition: { ArnEquals: { 'ecs:cluster': { 'Fn::GetAtt': [expect.stringMatching(/^Cluster/), 'Arn'] } } },
      });
      const passRole = statements(migrations).find((s) => s.Action === 'iam:PassRole');
      expect(passRole.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } });
      expect(passRole.Resource).toHaveLength(2);
      migrations.hasResourceProperties('AWS::StepFunctions::StateMachine', {
        LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
      });
    });

    test('THEN the task may reach HTTPS and PostgreSQL in the RDS VPC only, and nothing may reach it', () => {
      migrations.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupName: 'items-ecs-migrate-sg',
        SecurityGroupEgress: [
          { CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: Match.anyValue() },
          {
            CidrIp: '10.1.0.0/16',
            IpProtocol: 'tcp',
            FromPort: 5432,
            ToPort: 5432,
            Description: Match.anyValue(),
          },
        ],
      });
      const [, sg] = only(migrations, 'AWS::EC2::SecurityGroup', 'SecurityGroup');
      expect(sg.Properties.SecurityGroupIngress).toBeUndefined();
    });
  });
});
