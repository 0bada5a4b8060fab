// The user opens Inference Lab from the activity bar and sees the Servers view.
export const steps = [
  {
    name: 'the activity-bar icon opens the Inference Lab container with the Servers view',
    async run({ page, H, shot }) {
      await H.openInferenceLabView(page);
      await shot('01-servers-view');
    },
  },
];
