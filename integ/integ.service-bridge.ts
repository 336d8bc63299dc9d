/**
 * A PrivateLinkEcsService in BRIDGE mode: target group type instance, dynamic host ports. See service-case.ts.
 */
import { serviceIntegCase } from './service-case';
import { ServiceNetworkMode } from '../src';

serviceIntegCase(ServiceNetworkMode.BRIDGE, 'PrivateLinkEcsIntegServiceBridge', 'PrivateLinkEcsServiceBridgeTest');
