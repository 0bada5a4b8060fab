/** The repeating parts of the request form: chat messages, tensors, raw headers. */
import { h } from '../common/messenger';
import type { ChatMessage, RawHeader, RequestDraft, TensorDraft } from '../../src/shared/messages/request';
import { DATATYPES } from '../../src/shared/kserveDatatypes';
import { API_KEY_PLACEHOLDER } from '../../src/shared/messages/request';
import { button, labelled, radios, section, select, textarea, textfield } from './controls';

/** What the form asks of the page: re-render after a structural edit, pick a file. */
export interface FormEnv {
  update(mutate: (d: RequestDraft) => void): void;
  pickFile(purpose: 'body' | 'image', input?: string): void;
}

const roles: Array<[string, string]> = [
  ['system', 'system'],
  ['user', 'user'],
  ['assistant', 'assistant'],
];

/** A chosen file: its path as text (kept in a hidden field for FormData) and a button to pick another. */
export function filePicker(
  name: string,
  path: string | undefined,
  label: string,
  icon: string,
  pick: () => void,
): HTMLElement {
  return h(
    'div',
    { class: 'inline file-picker' },
    h('span', { class: path ? 'file-path' : 'file-path muted' }, path || 'no file chosen'),
    h('input', { type: 'hidden', name, value: path ?? '' }),
    button(label, pick, { secondary: true, icon }),
  );
}

export function messagesEditor(messages: ChatMessage[], env: FormEnv): HTMLElement {
  const rows = messages.map((m, i) =>
    h(
      'div',
      { class: 'message-row' },
      select(`msg.${i}.role`, roles, m.role, { 'aria-label': `Message ${i + 1} role` }),
      textarea(`msg.${i}.content`, m.content, 3, { 'aria-label': `Message ${i + 1} content`, class: 'grow' }),
      button('Remove', () => env.update((d) => d.messages?.splice(i, 1)), {
        secondary: true,
        icon: 'trash',
        'aria-label': `Remove message ${i + 1}`,
      }),
    ),
  );
  const add = button('Add message', () => env.update((d) => (d.messages ??= []).push({ role: 'user', content: '' })), {
    secondary: true,
    icon: 'add',
    id: 'add-message',
  });
  return section('Messages', ...rows, add);
}

const datatypes = DATATYPES.map((t): [string, string] => [t, t]);

function imageFields(t: TensorDraft, i: number, env: FormEnv): HTMLElement {
  const img = t.image ?? { path: '', width: 224, height: 224, resize: 'crop', layout: 'NCHW', normalize: 'unit' };
  return h(
    'div',
    { class: 'image-fields' },
    filePicker(`tensor.${i}.image.path`, img.path, 'Choose image…', 'file-media', () => env.pickFile('image', t.name)),
    h(
      'div',
      { class: 'inline' },
      labelled('Width', textfield(`tensor.${i}.image.width`, img.width, { type: 'number', min: '1' })),
      labelled('Height', textfield(`tensor.${i}.image.height`, img.height, { type: 'number', min: '1' })),
      labelled(
        'Resize',
        select(
          `tensor.${i}.image.resize`,
          [
            ['crop', 'shorter side, centre crop'],
            ['stretch', 'stretch'],
          ],
          img.resize,
        ),
      ),
      labelled(
        'Layout',
        select(
          `tensor.${i}.image.layout`,
          [
            ['NCHW', 'NCHW'],
            ['NHWC', 'NHWC'],
          ],
          img.layout,
        ),
      ),
      labelled(
        'Normalization',
        select(
          `tensor.${i}.image.normalize`,
          [
            ['unit', 'x / 255'],
            ['imagenet', 'ImageNet mean/std'],
            ['none', 'none (0–255)'],
          ],
          img.normalize,
        ),
      ),
    ),
  );
}

export function tensorEditor(tensors: TensorDraft[], env: FormEnv): HTMLElement {
  const blocks = tensors.map((t, i) => {
    const source = t.image ? 'image' : 'data';
    const src = radios(
      `tensor.${i}.source`,
      [
        ['data', 'values'],
        ['image', 'image file'],
      ],
      source,
    );
    // The form is read after the click, so the draft already says which source is chosen: only fill in the image defaults.
    src.addEventListener('change', () =>
      env.update((d) => {
        const dt = d.tensors?.[i];
        if (!dt?.image) return;
        const nchw = dt.shape[1] === 3;
        dt.image = {
          ...dt.image,
          width: dt.shape[nchw ? 3 : 2] || 224,
          height: dt.shape[nchw ? 2 : 1] || 224,
          layout: nchw ? 'NCHW' : 'NHWC',
        };
      }),
    );
    return h(
      'div',
      { class: 'tensor', 'data-input': t.name },
      h(
        'div',
        { class: 'inline' },
        labelled('Input', textfield(`tensor.${i}.name`, t.name)),
        labelled('Datatype', select(`tensor.${i}.datatype`, datatypes, t.datatype)),
        labelled('Shape', textfield(`tensor.${i}.shape`, t.shape.join(', '))),
        button('Remove', () => env.update((d) => d.tensors?.splice(i, 1)), {
          secondary: true,
          icon: 'trash',
          'aria-label': `Remove input ${t.name}`,
        }),
      ),
      src,
      source === 'image'
        ? imageFields(t, i, env)
        : labelled(
            'Data',
            textarea(`tensor.${i}.data`, t.data, 3),
            'JSON (nested or flat) or one of: zeros, ones, random',
          ),
      // Kept while an image is the source, so switching back finds the values again.
      source === 'image' ? h('input', { type: 'hidden', name: `tensor.${i}.data`, value: t.data }) : null,
    );
  });
  const add = button(
    'Add input',
    () =>
      env.update((d) =>
        (d.tensors ??= []).push({ name: `input${d.tensors?.length ?? 0}`, datatype: 'FP32', shape: [1], data: '[0]' }),
      ),
    { secondary: true, icon: 'add' },
  );
  return section('Input tensors', ...blocks, add);
}

export function headersEditor(headers: RawHeader[], env: FormEnv): HTMLElement {
  const rows = headers.map((hd, i) =>
    h(
      'div',
      { class: 'inline' },
      textfield(`header.${i}.name`, hd.name, { placeholder: 'Header', 'aria-label': `Header ${i + 1} name` }),
      textfield(`header.${i}.value`, hd.value, {
        placeholder: 'Value',
        class: 'grow',
        'aria-label': `Header ${i + 1} value`,
      }),
      button('Remove', () => env.update((d) => d.headers?.splice(i, 1)), {
        secondary: true,
        icon: 'trash',
        'aria-label': `Remove header ${i + 1}`,
      }),
    ),
  );
  const add = button('Add header', () => env.update((d) => (d.headers ??= []).push({ name: '', value: '' })), {
    secondary: true,
    icon: 'add',
  });
  return section(
    'Headers',
    ...rows,
    add,
    h(
      'div',
      { class: 'hint muted' },
      `Write ${API_KEY_PLACEHOLDER} to send the server's stored API key. Credential headers are never saved as typed.`,
    ),
  );
}
