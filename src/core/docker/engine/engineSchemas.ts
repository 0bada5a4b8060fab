/**
 * JSON Schemas for the parts of the Docker Engine API answers we depend on
 * (API 1.41+). Only the fields we read are constrained; anything else the
 * engine adds is allowed, so newer engines keep working. A wrong shape is a
 * clear 'malformed' error instead of a crash deep in the UI.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import { ContainerError } from '../errors';

const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const strMapOrNull = { type: ['object', 'null'], additionalProperties: str } as const;
const strArrayOrNull = { type: ['array', 'null'], items: str } as const;

export interface RawInfo {
  ServerVersion: string;
  OperatingSystem?: string;
  OSType?: string;
  Architecture?: string;
  NCPU?: number;
  MemTotal?: number;
  DefaultRuntime?: string;
  Runtimes?: Record<string, object>;
  DiscoveredDevices?: { Source: string; ID: string }[] | null;
  GenericResources?:
    | {
        NamedResourceSpec?: { Kind?: string; Value?: string };
        DiscreteResourceSpec?: { Kind?: string; Value?: number };
      }[]
    | null;
}

const infoSchema = {
  type: 'object',
  required: ['ServerVersion'],
  properties: {
    ServerVersion: str,
    OperatingSystem: str,
    OSType: str,
    Architecture: str,
    NCPU: int,
    MemTotal: { type: 'number' },
    DefaultRuntime: str,
    Runtimes: { type: ['object', 'null'], additionalProperties: { type: 'object' } },
    DiscoveredDevices: {
      type: ['array', 'null'],
      items: { type: 'object', required: ['Source', 'ID'], properties: { Source: str, ID: str } },
    },
    GenericResources: { type: ['array', 'null'], items: { type: 'object' } },
  },
};

export interface RawPort {
  PrivatePort: number;
  PublicPort?: number;
  Type: string;
  IP?: string;
}

export interface RawContainer {
  Id: string;
  Names: string[] | null;
  Image: string;
  State: string;
  Status: string;
  Created: number;
  Labels: Record<string, string> | null;
  Ports: RawPort[] | null;
}

const portSchema = {
  type: 'object',
  required: ['PrivatePort', 'Type'],
  properties: { PrivatePort: int, PublicPort: int, Type: str, IP: str },
};

const containerListSchema = {
  type: 'array',
  items: {
    type: 'object',
    required: ['Id', 'Image', 'State', 'Created'],
    properties: {
      Id: str,
      Names: strArrayOrNull,
      Image: str,
      State: str,
      Status: str,
      Created: int,
      Labels: strMapOrNull,
      Ports: { type: ['array', 'null'], items: portSchema },
    },
  },
};

export interface RawInspect {
  Id: string;
  Name: string;
  Created: string;
  RestartCount?: number;
  Config: {
    Image: string;
    Labels: Record<string, string> | null;
    Env: string[] | null;
    Cmd: string[] | null;
    Tty?: boolean;
  };
  State: {
    Status: string;
    Running: boolean;
    ExitCode?: number;
    Error?: string;
    StartedAt?: string;
    FinishedAt?: string;
    Health?: { Status?: string };
  };
  HostConfig: {
    DeviceRequests?:
      { Driver?: string; Count?: number; DeviceIDs?: string[] | null; Capabilities?: string[][] | null }[] | null;
  };
  NetworkSettings: { Ports?: Record<string, { HostIp: string; HostPort: string }[] | null> | null };
}

const inspectSchema = {
  type: 'object',
  required: ['Id', 'Name', 'Created', 'Config', 'State', 'HostConfig', 'NetworkSettings'],
  properties: {
    Id: str,
    Name: str,
    Created: str,
    RestartCount: int,
    Config: {
      type: 'object',
      required: ['Image'],
      properties: {
        Image: str,
        Labels: strMapOrNull,
        Env: strArrayOrNull,
        Cmd: strArrayOrNull,
        Tty: { type: 'boolean' },
      },
    },
    State: {
      type: 'object',
      required: ['Status', 'Running'],
      properties: {
        Status: str,
        Running: { type: 'boolean' },
        ExitCode: int,
        Error: str,
        StartedAt: str,
        FinishedAt: str,
        Health: { type: ['object', 'null'] },
      },
    },
    HostConfig: {
      type: 'object',
      properties: {
        DeviceRequests: {
          type: ['array', 'null'],
          items: { type: 'object', properties: { Count: int, DeviceIDs: strArrayOrNull } },
        },
      },
    },
    NetworkSettings: {
      type: 'object',
      properties: {
        Ports: {
          type: ['object', 'null'],
          additionalProperties: {
            type: ['array', 'null'],
            items: { type: 'object', properties: { HostIp: str, HostPort: str } },
          },
        },
      },
    },
  },
};

/** One line of `POST /images/create` (pull) progress. */
export interface RawPullMessage {
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string };
}

const pullMessageSchema = {
  type: 'object',
  properties: {
    status: str,
    id: str,
    progressDetail: { type: 'object', properties: { current: { type: 'number' }, total: { type: 'number' } } },
    error: str,
    errorDetail: { type: 'object', properties: { message: str } },
  },
};

/** One line of `GET /events`. */
export interface RawEvent {
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes?: Record<string, string> | null };
  time: number;
  timeNano?: number;
}

const eventSchema = {
  type: 'object',
  required: ['Type', 'Action', 'Actor', 'time'],
  properties: {
    Type: str,
    Action: str,
    Actor: { type: 'object', required: ['ID'], properties: { ID: str, Attributes: strMapOrNull } },
    time: int,
    timeNano: { type: 'number' },
  },
};

const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true });

function compile<T>(schema: object): ValidateFunction<T> {
  return ajv.compile<T>(schema);
}

export const validators = {
  info: compile<RawInfo>(infoSchema),
  containerList: compile<RawContainer[]>(containerListSchema),
  inspect: compile<RawInspect>(inspectSchema),
  pullMessage: compile<RawPullMessage>(pullMessageSchema),
  event: compile<RawEvent>(eventSchema),
};

/** Returns `data` typed when it matches, or throws a 'malformed' ContainerError naming the call. */
export function validated<T>(validate: ValidateFunction<T>, data: unknown, what: string): T {
  if (validate(data)) return data;
  const where = validate.errors?.[0];
  const detail = where ? `${where.instancePath || '(root)'} ${where.message ?? ''}`.trim() : 'unexpected shape';
  throw new ContainerError(
    'malformed',
    `The Docker engine answered ${what} in an unexpected shape (${detail}).`,
    'Check that the engine speaks Docker Engine API 1.41 or newer.',
  );
}
