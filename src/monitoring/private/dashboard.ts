import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import {
  ApiAlarm,
  ApplicationLoadBalancerAlarm,
  AuroraAlarm,
  AutoScalingGroupAlarm,
  EcsServiceAlarm,
  NetworkLoadBalancerAlarm,
  WebAclAlarm,
} from '../alarms';
import { IMonitoringSegment } from '../segment';

/** The name of every alarm of every segment. */
export const ALL_ALARMS: readonly string[] = [
  ...Object.values(ApiAlarm),
  ...Object.values(NetworkLoadBalancerAlarm),
  ...Object.values(ApplicationLoadBalancerAlarm),
  ...Object.values(EcsServiceAlarm),
  ...Object.values(AutoScalingGroupAlarm),
  ...Object.values(WebAclAlarm),
  ...Object.values(AuroraAlarm),
];

/**
 * Adds a row to a dashboard: a heading (with an optional line below it), the status of the segments' alarms, then
 * every segment's widgets in order (CloudWatch rows wrap at 24 columns).
 */
export function addDashboardRow(
  dashboard: cloudwatch.Dashboard,
  title: string,
  segments: IMonitoringSegment[],
  description?: string,
): void {
  dashboard.addWidgets(
    new cloudwatch.TextWidget({
      markdown: `## ${title}${description !== undefined ? `\n${description}` : ''}`,
      width: 24,
      height: description !== undefined ? 2 : 1,
    }),
  );
  const alarms = segments.flatMap((segment) => segment.alarms);
  if (alarms.length > 0) {
    dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: `${title}: alarms`, alarms, width: 24, height: 4 }));
  }
  const widgets = segments.flatMap((segment) => segment.widgets());
  if (widgets.length > 0) {
    dashboard.addWidgets(...widgets);
  }
}
