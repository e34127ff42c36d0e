// The machine types the sandbox accepts for dedicated resources, a subset of
// Vertex AI's prediction machine types, with the vCPUs that count against the
// custom-model-serving CPU quota and the accelerators each family takes.
import { invalidArgument } from './status';

const FAMILIES: Record<string, { sizes: number[]; accelerators: string[] }> = {
  'n1-standard': { sizes: [2, 4, 8, 16, 32], accelerators: ['NVIDIA_TESLA_T4', 'NVIDIA_TESLA_P4', 'NVIDIA_TESLA_V100', 'NVIDIA_TESLA_P100'] },
  'n1-highmem': { sizes: [2, 4, 8, 16, 32], accelerators: ['NVIDIA_TESLA_T4', 'NVIDIA_TESLA_P4', 'NVIDIA_TESLA_V100', 'NVIDIA_TESLA_P100'] },
  'n1-highcpu': { sizes: [4, 8, 16, 32], accelerators: ['NVIDIA_TESLA_T4', 'NVIDIA_TESLA_P4', 'NVIDIA_TESLA_V100', 'NVIDIA_TESLA_P100'] },
  'e2-standard': { sizes: [2, 4, 8, 16, 32], accelerators: [] },
  'e2-highmem': { sizes: [2, 4, 8, 16], accelerators: [] },
  'e2-highcpu': { sizes: [2, 4, 8, 16, 32], accelerators: [] },
  'n2-standard': { sizes: [2, 4, 8, 16, 32, 48, 64, 80], accelerators: [] },
  'c2-standard': { sizes: [4, 8, 16, 30, 60], accelerators: [] },
  'g2-standard': { sizes: [4, 8, 12, 16, 24, 32, 48, 96], accelerators: ['NVIDIA_L4'] },
};

export const MACHINE_TYPES: readonly string[] = Object.entries(FAMILIES).flatMap(([family, { sizes }]) =>
  sizes.map((size) => `${family}-${size}`),
);

export interface MachineCheck {
  vcpus: number;
}

/** Validates a MachineSpec; returns the vCPUs one replica uses. */
export function checkMachineSpec(spec: Record<string, unknown> | undefined): MachineCheck {
  const machineType = typeof spec?.machineType === 'string' ? spec.machineType : '';
  if (machineType === '') throw invalidArgument('deployed_model.dedicated_resources.machine_spec.machine_type is required.');
  const match = /^([a-z0-9]+-[a-z]+)-(\d+)$/.exec(machineType);
  const family = match ? FAMILIES[match[1]] : undefined;
  if (!match || !family || !family.sizes.includes(Number(match[2]))) {
    throw invalidArgument(`Machine type "${machineType}" is not supported for prediction. Supported types include: ${MACHINE_TYPES.slice(0, 8).join(', ')}, ...`);
  }
  const accelerator = typeof spec?.acceleratorType === 'string' ? spec.acceleratorType : 'ACCELERATOR_TYPE_UNSPECIFIED';
  const count = typeof spec?.acceleratorCount === 'number' ? spec.acceleratorCount : 0;
  if (accelerator !== 'ACCELERATOR_TYPE_UNSPECIFIED') {
    if (!family.accelerators.includes(accelerator)) {
      throw invalidArgument(`Accelerator ${accelerator} cannot be attached to machine type ${machineType}.`);
    }
    if (count < 1) throw invalidArgument(`accelerator_count must be at least 1 with accelerator ${accelerator}.`);
  } else if (count > 0) {
    throw invalidArgument('accelerator_count is set but accelerator_type is not.');
  }
  return { vcpus: Number(match[2]) };
}
