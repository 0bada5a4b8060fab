/**
 * Folds the engine's per-layer pull messages into one progress figure.
 * Each layer counts by its size: 80 % for downloading, 20 % for extracting.
 * Layers whose size is not known yet count as an average layer, so the
 * percentage does not jump to 100 while some layers are still waiting; it
 * never goes backwards either, whatever order the layers report in.
 */
import type { RawPullMessage } from './engineSchemas';
import type { PullProgress } from '../types';

interface Layer {
  total?: number;
  downloaded: number;
  extracted: number;
  done: boolean;
  /** Already on the engine: no work, not weighed. */
  existed: boolean;
}

const layerStatuses =
  /^(Pulling fs layer|Waiting|Downloading|Verifying Checksum|Download complete|Extracting|Pull complete|Already exists|Retrying)/;

export class PullProgressTracker {
  private readonly layers = new Map<string, Layer>();
  private percent = 0;
  private status = '';

  /** Applies one engine message and returns the new aggregate. */
  update(msg: RawPullMessage): PullProgress {
    if (msg.status)
      this.status = msg.id && !msg.status.startsWith('Pulling from') ? `${msg.status} ${msg.id}` : msg.status;
    if (msg.id && msg.status && layerStatuses.test(msg.status)) this.apply(msg.id, msg.status, msg.progressDetail);
    return this.snapshot();
  }

  /** The pull finished without error: everything is done. */
  finish(): PullProgress {
    for (const l of this.layers.values()) {
      l.done = true;
      if (l.total !== undefined) l.downloaded = l.extracted = l.total;
    }
    this.percent = 100;
    return this.snapshot();
  }

  private apply(id: string, status: string, detail: RawPullMessage['progressDetail']): void {
    let l = this.layers.get(id);
    if (!l) {
      l = { downloaded: 0, extracted: 0, done: false, existed: false };
      this.layers.set(id, l);
    }
    if (detail?.total && detail.total > 0) l.total = detail.total;
    if (status === 'Downloading' && detail?.current !== undefined) l.downloaded = detail.current;
    else if (status === 'Verifying Checksum' || status === 'Download complete') l.downloaded = l.total ?? l.downloaded;
    else if (status === 'Extracting' && detail?.current !== undefined) {
      l.downloaded = l.total ?? l.downloaded;
      l.extracted = detail.current;
    } else if (status === 'Pull complete') {
      l.done = true;
    } else if (status === 'Already exists') {
      l.done = l.existed = true;
    }
  }

  private snapshot(): PullProgress {
    const work = [...this.layers.values()].filter((l) => !l.existed);
    const known = work.filter((l) => l.total !== undefined).map((l) => l.total as number);
    const average = known.length ? known.reduce((a, b) => a + b, 0) / known.length : 1;
    let weighed = 0;
    let done = 0;
    for (const l of work) {
      const w = l.total ?? average;
      weighed += w;
      if (l.done) done += w;
      else if (l.total)
        done +=
          w * ((0.8 * Math.min(l.downloaded, l.total)) / l.total + (0.2 * Math.min(l.extracted, l.total)) / l.total);
    }
    const all = [...this.layers.values()];
    const computed = weighed > 0 ? (100 * done) / weighed : all.length && all.every((l) => l.done) ? 100 : 0;
    // Rounded down so that 100 means finished, not "nearly".
    this.percent = Math.max(this.percent, Math.min(100, Math.floor(computed * 10) / 10));
    return {
      percent: this.percent,
      downloadedBytes: work.reduce(
        (a, l) => a + (l.total !== undefined ? Math.min(l.downloaded, l.total) : l.downloaded),
        0,
      ),
      totalBytes: known.reduce((a, b) => a + b, 0),
      layersDone: all.filter((l) => l.done).length,
      layersTotal: all.length,
      status: this.status,
    };
  }
}
