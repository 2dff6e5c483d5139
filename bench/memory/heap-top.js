// Summarises a V8 heap snapshot (.heapsnapshot, as v8.writeHeapSnapshot writes it): the live heap by
// kind of object (self sizes added up, like DevTools' "Summary"), and the objects that retain the
// most memory (dominator tree, weak edges ignored, like DevTools' "Retained size"), each with the
// chain of owners that keeps it alive.
//
//   node bench/memory/heap-top.js <file.heapsnapshot> [--top 25] [--json]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '25' }, json: { type: 'boolean', default: false } },
});
if (positionals.length !== 1) {
  process.stderr.write('usage: node bench/memory/heap-top.js <file.heapsnapshot> [--top 25] [--json]\n');
  process.exit(2);
}
const top = Number(flags.top);

const snapshot = JSON.parse(readFileSync(positionals[0], 'utf8'));
const { meta } = snapshot.snapshot;
const nodeFields = meta.node_fields;
const edgeFields = meta.edge_fields;
const nodeTypes = meta.node_types[0];
const edgeTypes = meta.edge_types[0];
const NF = nodeFields.length;
const EF = edgeFields.length;
const nType = nodeFields.indexOf('type');
const nName = nodeFields.indexOf('name');
const nSelf = nodeFields.indexOf('self_size');
const nEdges = nodeFields.indexOf('edge_count');
const eType = edgeFields.indexOf('type');
const eName = edgeFields.indexOf('name_or_index');
const eTo = edgeFields.indexOf('to_node');
const { nodes, edges, strings } = snapshot;
const count = nodes.length / NF;

const firstEdge = new Uint32Array(count + 1);
for (let i = 0, e = 0; i < count; i++) {
  firstEdge[i] = e;
  e += nodes[i * NF + nEdges] * EF;
}
firstEdge[count] = edges.length;

const typeOf = (i) => nodeTypes[nodes[i * NF + nType]];
const nameOf = (i) => strings[nodes[i * NF + nName]];
const selfOf = (i) => nodes[i * NF + nSelf];
const label = (i) => {
  const type = typeOf(i);
  const name = nameOf(i);
  if (type === 'string' || type === 'concatenated string' || type === 'sliced string') return `(string) ${JSON.stringify(name.slice(0, 40))}`;
  if (type === 'object' || type === 'closure') return `${type === 'closure' ? 'closure ' : ''}${name}`;
  return `(${type}) ${name.slice(0, 60)}`;
};
const edgeLabel = (e) => {
  const type = edgeTypes[edges[e + eType]];
  const raw = edges[e + eName];
  return type === 'element' || type === 'hidden' ? `[${raw}]` : `${type === 'context' ? 'ctx.' : ''}${strings[raw]}`;
};
const isWeak = (e) => edgeTypes[edges[e + eType]] === 'weak';

// --- Summary by kind: self sizes added up --------------------------------------------------------
const byKind = new Map();
let total = 0;
for (let i = 0; i < count; i++) {
  const type = typeOf(i);
  const key = type === 'object' || type === 'closure' ? `${type === 'closure' ? 'closure ' : ''}${nameOf(i)}` : `(${type})${type === 'hidden' || type === 'array' || type === 'code' ? ` ${nameOf(i)}` : ''}`;
  const entry = byKind.get(key) ?? { kind: key, count: 0, selfBytes: 0 };
  entry.count++;
  entry.selfBytes += selfOf(i);
  total += selfOf(i);
  byKind.set(key, entry);
}

// --- Dominators (Cooper, Harvey & Kennedy, "A simple, fast dominance algorithm") -----------------
// Reverse postorder from the root (node 0) over strong edges.
const order = new Int32Array(count).fill(-1); // node -> postorder number
const post = new Int32Array(count); // postorder number -> node
let visited = 0;
{
  const stack = new Int32Array(count);
  const cursor = new Uint32Array(count);
  const seen = new Uint8Array(count);
  let sp = 0;
  stack[sp++] = 0;
  seen[0] = 1;
  cursor[0] = firstEdge[0];
  while (sp > 0) {
    const n = stack[sp - 1];
    let pushed = false;
    while (cursor[n] < firstEdge[n + 1]) {
      const e = cursor[n];
      cursor[n] += EF;
      if (isWeak(e)) continue;
      const to = edges[e + eTo] / NF;
      if (seen[to]) continue;
      seen[to] = 1;
      cursor[to] = firstEdge[to];
      stack[sp++] = to;
      pushed = true;
      break;
    }
    if (!pushed) {
      sp--;
      order[n] = visited;
      post[visited++] = n;
    }
  }
}
// Predecessors over strong edges, among reachable nodes.
const predCount = new Uint32Array(count + 1);
for (let n = 0; n < count; n++) {
  if (order[n] < 0) continue;
  for (let e = firstEdge[n]; e < firstEdge[n + 1]; e += EF) {
    if (isWeak(e)) continue;
    predCount[edges[e + eTo] / NF + 1]++;
  }
}
for (let i = 0; i < count; i++) predCount[i + 1] += predCount[i];
const preds = new Int32Array(predCount[count]);
{
  const fill = predCount.slice(0, count);
  for (let n = 0; n < count; n++) {
    if (order[n] < 0) continue;
    for (let e = firstEdge[n]; e < firstEdge[n + 1]; e += EF) {
      if (isWeak(e)) continue;
      const to = edges[e + eTo] / NF;
      preds[fill[to]++] = n;
    }
  }
}
const idom = new Int32Array(visited).fill(-1); // by postorder number
const root = order[0];
idom[root] = root;
const intersect = (a, b) => {
  while (a !== b) {
    while (a < b) a = idom[a];
    while (b < a) b = idom[b];
  }
  return a;
};
for (let changed = true; changed; ) {
  changed = false;
  for (let k = visited - 1; k >= 0; k--) {
    if (k === root) continue;
    const n = post[k];
    let candidate = -1;
    for (let p = predCount[n]; p < predCount[n + 1]; p++) {
      const q = order[preds[p]];
      if (q < 0 || idom[q] === -1) continue;
      candidate = candidate === -1 ? q : intersect(q, candidate);
    }
    if (candidate !== -1 && idom[k] !== candidate) {
      idom[k] = candidate;
      changed = true;
    }
  }
}
// Retained sizes: each node's self size added to its dominator's, children before parents.
const retained = new Float64Array(visited);
for (let k = 0; k < visited; k++) retained[k] = selfOf(post[k]);
for (let k = 0; k < visited; k++) if (k !== root) retained[idom[k]] += retained[k];

/** The edge from a node's dominator (or any strong predecessor) to it, for the owner chain. */
function edgeInto(node, from) {
  for (let e = firstEdge[from]; e < firstEdge[from + 1]; e += EF) if (edges[e + eTo] / NF === node) return edgeLabel(e);
  return '?';
}
function ownerChain(k, depth = 6) {
  const chain = [];
  let cur = k;
  while (cur !== root && chain.length < depth) {
    const up = idom[cur];
    chain.push(`${label(post[up])} -${edgeInto(post[cur], post[up])}->`);
    cur = up;
  }
  return chain.reverse().join(' ');
}

// The biggest retainers. A wrapper whose size is nearly all one dominated child (a module holding a
// Map holding its table) is skipped in favour of that child, so each line names a distinct holder.
const biggestChild = new Float64Array(visited);
for (let k = 0; k < visited; k++) if (k !== root) biggestChild[idom[k]] = Math.max(biggestChild[idom[k]], retained[k]);
const candidates = [...Array(visited).keys()].filter(
  (k) => k !== root && typeOf(post[k]) !== 'synthetic' && biggestChild[k] < 0.9 * retained[k],
);
candidates.sort((a, b) => retained[b] - retained[a]);
const topRetainers = candidates.slice(0, top).map((k) => ({
  object: label(post[k]),
  retainedMb: retained[k] / 2 ** 20,
  selfBytes: selfOf(post[k]),
  owners: ownerChain(k),
}));
const kinds = [...byKind.values()].sort((a, b) => b.selfBytes - a.selfBytes).slice(0, top);
const result = {
  nodes: count,
  reachable: visited,
  totalMb: total / 2 ** 20,
  reachableMb: retained[root] / 2 ** 20,
  byKind: kinds.map((k) => ({ ...k, selfMb: k.selfBytes / 2 ** 20 })),
  topRetainers,
};

if (flags.json) {
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} else {
  const out = [];
  out.push(`${positionals[0]}: ${count} nodes, ${result.totalMb.toFixed(1)} MB self size in all, ${result.reachableMb.toFixed(1)} MB reachable`);
  out.push('');
  out.push('By kind (self size added up):');
  for (const k of result.byKind) out.push(`  ${k.selfMb.toFixed(2).padStart(8)} MB ${String(k.count).padStart(9)}  ${k.kind}`);
  out.push('');
  out.push('Largest retainers (retained size; a line may be part of one above it, see its owners):');
  for (const r of topRetainers) out.push(`  ${r.retainedMb.toFixed(2).padStart(8)} MB  ${r.object}\n             held by: ${r.owners}`);
  process.stdout.write(`${out.join('\n')}\n`);
}
