/** The request form for the draft's template (a native <form>: FormData reads every named control). */
import { h } from '../common/messenger';
import type { GenerationParams, RequestDraft } from '../../src/shared/messages/request';
import { checkbox, labelled, radios, section, select, textarea, textfield } from './controls';
import { filePicker, headersEditor, messagesEditor, tensorEditor, type FormEnv } from './formParts';

const streamable = new Set(['openai-chat', 'openai-completions', 'ollama-chat', 'ollama-generate']);

function paramsSection(template: string, p: GenerationParams | undefined): HTMLElement {
  return section(
    'Parameters',
    h(
      'div',
      { class: 'inline' },
      labelled('Temperature', textfield('temperature', p?.temperature, { type: 'number', step: '0.1', min: '0' })),
      labelled('Max tokens', textfield('maxTokens', p?.maxTokens, { type: 'number', min: '1' })),
      labelled('Stop sequences', textarea('stop', (p?.stop ?? []).join('\n'), 1), 'one per line'),
      streamable.has(template) ? checkbox('stream', 'Stream', !!p?.stream) : null,
    ),
  );
}

function bodySections(d: RequestDraft, env: FormEnv): Array<HTMLElement | null> {
  switch (d.template) {
    case 'openai-chat':
    case 'ollama-chat':
      return [messagesEditor(d.messages ?? [], env), paramsSection(d.template, d.params)];
    case 'openai-completions':
    case 'ollama-generate':
    case 'tgi-generate':
    case 'tgi-generate-stream':
      return [
        section('Prompt', textarea('prompt', d.prompt, 5, { 'aria-label': 'Prompt' })),
        paramsSection(d.template, d.params),
      ];
    case 'openai-embeddings':
    case 'ollama-embed':
    case 'tei-embed':
      return [
        section(
          'Inputs',
          labelled('Texts to embed', textarea('inputs', (d.inputs ?? []).join('\n'), 4), 'one input per line'),
        ),
      ];
    case 'kserve-infer':
      return [
        section(
          'Transport',
          h(
            'div',
            { class: 'inline' },
            radios(
              'kserveTransport',
              [
                ['rest', 'REST'],
                ['grpc', 'gRPC ModelInfer'],
                ['grpc-stream', 'gRPC ModelStreamInfer'],
              ],
              d.kserveTransport ?? 'rest',
            ),
          ),
          d.kserveTransport && d.kserveTransport !== 'rest'
            ? null
            : h(
                'div',
                { class: 'inline' },
                radios(
                  'encoding',
                  [
                    ['json', 'JSON tensors'],
                    ['binary', 'binary tensor extension'],
                  ],
                  d.encoding ?? 'json',
                ),
              ),
          h(
            'div',
            { class: 'inline' },
            labelled('Model version', textfield('modelVersion', d.modelVersion, { placeholder: 'server policy' })),
            labelled(
              'Outputs',
              textfield('outputs', (d.outputs ?? []).join(', '), { placeholder: 'all' }),
              'comma-separated',
            ),
          ),
        ),
        tensorEditor(d.tensors ?? [], env),
      ];
    case 'torchserve-predict':
      return [
        section(
          'Body',
          radios(
            'bodyMode',
            [
              ['json', 'JSON or text'],
              ['file', 'file (image, audio…)'],
            ],
            d.bodyMode ?? 'json',
          ),
          d.bodyMode === 'file'
            ? filePicker('filePath', d.filePath, 'Choose file…', 'file', () => env.pickFile('body'))
            : textarea('body', d.body, 8, { 'aria-label': 'Body' }),
        ),
      ];
    case 'tfserving-predict':
      return [
        section(
          'Body',
          radios(
            'tfFormat',
            [
              ['instances', 'row format (instances)'],
              ['inputs', 'columnar format (inputs)'],
            ],
            d.tfFormat ?? 'instances',
          ),
          textarea('body', d.body, 8, { 'aria-label': 'Body' }),
        ),
      ];
    case 'websocket':
      return [
        section(
          'WebSocket',
          labelled('URL', textfield('path', d.path, { placeholder: 'the server’s endpoint', class: 'grow' })),
          labelled(
            'Messages',
            textarea('wsMessages', (d.wsMessages ?? []).join('\n'), 4),
            'one message per line, sent in order',
          ),
        ),
      ];
    case 'raw':
      return [
        section(
          'Request',
          h(
            'div',
            { class: 'inline' },
            select(
              'method',
              ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'].map((m): [string, string] => [m, m]),
              d.method ?? 'GET',
              { 'aria-label': 'Method' },
            ),
            textfield('path', d.path, { class: 'grow', 'aria-label': 'Path' }),
          ),
          labelled(
            'Read the answer as',
            select(
              'framing',
              [
                ['auto', 'by Content-Type'],
                ['sse', 'server-sent events'],
                ['ndjson', 'NDJSON lines'],
                ['chunked', 'raw chunks'],
              ],
              d.framing ?? 'auto',
            ),
          ),
        ),
        headersEditor(d.headers ?? [], env),
        section('Body', textarea('body', d.body, 6, { 'aria-label': 'Body' })),
      ];
  }
}

export function renderForm(d: RequestDraft, env: FormEnv): HTMLFormElement {
  const form = h('form', { id: 'request-form', novalidate: true });
  form.append(...bodySections(d, env).filter((x): x is HTMLElement => !!x));
  return form;
}
