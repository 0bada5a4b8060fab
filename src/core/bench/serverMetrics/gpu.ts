/**
 * GPU telemetry without a DCGM exporter: `nvidia-smi --query-gpu` in its
 * documented machine-readable form (`--format=csv,noheader,nounits`: one line
 * per GPU, comma-separated, memory in MiB, power in W, clocks in MHz,
 * `[N/A]` or `[Not Supported]` where a board has no reading), on this
 * machine or inside a container we launched. Each reading becomes Prometheus
 * samples (`nvidia_smi_<field>{gpu="<index>"}`) so the same vocabulary
 * machinery, raw series included, serves it as it serves a scrape.
 */
import { execFile } from 'node:child_process';
import type { Sample } from '../../metrics/prometheus';
import type { SeriesRule } from './vocabulary';

/** Queried fields, in order; `index` and `uuid` identify the GPU. */
export const nvidiaSmiFields = [
  'index',
  'uuid',
  'name',
  'utilization.gpu',
  'memory.used',
  'memory.total',
  'power.draw',
  'clocks.sm',
  'clocks.mem',
  'temperature.gpu',
] as const;

export const nvidiaSmiArgs = [`--query-gpu=${nvidiaSmiFields.join(',')}`, '--format=csv,noheader,nounits'];

const metricName = (field: string) => `nvidia_smi_${field.replace(/\./g, '_')}`;

const nsmi = (key: string, label: string, unit: string, field: string): SeriesRule => ({
  key,
  label,
  unit,
  group: 'gpu',
  how: 'gauge',
  names: [metricName(field)],
  byLabel: 'gpu',
});

export const nvidiaSmiRules: SeriesRule[] = [
  nsmi('gpuUtilization', 'GPU utilization', '%', 'utilization.gpu'),
  nsmi('gpuMemoryUsedMiB', 'GPU memory used', 'MiB', 'memory.used'),
  nsmi('gpuMemoryTotalMiB', 'GPU memory total', 'MiB', 'memory.total'),
  nsmi('gpuPowerW', 'GPU power', 'W', 'power.draw'),
  nsmi('gpuSmClockMHz', 'GPU SM clock', 'MHz', 'clocks.sm'),
  nsmi('gpuMemClockMHz', 'GPU memory clock', 'MHz', 'clocks.mem'),
  nsmi('gpuTemperatureC', 'GPU temperature', '°C', 'temperature.gpu'),
];

/** Parses `nvidia-smi --query-gpu=<nvidiaSmiFields> --format=csv,noheader,nounits` output into samples. */
export function parseNvidiaSmi(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const cells = line.split(',').map((c) => c.trim());
    if (cells.length !== nvidiaSmiFields.length)
      throw new Error(
        `nvidia-smi printed an unexpected line (${cells.length} fields, expected ${nvidiaSmiFields.length}): ${line.slice(0, 120)}`,
      );
    const labels = { gpu: cells[0], uuid: cells[1], name: cells[2] };
    nvidiaSmiFields.forEach((field, i) => {
      if (i < 3) return;
      const value = Number(cells[i]);
      // "[N/A]" and "[Not Supported]" are not readings.
      if (cells[i] !== '' && Number.isFinite(value)) out.push({ name: metricName(field), labels, value });
    });
  }
  return out;
}

/** Runs nvidia-smi on this machine; rejects when it is missing or fails. */
export function runNvidiaSmi(signal?: AbortSignal, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('nvidia-smi', nvidiaSmiArgs, { timeout: timeoutMs, signal, windowsHide: true }, (err, stdout, stderr) => {
      if (err) {
        const code = (err as NodeJS.ErrnoException).code;
        reject(
          new Error(
            code === 'ENOENT'
              ? 'nvidia-smi is not on PATH'
              : `nvidia-smi failed: ${(stderr || err.message).trim().slice(0, 200)}`,
          ),
        );
      } else resolve(stdout);
    });
  });
}
