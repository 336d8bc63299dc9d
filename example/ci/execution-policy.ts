/**
 * The CloudFormation execution policy of the CDK bootstrap (`cdk bootstrap --cloudformation-execution-policies`),
 * derived from the resource types of the synthesized templates: each CloudFormation type maps to the API actions
 * CloudFormation calls to create, update, read and delete it (its resource handlers). A type missing from
 * `RESOURCE_TYPE_ACTIONS` fails the trust stack's synthesis and `test/ci/execution-policy.test.ts`.
 *
 * Rules the policy keeps (checked by `executionPolicyViolations`):
 * - no `*` action, no `iam:*`, and no `<service>:*` unless the service is listed in
 *   `SERVICES_WITHOUT_RESOURCE_LEVEL_PERMISSIONS` with the reason (today: none is needed);
 * - IAM role management only for roles carrying the workload permissions boundary (`iam:PermissionsBoundary`);
 * - explicit denies: the execution policy, the boundary and the execution role itself can't be edited, the boundary
 *   can't be removed from a role, the bootstrap and trust stacks and their roles are out of reach.
 */

/** A statement as IAM's JSON policy grammar has it (only what this file writes). */
export interface PolicyStatementJson {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string[];
  readonly Resource: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocumentJson {
  readonly Version: '2012-10-17';
  readonly Statement: PolicyStatementJson[];
}

/** Services whose `<service>:*` may appear in the policy, each with the reason. Empty: no service needs it. */
export const SERVICES_WITHOUT_RESOURCE_LEVEL_PERMISSIONS: Readonly<Record<string, string>> = {};

const APIGATEWAY = ['apigateway:GET', 'apigateway:POST', 'apigateway:PUT', 'apigateway:PATCH', 'apigateway:DELETE'];
const EC2_TAGS = ['ec2:CreateTags', 'ec2:DeleteTags', 'ec2:DescribeTags'];
const ELB_TAGS = [
  'elasticloadbalancing:AddTags',
  'elasticloadbalancing:RemoveTags',
  'elasticloadbalancing:DescribeTags',
];
const RDS_TAGS = ['rds:AddTagsToResource', 'rds:RemoveTagsFromResource', 'rds:ListTagsForResource'];
const ECS_TAGS = ['ecs:TagResource', 'ecs:UntagResource', 'ecs:ListTagsForResource'];
const LOGS_DELIVERY = [
  'logs:CreateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:GetLogDelivery',
  'logs:ListLogDeliveries',
  'logs:UpdateLogDelivery',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
];
const KMS_USE = ['kms:DescribeKey', 'kms:CreateGrant', 'kms:Decrypt', 'kms:GenerateDataKey'];
const VPC_READ = ['ec2:DescribeVpcs', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups'];
const PASS_ROLE = ['iam:PassRole'];
const SERVICE_LINKED_ROLE = ['iam:CreateServiceLinkedRole'];
/** Role management: every action here is allowed only for roles carrying the workload boundary. */
const ROLE_WRITE_WITH_BOUNDARY = [
  'iam:CreateRole',
  'iam:PutRolePolicy',
  'iam:DeleteRolePolicy',
  'iam:AttachRolePolicy',
  'iam:DetachRolePolicy',
  'iam:PutRolePermissionsBoundary',
];
const ROLE_OTHER = [
  'iam:GetRole',
  'iam:DeleteRole',
  'iam:UpdateRole',
  'iam:UpdateRoleDescription',
  'iam:UpdateAssumeRolePolicy',
  'iam:TagRole',
  'iam:UntagRole',
  'iam:ListRoleTags',
  'iam:GetRolePolicy',
  'iam:ListRolePolicies',
  'iam:ListAttachedRolePolicies',
  'iam:ListInstanceProfilesForRole',
];
const APIGW_TYPES = [
  'Account',
  'ApiKey',
  'Authorizer',
  'BasePathMapping',
  'BasePathMappingV2',
  'ClientCertificate',
  'Deployment',
  'DocumentationPart',
  'DomainName',
  'DomainNameV2',
  'GatewayResponse',
  'Method',
  'Model',
  'RequestValidator',
  'Resource',
  'RestApi',
  'Stage',
  'UsagePlan',
  'UsagePlanKey',
  'VpcLink',
];
const APIGWV2_TYPES = ['Api', 'ApiMapping', 'Authorizer', 'DomainName', 'Integration', 'Route', 'Stage', 'VpcLink'];

/**
 * The actions CloudFormation needs for each resource type, from the types' resource handlers. Includes the types
 * the example uses today and those it is likely to use next (KMS, AWS Backup, ALB, custom domains, Route 53, ...).
 * `Custom::*` types are Lambda-backed custom resources: CloudFormation invokes their provider function.
 */
export const RESOURCE_TYPE_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  // ---- API Gateway (REST and HTTP): IAM models its API as HTTP verbs on resource paths ----
  ...Object.fromEntries(APIGW_TYPES.map((t) => [`AWS::ApiGateway::${t}`, APIGATEWAY])),
  'AWS::ApiGateway::Account': [...APIGATEWAY, ...PASS_ROLE],
  'AWS::ApiGateway::VpcLink': [...APIGATEWAY, 'elasticloadbalancing:DescribeLoadBalancers', ...SERVICE_LINKED_ROLE],
  'AWS::ApiGateway::DomainName': [...APIGATEWAY, 'acm:DescribeCertificate', 'apigateway:AddCertificateToDomain'],
  'AWS::ApiGateway::Stage': [...APIGATEWAY, 'apigateway:SetWebACL', ...LOGS_DELIVERY],
  ...Object.fromEntries(APIGWV2_TYPES.map((t) => [`AWS::ApiGatewayV2::${t}`, APIGATEWAY])),
  'AWS::ApiGatewayV2::VpcLink': [...APIGATEWAY, ...VPC_READ, ...EC2_TAGS, ...SERVICE_LINKED_ROLE],

  // ---- Application Auto Scaling, EC2 Auto Scaling ----
  'AWS::ApplicationAutoScaling::ScalableTarget': [
    'application-autoscaling:RegisterScalableTarget',
    'application-autoscaling:DeregisterScalableTarget',
    'application-autoscaling:DescribeScalableTargets',
    'application-autoscaling:PutScheduledAction',
    'application-autoscaling:DeleteScheduledAction',
    'application-autoscaling:DescribeScheduledActions',
    'application-autoscaling:TagResource',
    'application-autoscaling:UntagResource',
    'application-autoscaling:ListTagsForResource',
    'ecs:DescribeServices',
    'ecs:UpdateService',
    ...SERVICE_LINKED_ROLE,
  ],
  'AWS::ApplicationAutoScaling::ScalingPolicy': [
    'application-autoscaling:PutScalingPolicy',
    'application-autoscaling:DeleteScalingPolicy',
    'application-autoscaling:DescribeScalingPolicies',
    'cloudwatch:PutMetricAlarm',
    'cloudwatch:DeleteAlarms',
    'cloudwatch:DescribeAlarms',
  ],
  'AWS::AutoScaling::AutoScalingGroup': [
    'autoscaling:CreateAutoScalingGroup',
    'autoscaling:UpdateAutoScalingGroup',
    'autoscaling:DeleteAutoScalingGroup',
    'autoscaling:Describe*',
    'autoscaling:CreateOrUpdateTags',
    'autoscaling:DeleteTags',
    'autoscaling:PutLifecycleHook',
    'autoscaling:DeleteLifecycleHook',
    'autoscaling:PutNotificationConfiguration',
    'autoscaling:DeleteNotificationConfiguration',
    'autoscaling:SetInstanceProtection',
    'autoscaling:EnableMetricsCollection',
    'autoscaling:DisableMetricsCollection',
    'autoscaling:SuspendProcesses',
    'autoscaling:ResumeProcesses',
    'autoscaling:TerminateInstanceInAutoScalingGroup',
    'ec2:RunInstances',
    'ec2:DescribeLaunchTemplates',
    'ec2:DescribeLaunchTemplateVersions',
    'ec2:DescribeInstances',
    ...EC2_TAGS,
    ...PASS_ROLE,
    ...SERVICE_LINKED_ROLE,
  ],
  'AWS::AutoScaling::LifecycleHook': [
    'autoscaling:PutLifecycleHook',
    'autoscaling:DeleteLifecycleHook',
    'autoscaling:DescribeLifecycleHooks',
    ...PASS_ROLE,
  ],

  // ---- AWS Backup ----
  'AWS::Backup::BackupVault': [
    'backup:CreateBackupVault',
    'backup:DeleteBackupVault',
    'backup:DescribeBackupVault',
    'backup:PutBackupVaultAccessPolicy',
    'backup:DeleteBackupVaultAccessPolicy',
    'backup:GetBackupVaultAccessPolicy',
    'backup:PutBackupVaultNotifications',
    'backup:DeleteBackupVaultNotifications',
    'backup:GetBackupVaultNotifications',
    'backup:PutBackupVaultLockConfiguration',
    'backup:DeleteBackupVaultLockConfiguration',
    'backup:TagResource',
    'backup:UntagResource',
    'backup:ListTags',
    'backup-storage:MountCapsule',
    'kms:RetireGrant',
    ...KMS_USE,
  ],
  'AWS::Backup::BackupPlan': [
    'backup:CreateBackupPlan',
    'backup:UpdateBackupPlan',
    'backup:DeleteBackupPlan',
    'backup:GetBackupPlan',
    'backup:ListBackupPlans',
    'backup:TagResource',
    'backup:UntagResource',
    'backup:ListTags',
  ],
  'AWS::Backup::BackupSelection': [
    'backup:CreateBackupSelection',
    'backup:DeleteBackupSelection',
    'backup:GetBackupSelection',
    'backup:ListBackupSelections',
    ...PASS_ROLE,
    ...SERVICE_LINKED_ROLE,
  ],

  // ---- ACM, CloudWatch, Logs ----
  'AWS::CertificateManager::Certificate': [
    'acm:RequestCertificate',
    'acm:DeleteCertificate',
    'acm:DescribeCertificate',
    'acm:UpdateCertificateOptions',
    'acm:AddTagsToCertificate',
    'acm:RemoveTagsFromCertificate',
    'acm:ListTagsForCertificate',
    'route53:ChangeResourceRecordSets',
    'route53:GetChange',
    'route53:ListResourceRecordSets',
  ],
  'AWS::CloudWatch::Alarm': [
    'cloudwatch:PutMetricAlarm',
    'cloudwatch:DeleteAlarms',
    'cloudwatch:DescribeAlarms',
    'cloudwatch:TagResource',
    'cloudwatch:UntagResource',
    'cloudwatch:ListTagsForResource',
  ],
  'AWS::CloudWatch::CompositeAlarm': [
    'cloudwatch:PutCompositeAlarm',
    'cloudwatch:DeleteAlarms',
    'cloudwatch:DescribeAlarms',
    'cloudwatch:TagResource',
    'cloudwatch:UntagResource',
  ],
  'AWS::CloudWatch::Dashboard': [
    'cloudwatch:PutDashboard',
    'cloudwatch:DeleteDashboards',
    'cloudwatch:GetDashboard',
    'cloudwatch:ListDashboards',
  ],
  'AWS::Logs::LogGroup': [
    'logs:CreateLogGroup',
    'logs:DeleteLogGroup',
    'logs:DescribeLogGroups',
    'logs:PutRetentionPolicy',
    'logs:DeleteRetentionPolicy',
    'logs:AssociateKmsKey',
    'logs:DisassociateKmsKey',
    'logs:TagResource',
    'logs:UntagResource',
    'logs:ListTagsForResource',
    'logs:TagLogGroup',
    'logs:UntagLogGroup',
    'logs:ListTagsLogGroup',
    'logs:PutDataProtectionPolicy',
    'logs:DeleteDataProtectionPolicy',
    'logs:GetDataProtectionPolicy',
  ],
  'AWS::Logs::ResourcePolicy': ['logs:PutResourcePolicy', 'logs:DeleteResourcePolicy', 'logs:DescribeResourcePolicies'],
  'AWS::Logs::MetricFilter': ['logs:PutMetricFilter', 'logs:DeleteMetricFilter', 'logs:DescribeMetricFilters'],
  'AWS::Logs::SubscriptionFilter': [
    'logs:PutSubscriptionFilter',
    'logs:DeleteSubscriptionFilter',
    'logs:DescribeSubscriptionFilters',
    ...PASS_ROLE,
  ],

  // ---- CloudFormation itself, SAR ----
  'AWS::CDK::Metadata': [],
  'AWS::CloudFormation::WaitConditionHandle': [],
  'AWS::CloudFormation::Stack': [
    'cloudformation:CreateStack',
    'cloudformation:UpdateStack',
    'cloudformation:DeleteStack',
    'cloudformation:DescribeStacks',
    'cloudformation:DescribeStackEvents',
    'cloudformation:DescribeStackResource',
    'cloudformation:DescribeStackResources',
    'cloudformation:GetTemplate',
    'cloudformation:CreateChangeSet',
    'cloudformation:DescribeChangeSet',
    'cloudformation:ExecuteChangeSet',
    'cloudformation:DeleteChangeSet',
    'cloudformation:TagResource',
    'cloudformation:UntagResource',
  ],
  // The SAM transform turns it into a nested stack from the Serverless Application Repository; the Secrets Manager
  // rotation applications hold a Lambda function, its role and a permission (see SAR_NESTED_TYPES).
  'AWS::Serverless::Application': [
    'serverlessrepo:GetApplication',
    'serverlessrepo:CreateCloudFormationTemplate',
    'serverlessrepo:GetCloudFormationTemplate',
    'cloudformation:CreateStack',
    'cloudformation:UpdateStack',
    'cloudformation:DeleteStack',
    'cloudformation:DescribeStacks',
    'cloudformation:DescribeStackEvents',
    'cloudformation:GetTemplate',
    'cloudformation:CreateChangeSet',
    'cloudformation:DescribeChangeSet',
    'cloudformation:ExecuteChangeSet',
    'cloudformation:DeleteChangeSet',
    'cloudformation:TagResource',
  ],

  // ---- EC2 / VPC / Transit Gateway ----
  'AWS::EC2::VPC': [
    'ec2:CreateVpc',
    'ec2:DeleteVpc',
    'ec2:ModifyVpcAttribute',
    'ec2:DescribeVpcs',
    'ec2:DescribeVpcAttribute',
    'ec2:AssociateVpcCidrBlock',
    'ec2:DisassociateVpcCidrBlock',
    'ec2:DescribeSecurityGroups',
    'ec2:DescribeNetworkAcls',
    'ec2:DescribeRouteTables',
    ...EC2_TAGS,
  ],
  'AWS::EC2::VPCCidrBlock': ['ec2:AssociateVpcCidrBlock', 'ec2:DisassociateVpcCidrBlock', 'ec2:DescribeVpcs'],
  'AWS::EC2::Subnet': [
    'ec2:CreateSubnet',
    'ec2:DeleteSubnet',
    'ec2:ModifySubnetAttribute',
    'ec2:DescribeSubnets',
    'ec2:AssociateSubnetCidrBlock',
    'ec2:DisassociateSubnetCidrBlock',
    'ec2:DescribeNetworkAcls',
    ...EC2_TAGS,
  ],
  'AWS::EC2::InternetGateway': [
    'ec2:CreateInternetGateway',
    'ec2:DeleteInternetGateway',
    'ec2:DescribeInternetGateways',
    ...EC2_TAGS,
  ],
  'AWS::EC2::VPCGatewayAttachment': [
    'ec2:AttachInternetGateway',
    'ec2:DetachInternetGateway',
    'ec2:DescribeInternetGateways',
    'ec2:AttachVpnGateway',
    'ec2:DetachVpnGateway',
    'ec2:DescribeVpnGateways',
  ],
  'AWS::EC2::EIP': [
    'ec2:AllocateAddress',
    'ec2:ReleaseAddress',
    'ec2:DescribeAddresses',
    'ec2:AssociateAddress',
    'ec2:DisassociateAddress',
    ...EC2_TAGS,
  ],
  'AWS::EC2::NatGateway': ['ec2:CreateNatGateway', 'ec2:DeleteNatGateway', 'ec2:DescribeNatGateways', ...EC2_TAGS],
  'AWS::EC2::RouteTable': ['ec2:CreateRouteTable', 'ec2:DeleteRouteTable', 'ec2:DescribeRouteTables', ...EC2_TAGS],
  'AWS::EC2::Route': ['ec2:CreateRoute', 'ec2:ReplaceRoute', 'ec2:DeleteRoute', 'ec2:DescribeRouteTables'],
  'AWS::EC2::SubnetRouteTableAssociation': [
    'ec2:AssociateRouteTable',
    'ec2:DisassociateRouteTable',
    'ec2:ReplaceRouteTableAssociation',
    'ec2:DescribeRouteTables',
  ],
  'AWS::EC2::NetworkAcl': ['ec2:CreateNetworkAcl', 'ec2:DeleteNetworkAcl', 'ec2:DescribeNetworkAcls', ...EC2_TAGS],
  'AWS::EC2::NetworkAclEntry': [
    'ec2:CreateNetworkAclEntry',
    'ec2:ReplaceNetworkAclEntry',
    'ec2:DeleteNetworkAclEntry',
    'ec2:DescribeNetworkAcls',
  ],
  'AWS::EC2::SubnetNetworkAclAssociation': ['ec2:ReplaceNetworkAclAssociation', 'ec2:DescribeNetworkAcls'],
  'AWS::EC2::SecurityGroup': [
    'ec2:CreateSecurityGroup',
    'ec2:DeleteSecurityGroup',
    'ec2:AuthorizeSecurityGroupIngress',
    'ec2:AuthorizeSecurityGroupEgress',
    'ec2:RevokeSecurityGroupIngress',
    'ec2:RevokeSecurityGroupEgress',
    'ec2:UpdateSecurityGroupRuleDescriptionsIngress',
    'ec2:UpdateSecurityGroupRuleDescriptionsEgress',
    'ec2:ModifySecurityGroupRules',
    'ec2:DescribeSecurityGroups',
    'ec2:DescribeSecurityGroupRules',
    ...EC2_TAGS,
  ],
  'AWS::EC2::SecurityGroupIngress': [
    'ec2:AuthorizeSecurityGroupIngress',
    'ec2:RevokeSecurityGroupIngress',
    'ec2:UpdateSecurityGroupRuleDescriptionsIngress',
    'ec2:DescribeSecurityGroups',
    'ec2:DescribeSecurityGroupRules',
  ],
  'AWS::EC2::SecurityGroupEgress': [
    'ec2:AuthorizeSecurityGroupEgress',
    'ec2:RevokeSecurityGroupEgress',
    'ec2:UpdateSecurityGroupRuleDescriptionsEgress',
    'ec2:DescribeSecurityGroups',
    'ec2:DescribeSecurityGroupRules',
  ],
  'AWS::EC2::FlowLog': ['ec2:CreateFlowLogs', 'ec2:DeleteFlowLogs', 'ec2:DescribeFlowLogs', ...EC2_TAGS, ...PASS_ROLE],
  'AWS::EC2::LaunchTemplate': [
    'ec2:CreateLaunchTemplate',
    'ec2:CreateLaunchTemplateVersion',
    'ec2:ModifyLaunchTemplate',
    'ec2:DeleteLaunchTemplate',
    'ec2:DeleteLaunchTemplateVersions',
    'ec2:DescribeLaunchTemplates',
    'ec2:DescribeLaunchTemplateVersions',
    'ec2:DescribeImages',
    ...EC2_TAGS,
    ...PASS_ROLE,
  ],
  'AWS::EC2::VPCEndpoint': [
    'ec2:CreateVpcEndpoint',
    'ec2:ModifyVpcEndpoint',
    'ec2:DeleteVpcEndpoints',
    'ec2:DescribeVpcEndpoints',
    'ec2:DescribePrefixLists',
    'route53:AssociateVPCWithHostedZone',
    ...VPC_READ,
    ...EC2_TAGS,
  ],
  'AWS::EC2::TransitGateway': [
    'ec2:CreateTransitGateway',
    'ec2:ModifyTransitGateway',
    'ec2:DeleteTransitGateway',
    'ec2:DescribeTransitGateways',
    ...EC2_TAGS,
    ...SERVICE_LINKED_ROLE,
  ],
  'AWS::EC2::TransitGatewayAttachment': [
    'ec2:CreateTransitGatewayVpcAttachment',
    'ec2:ModifyTransitGatewayVpcAttachment',
    'ec2:DeleteTransitGatewayVpcAttachment',
    'ec2:DescribeTransitGatewayVpcAttachments',
    'ec2:DescribeTransitGatewayAttachments',
    ...EC2_TAGS,
  ],
  'AWS::EC2::TransitGatewayVpcAttachment': [
    'ec2:CreateTransitGatewayVpcAttachment',
    'ec2:ModifyTransitGatewayVpcAttachment',
    'ec2:DeleteTransitGatewayVpcAttachment',
    'ec2:DescribeTransitGatewayVpcAttachments',
    ...EC2_TAGS,
  ],
  'AWS::EC2::TransitGatewayRouteTable': [
    'ec2:CreateTransitGatewayRouteTable',
    'ec2:DeleteTransitGatewayRouteTable',
    'ec2:DescribeTransitGatewayRouteTables',
    ...EC2_TAGS,
  ],
  'AWS::EC2::TransitGatewayRouteTableAssociation': [
    'ec2:AssociateTransitGatewayRouteTable',
    'ec2:DisassociateTransitGatewayRouteTable',
    'ec2:GetTransitGatewayRouteTableAssociations',
  ],
  'AWS::EC2::TransitGatewayRouteTablePropagation': [
    'ec2:EnableTransitGatewayRouteTablePropagation',
    'ec2:DisableTransitGatewayRouteTablePropagation',
    'ec2:GetTransitGatewayRouteTablePropagations',
  ],
  'AWS::EC2::TransitGatewayRoute': [
    'ec2:CreateTransitGatewayRoute',
    'ec2:DeleteTransitGatewayRoute',
    'ec2:SearchTransitGatewayRoutes',
  ],

  // ---- ECS ----
  'AWS::ECS::Cluster': [
    'ecs:CreateCluster',
    'ecs:UpdateCluster',
    'ecs:UpdateClusterSettings',
    'ecs:DeleteCluster',
    'ecs:DescribeClusters',
    'ecs:PutClusterCapacityProviders',
    ...ECS_TAGS,
    ...SERVICE_LINKED_ROLE,
  ],
  'AWS::ECS::CapacityProvider': [
    'ecs:CreateCapacityProvider',
    'ecs:UpdateCapacityProvider',
    'ecs:DeleteCapacityProvider',
    'ecs:DescribeCapacityProviders',
    'autoscaling:CreateOrUpdateTags',
    'autoscaling:DescribeAutoScalingGroups',
    ...ECS_TAGS,
    ...PASS_ROLE,
  ],
  'AWS::ECS::ClusterCapacityProviderAssociations': ['ecs:PutClusterCapacityProviders', 'ecs:DescribeClusters'],
  'AWS::ECS::Service': [
    'ecs:CreateService',
    'ecs:UpdateService',
    'ecs:DeleteService',
    'ecs:DescribeServices',
    'ecs:DescribeServiceDeployments',
    'ecs:DescribeServiceRevisions',
    'ecs:ListServiceDeployments',
    'elasticloadbalancing:DescribeTargetGroups',
    'elasticloadbalancing:DescribeTargetHealth',
    'elasticloadbalancing:DescribeListeners',
    'elasticloadbalancing:DescribeRules',
    ...VPC_READ,
    ...ECS_TAGS,
    ...PASS_ROLE,
    ...SERVICE_LINKED_ROLE,
  ],
  'AWS::ECS::TaskDefinition': [
    'ecs:RegisterTaskDefinition',
    'ecs:DeregisterTaskDefinition',
    'ecs:DeleteTaskDefinitions',
    'ecs:DescribeTaskDefinition',
    ...ECS_TAGS,
    ...PASS_ROLE,
  ],

  // ---- Elastic Load Balancing v2 (NLB, ALB) ----
  'AWS::ElasticLoadBalancingV2::LoadBalancer': [
    'elasticloadbalancing:CreateLoadBalancer',
    'elasticloadbalancing:DeleteLoadBalancer',
    'elasticloadbalancing:ModifyLoadBalancerAttributes',
    'elasticloadbalancing:DescribeLoadBalancers',
    'elasticloadbalancing:DescribeLoadBalancerAttributes',
    'elasticloadbalancing:SetSecurityGroups',
    'elasticloadbalancing:SetSubnets',
    'elasticloadbalancing:SetIpAddressType',
    'elasticloadbalancing:ModifyCapacityReservation',
    'elasticloadbalancing:DescribeCapacityReservation',
    ...ELB_TAGS,
    ...VPC_READ,
    ...SERVICE_LINKED_ROLE,
  ],
  'AWS::ElasticLoadBalancingV2::Listener': [
    'elasticloadbalancing:CreateListener',
    'elasticloadbalancing:ModifyListener',
    'elasticloadbalancing:DeleteListener',
    'elasticloadbalancing:DescribeListeners',
    'elasticloadbalancing:DescribeListenerAttributes',
    'elasticloadbalancing:ModifyListenerAttributes',
    'acm:DescribeCertificate',
    ...ELB_TAGS,
  ],
  'AWS::ElasticLoadBalancingV2::ListenerRule': [
    'elasticloadbalancing:CreateRule',
    'elasticloadbalancing:ModifyRule',
    'elasticloadbalancing:DeleteRule',
    'elasticloadbalancing:SetRulePriorities',
    'elasticloadbalancing:DescribeRules',
    ...ELB_TAGS,
  ],
  'AWS::ElasticLoadBalancingV2::ListenerCertificate': [
    'elasticloadbalancing:AddListenerCertificates',
    'elasticloadbalancing:RemoveListenerCertificates',
    'elasticloadbalancing:DescribeListenerCertificates',
  ],
  'AWS::ElasticLoadBalancingV2::TargetGroup': [
    'elasticloadbalancing:CreateTargetGroup',
    'elasticloadbalancing:ModifyTargetGroup',
    'elasticloadbalancing:ModifyTargetGroupAttributes',
    'elasticloadbalancing:DeleteTargetGroup',
    'elasticloadbalancing:DescribeTargetGroups',
    'elasticloadbalancing:DescribeTargetGroupAttributes',
    'elasticloadbalancing:RegisterTargets',
    'elasticloadbalancing:DeregisterTargets',
    'elasticloadbalancing:DescribeTargetHealth',
    ...ELB_TAGS,
  ],

  // ---- IAM: role management only with the workload boundary (see the IAM statements below) ----
  'AWS::IAM::Role': [...ROLE_WRITE_WITH_BOUNDARY, ...ROLE_OTHER],
  'AWS::IAM::Policy': ['iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:GetRolePolicy'],
  'AWS::IAM::RolePolicy': ['iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:GetRolePolicy'],
  'AWS::IAM::ManagedPolicy': [
    'iam:CreatePolicy',
    'iam:DeletePolicy',
    'iam:CreatePolicyVersion',
    'iam:DeletePolicyVersion',
    'iam:SetDefaultPolicyVersion',
    'iam:GetPolicy',
    'iam:GetPolicyVersion',
    'iam:ListPolicyVersions',
    'iam:ListEntitiesForPolicy',
    'iam:TagPolicy',
    'iam:UntagPolicy',
    'iam:AttachRolePolicy',
    'iam:DetachRolePolicy',
  ],
  'AWS::IAM::InstanceProfile': [
    'iam:CreateInstanceProfile',
    'iam:DeleteInstanceProfile',
    'iam:GetInstanceProfile',
    'iam:AddRoleToInstanceProfile',
    'iam:RemoveRoleFromInstanceProfile',
    'iam:TagInstanceProfile',
    'iam:UntagInstanceProfile',
    ...PASS_ROLE,
  ],

  // ---- KMS ----
  'AWS::KMS::Key': [
    'kms:CreateKey',
    'kms:DescribeKey',
    'kms:GetKeyPolicy',
    'kms:PutKeyPolicy',
    'kms:EnableKey',
    'kms:DisableKey',
    'kms:EnableKeyRotation',
    'kms:DisableKeyRotation',
    'kms:GetKeyRotationStatus',
    'kms:UpdateKeyDescription',
    'kms:ScheduleKeyDeletion',
    'kms:CancelKeyDeletion',
    'kms:TagResource',
    'kms:UntagResource',
    'kms:ListResourceTags',
  ],
  'AWS::KMS::Alias': ['kms:CreateAlias', 'kms:UpdateAlias', 'kms:DeleteAlias', 'kms:ListAliases'],

  // ---- Lambda (custom resource providers, rotation functions) ----
  'AWS::Lambda::Function': [
    'lambda:CreateFunction',
    'lambda:DeleteFunction',
    'lambda:GetFunction',
    'lambda:GetFunctionConfiguration',
    'lambda:UpdateFunctionCode',
    'lambda:UpdateFunctionConfiguration',
    'lambda:PutFunctionConcurrency',
    'lambda:DeleteFunctionConcurrency',
    'lambda:GetFunctionCodeSigningConfig',
    'lambda:GetRuntimeManagementConfig',
    'lambda:PutRuntimeManagementConfig',
    'lambda:TagResource',
    'lambda:UntagResource',
    'lambda:ListTags',
    's3:GetObject',
    's3:GetObjectVersion',
    ...VPC_READ,
    ...PASS_ROLE,
  ],
  'AWS::Lambda::Permission': ['lambda:AddPermission', 'lambda:RemovePermission', 'lambda:GetPolicy'],
  'AWS::Lambda::Version': ['lambda:PublishVersion', 'lambda:GetFunctionConfiguration', 'lambda:ListVersionsByFunction'],
  'AWS::Lambda::Alias': ['lambda:CreateAlias', 'lambda:UpdateAlias', 'lambda:DeleteAlias', 'lambda:GetAlias'],
  'AWS::Lambda::LayerVersion': [
    'lambda:PublishLayerVersion',
    'lambda:DeleteLayerVersion',
    'lambda:GetLayerVersion',
    's3:GetObject',
  ],
  'AWS::Lambda::EventInvokeConfig': [
    'lambda:PutFunctionEventInvokeConfig',
    'lambda:UpdateFunctionEventInvokeConfig',
    'lambda:DeleteFunctionEventInvokeConfig',
    'lambda:GetFunctionEventInvokeConfig',
  ],

  // ---- RDS ----
  'AWS::RDS::DBCluster': [
    'rds:CreateDBCluster',
    'rds:ModifyDBCluster',
    'rds:DeleteDBCluster',
    'rds:DescribeDBClusters',
    'rds:CreateDBClusterSnapshot',
    'rds:AddRoleToDBCluster',
    'rds:RemoveRoleFromDBCluster',
    'rds:EnableHttpEndpoint',
    'rds:DisableHttpEndpoint',
    'rds:DescribeDBSubnetGroups',
    'rds:DescribeGlobalClusters',
    'rds:DescribeDBEngineVersions',
    'secretsmanager:CreateSecret',
    'secretsmanager:TagResource',
    ...RDS_TAGS,
    ...KMS_USE,
    ...VPC_READ,
    ...PASS_ROLE,
    ...SERVICE_LINKED_ROLE,
  ],
  'AWS::RDS::DBInstance': [
    'rds:CreateDBInstance',
    'rds:ModifyDBInstance',
    'rds:DeleteDBInstance',
    'rds:RebootDBInstance',
    'rds:DescribeDBInstances',
    'rds:DescribeDBClusters',
    'rds:DescribeDBEngineVersions',
    'rds:DescribeOrderableDBInstanceOptions',
    ...RDS_TAGS,
    ...KMS_USE,
    ...PASS_ROLE,
    ...SERVICE_LINKED_ROLE,
  ],
  'AWS::RDS::DBSubnetGroup': [
    'rds:CreateDBSubnetGroup',
    'rds:ModifyDBSubnetGroup',
    'rds:DeleteDBSubnetGroup',
    'rds:DescribeDBSubnetGroups',
    ...RDS_TAGS,
    ...VPC_READ,
  ],
  'AWS::RDS::DBClusterParameterGroup': [
    'rds:CreateDBClusterParameterGroup',
    'rds:ModifyDBClusterParameterGroup',
    'rds:ResetDBClusterParameterGroup',
    'rds:DeleteDBClusterParameterGroup',
    'rds:DescribeDBClusterParameterGroups',
    'rds:DescribeDBClusterParameters',
    'rds:DescribeEngineDefaultClusterParameters',
    'rds:DescribeDBClusters',
    ...RDS_TAGS,
  ],
  'AWS::RDS::DBParameterGroup': [
    'rds:CreateDBParameterGroup',
    'rds:ModifyDBParameterGroup',
    'rds:ResetDBParameterGroup',
    'rds:DeleteDBParameterGroup',
    'rds:DescribeDBParameterGroups',
    'rds:DescribeDBParameters',
    'rds:DescribeEngineDefaultParameters',
    ...RDS_TAGS,
  ],
  'AWS::RDS::DBProxy': [
    'rds:CreateDBProxy',
    'rds:ModifyDBProxy',
    'rds:DeleteDBProxy',
    'rds:DescribeDBProxies',
    ...RDS_TAGS,
    ...VPC_READ,
    ...PASS_ROLE,
    ...SERVICE_LINKED_ROLE,
  ],
  'AWS::RDS::DBProxyTargetGroup': [
    'rds:RegisterDBProxyTargets',
    'rds:DeregisterDBProxyTargets',
    'rds:ModifyDBProxyTargetGroup',
    'rds:DescribeDBProxyTargetGroups',
    'rds:DescribeDBProxyTargets',
    'rds:DescribeDBClusters',
    'rds:DescribeDBInstances',
  ],

  // ---- Route 53 ----
  'AWS::Route53::RecordSet': [
    'route53:ChangeResourceRecordSets',
    'route53:GetChange',
    'route53:ListResourceRecordSets',
    'route53:GetHostedZone',
    'route53:ListHostedZones',
    'route53:ListHostedZonesByName',
    'apigateway:GET',
    'elasticloadbalancing:DescribeLoadBalancers',
  ],
  'AWS::Route53::HostedZone': [
    'route53:CreateHostedZone',
    'route53:DeleteHostedZone',
    'route53:GetHostedZone',
    'route53:UpdateHostedZoneComment',
    'route53:ChangeTagsForResource',
    'route53:ListTagsForResource',
    'route53:AssociateVPCWithHostedZone',
    'route53:DisassociateVPCFromHostedZone',
    'route53:ListQueryLoggingConfigs',
    'route53:GetChange',
    'ec2:DescribeVpcs',
  ],

  // ---- S3 (buckets created by the app; the bootstrap bucket is denied below) ----
  'AWS::S3::Bucket': [
    's3:CreateBucket',
    's3:DeleteBucket',
    's3:ListBucket',
    's3:GetBucket*',
    's3:PutBucket*',
    's3:DeleteBucketPolicy',
    's3:GetEncryptionConfiguration',
    's3:PutEncryptionConfiguration',
    's3:GetLifecycleConfiguration',
    's3:PutLifecycleConfiguration',
    's3:GetReplicationConfiguration',
    's3:PutReplicationConfiguration',
    's3:GetAccelerateConfiguration',
    's3:GetAnalyticsConfiguration',
    's3:GetIntelligentTieringConfiguration',
    's3:GetInventoryConfiguration',
    's3:GetMetricsConfiguration',
    's3:PutMetricsConfiguration',
  ],
  'AWS::S3::BucketPolicy': ['s3:PutBucketPolicy', 's3:GetBucketPolicy', 's3:DeleteBucketPolicy'],

  // ---- Secrets Manager ----
  'AWS::SecretsManager::Secret': [
    'secretsmanager:CreateSecret',
    'secretsmanager:UpdateSecret',
    'secretsmanager:DeleteSecret',
    'secretsmanager:DescribeSecret',
    'secretsmanager:GetRandomPassword',
    'secretsmanager:TagResource',
    'secretsmanager:UntagResource',
    'secretsmanager:ReplicateSecretToRegions',
    'secretsmanager:RemoveRegionsFromReplication',
    ...KMS_USE,
  ],
  // The attachment reads the secret and writes the database host and port into it.
  'AWS::SecretsManager::SecretTargetAttachment': [
    'secretsmanager:GetSecretValue',
    'secretsmanager:PutSecretValue',
    'secretsmanager:DescribeSecret',
    'rds:DescribeDBClusters',
    'rds:DescribeDBInstances',
    ...KMS_USE,
  ],
  'AWS::SecretsManager::RotationSchedule': [
    'secretsmanager:RotateSecret',
    'secretsmanager:CancelRotateSecret',
    'secretsmanager:DescribeSecret',
    'lambda:InvokeFunction',
  ],
  'AWS::SecretsManager::ResourcePolicy': [
    'secretsmanager:PutResourcePolicy',
    'secretsmanager:DeleteResourcePolicy',
    'secretsmanager:GetResourcePolicy',
    'secretsmanager:ValidateResourcePolicy',
  ],

  // ---- SNS, SSM, Step Functions, EventBridge, ECR ----
  'AWS::SNS::Topic': [
    'sns:CreateTopic',
    'sns:DeleteTopic',
    'sns:GetTopicAttributes',
    'sns:SetTopicAttributes',
    'sns:Subscribe',
    'sns:Unsubscribe',
    'sns:ListSubscriptionsByTopic',
    'sns:TagResource',
    'sns:UntagResource',
    'sns:ListTagsForResource',
    'kms:DescribeKey',
  ],
  'AWS::SNS::TopicPolicy': ['sns:SetTopicAttributes', 'sns:GetTopicAttributes'],
  'AWS::SNS::Subscription': [
    'sns:Subscribe',
    'sns:Unsubscribe',
    'sns:GetSubscriptionAttributes',
    'sns:SetSubscriptionAttributes',
  ],
  'AWS::SSM::Parameter': [
    'ssm:PutParameter',
    'ssm:DeleteParameter',
    'ssm:GetParameters',
    'ssm:AddTagsToResource',
    'ssm:RemoveTagsFromResource',
    'ssm:ListTagsForResource',
  ],
  'AWS::StepFunctions::StateMachine': [
    'states:CreateStateMachine',
    'states:UpdateStateMachine',
    'states:DeleteStateMachine',
    'states:DescribeStateMachine',
    'states:TagResource',
    'states:UntagResource',
    'states:ListTagsForResource',
    ...PASS_ROLE,
  ],
  'AWS::Events::Rule': [
    'events:PutRule',
    'events:DeleteRule',
    'events:DescribeRule',
    'events:PutTargets',
    'events:RemoveTargets',
    ...PASS_ROLE,
  ],
  'AWS::ECR::Repository': [
    'ecr:CreateRepository',
    'ecr:DeleteRepository',
    'ecr:DescribeRepositories',
    'ecr:PutLifecyclePolicy',
    'ecr:DeleteLifecyclePolicy',
    'ecr:GetLifecyclePolicy',
    'ecr:PutImageScanningConfiguration',
    'ecr:PutImageTagMutability',
    'ecr:SetRepositoryPolicy',
    'ecr:DeleteRepositoryPolicy',
    'ecr:GetRepositoryPolicy',
    'ecr:TagResource',
    'ecr:UntagResource',
    'ecr:ListTagsForResource',
  ],

  // ---- WAF ----
  'AWS::WAFv2::WebACL': [
    'wafv2:CreateWebACL',
    'wafv2:UpdateWebACL',
    'wafv2:DeleteWebACL',
    'wafv2:GetWebACL',
    'wafv2:ListWebACLs',
    'wafv2:CheckCapacity',
    'wafv2:DescribeManagedRuleGroup',
    'wafv2:ListAvailableManagedRuleGroups',
    'wafv2:GetIPSet',
    'wafv2:GetRuleGroup',
    'wafv2:TagResource',
    'wafv2:UntagResource',
    'wafv2:ListTagsForResource',
  ],
  'AWS::WAFv2::IPSet': [
    'wafv2:CreateIPSet',
    'wafv2:UpdateIPSet',
    'wafv2:DeleteIPSet',
    'wafv2:GetIPSet',
    'wafv2:ListIPSets',
    'wafv2:TagResource',
    'wafv2:UntagResource',
    'wafv2:ListTagsForResource',
  ],
  'AWS::WAFv2::RuleGroup': [
    'wafv2:CreateRuleGroup',
    'wafv2:UpdateRuleGroup',
    'wafv2:DeleteRuleGroup',
    'wafv2:GetRuleGroup',
    'wafv2:ListRuleGroups',
    'wafv2:CheckCapacity',
    'wafv2:TagResource',
    'wafv2:UntagResource',
    'wafv2:ListTagsForResource',
  ],
  'AWS::WAFv2::WebACLAssociation': [
    'wafv2:AssociateWebACL',
    'wafv2:DisassociateWebACL',
    'wafv2:GetWebACLForResource',
    'wafv2:GetWebACL',
    'apigateway:SetWebACL',
    'elasticloadbalancing:SetWebAcl',
  ],
  'AWS::WAFv2::LoggingConfiguration': [
    'wafv2:PutLoggingConfiguration',
    'wafv2:DeleteLoggingConfiguration',
    'wafv2:GetLoggingConfiguration',
    ...LOGS_DELIVERY,
    ...SERVICE_LINKED_ROLE,
  ],

  // ---- custom resources: CloudFormation invokes the provider's Lambda function ----
  'Custom::*': ['lambda:InvokeFunction'],
};

/**
 * The types inside the nested stack of an `AWS::Serverless::Application` (the Secrets Manager rotation
 * applications): they are not in the synthesized templates, so they are added whenever an application is.
 */
export const SAR_NESTED_TYPES = ['AWS::Lambda::Function', 'AWS::IAM::Role', 'AWS::Lambda::Permission'];

/** The mapping entry of a type (`Custom::*` and `AWS::CloudFormation::CustomResource` share one). */
export function actionsForType(type: string): readonly string[] | undefined {
  if (type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource') {
    return RESOURCE_TYPE_ACTIONS['Custom::*'];
  }
  return RESOURCE_TYPE_ACTIONS[type];
}

/** The types among `types` that have no entry in `RESOURCE_TYPE_ACTIONS`, sorted. */
export function unmappedTypes(types: Iterable<string>): string[] {
  return [...new Set(types)].filter((t) => actionsForType(t) === undefined).sort();
}

/** Every resource type of a set of CloudFormation templates (and the nested ones CloudFormation will create). */
export function resourceTypesOf(templates: Iterable<{ Resources?: Record<string, { Type: string }> }>): string[] {
  const types = new Set<string>();
  for (const template of templates) {
    for (const resource of Object.values(template.Resources ?? {})) {
      types.add(resource.Type);
      if (resource.Type === 'AWS::Serverless::Application') {
        SAR_NESTED_TYPES.forEach((t) => types.add(t));
      }
    }
  }
  return [...types].sort();
}

export interface ExecutionPolicyOptions {
  /** The CloudFormation resource types the policy must cover. */
  readonly resourceTypes: readonly string[];
  readonly partition: string;
  readonly account: string;
  readonly region: string;
  /** CDK bootstrap qualifier. */
  readonly qualifier: string;
  /** Name of the workload permissions boundary (a customer-managed policy of the same account). */
  readonly boundaryName: string;
  /** Names of the execution policies (they must not edit themselves). */
  readonly executionPolicyNames: readonly string[];
  /**
   * Prefixes of the app's stack names. CloudFormation names the resources it creates after the stack (roles,
   * functions, instance profiles, nested stacks), so roles, functions and stacks are managed only under them.
   */
  readonly stackNamePrefixes: readonly string[];
  /** Stack names the execution role must never touch (the bootstrap and the trust stacks). */
  readonly protectedStackNames: readonly string[];
  /** Role name patterns the execution role must never touch or pass (bootstrap roles, the trust stack's roles). */
  readonly protectedRolePatterns: readonly string[];
  /**
   * Name pattern of the roles the Serverless Application Repository rotation applications create in their nested
   * stack (no permissions boundary possible there), e.g. `items-database-*`.
   *
   * @default - no such exception (an `AWS::Serverless::Application` then fails to deploy)
   */
  readonly sarRoleNamePattern?: string;
}

/** Actions of the map that accept no resource ARN (IAM requires `Resource: *` for them). */
export const ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS = [
  'secretsmanager:GetRandomPassword',
  'secretsmanager:ListSecrets',
];

/** The services a role created by CloudFormation may be passed to. */
export const PASS_ROLE_SERVICES = [
  'apigateway.amazonaws.com',
  'backup.amazonaws.com',
  'ec2.amazonaws.com',
  'ecs.amazonaws.com',
  'ecs-tasks.amazonaws.com',
  'events.amazonaws.com',
  'lambda.amazonaws.com',
  'monitoring.rds.amazonaws.com',
  'rds.amazonaws.com',
  'states.amazonaws.com',
  'vpc-flow-logs.amazonaws.com',
];

/** The AWS services whose service-linked roles CloudFormation may create on first use. */
export const SERVICE_LINKED_ROLE_SERVICES = [
  'autoscaling.amazonaws.com',
  'backup.amazonaws.com',
  'ecs.amazonaws.com',
  'elasticloadbalancing.amazonaws.com',
  'ops.apigateway.amazonaws.com',
  'rds.amazonaws.com',
  'transitgateway.amazonaws.com',
  'wafv2.amazonaws.com',
  'delivery.logs.amazonaws.com',
];

const IAM_HANDLED = new Set([
  ...ROLE_WRITE_WITH_BOUNDARY,
  ...ROLE_OTHER,
  'iam:PassRole',
  'iam:CreateServiceLinkedRole',
  'iam:GetRolePolicy',
]);

/**
 * Builds the execution policy documents, each within IAM's 6,144-character limit for a managed policy.
 * Statements: the non-IAM actions of the types (grouped by service), the IAM statements (role management with the
 * boundary, PassRole to listed services, instance profiles and managed policies), the parameters and assets
 * CloudFormation reads, and the denies.
 */
export function executionPolicyDocuments(options: ExecutionPolicyOptions): PolicyDocumentJson[] {
  const missing = unmappedTypes(options.resourceTypes);
  if (missing.length > 0) {
    throw new Error(
      `\`resourceTypes\` has no entry in RESOURCE_TYPE_ACTIONS (example/ci/execution-policy.ts), got: ${missing.join(', ')}.`,
    );
  }
  const { partition, account, region, qualifier } = options;
  const iamArn = (resource: string) => `arn:${partition}:iam::${account}:${resource}`;
  const boundaryArn = iamArn(`policy/${options.boundaryName}`);
  const prefixes = options.stackNamePrefixes;
  if (prefixes.length === 0 || prefixes.some((p) => !/^[A-Za-z][A-Za-z0-9-]{2,}$/.test(p))) {
    throw new Error(
      `\`stackNamePrefixes\` must be letters, digits and hyphens (3 or more), got: ${prefixes.join(', ')}.`,
    );
  }
  const appRoles = prefixes.map((p) => iamArn(`role/${p}*`));

  const actions = new Set<string>();
  for (const type of options.resourceTypes) {
    actionsForType(type)!.forEach((a) => actions.add(a));
  }

  // non-IAM actions, one statement per service (actions without resource-level permissions in one more)
  const byService = new Map<string, Set<string>>();
  const unscoped = new Set<string>();
  for (const action of actions) {
    const service = action.split(':')[0];
    if (service === 'iam' || action === 's3:GetObject' || action === 's3:GetObjectVersion') continue;
    if (ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS.includes(action)) {
      unscoped.add(action);
      continue;
    }
    if (!byService.has(service)) byService.set(service, new Set());
    byService.get(service)!.add(action);
  }
  const regional = (service: string, resource: string) =>
    `arn:${partition}:${service}:${region}:${account}:${resource}`;
  // CloudFormation names functions and secrets after the stack, or after the construct's unique id (`itemsdatabase…`,
  // without the hyphen): the trailing hyphen of a prefix is dropped for them.
  const loose = [...new Set(prefixes.map((p) => p.replace(/-+$/, '')))];
  // services whose every action of ours accepts an ARN scoped to the account, the region and the app's names
  const scopedResources: Record<string, string[]> = {
    lambda: loose.map((p) => regional('lambda', `function:${p}*`)),
    secretsmanager: loose.map((p) => regional('secretsmanager', `secret:${p}*`)),
    cloudformation: [
      ...prefixes.map((p) => regional('cloudformation', `stack/${p}*/*`)),
      `arn:${partition}:cloudformation:${region}:aws:transform/Serverless-2016-10-31`,
    ],
    serverlessrepo: [`arn:${partition}:serverlessrepo:*:*:applications/*`],
  };
  const statements: PolicyStatementJson[] = [...byService.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([service, set]) => ({
      Sid: `${pascal(service)}ForTemplateResources`,
      Effect: 'Allow' as const,
      Action: [...set].sort(),
      Resource: scopedResources[service] ?? '*',
    }));
  if (unscoped.size > 0) {
    statements.push({
      Sid: 'ActionsWithoutResourceLevelPermissions',
      Effect: 'Allow',
      Action: [...unscoped].sort(),
      Resource: '*',
    });
  }

  if (
    [...actions].some((a) => a === 's3:GetObject' || a === 's3:GetObjectVersion') ||
    actions.has('lambda:CreateFunction')
  ) {
    statements.push({
      Sid: 'ReadCdkAssets',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:GetObjectVersion'],
      Resource: `arn:${partition}:s3:::cdk-${qualifier}-assets-${account}-${region}/*`,
    });
  }
  statements.push({
    Sid: 'ResolveSsmParameters',
    Effect: 'Allow',
    Action: ['ssm:GetParameters'],
    Resource: [
      `arn:${partition}:ssm:${region}::parameter/aws/service/*`,
      regional('ssm', `parameter/cdk-bootstrap/${qualifier}/version`),
    ],
  });

  // IAM
  const roleWrite = ROLE_WRITE_WITH_BOUNDARY.filter((a) => actions.has(a));
  if (roleWrite.length > 0) {
    statements.push({
      Sid: 'ManageRolesWithTheWorkloadBoundary',
      Effect: 'Allow',
      Action: roleWrite.sort(),
      Resource: appRoles,
      Condition: { StringEquals: { 'iam:PermissionsBoundary': boundaryArn } },
    });
  }
  const roleOther = ROLE_OTHER.filter(
    (a) => actions.has(a) || (a === 'iam:GetRolePolicy' && actions.has('iam:PutRolePolicy')),
  );
  if (roleOther.length > 0) {
    statements.push({
      Sid: 'ReadAndUpdateRolesOfTheApp',
      Effect: 'Allow',
      Action: roleOther.sort(),
      Resource: appRoles,
    });
  }
  if (options.sarRoleNamePattern && options.resourceTypes.includes('AWS::Serverless::Application')) {
    // The rotation applications of the Serverless Application Repository create their function's role in a nested
    // stack whose template CloudFormation fetches from the repository: it carries no permissions boundary.
    statements.push({
      Sid: 'ManageSarRotationRolesWithoutBoundary',
      Effect: 'Allow',
      Action: [
        'iam:CreateRole',
        'iam:PutRolePolicy',
        'iam:DeleteRolePolicy',
        'iam:AttachRolePolicy',
        'iam:DetachRolePolicy',
      ].sort(),
      Resource: iamArn(`role/${options.sarRoleNamePattern}`),
    });
  }
  const iamOther = [...actions].filter((a) => a.startsWith('iam:') && !IAM_HANDLED.has(a)).sort();
  if (iamOther.length > 0) {
    statements.push({
      Sid: 'ManageInstanceProfilesAndPolicies',
      Effect: 'Allow',
      Action: iamOther,
      Resource: prefixes.flatMap((p) => [
        iamArn(`instance-profile/${p}*`),
        iamArn(`policy/${p}*`),
        iamArn(`role/${p}*`),
      ]),
    });
  }
  if (actions.has('iam:PassRole')) {
    statements.push({
      Sid: 'PassRolesToTheServicesOfTheApp',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: appRoles,
      // IfExists: AddRoleToInstanceProfile checks iam:PassRole without naming a service
      Condition: { StringEqualsIfExists: { 'iam:PassedToService': PASS_ROLE_SERVICES } },
    });
  }
  if (actions.has('iam:CreateServiceLinkedRole')) {
    statements.push({
      Sid: 'CreateServiceLinkedRoles',
      Effect: 'Allow',
      Action: ['iam:CreateServiceLinkedRole'],
      Resource: iamArn('role/aws-service-role/*'),
      Condition: { StringEquals: { 'iam:AWSServiceName': SERVICE_LINKED_ROLE_SERVICES } },
    });
  }

  // Denies: the policy can't edit itself, its boundary or its role, nor reach the bootstrap and trust stacks.
  const ownPolicies = [boundaryArn, ...options.executionPolicyNames.map((n) => iamArn(`policy/${n}`))];
  statements.push(
    {
      Sid: 'DenyEditingTheExecutionPolicyAndBoundary',
      Effect: 'Deny',
      Action: [
        'iam:CreatePolicyVersion',
        'iam:DeletePolicy',
        'iam:DeletePolicyVersion',
        'iam:SetDefaultPolicyVersion',
        'iam:TagPolicy',
        'iam:UntagPolicy',
      ],
      Resource: ownPolicies,
    },
    {
      Sid: 'DenyRemovingTheBoundary',
      Effect: 'Deny',
      Action: ['iam:DeleteRolePermissionsBoundary', 'iam:DeleteUserPermissionsBoundary'],
      Resource: '*',
    },
    {
      Sid: 'DenyTouchingTheExecutionBootstrapAndTrustRoles',
      Effect: 'Deny',
      Action: [
        'iam:AttachRolePolicy',
        'iam:DetachRolePolicy',
        'iam:PutRolePolicy',
        'iam:DeleteRolePolicy',
        'iam:PutRolePermissionsBoundary',
        'iam:UpdateAssumeRolePolicy',
        'iam:UpdateRole',
        'iam:DeleteRole',
        'iam:TagRole',
        'iam:UntagRole',
        'iam:PassRole',
      ],
      Resource: options.protectedRolePatterns.map((p) => iamArn(`role/${p}`)),
    },
    {
      Sid: 'DenyTouchingTheBootstrapAndTrustStacks',
      Effect: 'Deny',
      Action: [
        'cloudformation:CreateStack',
        'cloudformation:UpdateStack',
        'cloudformation:DeleteStack',
        'cloudformation:CreateChangeSet',
        'cloudformation:ExecuteChangeSet',
        'cloudformation:SetStackPolicy',
      ],
      Resource: options.protectedStackNames.map((n) => regional('cloudformation', `stack/${n}/*`)),
    },
    {
      Sid: 'DenyWritingTheBootstrapBucket',
      Effect: 'Deny',
      Action: [
        's3:PutBucketPolicy',
        's3:DeleteBucketPolicy',
        's3:DeleteBucket',
        's3:PutBucketAcl',
        's3:PutBucketPublicAccessBlock',
      ],
      Resource: `arn:${partition}:s3:::cdk-${qualifier}-assets-${account}-${region}`,
    },
  );

  return pack(statements);
}

/** IAM's limit for a customer-managed policy, whitespace excluded. */
export const MANAGED_POLICY_MAX_CHARS = 6144;

function pack(statements: PolicyStatementJson[]): PolicyDocumentJson[] {
  const docs: PolicyStatementJson[][] = [[]];
  const size = (s: PolicyStatementJson[]) => JSON.stringify({ Version: '2012-10-17', Statement: s }).length;
  for (const statement of statements) {
    const current = docs[docs.length - 1];
    if (current.length > 0 && size([...current, statement]) > MANAGED_POLICY_MAX_CHARS) {
      docs.push([statement]);
    } else {
      current.push(statement);
    }
  }
  for (const doc of docs) {
    if (size(doc) > MANAGED_POLICY_MAX_CHARS) {
      throw new Error(`statement ${doc[0].Sid} alone exceeds ${MANAGED_POLICY_MAX_CHARS} characters: split it.`);
    }
  }
  return docs.map((s) => ({ Version: '2012-10-17', Statement: s }));
}

function pascal(service: string): string {
  return service
    .split(/[^A-Za-z0-9]/)
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}

/**
 * What an execution policy must never hold: a `*` action, `iam:*`, `<service>:*` for a service that isn't listed
 * with a reason, an Allow of role management without the boundary condition (outside the named exception).
 * Returns one message per violation (empty when the documents are fine).
 */
export function executionPolicyViolations(
  documents: readonly PolicyDocumentJson[],
  boundaryArn: string,
  allowedUnboundedRoleSids: readonly string[] = ['ManageSarRotationRolesWithoutBoundary'],
): string[] {
  const violations: string[] = [];
  for (const doc of documents) {
    for (const s of doc.Statement) {
      if (s.Effect !== 'Allow') continue;
      // a rendered template writes a single action as a string
      for (const action of ([] as string[]).concat(s.Action)) {
        const [service, name] = action.split(':');
        if (action === '*') {
          violations.push(`${s.Sid}: action "*"`);
        } else if (service === 'iam' && name === '*') {
          violations.push(`${s.Sid}: action "iam:*"`);
        } else if (name === '*' && !SERVICES_WITHOUT_RESOURCE_LEVEL_PERMISSIONS[service]) {
          violations.push(`${s.Sid}: action "${action}" (service not listed without resource-level permissions)`);
        }
        if (
          ['iam:CreateRole', 'iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:PutRolePermissionsBoundary'].includes(
            action,
          ) &&
          s.Condition?.StringEquals?.['iam:PermissionsBoundary'] !== boundaryArn &&
          !allowedUnboundedRoleSids.includes(s.Sid)
        ) {
          violations.push(`${s.Sid}: ${action} without the iam:PermissionsBoundary condition`);
        }
      }
    }
  }
  return violations;
}
