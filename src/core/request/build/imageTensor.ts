/**
 * RGBA pixels (already decoded and resized) → an input tensor of one image:
 * layout NCHW or NHWC, values raw (0–255), scaled to 0–1, or normalized with
 * the ImageNet mean and standard deviation that torchvision models expect.
 */
import { toBf16Bits, toFp16Bits } from '../../kserve/half';
import type { Tensor } from '../../kserve/tensor';
import type { ImagePreprocess } from '../../../shared/request';
import type { RgbaImage } from './wire';

const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

function scale(p: ImagePreprocess['normalize']): (x: number, c: number) => number {
  if (p === 'unit') return (x) => x / 255;
  if (p === 'imagenet') return (x, c) => (x / 255 - MEAN[c]) / STD[c];
  return (x) => x;
}

function valuesArray(
  datatype: string,
  n: number,
  normalize: ImagePreprocess['normalize'],
  name: string,
): { out: Float32Array | Float64Array | Uint8Array | Uint16Array; convert: (v: number) => number } {
  switch (datatype) {
    case 'FP32':
      return { out: new Float32Array(n), convert: (v) => v };
    case 'FP64':
      return { out: new Float64Array(n), convert: (v) => v };
    case 'FP16':
      return { out: new Uint16Array(n), convert: toFp16Bits };
    case 'BF16':
      return { out: new Uint16Array(n), convert: toBf16Bits };
    case 'UINT8':
      if (normalize !== 'none')
        throw new Error(`Input "${name}" is UINT8: it takes raw 0–255 pixels, so choose the normalization "none"`);
      return { out: new Uint8Array(n), convert: (v) => v };
    default:
      throw new Error(`Input "${name}" is ${datatype}: an image can fill FP32, FP64, FP16, BF16 or UINT8 inputs`);
  }
}

export function imageTensor(name: string, datatype: string, img: RgbaImage, p: ImagePreprocess): Tensor {
  const { width: W, height: H } = img;
  if (W !== p.width || H !== p.height)
    throw new Error(`Input "${name}": the image is ${W}×${H} but ${p.width}×${p.height} was asked for`);
  if (img.data.length !== W * H * 4)
    throw new Error(`Input "${name}": ${img.data.length} bytes of pixels for ${W}×${H} RGBA`);
  const { out, convert } = valuesArray(datatype, 3 * W * H, p.normalize, name);
  const f = scale(p.normalize);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const px = (y * W + x) * 4;
      for (let c = 0; c < 3; c++) {
        const i = p.layout === 'NCHW' ? c * H * W + y * W + x : (y * W + x) * 3 + c;
        out[i] = convert(f(img.data[px + c], c));
      }
    }
  }
  const shape = p.layout === 'NCHW' ? [1, 3, H, W] : [1, H, W, 3];
  return { name, datatype: datatype as Tensor['datatype'], shape, values: out };
}
