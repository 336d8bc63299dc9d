/**
 * Preloaded into the integ test apps by the live integ workflow (`node -r ts-node/register/transpile-only
 * -r example/ci/integ-boundary.ts {filePath}`): adds the workload permissions boundary to the context the
 * runner hands the app, as example/cdk.json does for `cdk deploy`. The execution policy of the integ account
 * lets CloudFormation create roles only when they carry this boundary.
 */
import { withWorkloadBoundary } from './app-templates';

process.env.CDK_CONTEXT_JSON = withWorkloadBoundary(process.env.CDK_CONTEXT_JSON);
