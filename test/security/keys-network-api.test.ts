import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { PrivateEcsService, PrivateNetworkLoadBalancer, PrivateRestApi } from '../../src';
import { IMAGE, newStack, newVpc } from '../parts/fixtures';
import { synthService } from '../service/fixtures';

const KEY_ID = (stack: any, key: kms.Key) => ({ 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild), 'Arn'] });

describe('PrivateLinkEcsService with a customer-managed key', () => {
  test('GIVEN encryptionKey WHEN synthesized THEN the container, access and WAF log groups and the alarm topic use it', () => {
    // GIVEN / WHEN
    let key!: kms.Key;
    const { stack, template, service } = synthService({}, (s) => {
      key = new kms.Key(s, 'Key');
      return { encryptionKey: key };
    });
    // THEN
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    expect(groups).toHaveLength(3);
    for (const g of groups) {
      expect(g.Properties.KmsKeyId).toEqual(KEY_ID(stack, key));
    }
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: KEY_ID(stack, key) });
    expect(service.monitoring!.alarmTopic.node.path).toBe('Service/Items/AlarmTopic');
  });

  test('GIVEN encryptionKey and an alarm topic of the user WHEN synthesized THEN the user topic is used as is', () => {
    const { template } = synthService({}, (s) => ({
      encryptionKey: new kms.Key(s, 'Key'),
      monitoring: { alarmTopic: new sns.Topic(s, 'Mine') },
    }));
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.absent() });
  });

  test('GIVEN no key WHEN synthesized THEN the log groups carry no KmsKeyId and a warning names the prop', () => {
    const { template, stack } = synthService();
    for (const g of Object.values(template.findResources('AWS::Logs::LogGroup'))) {
      expect(g.Properties.KmsKeyId).toBeUndefined();
    }
    const warnings = Annotations.fromStack(stack)
      .findWarning('*', Match.stringLikeRegexp('logEncryptionKey'))
      .map((w) => `${w.id} ${String(w.entry.data).replace(/\s*\[ack: [^\]]+\]$/, '')}`);
    expect(warnings).toEqual([
      "/Service/Items/Service `encryptionKey` is not set: the container's log group uses CloudWatch Logs' own encryption; NIST 800-53, PCI DSS and HIPAA checks ask for a customer-managed key.",
      "/Service/Items/Api `encryptionKey` is not set: the access log group uses CloudWatch Logs' own encryption; NIST 800-53, PCI DSS and HIPAA checks ask for a customer-managed key.",
    ]);
  });

  test('GIVEN a key WHEN synthesized THEN no key warning', () => {
    const { stack } = synthService({}, (s) => ({ encryptionKey: new kms.Key(s, 'Key') }));
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('logEncryptionKey'))).toEqual([]);
  });
});

describe('PrivateNetworkLoadBalancer protection and access logs', () => {
  test('GIVEN deletionProtection WHEN synthesized THEN the attribute is on', () => {
    const stack = newStack();
    new PrivateNetworkLoadBalancer(stack, 'Nlb', { vpc: newVpc(stack), deletionProtection: true });
    Template.fromStack(stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'deletion_protection.enabled', Value: 'true' }]),
    });
  });

  test('GIVEN a bucket and a TLS listener WHEN synthesized THEN access logs go to the bucket without ELB2 acknowledgement', () => {
    // GIVEN
    const stack = newStack();
    const vpc = newVpc(stack);
    const bucket = new s3.Bucket(stack, 'Logs', { encryption: s3.BucketEncryption.S3_MANAGED });
    const nlb = new PrivateNetworkLoadBalancer(stack, 'Nlb', { vpc, accessLogBucket: bucket, accessLogPrefix: 'nlb' });
    const items = new PrivateEcsService(stack, 'Items', {
      vpc,
      image: IMAGE,
      containerUser: '1000',
      readonlyRootFilesystem: true,
    });
    // WHEN
    nlb.addService(items, {
      port: 443,
      tls: {
        certificate: acm.Certificate.fromCertificateArn(
          stack,
          'Cert',
          'arn:aws:acm:us-east-2:123456789012:certificate/11111111-2222-3333-4444-555555555555',
        ),
        serverName: 'items.internal.example',
      },
    });
    const template = Template.fromStack(stack);
    // THEN
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([
        { Key: 'access_logs.s3.enabled', Value: 'true' },
        { Key: 'access_logs.s3.bucket', Value: { Ref: stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket) } },
        { Key: 'access_logs.s3.prefix', Value: 'nlb' },
      ]),
    });
    const acks = nlb.loadBalancer.node.metadata.filter((m) => JSON.stringify(m.data).includes('ELB2'));
    expect(acks).toEqual([]);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('accessLogsWithoutTls'))).toEqual([]);
  });

  test('GIVEN a bucket and a TCP listener WHEN synthesized THEN a warning says nothing is logged', () => {
    const stack = newStack();
    const vpc = newVpc(stack);
    const nlb = new PrivateNetworkLoadBalancer(stack, 'Nlb', { vpc, accessLogBucket: new s3.Bucket(stack, 'Logs') });
    nlb.addService(new PrivateEcsService(stack, 'Items', { vpc, image: IMAGE }), { port: 80 });
    const warnings = Annotations.fromStack(stack)
      .findWarning('*', Match.stringLikeRegexp('accessLogsWithoutTls'))
      .map((w) => String(w.entry.data).replace(/\s*\[ack: [^\]]+\]$/, ''));
    expect(warnings).toEqual([
      "`accessLogBucket` is set but the listener on port 80 has no `tls`: AWS writes NLB access logs for TLS listeners only, so this listener's connections are not logged.",
    ]);
  });

  test('GIVEN a prefix without a bucket WHEN created THEN it fails', () => {
    const stack = newStack();
    expect(() => new PrivateNetworkLoadBalancer(stack, 'Nlb', { vpc: newVpc(stack), accessLogPrefix: 'nlb' })).toThrow(
      '`accessLogPrefix` needs `accessLogBucket`, got: no bucket.',
    );
  });
});

describe('PrivateRestApi write principals and key', () => {
  const WRITER = 'arn:aws:iam::123456789012:role/items-writer';

  test('GIVEN writePrincipalArns WHEN synthesized THEN the resource policy allows invoke and denies writes to others', () => {
    // GIVEN
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');
    // WHEN
    const api = new PrivateRestApi(stack, 'Api', {
      writePrincipalArns: [WRITER],
      encryptionKey: key,
      webAclArn: 'arn:aws:wafv2:us-east-2:123456789012:regional/webacl/x/1',
    });
    const vpc = newVpc(stack);
    const nlb = new PrivateNetworkLoadBalancer(stack, 'Nlb', { vpc });
    api.addRoute('/', nlb.addService(new PrivateEcsService(stack, 'Items', { vpc, image: IMAGE }), { port: 80 }));
    const template = Template.fromStack(stack);
    // THEN
    template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      Policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AllowInvoke',
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: 'execute-api:Invoke',
            Resource: 'execute-api:/*',
          },
          {
            Sid: 'DenyWritesFromOthers',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 'execute-api:Invoke',
            Resource: [
              'execute-api:/*/POST/*',
              'execute-api:/*/PUT/*',
              'execute-api:/*/PATCH/*',
              'execute-api:/*/DELETE/*',
            ],
            Condition: { ArnNotLike: { 'aws:PrincipalArn': [WRITER] } },
          },
        ],
      },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: KEY_ID(stack, key) });
  });

  test.each([
    [[], '`writePrincipalArns` must name at least one principal ARN, got: [].'],
    [['items-writer'], "`writePrincipalArns` must hold IAM or STS principal ARNs, got: 'items-writer'."],
  ])('GIVEN writePrincipalArns %j WHEN created THEN it fails', (arns, message) => {
    const stack = newStack();
    expect(() => new PrivateRestApi(stack, 'Api', { writePrincipalArns: arns })).toThrow(message);
  });
});
