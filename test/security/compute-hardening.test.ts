import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import {
  CapacityOptions,
  PrivateEcsService,
  PrivateEcsServiceProps,
  ServiceCapacity,
  ServiceNetworkMode,
} from '../../src';
import { IMAGE, newStack, newVpc } from '../parts/fixtures';

/** GIVEN a stack and VPC WHEN a service with `props` (and capacity `capacity`) is added THEN its stack. */
function service(props: Partial<PrivateEcsServiceProps> = {}, capacity?: CapacityOptions): Stack {
  const stack = newStack();
  new PrivateEcsService(stack, 'Items', {
    vpc: newVpc(stack),
    image: IMAGE,
    capacity: ServiceCapacity.autoScalingGroup(capacity),
    ...props,
  });
  return stack;
}

/** The user data of the stack's only launch template, joined. */
function userData(template: Template): string {
  const lts = Object.values(template.findResources('AWS::EC2::LaunchTemplate'));
  expect(lts).toHaveLength(1);
  const joinArgs = lts[0].Properties.LaunchTemplateData.UserData['Fn::Base64']['Fn::Join'][1] as unknown[];
  return joinArgs.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join('');
}

function warnings(stack: Stack, id: string): string[] {
  return Annotations.fromStack(stack)
    .findWarning('*', Match.stringLikeRegexp(`\\[ack: @gtuc/cdk-privatelink-ecs:${id}\\]`))
    .map((w) => String(w.entry.data).replace(/\s*\[ack: [^\]]+\]$/, ''));
}

const HARDENED: Partial<PrivateEcsServiceProps> = { containerUser: '1000:1000', readonlyRootFilesystem: true };

/** The AwsSolutions-ECS2 acknowledgements under the stack. */
function ecs2Acks(stack: Stack): string[] {
  return stack.node
    .findAll()
    .flatMap((c) => c.node.metadata.map((m) => JSON.stringify(m.data)))
    .filter((d) => d.includes('AwsSolutions-ECS2'));
}

describe('PrivateEcsService hardening', () => {
  test('GIVEN no environment in awsvpc mode WHEN synthesized THEN ECS2 is acknowledged for AWS_REGION only', () => {
    const stack = service(HARDENED);
    expect(ecs2Acks(stack)).toEqual([
      JSON.stringify({
        'annotation::AwsSolutions-ECS2':
          "The container's only environment variable is AWS_REGION, which aws-cdk-lib's Ec2TaskDefinition adds to awsvpc containers (the region, not a secret).",
      }),
    ]);
    Template.fromStack(stack).hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ Environment: [{ Name: 'AWS_REGION', Value: 'us-east-2' }] })],
    });
  });

  test("GIVEN the user's own environment WHEN synthesized THEN ECS2 is not acknowledged (the user must review it)", () => {
    expect(ecs2Acks(service({ ...HARDENED, environment: { API_TOKEN: 'secret-in-plain-text' } }))).toEqual([]);
    expect(ecs2Acks(service({ ...HARDENED, networkMode: ServiceNetworkMode.BRIDGE }))).toEqual([]);
  });

  describe('GIVEN default capacity WHEN synthesized', () => {
    const stack = service(HARDENED);
    const template = Template.fromStack(stack);

    test('THEN the launch template requires IMDSv2 with hop limit 1 and detailed monitoring', () => {
      template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
        LaunchTemplateData: Match.objectLike({
          MetadataOptions: { HttpEndpoint: 'enabled', HttpPutResponseHopLimit: 1, HttpTokens: 'required' },
          Monitoring: { Enabled: true },
        }),
      });
    });

    test('THEN the ECS agent blocks awsvpc tasks from IMDS before the cluster line', () => {
      const text = userData(template);
      expect(text).toContain('#!/bin/bash\necho ECS_AWSVPC_BLOCK_IMDS=true >> /etc/ecs/ecs.config\necho ECS_CLUSTER=');
    });

    test('THEN the container runs as the user, read-only, every capability dropped, unprivileged', () => {
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [
          Match.objectLike({
            User: '1000:1000',
            ReadonlyRootFilesystem: true,
            Privileged: false,
            LinuxParameters: { Capabilities: { Drop: ['ALL'] } },
          }),
        ],
      });
    });

    test('THEN there are no hardening warnings', () => {
      for (const id of ['containerUser', 'readonlyRootFilesystem', 'metadataHopLimit', 'blockTaskMetadataAccess']) {
        expect(warnings(stack, id)).toEqual([]);
      }
    });

    test('THEN there is no mixed instances policy', () => {
      template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
        MixedInstancesPolicy: Match.absent(),
        LaunchTemplate: Match.objectLike({ Version: Match.anyValue() }),
      });
    });
  });

  test('GIVEN added capabilities and a tmpfs WHEN synthesized THEN they are in the linux parameters', () => {
    const template = Template.fromStack(
      service({
        ...HARDENED,
        addCapabilities: [ecs.Capability.NET_BIND_SERVICE],
        tmpfs: [{ containerPath: '/tmp', size: 64, mountOptions: [ecs.TmpfsMountOption.NOEXEC] }],
      }),
    );
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [
        Match.objectLike({
          LinuxParameters: {
            Capabilities: { Add: ['NET_BIND_SERVICE'], Drop: ['ALL'] },
            Tmpfs: [{ ContainerPath: '/tmp', Size: 64, MountOptions: ['noexec'] }],
          },
        }),
      ],
    });
  });

  test('GIVEN an encryption key WHEN synthesized THEN the container log group uses it', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');
    new PrivateEcsService(stack, 'Items', { vpc: newVpc(stack), image: IMAGE, ...HARDENED, encryptionKey: key });
    Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', {
      KmsKeyId: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] },
    });
  });

  test('GIVEN two instance types and a Spot share WHEN synthesized THEN the group has a mixed instances policy', () => {
    const template = Template.fromStack(
      service(HARDENED, {
        instanceTypes: [new ec2.InstanceType('t3.medium'), new ec2.InstanceType('t3a.medium')],
        spotPercentage: 25,
      }),
    );
    template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      LaunchTemplate: Match.absent(),
      MixedInstancesPolicy: {
        InstancesDistribution: {
          OnDemandAllocationStrategy: 'prioritized',
          OnDemandBaseCapacity: 0,
          OnDemandPercentageAboveBaseCapacity: 75,
          SpotAllocationStrategy: 'price-capacity-optimized',
        },
        LaunchTemplate: {
          LaunchTemplateSpecification: Match.objectLike({ LaunchTemplateId: Match.anyValue() }),
          Overrides: [{ InstanceType: 't3.medium' }, { InstanceType: 't3a.medium' }],
        },
      },
    });
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({ InstanceType: 't3.medium' }),
    });
  });

  describe('GIVEN weakening choices WHEN synthesized THEN each is accepted with a warning naming the prop', () => {
    test('no user, no read-only root', () => {
      const stack = service();
      expect(warnings(stack, 'containerUser')).toEqual([
        "`containerUser` is not set: the container runs as the image's USER, root unless the image says otherwise. Set a non-root user (e.g. '1000:1000').",
      ]);
      expect(warnings(stack, 'readonlyRootFilesystem')).toEqual([
        '`readonlyRootFilesystem` is not set: the container can write to its root filesystem. Set it to true (with `tmpfs` mounts where the process writes).',
      ]);
    });

    test('root user, writable root', () => {
      const stack = service({ containerUser: '0:0', readonlyRootFilesystem: false });
      expect(warnings(stack, 'containerUser')).toEqual(["`containerUser` is '0:0': the container runs as root."]);
      expect(warnings(stack, 'readonlyRootFilesystem')).toEqual([
        '`readonlyRootFilesystem` is false: the container can write to its root filesystem. Set it to true (with `tmpfs` mounts where the process writes).',
      ]);
      expect(warnings(service({ ...HARDENED, containerUser: 'root' }), 'containerUser')).toEqual([
        "`containerUser` is 'root': the container runs as root.",
      ]);
    });

    test('SYS_ADMIN given back', () => {
      const stack = service({ ...HARDENED, addCapabilities: [ecs.Capability.SYS_ADMIN] });
      expect(warnings(stack, 'addCapabilities')).toEqual([
        '`addCapabilities` gives back SYS_ADMIN: the container is nearly as powerful as a privileged one.',
      ]);
    });

    test('hop limit 2', () => {
      const stack = service(HARDENED, { metadataHopLimit: 2 });
      expect(warnings(stack, 'metadataHopLimit')).toEqual([
        "`capacity.metadataHopLimit` is 2: bridge-mode containers can reach the instance metadata service and take the instance role's credentials. Keep it at 1 unless a container truly needs IMDS.",
      ]);
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::LaunchTemplate', {
        LaunchTemplateData: Match.objectLike({ MetadataOptions: Match.objectLike({ HttpPutResponseHopLimit: 2 }) }),
      });
    });

    test('IMDS block off, detailed monitoring off', () => {
      const stack = service(HARDENED, { blockTaskMetadataAccess: false, detailedMonitoring: false });
      expect(warnings(stack, 'blockTaskMetadataAccess')).toEqual([
        "`capacity.blockTaskMetadataAccess` is false: awsvpc tasks can reach the instance metadata service and take the instance role's credentials.",
      ]);
      expect(warnings(stack, 'detailedMonitoring')).toEqual([
        '`capacity.detailedMonitoring` is false: the instances report EC2 metrics every 5 minutes only.',
      ]);
      const template = Template.fromStack(stack);
      expect(userData(template)).not.toContain('ECS_AWSVPC_BLOCK_IMDS');
      template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
        LaunchTemplateData: Match.objectLike({ Monitoring: { Enabled: false } }),
      });
    });
  });

  test('GIVEN bridge mode WHEN synthesized THEN the hop limit stays 1 (bridge containers are one hop further)', () => {
    const template = Template.fromStack(service({ ...HARDENED, networkMode: ServiceNetworkMode.BRIDGE }));
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({ MetadataOptions: Match.objectLike({ HttpPutResponseHopLimit: 1 }) }),
    });
  });

  describe('GIVEN invalid capacity WHEN created THEN it fails naming the prop and the value', () => {
    test.each([
      [{ metadataHopLimit: 0 }, '`capacity.metadataHopLimit` must be an integer from 1 to 64, got: 0.'],
      [{ metadataHopLimit: 65 }, '`capacity.metadataHopLimit` must be an integer from 1 to 64, got: 65.'],
      [
        { instanceTypes: [new ec2.InstanceType('t3.medium'), new ec2.InstanceType('t3.medium')] },
        '`capacity.instanceTypes` must not repeat an instance type, got: t3.medium twice.',
      ],
      [{ instanceTypes: [] }, '`capacity.instanceTypes` must list at least one instance type, got: [].'],
      [
        { instanceTypes: [new ec2.InstanceType('t3.medium')], spotPercentage: 101 },
        '`capacity.spotPercentage` must be an integer from 0 to 100, got: 101.',
      ],
      [
        { instanceTypes: [new ec2.InstanceType('t3.medium')], spotPercentage: -1 },
        '`capacity.spotPercentage` must be an integer from 0 to 100, got: -1.',
      ],
      [{ spotPercentage: 50 }, '`capacity.spotPercentage` needs `capacity.instanceTypes` (a mixed instances policy).'],
      [
        { instanceType: new ec2.InstanceType('t3.medium'), instanceTypes: [new ec2.InstanceType('t3a.medium')] },
        '`capacity.instanceTypes` and `capacity.instanceType` are exclusive: list every type in `instanceTypes`.',
      ],
    ] as Array<[CapacityOptions, string]>)('%j', (options, message) => {
      expect(() => ServiceCapacity.autoScalingGroup(options)).toThrow(message);
    });
  });
});
