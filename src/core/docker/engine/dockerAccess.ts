import type { Logger } from '../../util/logger';
import type { DockerConnectionSetting } from './connection';
import type { ContainerService } from './containerService';

/**
 * The Docker engine connection for the current setting (read anew on each call). dockerode and the
 * docker core load with `import()` on first use, so activation never pays for
 * them; a settings change makes the next call connect anew.
 */
export class DockerAccess {
  private current: { key: string; service: Promise<ContainerService> } | undefined;

  constructor(
    private readonly setting: () => DockerConnectionSetting,
    private readonly log: Logger,
  ) {}

  service(): Promise<ContainerService> {
    const setting = this.setting();
    const key = JSON.stringify(setting);
    if (this.current?.key !== key) {
      const service = import('./dockerodeService.js').then(({ createDockerService }) =>
        createDockerService(setting, this.log),
      );
      // A bad host setting fails here; the next call (after the setting is fixed) tries again.
      service.catch(() => (this.current?.service === service ? (this.current = undefined) : undefined));
      this.current = { key, service };
    }
    return this.current.service;
  }
}
