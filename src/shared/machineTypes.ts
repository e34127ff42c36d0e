// Prediction machine types of Vertex AI (a subset) with the GPUs each family
// takes and how many per replica: the sandbox enforces it as Vertex AI does,
// the editor offers only what a machine accepts.

export interface AcceleratorOption {
  type: string;
  /** GPUs per replica that this machine type accepts. */
  counts: number[];
}

interface Family {
  sizes: number[];
  /** GiB of memory per vCPU. */
  memoryPerVcpu: number;
  /** GPUs for every size; g2 machines come with a fixed number (see below). */
  accelerators: AcceleratorOption[];
  /** The GPU is part of the machine: a replica must have it. */
  acceleratorRequired?: boolean;
}

const N1_GPUS: AcceleratorOption[] = [
  { type: 'NVIDIA_TESLA_T4', counts: [1, 2, 4] },
  { type: 'NVIDIA_TESLA_P4', counts: [1, 2, 4] },
  { type: 'NVIDIA_TESLA_P100', counts: [1, 2, 4] },
  { type: 'NVIDIA_TESLA_V100', counts: [1, 2, 4, 8] },
];

const FAMILIES: Record<string, Family> = {
  'n1-standard': { sizes: [2, 4, 8, 16, 32], memoryPerVcpu: 3.75, accelerators: N1_GPUS },
  'n1-highmem': { sizes: [2, 4, 8, 16, 32], memoryPerVcpu: 6.5, accelerators: N1_GPUS },
  'n1-highcpu': { sizes: [4, 8, 16, 32], memoryPerVcpu: 0.9, accelerators: N1_GPUS },
  'e2-standard': { sizes: [2, 4, 8, 16, 32], memoryPerVcpu: 4, accelerators: [] },
  'e2-highmem': { sizes: [2, 4, 8, 16], memoryPerVcpu: 8, accelerators: [] },
  'e2-highcpu': { sizes: [2, 4, 8, 16, 32], memoryPerVcpu: 1, accelerators: [] },
  'n2-standard': { sizes: [2, 4, 8, 16, 32, 48, 64, 80], memoryPerVcpu: 4, accelerators: [] },
  'c2-standard': { sizes: [4, 8, 16, 30, 60], memoryPerVcpu: 4, accelerators: [] },
  'g2-standard': { sizes: [4, 8, 12, 16, 24, 32, 48, 96], memoryPerVcpu: 4, accelerators: [{ type: 'NVIDIA_L4', counts: [1] }], acceleratorRequired: true },
};

/** L4 GPUs that come with each g2-standard size. */
const G2_L4S: Record<number, number> = { 4: 1, 8: 1, 12: 1, 16: 1, 32: 1, 24: 2, 48: 4, 96: 8 };

export const MACHINE_TYPES: readonly string[] = Object.entries(FAMILIES).flatMap(([family, { sizes }]) => sizes.map((size) => `${family}-${size}`));

export interface MachineType {
  name: string;
  /** n1, e2, ...: the family whose per-vCPU and per-GiB prices apply. */
  series: string;
  vcpus: number;
  memoryGb: number;
  accelerators: AcceleratorOption[];
  acceleratorRequired: boolean;
}

/** A known prediction machine type, or undefined. */
export function machineType(name: string): MachineType | undefined {
  const match = /^([a-z0-9]+-[a-z]+)-(\d+)$/.exec(name);
  const family = match ? FAMILIES[match[1]] : undefined;
  if (!match || !family) return undefined;
  const vcpus = Number(match[2]);
  if (!family.sizes.includes(vcpus)) return undefined;
  const accelerators = match[1] === 'g2-standard' ? [{ type: 'NVIDIA_L4', counts: [G2_L4S[vcpus]] }] : family.accelerators;
  return { name, series: match[1].split('-')[0], vcpus, memoryGb: vcpus * family.memoryPerVcpu, accelerators, acceleratorRequired: family.acceleratorRequired ?? false };
}

/** Why this machine cannot take `count` GPUs of `type` (none: type undefined), or undefined when it can. */
export function acceleratorProblem(machine: MachineType, type: string | undefined, count: number): string | undefined {
  if (type === undefined) {
    if (count > 0) return 'accelerator_count is set but accelerator_type is not.';
    if (machine.acceleratorRequired) {
      const gpu = machine.accelerators[0];
      return `Machine type ${machine.name} comes with ${gpu.counts[0]} ${gpu.type}: set accelerator_type ${gpu.type} and accelerator_count ${gpu.counts[0]}.`;
    }
    return undefined;
  }
  const option = machine.accelerators.find((a) => a.type === type);
  if (!option) {
    const takes = machine.accelerators.map((a) => a.type).join(', ');
    return `Accelerator ${type} cannot be attached to machine type ${machine.name}${takes ? `; it takes ${takes}` : '; it takes no accelerators (use an n1 or g2 machine for GPUs)'}.`;
  }
  if (!option.counts.includes(count)) {
    return `Machine type ${machine.name} takes ${option.counts.join(', ')} ${type} per replica, not ${count}.`;
  }
  return undefined;
}
