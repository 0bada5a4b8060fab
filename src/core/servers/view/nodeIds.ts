/**
 * The ids of model nodes in the Servers tree, written and read in one place.
 * Commands on tree nodes receive only `{ id }`; they read the server's key and
 * the model back from it. Kept free of imports so the command modules that
 * load at activation can use it without pulling in the adapters.
 */

export function modelNodeId(serverKey: string, model: string): string {
  return `${serverKey}/model:${model}`;
}

/** The server's key, and the model for a model node or any node under one (its tensors, facts). */
export function parseNodeId(id: string): { serverKey: string; model?: string } {
  const at = id.indexOf('/model:');
  if (at < 0) return { serverKey: id.split('/')[0] };
  return {
    serverKey: id.slice(0, at),
    model: id.slice(at + '/model:'.length).replace(/\/(input|output|prop):.*$/, ''),
  };
}
