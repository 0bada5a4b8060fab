import type { ErrorObject } from 'ajv';

/**
 * One indented line per JSON Schema violation, naming where it is and, for
 * unknown properties and enums, the offending name or the allowed values.
 * Shared by every file format we validate with ajv and report in full.
 */
export function schemaProblems(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    const where = e.instancePath || '(top level)';
    const extra =
      e.keyword === 'additionalProperties'
        ? ` "${(e.params as { additionalProperty: string }).additionalProperty}"`
        : e.keyword === 'enum'
          ? ` (${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')})`
          : '';
    return `  ${where}: ${e.message}${extra}`;
  });
}
