import fs from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/**
 * Loader options shared by every client and server of our protos. `keepCase`
 * keeps the wire names (`raw_input_contents`), `longs: Number` turns int64
 * shapes and counters into plain numbers (exact up to 2^53, far beyond any
 * shape or nanosecond total we handle), `defaults` fills absent fields so
 * decoded messages always carry their arrays, and `oneofs` names the set
 * member of `InferParameter.parameter_choice`.
 */
export const PROTO_LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
};

const cache = new Map<string, grpc.GrpcObject>();

/**
 * Where a .proto file lives at run time. Under tsx (tests, scripts) this
 * module runs from `src/core/proto`; in the esbuild bundles `__dirname` is
 * `dist/` and the build copies the protos to `dist/proto/`. Test bundles sit
 * deeper (`out/test/...`), so we also walk up to the repository root.
 */
export function protoPath(fileName: string): string {
  const candidates = [path.join(__dirname, fileName), path.join(__dirname, 'proto', fileName)];
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    candidates.push(path.join(dir, 'dist', 'proto', fileName), path.join(dir, 'src', 'core', 'proto', fileName));
    dir = path.dirname(dir);
  }
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) {
    throw new Error(
      `Cannot find ${fileName}: looked in ${[...new Set(candidates.map(path.dirname))].join(', ')}. Run the build so that dist/proto/ holds the .proto files.`,
    );
  }
  return found;
}

/** Loads (once) and returns the gRPC package object of one of our .proto files. */
export function loadProto(fileName: string): grpc.GrpcObject {
  let pkg = cache.get(fileName);
  if (!pkg) {
    const definition = protoLoader.loadSync(protoPath(fileName), PROTO_LOADER_OPTIONS);
    pkg = grpc.loadPackageDefinition(definition);
    cache.set(fileName, pkg);
  }
  return pkg;
}

/** The generated client constructor of `inference.GRPCInferenceService`. */
export function inferenceServiceDefinition(): grpc.ServiceClientConstructor {
  const inference = loadProto('grpc_service.proto').inference as grpc.GrpcObject;
  return inference.GRPCInferenceService as grpc.ServiceClientConstructor;
}

/** The generated client constructor of `grpc.health.v1.Health`. */
export function healthServiceDefinition(): grpc.ServiceClientConstructor {
  const root = loadProto('health.proto').grpc as grpc.GrpcObject;
  const v1 = (root.health as grpc.GrpcObject).v1 as grpc.GrpcObject;
  return v1.Health as grpc.ServiceClientConstructor;
}
