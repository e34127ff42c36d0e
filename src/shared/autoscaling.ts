// Autoscaling of a deployed model: replicas between min and max, scaled on
// CPU utilisation and (with GPUs) accelerator duty cycle toward targets. The
// short metric names are gcloud's (--autoscaling-metric-specs cpu-usage=60).
import { UserError } from './errors';

export type AutoscalingMetric = 'cpu-usage' | 'gpu-duty-cycle' | 'request-counts-per-minute';

export interface AutoscalingTarget {
  metric: AutoscalingMetric;
  /** Percent (1-100) for cpu-usage and gpu-duty-cycle; requests a minute per replica for request counts. */
  target: number;
}

/** Vertex AI's metric names. */
export const METRIC_NAMES: Record<AutoscalingMetric, string> = {
  'cpu-usage': 'aiplatform.googleapis.com/prediction/online/cpu/utilization',
  'gpu-duty-cycle': 'aiplatform.googleapis.com/prediction/online/accelerator/duty_cycle',
  'request-counts-per-minute': 'aiplatform.googleapis.com/prediction/online/request_count',
};

export function metricOf(metricName: string): AutoscalingMetric | undefined {
  return (Object.keys(METRIC_NAMES) as AutoscalingMetric[]).find((m) => METRIC_NAMES[m] === metricName);
}

/** "cpu-usage=60,gpu-duty-cycle=70" */
export function parseAutoscalingSpecs(text: string): AutoscalingTarget[] {
  const specs: AutoscalingTarget[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const [key, value, extra] = part.split('=').map((s) => s.trim());
    if (!(key in METRIC_NAMES) || value === undefined || extra !== undefined) {
      throw new UserError(`--autoscaling-metric-specs "${part}" is not METRIC=TARGET with METRIC one of ${Object.keys(METRIC_NAMES).join(', ')}, e.g. cpu-usage=60`);
    }
    const target = Number(value);
    const percent = key !== 'request-counts-per-minute';
    if (!Number.isInteger(target) || target < 1 || (percent && target > 100)) {
      throw new UserError(`--autoscaling-metric-specs ${key} target must be a whole number ${percent ? 'from 1 to 100 (percent)' : 'of at least 1'}, not '${value}'`);
    }
    if (specs.some((s) => s.metric === key)) throw new UserError(`--autoscaling-metric-specs names ${key} twice`);
    specs.push({ metric: key as AutoscalingMetric, target });
  }
  return specs;
}

export function formatAutoscaling(specs: readonly AutoscalingTarget[]): string {
  return specs.map((s) => `${s.metric}=${s.target}`).join(',');
}

/** Why quota can refuse a deployment that runs on fewer replicas. */
export function quotaNote(vcpusPerReplica: number, maxReplicas: number): string {
  return `Quota is charged on the maximum replica count: ${vcpusPerReplica} vCPUs x ${maxReplicas} replicas = ${vcpusPerReplica * maxReplicas} vCPUs of custom_model_serving_cpus.`;
}
