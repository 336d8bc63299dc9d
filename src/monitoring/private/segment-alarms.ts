import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { defaultAlarmNamePrefix } from './names';
import {
  validateAlarmNamePrefix,
  validateDisabledAlarms,
  validateRunbookUrl,
  validateThreshold,
  ThresholdRange,
} from './validation';
import { AlarmThreshold, MonitoringSegmentOptions } from '../segment';

/** How one alarm is defined by its segment. */
export interface AlarmDefinition {
  /** The prop that holds the threshold record, for error messages (for example `errors5xxRate`). */
  readonly prop: string;
  /** The user's threshold record. */
  readonly threshold?: AlarmThreshold;
  /** The documented default of `critical`. */
  readonly defaultCritical: number;
  /** The allowed range of the thresholds. */
  readonly range: ThresholdRange;
  /** Converts a threshold in the user's unit into the metric's (MiB to bytes, for example). */
  readonly toMetricUnit?: (threshold: number) => number;
  readonly comparisonOperator: cloudwatch.ComparisonOperator;
  readonly defaultEvaluationPeriods: number;
  readonly defaultDatapointsToAlarm?: number;
  readonly treatMissingData: cloudwatch.TreatMissingData;
  /** The period of the metric, for the description. */
  readonly period: Duration;
  /** What broke, in one sentence, for a threshold and a window such as `for 15 minutes`. */
  readonly summary: (threshold: number, window: string) => string;
  /** Where to look first. */
  readonly lookAt: string;
}

/**
 * Where a segment created by `ServiceMonitoring` puts its alarms: the `ServiceMonitoring` itself, so the alarms keep
 * the construct paths (and CloudFormation logical ids) they had before monitoring was split into segments. A logical
 * id change would replace each alarm by a new one of the same name, and deleting the old one would delete the new.
 * Keyed by the props object the segment is given; not part of the public API.
 */
export const ALARM_SCOPES = new WeakMap<object, Construct>();

/** The alarm names, topics, runbook link and disabled list of one segment, and the alarms it created. */
export class SegmentAlarms {
  public readonly alarms: cloudwatch.Alarm[] = [];
  public readonly prefix: string;
  public readonly runbookUrl?: string;
  public readonly alarmTopic?: sns.ITopic;
  public readonly warningAlarmTopic?: sns.ITopic;
  private readonly enabled: boolean;
  private readonly disabled: Set<string>;
  private readonly critical = new Map<string, cloudwatch.Alarm>();
  private readonly alarmScope: Construct;

  constructor(scope: Construct, options: MonitoringSegmentOptions, kinds: readonly string[]) {
    this.alarmScope = ALARM_SCOPES.get(options) ?? scope;
    const facade = options.facade;
    this.prefix = options.alarmNamePrefix ?? defaultAlarmNamePrefix(scope);
    this.runbookUrl = options.runbookUrl ?? facade?.runbookUrl;
    this.alarmTopic = options.alarmTopic ?? facade?.alarmTopic;
    this.warningAlarmTopic = options.warningAlarmTopic ?? facade?.warningAlarmTopic ?? this.alarmTopic;
    this.enabled = options.enableAlarms ?? facade?.enableAlarms ?? true;
    validateAlarmNamePrefix(this.prefix);
    validateRunbookUrl('runbookUrl', options.runbookUrl);
    validateDisabledAlarms('disabledAlarms', options.disabledAlarms, kinds);
    // The facade's list names alarms of every kind of segment: keep this segment's.
    this.disabled = new Set([
      ...(options.disabledAlarms ?? []),
      ...(facade?.disabledAlarms ?? []).filter((name) => kinds.includes(name)),
    ]);
  }

  /** `<prefix>-<kind>`, whether or not the alarm exists. */
  public name(kind: string): string {
    return `${this.prefix}-${kind}`;
  }

  /** The critical alarm of a kind, if created. */
  public get(kind: string): cloudwatch.Alarm | undefined {
    return this.critical.get(kind);
  }

  /** The names of the created critical alarms among `kinds`, in that order. */
  public names(kinds: readonly string[]): string[] {
    return kinds.filter((kind) => this.critical.has(kind)).map((kind) => this.name(kind));
  }

  /**
   * Validates the threshold record, then creates the critical alarm (and the warning alarm when asked) unless alarms
   * are off or the kind is disabled.
   */
  public add(kind: string, metric: cloudwatch.IMetric, def: AlarmDefinition): cloudwatch.Alarm | undefined {
    const record = def.threshold ?? {};
    const critical = record.critical ?? def.defaultCritical;
    const evaluationPeriods = record.evaluationPeriods ?? def.defaultEvaluationPeriods;
    const datapointsToAlarm = record.datapointsToAlarm ?? def.defaultDatapointsToAlarm;
    validateThreshold(def.prop, record, def.range, evaluationPeriods);
    this.validateWarningBeforeCritical(def, record.warning, critical);
    if (!this.enabled || this.disabled.has(kind)) {
      return undefined;
    }
    const alarm = this.create(kind, metric, def, critical, evaluationPeriods, datapointsToAlarm, false);
    this.critical.set(kind, alarm);
    if (record.warning !== undefined) {
      this.create(kind, metric, def, record.warning, evaluationPeriods, datapointsToAlarm, true);
    }
    return alarm;
  }

  /** A warning must fire no later than the critical alarm: below it for "greater" alarms, above it for "less". */
  private validateWarningBeforeCritical(def: AlarmDefinition, warning: number | undefined, critical: number): void {
    if (warning === undefined || Token.isUnresolved(warning) || Token.isUnresolved(critical)) {
      return;
    }
    const op = cloudwatch.ComparisonOperator;
    const greater = [op.GREATER_THAN_THRESHOLD, op.GREATER_THAN_OR_EQUAL_TO_THRESHOLD].includes(def.comparisonOperator);
    const headroom = def.prop === 'capacityAtMax';
    // capacityAtMax counts headroom below the maximum: a warning fires with more headroom, like a "less" alarm.
    if ((greater && !headroom && warning > critical) || ((!greater || headroom) && warning < critical)) {
      throw new Error(
        `\`${def.prop}.warning\` must fire before \`${def.prop}.critical\` (${critical}), got: ${warning}.`,
      );
    }
  }

  private create(
    kind: string,
    metric: cloudwatch.IMetric,
    def: AlarmDefinition,
    threshold: number,
    evaluationPeriods: number,
    datapointsToAlarm: number | undefined,
    warning: boolean,
  ): cloudwatch.Alarm {
    const id = kind
      .split('-')
      .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
      .join('');
    const minutes = def.period.toMinutes();
    const all = datapointsToAlarm === undefined || datapointsToAlarm === evaluationPeriods;
    const window = all
      ? `${evaluationPeriods === 1 ? 'in' : 'for'} ${evaluationPeriods * minutes} minute${evaluationPeriods * minutes === 1 ? '' : 's'}`
      : `in ${datapointsToAlarm} of the last ${evaluationPeriods} periods of ${minutes} minute${minutes === 1 ? '' : 's'}`;
    const runbook = this.runbookUrl !== undefined ? ` Runbook: ${this.runbookUrl}#${kind}` : '';
    const alarm = new cloudwatch.Alarm(this.alarmScope, `${id}${warning ? 'Warning' : ''}Alarm`, {
      alarmName: `${this.name(kind)}${warning ? '-warning' : ''}`,
      alarmDescription: `${warning ? 'Warning: ' : ''}${def.summary(threshold, window)} Look at: ${def.lookAt}.${runbook}`,
      metric,
      threshold: def.toMetricUnit ? def.toMetricUnit(threshold) : threshold,
      comparisonOperator: def.comparisonOperator,
      evaluationPeriods,
      datapointsToAlarm,
      treatMissingData: def.treatMissingData,
    });
    const topic = warning ? this.warningAlarmTopic : this.alarmTopic;
    if (topic !== undefined) {
      const action = new cwActions.SnsAction(topic);
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
    this.alarms.push(alarm);
    return alarm;
  }
}
