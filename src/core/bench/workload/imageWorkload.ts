import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { seededUniform } from '../../stats/random';
import type { ModelMetadata } from '../../servers/types';
import type { ImageWorkload } from '../spec';
import { BenchSpecError } from '../specNormalize';

/** The image model's input as the benchmark feeds it. */
export interface ImageInput {
  name: string;
  datatype: string;
  /** One item's shape, without the batch dimension. */
  itemShape: number[];
  /** First output's name, to ask for it in binary form. */
  outputName?: string;
}

/** Bytes per element of each fixed-size datatype (§1.1). */
export const elementBytes: Record<string, number> = {
  BOOL: 1,
  UINT8: 1,
  INT8: 1,
  UINT16: 2,
  INT16: 2,
  FP16: 2,
  BF16: 2,
  UINT32: 4,
  INT32: 4,
  FP32: 4,
  UINT64: 8,
  INT64: 8,
  FP64: 8,
};

/**
 * The input from the spec, else from the model's metadata (a leading -1 is
 * the batch dimension), else a 3×224×224 FP32 image tensor.
 */
export function imageInput(spec: ImageWorkload, meta: ModelMetadata | undefined): ImageInput {
  // Image files go to an encoded-image (BYTES) input; synthetic data to a tensor input.
  const preferred = meta?.inputs.find((i) => (spec.imagesDir ? i.datatype === 'BYTES' : i.datatype !== 'BYTES'));
  const t = meta?.inputs.find((i) => i.name === spec.inputName) ?? preferred ?? meta?.inputs[0];
  const shape = spec.shape ?? (t?.shape ? (t.shape[0] === -1 ? t.shape.slice(1) : t.shape) : [3, 224, 224]);
  const input: ImageInput = {
    name: spec.inputName ?? t?.name ?? 'input',
    datatype: (spec.datatype ?? t?.datatype ?? 'FP32').toUpperCase(),
    itemShape: shape,
  };
  if (meta?.outputs[0]) input.outputName = meta.outputs[0].name;
  if (input.datatype !== 'BYTES' && shape.some((d) => !(d > 0))) {
    throw new BenchSpecError(
      `The input "${input.name}" has a variable shape [${shape.join(', ')}]: give the item shape with --shape, e.g. 3,224,224`,
    );
  }
  if (input.datatype !== 'BYTES' && !elementBytes[input.datatype])
    throw new BenchSpecError(`Datatype ${input.datatype} cannot be synthesized`);
  if (spec.imagesDir && input.datatype !== 'BYTES' && meta)
    throw new BenchSpecError(
      `The input "${input.name}" takes ${input.datatype} tensors, not image files: drop --images-dir to send synthetic tensors, or name an encoded-image input of the model (image.inputName, datatype BYTES)`,
    );
  return input;
}

export function elementCount(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** One synthetic item as raw little-endian bytes: uniform noise, seeded. */
export function itemBytes(input: ImageInput, seed: number): Buffer {
  const n = elementCount(input.itemShape);
  const size = elementBytes[input.datatype];
  const buf = Buffer.alloc(n * size);
  const rand = seededUniform(seed);
  for (let k = 0; k < n; k++) {
    const u = rand();
    switch (input.datatype) {
      case 'FP32':
        buf.writeFloatLE(u, k * 4);
        break;
      case 'FP64':
        buf.writeDoubleLE(u, k * 8);
        break;
      case 'FP16':
      case 'BF16':
        buf.writeUInt16LE(input.datatype === 'FP16' ? 0x3800 : 0x3f00, k * 2); // 0.5 in each encoding
        break;
      default:
        buf.writeUIntLE(Math.floor(u * (size === 1 ? 2 : 128)), k * size, Math.min(size, 6));
    }
  }
  return buf;
}

/** The same item as the comma-separated JSON numbers of the tensor's flat data. */
export function itemJson(input: ImageInput, seed: number): string {
  if (input.datatype === 'FP16' || input.datatype === 'BF16')
    throw new BenchSpecError(
      `${input.datatype} cannot be sent as JSON numbers: use --api kserve-binary or kserve-grpc`,
    );
  const n = elementCount(input.itemShape);
  const rand = seededUniform(seed);
  const parts: string[] = new Array(n);
  const float = input.datatype.startsWith('FP');
  for (let k = 0; k < n; k++)
    parts[k] = float ? rand().toFixed(4) : String(Math.floor(rand() * (input.datatype === 'BOOL' ? 2 : 128)));
  return input.datatype === 'BOOL' ? parts.map((p) => (p === '1' ? 'true' : 'false')).join(',') : parts.join(',');
}

/** A noise image as a PNG file (RGB, 8 bits), for inputs that take encoded images. */
export function syntheticPng(width: number, height: number, seed: number): Buffer {
  const rand = seededUniform(seed);
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width * 3; x++) raw[y * (width * 3 + 1) + 1 + x] = Math.floor(rand() * 256);
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit, truecolour, deflate, no filter method, no interlace
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    sig,
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The image files (jpg, jpeg, png) of a folder, sorted by name. */
export function loadImages(dir: string): Buffer[] {
  let names: string[];
  try {
    names = fs
      .readdirSync(dir)
      .filter((n) => /\.(jpe?g|png)$/i.test(n))
      .sort();
  } catch (e) {
    throw new BenchSpecError(`Cannot read the images folder ${dir}: ${(e as Error).message}`);
  }
  if (!names.length) throw new BenchSpecError(`No .jpg or .png images in ${dir}`);
  return names.map((n) => fs.readFileSync(path.join(dir, n)));
}
