import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { isAwsVpc } from './service-target';
import { PrivateEcsService } from '../../service';

/** The dynamic host port range of bridge-mode tasks: a superset of Linux's and the ECS AMI's ephemeral ranges. */
const DYNAMIC_PORTS = ec2.Port.tcpRange(32768, 65535);

/**
 * Opens the service's tasks to the load balancer: the container port of awsvpc tasks, the dynamic host ports of
 * bridge tasks. Ingress on the tasks' groups as resources of their own; the load balancer's egress inline in its
 * groups, so they never fall back to EC2's implicit allow-all egress (an SG created without inline egress gets one).
 *
 * @param service the service behind the load balancer
 * @param loadBalancerGroups the load balancer's security groups
 * @param loadBalancer how the rule descriptions name the load balancer, e.g. `ALB`
 */
export function allowLoadBalancerToTasks(
  service: PrivateEcsService,
  loadBalancerGroups: ec2.ISecurityGroup[],
  loadBalancer: string,
) {
  const [ports, description] = isAwsVpc(service)
    ? [ec2.Port.tcp(service.containerPort), `${loadBalancer} to the container port (traffic and health checks)`]
    : [DYNAMIC_PORTS, `${loadBalancer} to the dynamic host ports of bridge-mode tasks`];
  for (const target of service.connections.securityGroups) {
    for (const loadBalancerGroup of loadBalancerGroups) {
      target.addIngressRule(loadBalancerGroup, ports, description);
      allowEgressTo(loadBalancerGroup, target, ports, description);
    }
  }
}

/**
 * An egress rule from `from` to `to`, inline in `from` when `from` is a security group of this app (so that it
 * never has an empty inline egress list, which EC2 turns into allow-all), otherwise as a separate resource.
 */
export function allowEgressTo(from: ec2.ISecurityGroup, to: ec2.ISecurityGroup, ports: ec2.Port, description: string) {
  from.addEgressRule(
    from instanceof ec2.SecurityGroup ? ec2.Peer.securityGroupId(to.securityGroupId) : to,
    ports,
    description,
  );
}
