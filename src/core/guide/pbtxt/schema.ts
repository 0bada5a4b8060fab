import { TRITON_ENUMS } from './tritonEnums';
import { MODEL_CONFIG_MESSAGES } from './tritonModelConfig';
import { OPTIMIZATION_MESSAGES } from './tritonOptimization';
import { SCHEDULING_MESSAGES } from './tritonScheduling';
import type { EnumDef, FieldDef, MessageDef } from './schemaTypes';

const MESSAGES = new Map<string, MessageDef>(
  [...MODEL_CONFIG_MESSAGES, ...SCHEDULING_MESSAGES, ...OPTIMIZATION_MESSAGES].map((m) => [m.name, m]),
);

export const ROOT_MESSAGE = 'ModelConfig';

export function messageDef(name: string): MessageDef | undefined {
  return MESSAGES.get(name);
}

export function enumDef(name: string): EnumDef | undefined {
  return TRITON_ENUMS[name];
}

export function fieldOf(message: MessageDef, name: string): FieldDef | undefined {
  return message.fields.find((f) => f.name === name);
}

/** The message reached by following field names from ModelConfig (e.g. ['input', 'reshape']). */
export function messageAtPath(path: readonly string[]): MessageDef | undefined {
  let m = MESSAGES.get(ROOT_MESSAGE);
  for (const name of path) {
    const f = m && fieldOf(m, name);
    if (!f || f.type.kind !== 'message') return undefined;
    m = MESSAGES.get(f.type.message);
  }
  return m;
}

/** Every message name, for schema self-checks. */
export function allMessages(): MessageDef[] {
  return [...MESSAGES.values()];
}
