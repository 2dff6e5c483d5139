// Deterministic dataset rows for the benchmarks, generated here (never copied from anywhere), so
// every run of every benchmark grades the same bytes.

/** mulberry32: a tiny seeded PRNG. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const subjects = ['the water cycle', 'a binary search', 'photosynthesis', 'the French Revolution', 'TCP congestion control',
  'compound interest', 'plate tectonics', 'the immune response', 'a hash table', 'supply and demand', 'the Krebs cycle',
  'public-key cryptography', 'erosion by rivers', 'garbage collection', 'the printing press', 'vaccination'];
const verbs = ['explains', 'describes', 'summarises', 'outlines', 'covers', 'walks through', 'contrasts', 'defines'];

/** The vocabulary sentences are drawn from. */
export const words = ('energy process step input output result cause effect system layer rate value key node memory signal ' +
  'pressure current balance cost price growth phase cell protein gene record table index order time space limit error ' +
  'retry budget queue load heat light water soil rock river market trade policy law court vote city network packet').split(' ');

/** A sentence of minWords..maxWords words. */
export function sentence(random, minWords, maxWords) {
  const n = minWords + Math.floor(random() * (maxWords - minWords + 1));
  const picked = Array.from({ length: n }, () => words[Math.floor(random() * words.length)]);
  const text = picked.join(' ');
  return `${text[0].toUpperCase()}${text.slice(1)}.`;
}

function paragraph(random, sentences) {
  return Array.from({ length: sentences }, () => sentence(random, 6, 14)).join(' ');
}

/** One row of a few hundred bytes: id (`row-` and the 1-based index, zero-padded to idWidth), input, reference, output. */
export function makeRow(index, random, idWidth = 5) {
  const subject = subjects[index % subjects.length];
  const verb = verbs[Math.floor(random() * verbs.length)];
  return {
    id: `row-${String(index + 1).padStart(idWidth, '0')}`,
    input: `In a few sentences, what ${verb === 'defines' ? 'is' : 'happens in'} ${subject}? ${sentence(random, 8, 16)}`,
    reference: `${subject[0].toUpperCase()}${subject.slice(1)} ${verb} how ${paragraph(random, 2).toLowerCase()}`,
    output: paragraph(random, 2 + Math.floor(random() * 2)),
  };
}
