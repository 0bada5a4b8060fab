/** The shape of a protobuf message as far as editing config.pbtxt needs it. */
export type FieldType =
  | { kind: 'string'; suggestions?: readonly string[] }
  | { kind: 'int' }
  | { kind: 'uint' }
  | { kind: 'float' }
  | { kind: 'bool' }
  | { kind: 'enum'; enum: string }
  | { kind: 'message'; message: string };

export interface FieldDef {
  name: string;
  type: FieldType;
  repeated?: boolean;
  /** Fields of one oneof exclude each other (e.g. dynamic_batching vs sequence_batching). */
  oneof?: string;
  /** One or two sentences in our own words; Markdown allowed. */
  doc: string;
}

export interface MessageDef {
  name: string;
  doc: string;
  fields: readonly FieldDef[];
}

export interface EnumDef {
  name: string;
  values: ReadonlyArray<{ name: string; doc: string }>;
}

export const str = (name: string, doc: string, suggestions?: readonly string[]): FieldDef => ({
  name,
  type: { kind: 'string', suggestions },
  doc,
});
export const int = (name: string, doc: string): FieldDef => ({ name, type: { kind: 'int' }, doc });
export const uint = (name: string, doc: string): FieldDef => ({ name, type: { kind: 'uint' }, doc });
export const bool = (name: string, doc: string): FieldDef => ({ name, type: { kind: 'bool' }, doc });
export const float = (name: string, doc: string): FieldDef => ({ name, type: { kind: 'float' }, doc });
export const enumField = (name: string, enumName: string, doc: string): FieldDef => ({
  name,
  type: { kind: 'enum', enum: enumName },
  doc,
});
export const msg = (name: string, message: string, doc: string): FieldDef => ({
  name,
  type: { kind: 'message', message },
  doc,
});
export const repeated = (f: FieldDef): FieldDef => ({ ...f, repeated: true });
export const oneof = (group: string, f: FieldDef): FieldDef => ({ ...f, oneof: group });

/**
 * A protobuf `map<K, V>` appears in text format as repeated entries
 * `{ key: … value: … }`; each map gets a synthetic entry message.
 */
export function mapEntry(name: string, keyDoc: string, value: FieldDef): MessageDef {
  return { name, doc: 'A map entry: `key` and `value`.', fields: [str('key', keyDoc), { ...value, name: 'value' }] };
}
