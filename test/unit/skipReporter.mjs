// A node:test reporter that writes every skipped or todo test (file, name,
// reason) as JSON lines to its destination; test/unit/run.mjs reads them and,
// under CI=true, fails the tier naming each one.
export default async function* skipReporter(source) {
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const d = event.data;
    if (d.skip === undefined && d.todo === undefined) continue;
    const kind = d.skip !== undefined ? 'skipped' : 'todo';
    const reason = typeof (d.skip ?? d.todo) === 'string' ? (d.skip ?? d.todo) : 'no reason given';
    yield `${JSON.stringify({ kind, file: d.file, name: d.name, reason })}\n`;
  }
}
