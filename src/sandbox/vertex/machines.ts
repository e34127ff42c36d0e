// MachineSpec and autoscaling checks of dedicated resources, with Vertex
// AI's messages: the machine types and GPUs of src/shared/machineTypes.ts,
// and the vCPUs that count against the custom-model-serving CPU quota.
import type { protos } from '@google-cloud/aiplatform';
import { acceleratorProblem, MACHINE_TYPES, machineType } from '../../shared/machineTypes';
import { invalidArgument } from './status';

type IMachineSpec = protos.google.cloud.aiplatform.v1.IMachineSpec;
type IAutoscalingMetricSpec = protos.google.cloud.aiplatform.v1.IAutoscalingMetricSpec;

export const CPU_METRIC = 'aiplatform.googleapis.com/prediction/online/cpu/utilization';
export const GPU_METRIC = 'aiplatform.googleapis.com/prediction/online/accelerator/duty_cycle';
export const REQUEST_METRIC = 'aiplatform.googleapis.com/prediction/online/request_count';
const METRICS = [CPU_METRIC, GPU_METRIC, REQUEST_METRIC];

export interface MachineCheck {
  vcpus: number;
  acceleratorType?: string;
  acceleratorCount: number;
}

/** Validates a MachineSpec; returns what one replica uses. */
export function checkMachineSpec(spec: IMachineSpec | null | undefined): MachineCheck {
  const name = spec?.machineType ?? '';
  if (name === '') throw invalidArgument('deployed_model.dedicated_resources.machine_spec.machine_type is required.');
  const machine = machineType(name);
  if (!machine) {
    throw invalidArgument(`Machine type "${name}" is not supported for prediction. Supported types include: ${MACHINE_TYPES.slice(0, 8).join(', ')}, ...`);
  }
  const type = spec?.acceleratorType && String(spec.acceleratorType) !== 'ACCELERATOR_TYPE_UNSPECIFIED' ? String(spec.acceleratorType) : undefined;
  const count = Number(spec?.acceleratorCount ?? 0);
  const problem = acceleratorProblem(machine, type, count);
  if (problem) throw invalidArgument(problem);
  return { vcpus: machine.vcpus, acceleratorType: type, acceleratorCount: type ? count : 0 };
}

/** At most one spec per metric, a known metric, a target from 1 to 100; the GPU metric needs GPUs. */
export function checkAutoscalingSpecs(specs: readonly IAutoscalingMetricSpec[] | null | undefined, machine: MachineCheck): IAutoscalingMetricSpec[] {
  const list = specs ?? [];
  const seen = new Set<string>();
  for (const spec of list) {
    const metric = spec.metricName ?? '';
    if (!METRICS.includes(metric)) throw invalidArgument(`autoscaling_metric_specs.metric_name "${metric}" is not supported; use one of ${METRICS.join(', ')}.`);
    if (seen.has(metric)) throw invalidArgument(`autoscaling_metric_specs has ${metric} twice; at most one entry is allowed per metric.`);
    seen.add(metric);
    const target = Number(spec.target ?? 60);
    if (metric !== REQUEST_METRIC && (!Number.isInteger(target) || target < 1 || target > 100)) {
      throw invalidArgument(`autoscaling_metric_specs target for ${metric} must be a percentage from 1 to 100, got ${target}.`);
    }
    if (metric === GPU_METRIC && machine.acceleratorCount === 0) {
      throw invalidArgument(`autoscaling_metric_specs names ${GPU_METRIC}, but the machine has no accelerators.`);
    }
  }
  return list.map((s) => ({ metricName: s.metricName, target: Number(s.target ?? 60) }));
}
