import { Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { PrivateEcsService, PrivateEcsServiceProps, ServiceCapacity } from '../../src';
import { IMAGE, newStack, newVpc } from '../parts/fixtures';

function service(stack: Stack, props: Partial<PrivateEcsServiceProps> = {}) {
  const vpc = (stack.node.tryFindChild('Vpc') as ec2.Vpc) ?? newVpc(stack);
  return new PrivateEcsService(stack, 'Billing', { vpc, image: IMAGE, containerPort: 8080, ...props });
}

/** The message of the error thrown while the service is created, or undefined. */
function errorOf(make: (stack: Stack) => void): string | undefined {
  const stack = newStack();
  try {
    make(stack);
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
}

/** A Fargate task definition of `size` with a container mapping 8080. */
function fargateTaskDefinition(stack: Stack, size: ecs.FargateTaskDefinitionProps) {
  const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Td', size);
  taskDefinition.addContainer('app', { image: IMAGE, portMappings: [{ containerPort: 8080 }] });
  return taskDefinition;
}

describe('PrivateEcsService task size on Fargate', () => {
  describe('GIVEN ServiceCapacity.fargate() WHEN the task definition is created from `image`', () => {
    test.each([
      [256, 512],
      [256, 2048],
      [512, 3072],
      [1024, 8192],
      [2048, 16384],
      [4096, 30720],
      [8192, 61440],
      [16384, 122880],
    ])('THEN cpu %d with memoryLimitMiB %d synthesizes with that task size', (cpu, memoryLimitMiB) => {
      const stack = newStack();
      service(stack, { capacity: ServiceCapacity.fargate(), cpu, memoryLimitMiB });
      Template.fromStack(stack).hasResourceProperties('AWS::ECS::TaskDefinition', {
        Cpu: String(cpu),
        Memory: String(memoryLimitMiB),
        RequiresCompatibilities: ['FARGATE'],
      });
    });

    test.each([
      [
        300,
        512,
        "`cpu` must be one of Fargate's task CPU values (256, 512, 1024, 2048, 4096, 8192 or 16384), got: 300.",
      ],
      [
        128,
        512,
        "`cpu` must be one of Fargate's task CPU values (256, 512, 1024, 2048, 4096, 8192 or 16384), got: 128.",
      ],
      [256, 4096, '`memoryLimitMiB` must be a Fargate memory size for `cpu` 256 (512, 1024 or 2048 MiB), got: 4096.'],
      [256, 1536, '`memoryLimitMiB` must be a Fargate memory size for `cpu` 256 (512, 1024 or 2048 MiB), got: 1536.'],
      [
        512,
        512,
        '`memoryLimitMiB` must be a Fargate memory size for `cpu` 512 (1024 to 4096 in steps of 1024 MiB), got: 512.',
      ],
      [
        1024,
        2500,
        '`memoryLimitMiB` must be a Fargate memory size for `cpu` 1024 (2048 to 8192 in steps of 1024 MiB), got: 2500.',
      ],
      [
        2048,
        17408,
        '`memoryLimitMiB` must be a Fargate memory size for `cpu` 2048 (4096 to 16384 in steps of 1024 MiB), got: 17408.',
      ],
      [
        4096,
        31744,
        '`memoryLimitMiB` must be a Fargate memory size for `cpu` 4096 (8192 to 30720 in steps of 1024 MiB), got: 31744.',
      ],
      [
        8192,
        17408,
        '`memoryLimitMiB` must be a Fargate memory size for `cpu` 8192 (16384 to 61440 in steps of 4096 MiB), got: 17408.',
      ],
      [
        16384,
        36864,
        '`memoryLimitMiB` must be a Fargate memory size for `cpu` 16384 (32768 to 122880 in steps of 8192 MiB), got: 36864.',
      ],
    ])('THEN cpu %d with memoryLimitMiB %d fails synth', (cpu, memoryLimitMiB, message) => {
      expect(errorOf((stack) => service(stack, { capacity: ServiceCapacity.fargate(), cpu, memoryLimitMiB }))).toBe(
        message,
      );
    });

    test('THEN the defaults (256 CPU, 512 MiB) are a Fargate size', () => {
      expect(errorOf((stack) => service(stack, { capacity: ServiceCapacity.fargate() }))).toBeUndefined();
    });

    test('THEN unresolved values are not checked', () => {
      const stack = newStack();
      service(stack, {
        capacity: ServiceCapacity.fargate(),
        cpu: Token.asNumber({ Ref: 'Cpu' }),
        memoryLimitMiB: Token.asNumber({ Ref: 'Memory' }),
      });
      Template.fromStack(stack).hasResourceProperties('AWS::ECS::TaskDefinition', {
        Cpu: { Ref: 'Cpu' },
        Memory: { Ref: 'Memory' },
      });
    });
  });

  describe('GIVEN an EC2 capacity WHEN cpu and memoryLimitMiB are no Fargate size', () => {
    test('THEN they are container limits and synth does not apply the Fargate table', () => {
      const stack = newStack();
      service(stack, { cpu: 300, memoryLimitMiB: 700 });
      Template.fromStack(stack).hasResourceProperties('AWS::ECS::TaskDefinition', {
        RequiresCompatibilities: ['EC2'],
        ContainerDefinitions: [{ Name: 'app', Cpu: 300, Memory: 700 }],
      });
    });
  });

  describe('GIVEN ServiceCapacity.fargate() WHEN a task definition of your own is passed', () => {
    test('THEN a Fargate size passes', () => {
      const stack = newStack();
      const taskDefinition = fargateTaskDefinition(stack, { cpu: 1024, memoryLimitMiB: 3072 });
      service(stack, { capacity: ServiceCapacity.fargate(), image: undefined, taskDefinition });
      Template.fromStack(stack).hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '1024', Memory: '3072' });
    });

    test('THEN a CPU value Fargate does not offer fails synth', () => {
      expect(
        errorOf((stack) =>
          service(stack, {
            capacity: ServiceCapacity.fargate(),
            image: undefined,
            taskDefinition: fargateTaskDefinition(stack, { cpu: 768, memoryLimitMiB: 2048 }),
          }),
        ),
      ).toBe(
        "`taskDefinition` task CPU must be one of Fargate's task CPU values (256, 512, 1024, 2048, 4096, 8192 or 16384), got: 768.",
      );
    });

    test('THEN a memory value outside the CPU value range fails synth', () => {
      expect(
        errorOf((stack) =>
          service(stack, {
            capacity: ServiceCapacity.fargate(),
            image: undefined,
            taskDefinition: fargateTaskDefinition(stack, { cpu: 512, memoryLimitMiB: 8192 }),
          }),
        ),
      ).toBe(
        '`taskDefinition` task memory must be a Fargate memory size for `taskDefinition` task CPU 512 (1024 to 4096 in steps of 1024 MiB), got: 8192.',
      );
    });

    test("THEN a generic task definition's vCPU and GB strings are converted as ECS converts them", () => {
      const make = (memoryMiB: string) => (stack: Stack) => {
        const taskDefinition = new ecs.TaskDefinition(stack, 'Td', {
          compatibility: ecs.Compatibility.FARGATE,
          networkMode: ecs.NetworkMode.AWS_VPC,
          cpu: '1 vCPU',
          memoryMiB,
        });
        taskDefinition.addContainer('app', { image: IMAGE, portMappings: [{ containerPort: 8080 }] });
        service(stack, { capacity: ServiceCapacity.fargate(), image: undefined, taskDefinition });
      };
      expect(errorOf(make('2 GB'))).toBeUndefined();
      expect(errorOf(make('1 GB'))).toBe(
        '`taskDefinition` task memory must be a Fargate memory size for `taskDefinition` task CPU 1024 (2048 to 8192 in steps of 1024 MiB), got: 1024.',
      );
    });
  });
});

describe('PrivateEcsService names', () => {
  test.each([
    [
      'serviceName',
      { serviceName: 'billing api' },
      "`serviceName` must be 1 to 255 letters, digits, hyphens or underscores, got: 'billing api'.",
    ],
    [
      'serviceName',
      { serviceName: 'a'.repeat(256) },
      `\`serviceName\` must be 1 to 255 letters, digits, hyphens or underscores, got: '${'a'.repeat(256)}'.`,
    ],
    [
      'serviceName',
      { serviceName: '' },
      "`serviceName` must be 1 to 255 letters, digits, hyphens or underscores, got: ''.",
    ],
    [
      'logGroupName',
      { logGroupName: '/ecs/billing:app' },
      "`logGroupName` must be 1 to 512 letters, digits, '.', '-', '_', '/' or '#', got: '/ecs/billing:app'.",
    ],
  ] as Array<[string, Partial<PrivateEcsServiceProps>, string]>)(
    'GIVEN an invalid %s WHEN the service is created THEN synth fails',
    (_name, props, message) => {
      expect(errorOf((stack) => service(stack, props))).toBe(message);
    },
  );

  test.each([
    [
      'sg-items',
      "`serviceSecurityGroupName` must be 1 to 255 letters, digits, spaces or ._-:/()#,@[]+=&;{}!$* and not start with 'sg-', got: 'sg-items'.",
    ],
    [
      'items|tasks',
      "`serviceSecurityGroupName` must be 1 to 255 letters, digits, spaces or ._-:/()#,@[]+=&;{}!$* and not start with 'sg-', got: 'items|tasks'.",
    ],
  ])('GIVEN serviceSecurityGroupName %s WHEN the service is created THEN synth fails', (name, message) => {
    expect(errorOf((stack) => service(stack, { serviceSecurityGroupName: name }))).toBe(message);
  });

  test('GIVEN a capacity securityGroupName starting with sg- WHEN a capacity is made THEN the factories fail', () => {
    const message =
      "`capacity.securityGroupName` must be 1 to 255 letters, digits, spaces or ._-:/()#,@[]+=&;{}!$* and not start with 'sg-', got: 'sg-instances'.";
    expect(() => ServiceCapacity.autoScalingGroup({ securityGroupName: 'sg-instances' })).toThrow(message);
    expect(() => ServiceCapacity.managedInstances({ securityGroupName: 'sg-instances' })).toThrow(message);
  });

  test('GIVEN a security group name with the allowed punctuation WHEN the service is created THEN it reaches the template', () => {
    const stack = newStack();
    service(stack, { serviceSecurityGroupName: 'billing tasks (prod) #1: [a+b=c]' });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupName: 'billing tasks (prod) #1: [a+b=c]',
    });
  });

  test('GIVEN an invalid clusterName WHEN a capacity is made THEN each factory fails', () => {
    const message =
      "`capacity.clusterName` must be 1 to 255 letters, digits, hyphens or underscores, got: 'billing/cluster'.";
    expect(() => ServiceCapacity.autoScalingGroup({ clusterName: 'billing/cluster' })).toThrow(message);
    expect(() => ServiceCapacity.fargate({ clusterName: 'billing/cluster' })).toThrow(message);
    expect(() => ServiceCapacity.managedInstances({ clusterName: 'billing/cluster' })).toThrow(message);
  });

  test('GIVEN valid names WHEN the service is created THEN they reach the template', () => {
    const stack = newStack();
    service(stack, {
      serviceName: 'billing_api-2',
      logGroupName: '/ecs/billing#app.v2',
      capacity: ServiceCapacity.fargate({ clusterName: 'Billing_cluster-1' }),
      logRetention: logs.RetentionDays.ONE_WEEK,
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ECS::Service', { ServiceName: 'billing_api-2' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/ecs/billing#app.v2' });
    template.hasResourceProperties('AWS::ECS::Cluster', { ClusterName: 'Billing_cluster-1' });
  });
});
