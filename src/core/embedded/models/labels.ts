/**
 * Class labels of the simulated image classifier: 1000 synthetic
 * "colour_animal" names built from two word lists, so top-k answers read
 * like labels without pretending to be ImageNet classes.
 */
const COLOURS = (
  'amber azure beige black blue bronze brown coral cream crimson cyan ebony gold gray green ' +
  'indigo ivory jade khaki lemon lilac lime magenta maroon mint navy ochre olive orange ' +
  'pearl pink plum purple red ruby rust sand silver teal violet'
).split(' ');
const ANIMALS = (
  'badger bear beaver bison crane deer dolphin eagle falcon ferret fox gecko heron ibis ' +
  'jackal koala lemur lynx marten otter owl panda puffin rabbit raven'
).split(' ');

/** `labels[i]` names class i (i < 1000). */
export const imageLabels: readonly string[] = Array.from(
  { length: COLOURS.length * ANIMALS.length },
  (_, i) => `${COLOURS[i % COLOURS.length]}_${ANIMALS[Math.floor(i / COLOURS.length)]}`,
).slice(0, 1000);
