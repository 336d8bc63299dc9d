/**
 * A PrivateLinkEcsService in AWS_VPC mode: target group type ip, one ENI per task. See service-case.ts.
 */
import { serviceIntegCase } from './service-case';
import { ServiceNetworkMode } from '../src';

serviceIntegCase(ServiceNetworkMode.AWS_VPC, 'PrivateLinkEcsIntegServiceAwsVpc', 'PrivateLinkEcsServiceAwsVpcTest');
