/** Reads the recorded Docker Engine fixtures (test/fixtures/docker). */
import fs from 'node:fs';
import path from 'node:path';

export const fixtureDir = path.resolve(__dirname, '..', '..', 'fixtures', 'docker');

export function fixtureJson<T = unknown>(name: string): T {
  return JSON.parse(fs.readFileSync(path.join(fixtureDir, name), 'utf8')) as T;
}

export function fixtureText(name: string): string {
  return fs.readFileSync(path.join(fixtureDir, name), 'utf8');
}

export function fixtureBytes(name: string): Buffer {
  return fs.readFileSync(path.join(fixtureDir, name));
}
