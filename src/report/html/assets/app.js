// The report page: headline figures and charts of each run, the comparison of two, the ranking, and the rows.

const data = JSON.parse(document.getElementById('report-data').textContent);
const app = document.getElementById('app');
const letters = ['A', 'B'];
const twoRuns = data.runs.length === 2;

function figureList(figures) {
  return h('dl', { class: 'figures' }, figures.map((figure) => h('div', { class: 'figure', 'data-figure': figure.key }, [
    h('dt', { text: figure.label }),
    h('dd', { class: 'value', text: figure.value }),
    figure.detail ? h('dd', { class: 'detail', text: figure.detail }) : null,
  ])));
}

/** A panel's judges, each with its own figures. */
function judgesList(judges) {
  return h('div', { class: 'panel-judges' }, judges.map((judge) => h('section', { class: 'panel-judge', 'data-judge': judge.judge }, [
    h('h4', { text: judge.judge }),
    figureList(judge.figures),
  ])));
}

function runCard(run, index) {
  const summary = run.summary;
  const charts = [histogramChart(summary, run.scale), passChart(summary), pairwiseChart(summary), labelsChart(summary), criteriaChart(summary, run.scale)].filter(Boolean);
  const groups = run.groups.map((group) => h('section', { class: 'group', 'data-group': group.key }, [
    h('h3', { text: group.title }),
    figureList(group.figures),
    ...group.notes.map((note) => h('p', { class: 'note', text: note })),
    group.key === 'agreement' ? confusionTable(run.confusion) : null,
    group.judges ? judgesList(group.judges) : null,
  ]));
  const source = run.source === 'file' ? 'figures rebuilt from the records (status, wall time and rate limits are not recorded per row)' : `status ${summary.status}`;
  return h('article', { class: 'run', 'data-run': index }, [
    h('h2', {}, [twoRuns ? h('span', { class: 'tag', text: letters[index] }) : null, h('span', { class: 'name', text: run.name })]),
    h('p', { class: 'judge', text: `${summary.model} · prompt ${summary.prompt} · ${source}` }),
    figureList(run.figures),
    charts.length > 0 ? h('div', { class: 'charts' }, charts) : null,
    ...groups,
    h('p', { class: 'note input-note', text: run.input_note }),
  ]);
}

function runColumns(run) {
  const rows = run.rows;
  const any = (read) => rows.some((row) => read(row) !== null && read(row) !== undefined);
  const columns = [{ key: 'id', label: 'id', className: 'id', sort: (row) => row.id, cell: (row) => row.id }];
  if (any((row) => row.score)) columns.push({ key: 'score', label: 'score', numeric: true, sort: (row) => row.score, cell: (row) => scoreText(row.score) });
  if (any((row) => row.pass)) columns.push({ key: 'pass', label: 'pass', sort: (row) => (row.pass === null ? null : row.pass ? 1 : 0), cell: (row) => (row.pass === null ? '' : h('span', { class: row.pass ? 'yes' : 'no', text: row.pass ? 'pass' : 'fail' })) });
  if (any((row) => row.verdict)) columns.push({ key: 'verdict', label: 'verdict', sort: (row) => row.verdict, cell: (row) => (row.verdict === null ? '' : `${row.verdict}${row.flipped ? ' ⇄' : ''}`) });
  if (any((row) => row.label)) columns.push({ key: 'label', label: 'label', sort: (row) => row.label, cell: (row) => row.label ?? '' });
  columns.push(
    { key: 'error', label: 'error', sort: (row) => (row.error ? row.error.code : null), cell: (row) => (row.error ? h('span', { class: 'err', text: row.error.code }) : '') },
    { key: 'reasoning', label: 'reasoning', className: 'reasoning', sort: (row) => row.reasoning, cell: (row) => (row.reasoning ?? row.error?.message ?? '').slice(0, 240) },
    { key: 'latency', label: 'latency ms', numeric: true, sort: (row) => row.latency_ms, cell: (row) => integer(row.latency_ms) },
  );
  return columns;
}

/** The lower-cased text a row is found by: its id, answer, error and reasoning, and what only this row's judge input says. */
function rowHaystack(row, sharedTexts) {
  const parts = [row.id, row.verdict, row.label, row.error && `${row.error.code} ${row.error.message}`, row.reasoning];
  if (row.input) for (const [, index] of row.input) if (!sharedTexts.has(index)) parts.push(data.texts[index]);
  if (row.fields) parts.push(JSON.stringify(row.fields));
  return parts.filter(Boolean).join('\n').toLowerCase();
}

// A text every row's judge input shares (the system prompt) would make every row match; it is not searched.
function sharedTexts() {
  const uses = new Map();
  for (const run of data.runs) for (const row of run.rows) for (const [, index] of row.input || []) uses.set(index, (uses.get(index) || 0) + 1);
  return new Set([...uses].filter(([, n]) => n > 1).map(([index]) => index));
}

function runTable(run, index, shared) {
  return createTable({
    name: `run-${index}`,
    columns: runColumns(run),
    rows: run.rows,
    defaultOrder: 'worst first',
    haystack: (row) => rowHaystack(row, shared),
    isError: (row) => row.error !== null,
    detail: (row) => rowDetail(row, run),
  });
}

function compareTable(shared) {
  const [runA, runB] = data.runs;
  const pairs = data.comparison.pairs.map(([a, b]) => {
    const rowA = runA.rows[a];
    const rowB = runB.rows[b];
    return { id: rowA.id, a: rowA, b: rowB, difference: rowA.score === null || rowB.score === null ? null : rowB.score - rowA.score };
  });
  const either = (read) => pairs.some((pair) => read(pair.a) !== null || read(pair.b) !== null);
  const passCell = (value) => (value === null ? '' : h('span', { class: value ? 'yes' : 'no', text: value ? 'pass' : 'fail' }));
  const columns = [{ key: 'id', label: 'id', className: 'id', sort: (p) => p.id, cell: (p) => p.id }];
  if (either((row) => row.score)) {
    columns.push(
      { key: 'score_a', label: 'score A', numeric: true, sort: (p) => p.a.score, cell: (p) => scoreText(p.a.score) },
      { key: 'score_b', label: 'score B', numeric: true, sort: (p) => p.b.score, cell: (p) => scoreText(p.b.score) },
      { key: 'difference', label: 'B − A', numeric: true, sort: (p) => p.difference, cell: (p) => (p.difference === null ? '' : h('span', { class: p.difference > 0 ? 'up' : p.difference < 0 ? 'down' : '', text: signed(p.difference) })) },
    );
  }
  if (either((row) => row.pass)) {
    columns.push(
      { key: 'pass_a', label: 'pass A', sort: (p) => (p.a.pass === null ? null : Number(p.a.pass)), cell: (p) => passCell(p.a.pass) },
      { key: 'pass_b', label: 'pass B', sort: (p) => (p.b.pass === null ? null : Number(p.b.pass)), cell: (p) => passCell(p.b.pass) },
    );
  }
  if (either((row) => row.verdict)) {
    columns.push(
      { key: 'verdict_a', label: 'verdict A', sort: (p) => p.a.verdict, cell: (p) => p.a.verdict ?? '' },
      { key: 'verdict_b', label: 'verdict B', sort: (p) => p.b.verdict, cell: (p) => p.b.verdict ?? '' },
    );
  }
  if (either((row) => row.label)) {
    columns.push(
      { key: 'label_a', label: 'label A', sort: (p) => p.a.label, cell: (p) => p.a.label ?? '' },
      { key: 'label_b', label: 'label B', sort: (p) => p.b.label, cell: (p) => p.b.label ?? '' },
    );
  }
  columns.push(
    { key: 'error_a', label: 'error A', sort: (p) => (p.a.error ? p.a.error.code : null), cell: (p) => (p.a.error ? h('span', { class: 'err', text: p.a.error.code }) : '') },
    { key: 'error_b', label: 'error B', sort: (p) => (p.b.error ? p.b.error.code : null), cell: (p) => (p.b.error ? h('span', { class: 'err', text: p.b.error.code }) : '') },
  );
  return createTable({
    name: 'compare',
    columns,
    rows: pairs,
    defaultOrder: 'largest drop first',
    haystack: (p) => `${rowHaystack(p.a, shared)}\n${rowHaystack(p.b, shared)}`,
    isError: (p) => p.a.error !== null || p.b.error !== null,
    detail: (p) => h('div', { class: 'detail-grid' }, [
      h('div', {}, [h('h3', { text: `A · ${runA.name}` }), rowDetail(p.a, runA)]),
      h('div', {}, [h('h3', { text: `B · ${runB.name}` }), rowDetail(p.b, runB)]),
    ]),
  });
}

function comparisonSection() {
  const comparison = data.comparison;
  const notes = [];
  if (comparison.pairs.length === 0) notes.push('The two files share no row id, so there is nothing to compare row by row. Are they shards of one run? Join those with verdict merge.');
  return h('section', { class: 'compare', 'aria-label': 'comparison' }, [
    h('h2', { text: `Comparison: B (${data.runs[1].name}) against A (${data.runs[0].name})` }),
    figureList(comparison.figures),
    ...notes.map((note) => h('p', { class: 'note warn', text: note })),
  ]);
}

/** Tabs over the tables (the comparison, then each run); each table is built when first shown and keeps its state. */
function rowsSection() {
  const shared = sharedTexts();
  const views = [];
  if (data.comparison) views.push({ key: 'compare', label: 'A and B side by side', make: () => compareTable(shared) });
  data.runs.forEach((run, index) => views.push({ key: `run-${index}`, label: twoRuns ? `${letters[index]}: ${run.name}` : run.name, make: () => runTable(run, index, shared) }));
  const holder = h('div', { class: 'table-holder' });
  const built = new Map();
  const tabs = h('div', { class: 'tabs', role: 'tablist' });
  function show(key) {
    if (!built.has(key)) built.set(key, views.find((view) => view.key === key).make());
    holder.replaceChildren(built.get(key));
    for (const button of tabs.children) button.setAttribute('aria-selected', button.getAttribute('data-view') === key ? 'true' : 'false');
  }
  for (const view of views) {
    const button = h('button', { type: 'button', role: 'tab', 'data-view': view.key, text: view.label });
    button.addEventListener('click', () => show(view.key));
    tabs.appendChild(button);
  }
  show(views[0].key);
  return h('section', { class: 'rows', id: 'rows', 'aria-label': 'rows' }, [h('h2', { text: 'Rows' }), views.length > 1 ? tabs : null, holder]);
}

function start() {
  document.title = `verdict report: ${data.runs.map((run) => run.name).join(' vs ')}`;
  const header = h('header', {}, [
    h('h1', { text: twoRuns ? 'verdict report: two runs compared' : 'verdict report' }),
    h('p', { class: 'meta', text: `${data.runs.map((run) => run.file).join(' · ')} · made ${data.generated_at.replace('T', ' ').slice(0, 19)} UTC` }),
  ]);
  const parts = [header, h('section', { class: `runs runs-${data.runs.length}` }, data.runs.map(runCard))];
  if (data.comparison) parts.push(comparisonSection());
  const ranking = rankingSection();
  if (ranking) parts.push(ranking);
  parts.push(rowsSection());
  app.replaceChildren(...parts);
  app.removeAttribute('aria-busy');
  app.setAttribute('data-ready', 'true');
}

start();
