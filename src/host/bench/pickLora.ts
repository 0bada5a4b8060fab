import * as vscode from 'vscode';
import { presetBase, thrownMessage, type WorkloadEntry } from './pickWorkload';

/** LoRA traffic: requests name adapters in the model field by weight. */
export const loraEntry: WorkloadEntry<'lora'> = {
  label: 'LoRA traffic split…',
  detail:
    'Requests name LoRA adapters in the model field by weight (e.g. sql-lora=3,chat-lora=1); a report per adapter',
  p: 'lora',
  async ask(ctx) {
    const { parseLora } = await import('../../core/bench/loraText.js');
    // The server's other models are the likely adapters (vLLM lists its --lora-modules beside the base model).
    const others = ctx.server.models.filter((m) => m !== ctx.model);
    const answer = await vscode.window.showInputBox({
      title: ctx.title,
      prompt: 'LoRA adapters and weights (NAME=WEIGHT, comma-separated; the base model may be one of them)',
      value: others.length ? others.map((m) => `${m}=1`).join(',') : 'sql-lora=3,chat-lora=1',
      ignoreFocusOut: true,
      validateInput: (v) =>
        thrownMessage(() => parseLora(v, 'adapters')) ??
        (parseLora(v, 'adapters').length ? undefined : 'Give at least one adapter, e.g. sql-lora=3'),
    });
    if (answer === undefined) return undefined;
    const base = await presetBase('standard', ctx);
    return { ...base, api: 'openai-chat', text: { ...base.text, lora: parseLora(answer, 'adapters') } };
  },
};
